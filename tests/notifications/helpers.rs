#![allow(dead_code)]
//! The test app for notifications: a spawned server on a random port, its own
//! database, a manual clock the test moves, an admin to start from, a real SMTP
//! server on loopback that the app's mail goes to, and the outbox worker, which the
//! test drives step by step (`dispatch`).

// Shared with the other test binaries (tests/common).
#[path = "../common/database.rs"]
pub mod database;
#[allow(dead_code)]
#[path = "../common/endpoints.rs"]
mod endpoints;
#[path = "../common/http.rs"]
mod http;
#[allow(dead_code)]
mod outbox;
#[allow(dead_code)]
mod people;
#[allow(dead_code)]
pub mod receiver;
#[allow(dead_code)]
#[path = "../common/scenario.rs"]
mod scenario;
#[allow(dead_code)]
pub mod smtp;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use stegvis::app::AppState;
use stegvis::clock::{Clock, ManualClock};
use stegvis::config::Settings;
use stegvis::startup::Application;

pub use http::*;
pub use people::{sorted, Unit};
pub use receiver::Receiver;
pub use scenario::World;
pub use smtp::SmtpSink;

/// The public URL every test app is built with, so links are checked whole.
pub const PUBLIC_URL: &str = "http://stegvis.test";

/// Where every test's clock starts.
pub const START: &str = "2026-03-02T09:00:00Z";

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
    /// The app's shared state, for driving the outbox worker and the jobs.
    pub state: AppState,
    /// The SMTP server the app sends to.
    pub smtp: SmtpSink,
    pub dir: PathBuf,
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

/// Spawns the app on a fresh database, sending mail to a running SMTP server.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(SmtpSink::start(), |_| {}).await
}

/// Spawns the app with mail going to `smtp` (running or not), settings adjusted.
pub async fn spawn_app_with(smtp: SmtpSink, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = std::env::temp_dir().join(format!("stegvis-test-{}", random_hex()));
    std::fs::create_dir_all(&dir).expect("create the test's temp dir");
    let database = database::TestDatabase::create(&dir);
    let mut settings =
        Settings::defaults_with_database(&database.url).expect("default settings load");
    settings.server.bind = "127.0.0.1:0".into();
    settings.data_dir = dir.join("data");
    settings.mail.file_dir = dir.join("mail");
    settings.mail.transport = "smtp".into();
    settings.mail.smtp_url = Some(smtp.url());
    settings.mail.from = "Stegvis <no-reply@stegvis.test>".into();
    settings.mail.smtp_timeout_secs = 5;
    // Tests move the clock by years; tokens must outlive that.
    settings.auth.token_ttl_hours = 24 * 365 * 20;
    settings.server.public_url = PUBLIC_URL.into();
    adjust(&mut settings);
    let clock = Arc::new(ManualClock::new(time(START)));
    let application = Application::build(settings.clone(), clock.clone() as Arc<dyn Clock>)
        .await
        .expect("the application builds");
    let port = application.port();
    let state = application.state();
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
        state,
        smtp,
        dir,
        database,
    };
    app.admin.token = app.login(&admin_email, PASSWORD).await;
    app
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.database.drop_best_effort();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
