//! The webhook worker: claims due deliveries with the outbox's lease, posts each to
//! its endpoint signed per Standard Webhooks, and records the outcome. A failure is
//! retried on the schedule the Standard Webhooks guide recommends (5 s, 5 min,
//! 30 min, 2 h, 5 h, 10 h, 10 h), then the delivery is dead until an admin retries it.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};

use super::super::worker::{spawn_polling, Worker};
use super::super::NotifyError;
use super::{sign, target};
use crate::clock::Clock;
use crate::config::Settings;
use crate::store::rows::{WebhookDeliveryRow, WebhookEndpointRow};
use crate::store::webhooks::{self, Attempt};
use crate::store::{ids, outbox, to_db, Store};

/// The waits after the first, second … failed attempt.
pub const SCHEDULE_SECS: [i64; 7] = [5, 300, 1800, 7200, 18000, 36000, 36000];

/// What sending webhooks needs: the store, the settings, the clock.
#[derive(Clone)]
pub struct WebhookDelivery {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub clock: Arc<dyn Clock>,
}

/// The wait after `attempts` failed attempts.
pub fn backoff(attempts: u32) -> Duration {
    let at = (attempts.max(1) as usize - 1).min(SCHEDULE_SECS.len() - 1);
    Duration::seconds(SCHEDULE_SECS[at])
}

/// The attempts a delivery gets: the setting, within 1 and the schedule's length + 1.
fn max_attempts(settings: &Settings) -> u32 {
    settings
        .webhooks
        .max_attempts
        .clamp(1, SCHEDULE_SECS.len() as u32 + 1)
}

/// What became of one attempt.
struct Outcome {
    delivered: bool,
    error: Option<String>,
    status: Option<i32>,
}

/// Sends the due deliveries of one batch; the number it claimed (0: nothing due).
pub async fn dispatch_pending(state: &WebhookDelivery) -> Result<usize, NotifyError> {
    let settings = &state.settings.webhooks;
    let now = state.clock.now();
    let token = ids::random_hex(16);
    let lease = Duration::seconds(settings.lease_secs as i64);
    let limit = i64::from(settings.batch_size.max(1));
    let store = state.store.clone();
    let claim_token = token.clone();
    let rows = blocking(move || {
        store.write(|conn| {
            webhooks::claim(conn, &claim_token, to_db(now), to_db(now + lease), limit)
                .map_err(NotifyError::from)
        })
    })
    .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut connector = awc::Connector::new();
    if let Some(tls) = tls() {
        connector = connector.rustls_0_23(tls);
    }
    let client = awc::Client::builder()
        .connector(connector)
        .disable_redirects()
        .timeout(StdDuration::from_secs(settings.timeout_secs.max(1)))
        .finish();
    let sends = rows
        .iter()
        .map(|(delivery, endpoint)| send_one(state, &client, delivery, endpoint, now));
    let outcomes = futures_util::future::join_all(sends).await;
    let done = state.clock.now();
    let most = max_attempts(&state.settings);
    let records: Vec<(String, &'static str, Outcome, DateTime<Utc>)> = rows
        .iter()
        .zip(outcomes)
        .map(|((delivery, endpoint), outcome)| {
            let attempts = delivery.attempts.max(0) as u32 + 1;
            let next = done + backoff(attempts);
            let status = if outcome.delivered {
                outbox::SENT
            } else if attempts >= most {
                tracing::error!(id = %delivery.id, endpoint = %endpoint.id, attempts,
                    error = ?outcome.error, "webhook delivery failed for the last time; it is dead");
                outbox::DEAD
            } else {
                tracing::warn!(id = %delivery.id, endpoint = %endpoint.id, attempts,
                    error = ?outcome.error, retry_at = %next.to_rfc3339(),
                    "webhook delivery failed; it will be retried");
                outbox::PENDING
            };
            (delivery.id.clone(), status, outcome, next)
        })
        .collect();
    let store = state.store.clone();
    let claimed = rows.len();
    blocking(move || {
        store.write(|conn| {
            let mut recorded = 0;
            for (id, status, outcome, next) in &records {
                let attempt = Attempt {
                    status,
                    next_attempt_at: to_db(*next),
                    at: to_db(done),
                    error: outcome.error.as_deref(),
                    response_status: outcome.status,
                };
                recorded += webhooks::record(conn, id, &token, &attempt)?;
            }
            if recorded < records.len() {
                tracing::warn!(
                    lost = records.len() - recorded,
                    "leases ran out before the outcome of some webhook deliveries was recorded"
                );
            }
            Ok::<_, NotifyError>(())
        })
    })
    .await?;
    Ok(claimed)
}

/// Drains everything due now, batch after batch; the number of deliveries handled.
pub async fn dispatch_all_pending(state: &WebhookDelivery) -> Result<usize, NotifyError> {
    let mut total = 0;
    loop {
        match dispatch_pending(state).await? {
            0 => return Ok(total),
            n => total += n,
        }
    }
}

/// The TLS configuration of https endpoints: the webpki roots, rustls with ring.
/// `None` only if ring lacked the default protocol versions (it does not); https
/// endpoints would then fail to connect and be retried.
pub(crate) fn tls() -> Option<Arc<rustls::ClientConfig>> {
    static CONFIG: std::sync::OnceLock<Option<Arc<rustls::ClientConfig>>> =
        std::sync::OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let mut config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .ok()?
                .with_root_certificates(roots)
                .with_no_client_auth();
            config.alpn_protocols = vec![b"http/1.1".to_vec()];
            Some(Arc::new(config))
        })
        .clone()
}

