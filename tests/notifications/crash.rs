//! The real binary killed with SIGKILL while mail is pending loses nothing and,
//! restarted, sends each mail exactly once.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use stegvis::app::{to_db, AppState};
use stegvis::clock::{Clock, SystemClock};
use stegvis::config::Settings;
use stegvis::notify::samples;
use stegvis::store::outbox;
use stegvis::store::rows::OutboxRow;

use crate::helpers::database::TestDatabase;
use crate::helpers::{random_hex, SmtpSink};

/// The outbox lease of the served binary.
const LEASE_SECS: u64 = 2;

/// `stegvis serve` on `database`, sending to `smtp`, retrying every second.
fn serve(dir: &Path, database: &str, smtp: &SmtpSink, run: u32) -> Child {
    serve_with_lease(dir, database, smtp, run, LEASE_SECS)
}

fn serve_with_lease(dir: &Path, database: &str, smtp: &SmtpSink, run: u32, lease: u64) -> Child {
    let log = std::fs::File::create(dir.join(format!("serve-{run}.log"))).expect("a log file");
    Command::new(env!("CARGO_BIN_EXE_stegvis"))
        .arg("serve")
        .env_remove("STEGVIS_CONFIG")
        .env("STEGVIS__DATABASE__URL", database)
        .env("STEGVIS__DATABASE__POOL_SIZE", "4")
        .env("STEGVIS__SERVER__BIND", "127.0.0.1:0")
        .env("STEGVIS__SERVER__WORKERS", "1")
        .env("STEGVIS__DATA_DIR", dir.join("data"))
        .env("STEGVIS__MAIL__TRANSPORT", "smtp")
        .env("STEGVIS__MAIL__SMTP_URL", smtp.url())
        .env("STEGVIS__MAIL__FROM", "Stegvis <no-reply@stegvis.test>")
        .env("STEGVIS__MAIL__RETRY_BASE_SECS", "1")
        .env("STEGVIS__MAIL__RETRY_CAP_SECS", "1")
        .env("STEGVIS__MAIL__MAX_ATTEMPTS", "1000")
        .env("STEGVIS__MAIL__LEASE_SECS", lease.to_string())
        .env("STEGVIS__MAIL__POLL_MS", "50")
        .env("STEGVIS__MAIL__BATCH_SIZE", "5")
        .env("STEGVIS_LOG", "info")
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("the log file"))
        .stderr(log)
        .spawn()
        .expect("the stegvis binary starts")
}

