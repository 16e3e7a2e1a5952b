//! The app under test, spawned in-process on port 0 with a manual clock and a fresh
//! database (as tests/api/helpers.rs does), and its first admin.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use stegvis::clock::{Clock, ManualClock};
use stegvis::config::Settings;
use stegvis::startup::Application;

#[path = "../common/database.rs"]
mod database;

pub const START: &str = "2026-03-02T09:00:00Z";
/// The public URL the app is built with; the browser opens its pages by path.
pub const PUBLIC_URL: &str = "http://stegvis.test";
pub const PASSWORD: &str = "correct horse battery staple";

pub fn random_hex() -> String {
    format!("{:016x}", rand::random::<u64>())
}

pub struct TestApp {
    pub address: String,
    pub admin_email: String,
    pub state: stegvis::app::AppState,
    /// The app's clock, to move it.
    pub clock: Arc<ManualClock>,
    /// The test's own temporary directory (removed when the test ends).
    pub dir: PathBuf,
    database: database::TestDatabase,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.database.drop_best_effort();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub async fn spawn_app() -> TestApp {
    spawn(true, |_| {}).await
}

/// Like `spawn_app`, with settings changed by `configure` before the app is built.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn(true, configure).await
}

/// The app with an empty database (no admin), for `stegvis::app::demo::load`.
pub async fn spawn_empty_app() -> TestApp {
    spawn(false, |_| {}).await
}

async fn spawn(with_admin: bool, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = std::env::temp_dir().join(format!("stegvis-web-{}", random_hex()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let database = database::TestDatabase::create(&dir);
    let mut settings = Settings::defaults_with_database(&database.url).expect("settings");
    settings.server.bind = "127.0.0.1:0".into();
    settings.server.workers = 2;
    settings.data_dir = dir.join("data");
    settings.mail.file_dir = dir.join("mail");
    // Set before the app is built, so every link it makes is under it.
    settings.server.public_url = PUBLIC_URL.into();
    // The webhook the walk registers points at loopback.
    settings.webhooks.allow_private = true;
    configure(&mut settings);
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339(START)
        .expect("start")
        .with_timezone(&Utc);
    let clock = Arc::new(ManualClock::new(start));
    let application = Application::build(settings.clone(), clock.clone() as Arc<dyn Clock>)
        .await
        .expect("the application builds");
    let port = application.port();
    let state = application.state();
    actix_rt::spawn(application.run_until_stopped());
    let admin_email = format!("admin-{}@example.se", random_hex());
    if with_admin {
        stegvis::bootstrap::create_admin(&settings, &admin_email, "Ada Admin", PASSWORD)
            .expect("admin");
    }
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        admin_email,
        state,
        clock,
        dir,
        database,
    }
}
