//! Outbox drain rate: how many queued mails per second the worker renders, sends to a
//! local SMTP sink (mailin-embedded on loopback) and records as sent.
//!
//! `cargo bench --bench outbox_drain` (SQLite in a temp dir); set
//! `STEGVIS_BENCH_DATABASE_URL=postgres://…/db` to measure on PostgreSQL, and
//! `STEGVIS_BENCH_MAILS` (default 5000), `STEGVIS_BENCH_CONCURRENCY` (default 32),
//! `STEGVIS_BENCH_TRANSPORT=log` to leave SMTP out.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark that cannot go on should stop loudly"
)]

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use mailin_embedded::{response, Handler, Response, Server};
use stegvis::app::error::AppError;
use stegvis::app::to_db;
use stegvis::clock::{Clock, SystemClock};
use stegvis::config::Settings;
use stegvis::notify::samples;
use stegvis::store::outbox;
use stegvis::store::rows::OutboxRow;

#[derive(Clone)]
struct Counter(Arc<AtomicUsize>);

impl Handler for Counter {
    fn data_end(&mut self) -> Response {
        self.0.fetch_add(1, Ordering::Relaxed);
        response::OK
    }
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> anyhow::Result<()> {
    let mails = env_or("STEGVIS_BENCH_MAILS", 5000);
    let concurrency = env_or("STEGVIS_BENCH_CONCURRENCY", 32);
    let received = Arc::new(AtomicUsize::new(0));
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let sink = Counter(received.clone());
    std::thread::spawn(move || {
        let mut server = Server::new(sink);
        server
            .with_name("sink.bench")
            .with_num_threads(256)
            .with_tcp_listener(listener);
        let _ = server.serve();
    });

    let dir = std::env::temp_dir().join(format!("stegvis-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = std::env::var("STEGVIS_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.join("bench.db").display()));
    let mut settings = Settings::defaults_with_database(&url)?;
    // `log` leaves SMTP out, to see what rendering and the database cost alone.
    settings.mail.transport =
        std::env::var("STEGVIS_BENCH_TRANSPORT").unwrap_or_else(|_| "smtp".into());
    settings.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    settings.mail.from = "Stegvis <no-reply@stegvis.bench>".into();
    settings.mail.concurrency = concurrency;
    settings.mail.batch_size = (2 * concurrency).max(64) as u32;
    let state = stegvis::startup::prepare(settings, Arc::new(SystemClock) as Arc<dyn Clock>)?;

    // Queue the mails: every kind, both languages, a third with calendar invitations.
    let details = samples::details();
    let now = to_db(state.now());
    let queued = Instant::now();
    for chunk in (0..mails).collect::<Vec<_>>().chunks(500) {
        state.store.write(|conn| {
            for &i in chunk {
                let lang = if i % 2 == 0 { "sv" } else { "en" };
                let payload =
                    samples::payload(lang, Some("Anna"), details[i % details.len()].clone());
                let id = format!("bench{i:08}");
                let row = OutboxRow {
                    message_id: format!("<{id}@stegvis.bench>"),
                    id,
                    kind: payload.details.kind().into(),
                    case_id: None,
                    recipient: format!("person{i}@example.se"),
                    language: lang.into(),
                    payload: serde_json::to_string(&payload)
                        .map_err(|e| AppError::Internal(e.to_string()))?,
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
                outbox::insert(conn, &row)?;
            }
            Ok::<_, AppError>(())
        })?;
    }
    println!("queued {mails} mails in {:.2?}", queued.elapsed());

    let started = Instant::now();
    let handled = stegvis::notify::dispatch_all_pending(&state.delivery())?;
    let elapsed = started.elapsed();
    let sent = {
        let mut conn = state.store.conn()?;
        outbox::count(&mut conn, "sent")?
    };
    anyhow::ensure!(handled == mails, "handled {handled} of {mails}");
    anyhow::ensure!(sent as usize == mails, "{sent} of {mails} marked sent");
    anyhow::ensure!(
        state.settings.mail.transport != "smtp" || received.load(Ordering::Relaxed) == mails,
        "the sink received {} of {mails}",
        received.load(Ordering::Relaxed)
    );
    println!(
        "outbox drain ({:?}, {} transport, concurrency {concurrency}): {mails} mails in {:.2?} = {:.0} mails/s",
        state.store.backend(),
        state.settings.mail.transport,
        elapsed,
        mails as f64 / elapsed.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
