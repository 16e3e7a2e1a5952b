//! The outbox worker: claims due rows with a lease, sends them, and records the
//! outcome. Several workers (threads or app instances on one PostgreSQL) never send
//! the same row twice: a claim is a conditional update that only one of them wins.
//! A crash after a send but before it is recorded sends that row again once its
//! lease runs out; its stable Message-ID lets the receiving side recognise it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use lettre::message::Mailbox;

use super::message::{self, AttachedFile};
use super::payload::{Details, Payload};
use super::recipients::{mask, mask_all};
use super::render::renderer;
use super::transport::Transport;
use super::NotifyError;
use crate::certificate::{rendering, CertificateKit};
use crate::clock::Clock;
use crate::config::{MailSettings, Settings};
use crate::store::rows::OutboxRow;
use crate::store::{ids, outbox};
use crate::store::{to_db, Store};

/// What delivering the outbox needs: the store, the settings, the transport, the
/// clock, and what renders a certificate's PDF when the approval mail finds it pending.
#[derive(Clone)]
pub struct Delivery {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub mailer: Arc<Mailer>,
    pub clock: Arc<dyn Clock>,
    pub certificates: Arc<CertificateKit>,
}

impl Delivery {
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// The transport and sender, made from the configuration on first use.
pub struct Mailer {
    settings: MailSettings,
    ready: OnceLock<Result<(Transport, Mailbox), String>>,
}

impl Mailer {
    pub fn new(settings: MailSettings) -> Mailer {
        Mailer {
            settings,
            ready: OnceLock::new(),
        }
    }