/// Posts one delivery, signed with its endpoint's secret.
async fn send_one(
    state: &WebhookDelivery,
    client: &awc::Client,
    delivery: &WebhookDeliveryRow,
    endpoint: &WebhookEndpointRow,
    now: DateTime<Utc>,
) -> Outcome {
    let failed = |error: String, status: Option<i32>| Outcome {
        delivered: false,
        error: Some(error),
        status,
    };
    let settings = state.settings.clone();
    let url = endpoint.url.clone();
    // Checked again (resolving blocks, so on the blocking pool): the name may point
    // elsewhere since the endpoint was registered.
    match blocking(move || Ok(target::check(&url, &settings))).await {
        Ok(Ok(())) => {}
        Ok(Err(refused)) => return failed(format!("the URL {}", refused.message), None),
        Err(e) => return failed(e.to_string(), None),
    }
    let Some(key) = sign::key_of(&endpoint.secret) else {
        return failed("the endpoint's secret is unreadable".into(), None);
    };
    let timestamp = now.timestamp();
    let signature = sign::signature(&key, &delivery.id, timestamp, &delivery.payload);
    let sent = client
        .post(&endpoint.url)
        .insert_header(("content-type", "application/json"))
        .insert_header(("webhook-id", delivery.id.as_str()))
        .insert_header(("webhook-timestamp", timestamp.to_string()))
        .insert_header(("webhook-signature", signature))
        .send_body(delivery.payload.clone())
        .await;
    match sent {
        Ok(response) if response.status().is_success() => Outcome {
            delivered: true,
            error: None,
            status: Some(i32::from(response.status().as_u16())),
        },
        Ok(response) => {
            let code = response.status().as_u16();
            failed(
                format!("the endpoint answered {code}"),
                Some(i32::from(code)),
            )
        }
        Err(e) => failed(format!("the endpoint could not be reached: {e}"), None),
    }
}

/// Runs `work` on the blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, NotifyError> + Send + 'static,
) -> Result<T, NotifyError> {
    actix_web::web::block(work)
        .await
        .map_err(|e| NotifyError::Transport(format!("the webhook worker's thread failed: {e}")))?
}

/// Starts the worker: it drains due deliveries, then looks again every `poll_ms`.
pub fn spawn(state: WebhookDelivery) -> Worker {
    let poll = StdDuration::from_millis(state.settings.webhooks.poll_ms.max(10));
    spawn_polling("webhook", poll, move || {
        let batch = state.clone();
        async move {
            dispatch_pending(&batch).await.unwrap_or_else(|e| {
                tracing::warn!(error = %e, "the webhook worker could not run");
                0
            })
        }
    })
}
