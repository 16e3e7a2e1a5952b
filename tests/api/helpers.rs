//! The test app: a spawned server on a random port, its own database and data
//! directory, a manual clock the test moves, and an admin to start from.

// Shared with the other test binaries (tests/common).
#[path = "../common/database.rs"]
mod database;
#[path = "../common/endpoints.rs"]
mod endpoints;
#[path = "../common/http.rs"]
mod http;
#[path = "../common/scenario.rs"]
mod scenario;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use stegvis::clock::{Clock, ManualClock};
use stegvis::config::Settings;
use stegvis::startup::Application;

pub use database::TestDatabase;
pub use http::*;
pub use scenario::{World, STAGES};

/// Where every test's clock starts.
pub const START: &str = "2026-03-02T09:00:00Z";

/// The public URL every test app is built with, so links are checked whole.
pub const PUBLIC_URL: &str = "http://stegvis.test";

/// The password every test user gets (the API asks for at least 12 characters).
pub const PASSWORD: &str = "correct horse battery staple";

/// A running app and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub client: awc::Client,
    pub clock: Arc<ManualClock>,
    /// The app's settings (data and mail directories), for tests that look at files.
    #[allow(dead_code)]
    pub settings: Settings,
    pub admin: TestUser,
    dir: PathBuf,
    database: database::TestDatabase,
}

/// A user the test created and logged in.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: String,
    pub email: String,
    pub role: String,
    pub token: String,
}

/// A short random hex string, for unique names.
pub fn random_hex() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// Parses an RFC 3339 time; panics with the text when it is not one.
pub fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text:?} is not an RFC 3339 time: {e}"))
        .with_timezone(&Utc)
}

/// Spawns the app on a fresh database and creates its first admin.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like `spawn_app`, with settings changed by `configure` before the app is built.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = std::env::temp_dir().join(format!("stegvis-test-{}", random_hex()));
    std::fs::create_dir_all(&dir).expect("create the test's temp dir");
    let database = database::TestDatabase::create(&dir);
    let mut settings =
        Settings::defaults_with_database(&database.url).expect("default settings load");
    settings.server.bind = "127.0.0.1:0".into();
    settings.data_dir = dir.join("data");
    settings.mail.file_dir = dir.join("mail");
    settings.server.public_url = PUBLIC_URL.into();
    // Webhook endpoints in these tests are on loopback (tests/notifications/webhooks.rs
    // tests the refusal of private addresses).
    settings.webhooks.allow_private = true;
    configure(&mut settings);
    let clock = Arc::new(ManualClock::new(time(START)));
    let application = Application::build(settings.clone(), clock.clone() as Arc<dyn Clock>)
        .await
        .expect("the application builds");
    let port = application.port();
    actix_rt::spawn(application.run_until_stopped());

    let admin_email = format!("admin-{}@example.se", random_hex());
    let admin_id = stegvis::bootstrap::create_admin(&settings, &admin_email, "Ada Admin", PASSWORD)
        .expect("the first admin is created");
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(60))
        .finish();
    let mut app = TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client,
        clock,
        settings,
        admin: TestUser {
            id: admin_id,
            email: admin_email.clone(),
            role: "admin".into(),
            token: String::new(),
        },
        dir,
        database,
    };
    app.admin.token = app.login(&admin_email, PASSWORD).await;
    app
}

impl TestApp {
    /// `GET path` with no token, as anyone on the web asks.
    pub async fn public_get(&self, path: &str) -> http::Reply {
        self.call(awc::http::Method::GET, path, None, &[], None)
            .await
    }

    /// The verification code of the case's current certificate.
    pub async fn verification_code(&self, case_id: &str) -> String {
        self.get_certificate(&self.admin.token, case_id)
            .await
            .should_be(200)
            .body["verification_code"]
            .as_str()
            .expect("a verification code")
            .to_string()
    }

    /// The admin acts on a case (suspend, reinstate, revoke) and it succeeds.
    pub async fn admin_acts(&self, case_id: &str, body: serde_json::Value) {
        self.transition(&self.admin.token, case_id, &body)
            .await
            .should_be(200);
    }

    /// Runs SQL straight against the app's database, as someone with access to the
    /// database server (not through the app) could: for tests of stored-data damage.
    #[allow(dead_code)]
    pub fn execute_sql(&self, sql: &str) {
        use diesel::connection::SimpleConnection;
        let store =
            stegvis::store::Store::connect(&self.database.url, 1).expect("the test database opens");
        let mut conn = store.conn().expect("a connection");
        conn.batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.database.drop_best_effort();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl TestApp {
    /// The mails written to the outbox for `email`, oldest first: (kind, payload), as
    /// someone reading the database sees them (the tests of links read the link).
    #[allow(dead_code)]
    pub fn outbox_to(&self, email: &str) -> Vec<(String, serde_json::Value)> {
        let store =
            stegvis::store::Store::connect(&self.database.url, 1).expect("the test database opens");
        let mut conn = store.conn().expect("a connection");
        stegvis::store::outbox::list(&mut conn, None, None, 100_000)
            .expect("the outbox reads")
            .into_iter()
            .filter(|row| row.recipient == email)
            .map(|row| {
                (
                    row.kind,
                    serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null),
                )
            })
            .collect()
    }

    /// The token of the newest set-password link mailed to `email`.
    #[allow(dead_code)]
    #[track_caller]
    pub fn newest_link_token(&self, email: &str) -> String {
        let mails = self.outbox_to(email);
        let (_, payload) = mails
            .iter()
            .rev()
            .find(|(kind, _)| kind == "password_reset" || kind == "welcome")
            .unwrap_or_else(|| panic!("a set-password mail to {email}: {mails:?}"));
        let link = payload["details"]["link"].as_str().expect("a link");
        let prefix = format!("{PUBLIC_URL}/password-reset/");
        assert!(link.starts_with(&prefix), "{link}");
        link[prefix.len()..].to_string()
    }
}