    fn ready(&self) -> Result<&(Transport, Mailbox), NotifyError> {
        self.ready
            .get_or_init(|| {
                let from: Mailbox = self
                    .settings
                    .from
                    .parse()
                    .map_err(|e| format!("mail.from is not an address: {e}"))?;
                Ok((Transport::from_settings(&self.settings)?, from))
            })
            .as_ref()
            .map_err(|e| NotifyError::Transport(e.clone()))
    }
}

/// What became of one claimed row.
enum Outcome {
    Sent,
    Failed { error: String, permanent: bool },
}

/// Sends the due rows of one batch; the number of rows it claimed (0: nothing due).
pub fn dispatch_pending(state: &Delivery) -> Result<usize, NotifyError> {
    let settings = &state.settings.mail;
    let (transport, from) = state.mailer.ready()?;
    let now = state.now();
    let token = ids::random_hex(16);
    let lease = Duration::seconds(settings.lease_secs as i64);
    let rows = state.store.write(|conn| {
        outbox::claim(
            conn,
            &token,
            to_db(now),
            to_db(now + lease),
            i64::from(settings.batch_size.max(1)),
        )
        .map_err(NotifyError::from)
    })?;
    if rows.is_empty() {
        return Ok(0);
    }
    let files = attachments(state, &rows);
    let outcomes = send_all(transport, from, &rows, &files, settings.concurrency.max(1));
    let done = state.now();
    state.store.write(|conn| {
        let sent: Vec<&str> = rows
            .iter()
            .zip(&outcomes)
            .filter(|(_, outcome)| matches!(outcome, Outcome::Sent))
            .map(|(row, _)| row.id.as_str())
            .collect();
        let mut recorded = outbox::mark_sent(conn, &sent, &token, to_db(done))?;
        for (row, outcome) in rows.iter().zip(&outcomes) {
            if let Outcome::Failed { error, permanent } = outcome {
                let attempts = row.attempts.max(0) as u32 + 1;
                let dead = *permanent || attempts >= settings.max_attempts;
                let next = done + backoff(settings, attempts);
                log_failure(row, attempts, dead, *permanent, error, next);
                let status = if dead { outbox::DEAD } else { outbox::PENDING };
                recorded += outbox::mark_failed(conn, &row.id, &token, status, to_db(next), error)?;
            }
        }
        if recorded < rows.len() {
            tracing::warn!(
                lost = rows.len() - recorded,
                "leases ran out before the outcome of some mail was recorded"
            );
        }
        Ok::<_, NotifyError>(())
    })?;
    Ok(rows.len())
}

/// Drains everything due now, batch after batch; the number of rows handled.
pub fn dispatch_all_pending(state: &Delivery) -> Result<usize, NotifyError> {
    let mut total = 0;
    loop {
        match dispatch_pending(state)? {
            0 => return Ok(total),
            n => total += n,
        }
    }
}

/// The wait before attempt `attempts + 1`: base, doubling, capped.
pub fn backoff(settings: &MailSettings, attempts: u32) -> Duration {
    let doubling = 1u64 << attempts.saturating_sub(1).min(30);
    let secs = settings
        .retry_base_secs
        .saturating_mul(doubling)
        .min(settings.retry_cap_secs);
    Duration::seconds(secs as i64)
}

fn log_failure(
    row: &OutboxRow,
    attempts: u32,
    dead: bool,
    permanent: bool,
    error: &str,
    next: DateTime<Utc>,
) {
    let to = mask(&row.recipient);
    let error = mask_all(error);
    if permanent {
        tracing::error!(id = %row.id, kind = %row.kind, language = %row.language, to, %error,
            "mail cannot be rendered or built; the row is dead until an admin retries it");
    } else if dead {
        tracing::error!(id = %row.id, kind = %row.kind, to, attempts, %error,
            "mail delivery failed for the last time; the row is dead");
    } else {
        tracing::warn!(id = %row.id, kind = %row.kind, to, attempts, %error,
            retry_at = %next.to_rfc3339(), "mail delivery failed; it will be retried");
    }
}

/// The files a row's mail carries, or why they could not be had.
type Files = Result<Vec<AttachedFile>, String>;

/// The files each row's mail carries, in the rows' order: the approval mail attaches
/// the certificate's PDF as stored, the same bytes as its download (rendered and
/// stored now if the approval left it pending). A PDF that cannot be had fails its
/// row alone, which is retried as a failed send is: the mail never goes out without
/// its certificate, and the rest of the batch goes out.
fn attachments(state: &Delivery, rows: &[OutboxRow]) -> Vec<Files> {
    rows.iter().map(|row| files_of(state, row)).collect()
}

fn files_of(state: &Delivery, row: &OutboxRow) -> Files {
    let mut files = Vec::new();
    // An unreadable payload is reported when the row is sent.
    if let Ok(Payload {
        details:
            Details::Approved {
                certificate_id: Some(id),
                number,
                ..
            },
        ..
    }) = serde_json::from_str::<Payload>(&row.payload)
    {
        let pdf = rendering::pdf_of(&state.store, &state.certificates, &id)
            .map_err(|e| format!("the certificate's PDF: {e}"))?;
        if let Some(bytes) = pdf {
            files.push(AttachedFile {
                name: format!("{}.pdf", number.unwrap_or(id)),
                content_type: "application/pdf",
                bytes,
            });
        }
    }
    Ok(files)
}

/// Sends `rows` (with their `files`) on up to `concurrency` threads; outcomes in the
/// rows' order.
fn send_all(
    transport: &Transport,
    from: &Mailbox,
    rows: &[OutboxRow],
    files: &[Files],
    concurrency: usize,
) -> Vec<Outcome> {
    if concurrency <= 1 || rows.len() <= 1 {
        return rows
            .iter()
            .zip(files)
            .map(|(row, files)| send_one(transport, from, row, files))
            .collect();
    }
    let chunk = rows.len().div_ceil(concurrency);
    std::thread::scope(|scope| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .zip(files.chunks(chunk))
            .map(|(part, files)| {
                let handle = scope.spawn(move || {
                    part.iter()
                        .zip(files)
                        .map(|(row, files)| send_one(transport, from, row, files))
                        .collect::<Vec<_>>()
                });
                (part.len(), handle)
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(len, handle)| {
                handle.join().unwrap_or_else(|_| {
                    (0..len)
                        .map(|_| Outcome::Failed {
                            error: "the sending thread failed".into(),
                            permanent: false,
                        })
                        .collect()
                })
            })
            .collect()
    })
}

fn send_one(transport: &Transport, from: &Mailbox, row: &OutboxRow, files: &Files) -> Outcome {
    let files = match files {
        Ok(files) => files,
        Err(error) => {
            return Outcome::Failed {
                error: error.clone(),
                permanent: false,
            }
        }
    };
    let permanent = |error: String| Outcome::Failed {
        error,
        permanent: true,
    };
    let payload: Payload = match serde_json::from_str(&row.payload) {
        Ok(p) => p,
        Err(e) => return permanent(format!("the mail's payload is unreadable: {e}")),
    };
    let rendered = match renderer().and_then(|r| r.render(&payload)) {
        Ok(r) => r,
        Err(e) => return permanent(format!("template error: {e}")),
    };
    let message = match message::build(
        from,
        &row.recipient,
        &row.message_id,
        &payload,
        &rendered,
        files,
    ) {
        Ok(m) => m,
        Err(e) => return permanent(e),
    };
    match transport.send(&message, &row.id) {
        Ok(()) => Outcome::Sent,
        Err(error) => Outcome::Failed {
            error,
            permanent: false,
        },
    }
}

/// A worker running beside the server (the mail worker, the webhook worker).
pub struct Worker {
    stop: Arc<AtomicBool>,
    task: actix_web::rt::task::JoinHandle<()>,
}

impl Worker {
    /// Asks the worker to stop and waits until the batch it is sending is recorded.
    pub async fn shutdown(self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.task.await;
    }
}

/// Runs `batch` until asked to stop: again at once while it handles something, after
/// `poll` when it found nothing due. `batch` answers how many items it handled.
pub fn spawn_polling<F, Fut>(name: &'static str, poll: StdDuration, mut batch: F) -> Worker
where
    F: FnMut() -> Fut + 'static,
    Fut: std::future::Future<Output = usize> + 'static,
{
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let task = actix_web::rt::spawn(async move {
        while !flag.load(Ordering::SeqCst) {
            if batch().await == 0 {
                // Sleep in short steps so a shutdown is not kept waiting.
                let mut slept = StdDuration::ZERO;
                while slept < poll && !flag.load(Ordering::SeqCst) {
                    let step = StdDuration::from_millis(50).min(poll - slept);
                    actix_web::rt::time::sleep(step).await;
                    slept += step;
                }
            }
        }
        tracing::info!("the {name} worker stopped");
    });
    Worker { stop, task }
}

/// Starts the worker: it drains due mail, then looks again every `mail.poll_ms`.
pub fn spawn(state: Delivery) -> Worker {
    let poll = StdDuration::from_millis(state.settings.mail.poll_ms.max(10));
    spawn_polling("mail", poll, move || {
        let batch = state.clone();
        async move {
            match actix_web::web::block(move || dispatch_pending(&batch)).await {
                Ok(Ok(n)) => n,
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "the mail worker could not run");
                    0
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the mail worker's thread failed");
                    0
                }
            }
        }
    })
}