/// Waits (bounded) until `done` holds, checking that the child is still running.
fn wait_until(child: &mut Child, what: &str, done: impl Fn() -> bool) {
    let started = Instant::now();
    while !done() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("stegvis exited ({status}) before {what}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "timed out waiting until {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn queue(state: &AppState, n: usize) -> Vec<String> {
    let now = to_db(state.now());
    let details = samples::details();
    (0..n)
        .map(|i| {
            let lang = if i % 2 == 0 { "sv" } else { "en" };
            let payload = samples::payload(lang, Some("Anna"), details[i % details.len()].clone());
            let id = format!("{:04}{}", i, random_hex());
            let row = OutboxRow {
                message_id: format!("<{id}@stegvis.test>"),
                id,
                kind: payload.details.kind().into(),
                case_id: None,
                recipient: format!("person{i}@example.se"),
                language: lang.into(),
                payload: serde_json::to_string(&payload).unwrap(),
                status: "pending".into(),
                attempts: 0,
                next_attempt_at: now,
                lease_until: None,
                last_error: None,
                created_at: now,
                sent_at: None,
                subject: String::new(),
                claimed_by: None,
            };
            state
                .store
                .write(|conn| {
                    outbox::insert(conn, &row).map_err(stegvis::app::error::AppError::from)
                })
                .expect("the row is queued");
            row.message_id
        })
        .collect()
}

#[test]
fn killing_the_app_while_mail_is_pending_loses_nothing_and_sends_nothing_twice() {
    // Given 30 queued mails and an SMTP relay that is down
    let dir = std::env::temp_dir().join(format!("stegvis-crash-{}", random_hex()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut database = TestDatabase::create(&dir);
    let mut settings = Settings::defaults_with_database(&database.url).unwrap();
    // The test's own directory: nothing (signing keys, mail) lands in the repository.
    settings.data_dir = dir.join("data");
    settings.mail.file_dir = dir.join("data/mail");
    let state = stegvis::startup::prepare(settings, Arc::new(SystemClock) as Arc<dyn Clock>)
        .expect("the database is ready");
    let mut queued = queue(&state, 30);
    let smtp = SmtpSink::down();
    let attempted = |state: &AppState| {
        let mut conn = state.store.conn().unwrap();
        let rows = outbox::list(&mut conn, None, None, 1000).unwrap();
        rows.iter().all(|r| r.attempts >= 1)
    };

    // When the app has tried them all and is killed with SIGKILL
    let mut first = serve(&dir, &database.url, &smtp, 1);
    wait_until(&mut first, "every mail was tried", || attempted(&state));
    first.kill().expect("SIGKILL");
    first.wait().unwrap();
    {
        let mut conn = state.store.conn().unwrap();
        assert_eq!(
            outbox::count(&mut conn, "pending").unwrap(),
            30,
            "nothing was lost"
        );
        assert_eq!(outbox::count(&mut conn, "sent").unwrap(), 0);
    }

    // And restarted once SMTP is back
    smtp.come_up();
    let mut second = serve(&dir, &database.url, &smtp, 2);
    let sent = |state: &AppState| {
        let mut conn = state.store.conn().unwrap();
        outbox::count(&mut conn, "sent").unwrap() == 30
    };
    wait_until(&mut second, "every mail was sent", || sent(&state));
    // Give a duplicate, were there one, the time to arrive: past the lease.
    std::thread::sleep(Duration::from_secs(LEASE_SECS + 1));
    second.kill().expect("SIGKILL");
    second.wait().unwrap();

    // Then every mail arrived exactly once
    let counts = smtp.message_id_counts();
    let mut arrived: Vec<String> = counts.keys().cloned().collect();
    arrived.sort();
    queued.sort();
    let bare: Vec<String> = queued
        .iter()
        .map(|id| id.trim_matches(['<', '>']).to_string())
        .collect();
    assert_eq!(arrived, bare);
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    drop(state);
    database.drop_best_effort();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn killed_with_mail_mid_data_only_the_mail_in_flight_arrives_again_after_the_lease() {
    // Given 30 queued mails and a relay that holds the end of every DATA for 4 s
    let dir = std::env::temp_dir().join(format!("stegvis-crash-{}", random_hex()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut database = TestDatabase::create(&dir);
    let mut settings = Settings::defaults_with_database(&database.url).unwrap();
    settings.data_dir = dir.join("data");
    settings.mail.file_dir = dir.join("data/mail");
    let state = stegvis::startup::prepare(settings, Arc::new(SystemClock) as Arc<dyn Clock>)
        .expect("the database is ready");
    let queued = queue(&state, 30);
    let smtp = SmtpSink::start();
    let hold = Duration::from_secs(4);
    smtp.hold_data(Some(hold));
    let lease = 5;

    // When the app is killed with SIGKILL while the relay holds mail mid-DATA
    let mut first = serve_with_lease(&dir, &database.url, &smtp, 1, lease);
    wait_until(&mut first, "a mail is mid-DATA", || smtp.held() >= 1);
    first.kill().expect("SIGKILL");
    let killed_at = Instant::now();
    first.wait().unwrap();
    let in_flight = smtp.held();
    assert!(in_flight >= 1, "the kill came with mail in flight");
    {
        let mut conn = state.store.conn().unwrap();
        assert_eq!(
            outbox::count(&mut conn, "sent").unwrap(),
            0,
            "no mail was recorded as sent before its relay answered"
        );
    }

    // And restarted against a relay that answers at once
    smtp.hold_data(None);
    let mut second = serve_with_lease(&dir, &database.url, &smtp, 2, lease);
    let sent = |state: &AppState| {
        let mut conn = state.store.conn().unwrap();
        outbox::count(&mut conn, "sent").unwrap() == 30
    };
    wait_until(&mut second, "every mail was sent", || sent(&state));
    // Past the lease and the hold, so any late copy has arrived.
    std::thread::sleep(Duration::from_secs(lease + 1).max(hold + Duration::from_secs(1)));
    second.kill().expect("SIGKILL");
    second.wait().unwrap();

    // Then every mail arrived; those in flight at the kill arrived twice with the same
    // Message-ID (the relay kept them; the restarted app, never told, sent them again,
    // but only after their lease ran out); every other exactly once
    let received = smtp.received();
    let mut copies: HashMap<String, Vec<(bool, Instant)>> = HashMap::new();
    for mail in &received {
        copies
            .entry(mail.parse().message_id)
            .or_default()
            .push((mail.held, mail.at));
    }
    for id in &queued {
        let bare = id.trim_matches(['<', '>']);
        let arrivals = copies
            .get(bare)
            .unwrap_or_else(|| panic!("{bare} arrived: {copies:?}"));
        let was_held = arrivals.iter().any(|(held, _)| *held);
        if was_held {
            assert_eq!(arrivals.len(), 2, "{bare} was in flight: {arrivals:?}");
            let resent = arrivals
                .iter()
                .find(|(held, _)| !held)
                .expect("a copy from the restarted app");
            assert!(
                resent.1 >= killed_at + Duration::from_secs(lease - 2),
                "{bare} was sent again only after its lease ({lease} s) ran out: {:?} after the kill",
                resent.1.duration_since(killed_at)
            );
        } else {
            assert_eq!(arrivals.len(), 1, "{bare} arrived once: {arrivals:?}");
        }
    }
    let twice = copies.values().filter(|a| a.len() == 2).count();
    assert_eq!(twice, in_flight, "only the mail in flight arrived twice");
    assert_eq!(copies.len(), 30, "nothing but the queued mail arrived");
    drop(state);
    database.drop_best_effort();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stegvis_jobs_run_at_a_time_reports_and_leaves_the_jobs_free_for_the_next_run() {
    // Given an empty database
    let dir = std::env::temp_dir().join(format!("stegvis-jobs-{}", random_hex()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut database = TestDatabase::create(&dir);
    let run = || {
        let out = Command::new(env!("CARGO_BIN_EXE_stegvis"))
            .args(["jobs", "run", "--at", "2027-01-01T09:00:00+01:00"])
            .env_remove("STEGVIS_CONFIG")
            .env("STEGVIS__DATABASE__URL", &database.url)
            .env("STEGVIS__DATA_DIR", dir.join("data"))
            .env("STEGVIS_LOG", "warn")
            .output()
            .expect("stegvis jobs run starts");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("a JSON report")
    };
    // When the jobs run twice as of the same time
    let first = run();
    let second = run();
    // Then each run reports, and the lease was given back for the next
    assert_eq!(first["skipped"], false);
    assert_eq!(second["skipped"], false);
    assert_eq!(first["ran_at"], "2027-01-01T08:00:00+00:00");
    assert_eq!(second["reminders"]["deadline_overdue"], 0);
    database.drop_best_effort();
    let _ = std::fs::remove_dir_all(&dir);
}
