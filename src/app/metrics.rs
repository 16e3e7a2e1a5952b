//! What `GET /metrics` reports, in the Prometheus text format: one process-wide
//! recorder (`metrics` + `metrics-exporter-prometheus`), the names of every family,
//! the small functions the shell calls to count, and the gauges read from the store
//! at scrape time. Labels hold route templates, command kinds, job names and
//! outcomes, never anything about a person. docs/operations.md lists the families.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::error::AppError;
use super::{from_db, AppState};
use crate::domain::Command;
use crate::store::{outbox, webhooks};

pub const HTTP_REQUESTS: &str = "stegvis_http_requests_total";
pub const HTTP_DURATION: &str = "stegvis_http_request_duration_seconds";
pub const COMMANDS: &str = "stegvis_commands_total";
pub const JOB_RUNS: &str = "stegvis_job_runs_total";
pub const JOB_DURATION: &str = "stegvis_job_duration_seconds";
pub const LOGIN_FAILURES: &str = "stegvis_login_failures_total";
pub const LOGIN_THROTTLED: &str = "stegvis_login_throttled_total";
pub const OUTBOX_ROWS: &str = "stegvis_outbox_rows";
pub const OUTBOX_OLDEST_PENDING: &str = "stegvis_outbox_oldest_pending_age_seconds";
pub const WEBHOOK_DELIVERIES: &str = "stegvis_webhook_deliveries";
pub const WRITER_QUEUE: &str = "stegvis_sqlite_writer_queue_depth";
pub const WRITER_GROUPS: &str = "stegvis_sqlite_writer_group_commits_total";
pub const WRITER_GROUPED: &str = "stegvis_sqlite_writer_group_writes_total";
pub const POOL_CONNECTIONS: &str = "stegvis_db_pool_connections";
pub const POOL_MAX: &str = "stegvis_db_pool_max_connections";
pub const BUILD_INFO: &str = "stegvis_build_info";

/// The periodic jobs, as `job` labels: the whole run and its steps.
pub const JOBS: [&str; 4] = [
    "periodic",
    "housekeeping",
    "certificate_expiry",
    "reminders",
];

/// Upper bounds of the latency buckets, in seconds.
const SECONDS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's recorder on first call (later calls share it) and answers
/// its handle; `None` when another recorder was installed first.
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &SECONDS)
                .and_then(PrometheusBuilder::install_recorder);
            match handle {
                Ok(handle) => {
                    describe();
                    Some(handle)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "metrics are not recorded");
                    None
                }
            }
        })
        .as_ref()
}

/// Help texts, build info, and the families without labels set to 0, so a first
/// scrape already shows them.
fn describe() {
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by method, route template and status"
    );
    describe_histogram!(
        HTTP_DURATION,
        metrics::Unit::Seconds,
        "Time to answer an HTTP request, by method and route template"
    );
    describe_counter!(
        COMMANDS,
        "Commands run through the pipeline, by kind and outcome"
    );
    describe_counter!(JOB_RUNS, "Periodic job runs, by job and outcome");
    describe_histogram!(
        JOB_DURATION,
        metrics::Unit::Seconds,
        "Time a periodic job took, by job"
    );
    describe_counter!(
        LOGIN_FAILURES,
        "Log-ins refused for a wrong e-mail address or password"
    );
    describe_counter!(
        LOGIN_THROTTLED,
        "Log-ins refused with 429 by the throttling"
    );
    describe_gauge!(
        OUTBOX_ROWS,
        "Outbox rows (mail) by status, read at scrape time"
    );
    describe_gauge!(
        OUTBOX_OLDEST_PENDING,
        metrics::Unit::Seconds,
        "Age of the oldest pending outbox row (0 when none), read at scrape time"
    );
    describe_gauge!(
        WEBHOOK_DELIVERIES,
        "Webhook deliveries by status (pending, sent, dead), read at scrape time"
    );
    describe_gauge!(
        WRITER_QUEUE,
        "SQLite write transactions waiting or running on the writer thread"
    );
    describe_counter!(
        WRITER_GROUPS,
        "SQLite group commits (one COMMIT and one fsync each) since start"
    );
    describe_counter!(
        WRITER_GROUPED,
        "SQLite writes run in group commits since start (divided by the commits: mean group size)"
    );
    describe_gauge!(
        POOL_CONNECTIONS,
        "Database pool connections, by state (idle, in_use)"
    );
    describe_gauge!(POOL_MAX, "The most connections the database pool opens");
    describe_gauge!(BUILD_INFO, "Always 1; the labels name the build");
    gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    counter!(LOGIN_FAILURES).absolute(0);
    counter!(LOGIN_THROTTLED).absolute(0);
    for job in JOBS {
        for outcome in ["ok", "failed"] {
            counter!(JOB_RUNS, "job" => job, "outcome" => outcome).absolute(0);
        }
    }
    counter!(JOB_RUNS, "job" => JOBS[0], "outcome" => "skipped").absolute(0);
}

/// Drains the recorder's buffers; run now and then so histograms do not grow.
pub fn upkeep() {
    if let Some(handle) = HANDLE.get().and_then(Option::as_ref) {
        handle.run_upkeep();
    }
}

/// Reads the store's gauges and renders every family in the text format.
pub fn render(state: &AppState) -> Result<String, AppError> {
    let handle = install().ok_or_else(|| AppError::Internal("no metrics recorder".into()))?;
    observe_store(state)?;
    handle.run_upkeep();
    Ok(handle.render())
}

/// The gauges that are read from the store, not counted as things happen.
fn observe_store(state: &AppState) -> Result<(), AppError> {
    let backlog = outbox_backlog(state)?;
    let sent = {
        let mut conn = state.store.conn()?;
        outbox::count(&mut conn, outbox::SENT)?
    };
    for (status, rows) in [
        (outbox::PENDING, backlog.pending),
        (outbox::SENT, sent),
        (outbox::DEAD, backlog.dead),
    ] {
        gauge!(OUTBOX_ROWS, "status" => status).set(rows as f64);
    }
    gauge!(OUTBOX_OLDEST_PENDING).set(backlog.oldest_pending_age.as_secs_f64());
    let mut conn = state.store.conn()?;
    for status in [outbox::PENDING, outbox::SENT, outbox::DEAD] {
        let deliveries = webhooks::count(&mut conn, status)?;
        gauge!(WEBHOOK_DELIVERIES, "status" => status).set(deliveries as f64);
    }
    drop(conn);
    if let Some(writer) = state.store.writer_status() {
        gauge!(WRITER_QUEUE).set(writer.depth as f64);
        counter!(WRITER_GROUPS).absolute(writer.groups);
        counter!(WRITER_GROUPED).absolute(writer.grouped);
    }
    let pool = state.store.pool_status();
    gauge!(POOL_MAX).set(f64::from(pool.max));
    gauge!(POOL_CONNECTIONS, "state" => "idle").set(f64::from(pool.idle));
    gauge!(POOL_CONNECTIONS, "state" => "in_use")
        .set(f64::from(pool.open - pool.idle.min(pool.open)));
    Ok(())
}

/// The outbox's backlog at one moment. The mails sent are not in it: they only
/// grow, and `/readyz`, which is polled every few seconds, need not count them.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutboxBacklog {
    pub pending: i64,
    pub dead: i64,
    /// How long the oldest pending row has waited (zero when none is pending).
    pub oldest_pending_age: Duration,
}

/// Counts the pending and dead outbox rows and ages the oldest pending one, as of
/// `state.now()`.
pub fn outbox_backlog(state: &AppState) -> Result<OutboxBacklog, AppError> {
    let mut conn = state.store.conn()?;
    let oldest = outbox::oldest_pending(&mut conn)?;
    let age = oldest
        .map(|queued| (state.now() - from_db(queued)).to_std().unwrap_or_default())
        .unwrap_or_default();
    Ok(OutboxBacklog {
        pending: outbox::count(&mut conn, outbox::PENDING)?,
        dead: outbox::count(&mut conn, outbox::DEAD)?,
        oldest_pending_age: age,
    })
}

/// One answered HTTP request. `method` is folded to the standard ones so a client
/// cannot invent label values; `route` is the matched template, never the path.
pub fn http_request(method: &str, route: String, status: u16, took: Duration) {
    let method = match method {
        "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method.to_owned(),
        _ => "other".to_owned(),
    };
    counter!(HTTP_REQUESTS, "method" => method.clone(), "route" => route.clone(), "status" => status.to_string())
        .increment(1);
    histogram!(HTTP_DURATION, "method" => method, "route" => route).record(took.as_secs_f64());
}

/// The `kind` label of a command: its name, or the transition's.
pub fn command_kind(command: &Command) -> &'static str {
    match command {
        Command::Enrol { .. } => "enrol",
        Command::ScheduleSession { .. } => "schedule_session",
        Command::ChangeSession { .. } => "change_session",
        Command::CancelSession { .. } => "cancel_session",
        Command::RecordAttendance { .. } => "record_attendance",
        Command::RecordMeasure { .. } => "record_measure",
        Command::AddEvidence { .. } => "add_evidence",
        Command::ResolveFinding { .. } => "resolve_finding",
        Command::CorrectAttendance { .. } => "correct_attendance",
        Command::CorrectResolution { .. } => "correct_resolution",
        Command::Transition { transition, .. } => transition.name(),
        Command::Expire => "expire",
        Command::MigrateProgramme { .. } => "migrate_programme",
        Command::RecordSurveillance { .. } => "record_surveillance",
        Command::LapseSurveillance { .. } => "lapse_surveillance",
        Command::FileAppeal { .. } => "file_appeal",
        Command::Decide { .. } => "decide",
        Command::DecideAppeal { .. } => "decide_appeal",
        Command::ReceiveComplaint { .. } => "receive_complaint",
        Command::DecideComplaint { .. } => "decide_complaint",
    }
}

/// The `outcome` label of a use case's result.
pub fn outcome_of<T>(result: &Result<T, AppError>) -> &'static str {
    match result {
        Ok(_) => "accepted",
        Err(AppError::Domain(_)) => "refused",
        Err(AppError::NotFound) => "not_found",
        Err(AppError::Forbidden(_) | AppError::Unauthorized(_)) => "forbidden",
        Err(AppError::Invalid(_) | AppError::Malformed(_) | AppError::PayloadTooLarge) => "invalid",
        Err(AppError::PreconditionRequired | AppError::PreconditionFailed { .. }) => {
            "precondition_failed"
        }
        Err(AppError::Conflict(_)) => "conflict",
        Err(AppError::TooManyRequests { .. } | AppError::MethodNotAllowed { .. }) => "rejected",
        Err(
            AppError::Store(_)
            | AppError::Notify(_)
            | AppError::Certificate(_)
            | AppError::Internal(_),
        ) => "error",
    }
}

/// One command through the pipeline; `kind` is `None` when it failed before the
/// command was built (an unknown case, say).
pub fn command<T>(kind: Option<&'static str>, result: &Result<T, AppError>) {
    counter!(COMMANDS, "kind" => kind.unwrap_or("unknown"), "outcome" => outcome_of(result))
        .increment(1);
}

/// Runs one periodic job (or the whole run), counting it and timing it.
pub fn job<T>(
    name: &'static str,
    run: impl FnOnce() -> Result<T, AppError>,
) -> Result<T, AppError> {
    let started = Instant::now();
    let result = run();
    let outcome = if result.is_ok() { "ok" } else { "failed" };
    counter!(JOB_RUNS, "job" => name, "outcome" => outcome).increment(1);
    histogram!(JOB_DURATION, "job" => name).record(started.elapsed().as_secs_f64());
    result
}

/// A run of the jobs that found another instance holding their lease.
pub fn job_skipped(name: &'static str) {
    counter!(JOB_RUNS, "job" => name, "outcome" => "skipped").increment(1);
}

/// A log-in refused: a wrong e-mail address or password, or throttled (429).
pub fn login_refused(error: &AppError) {
    match error {
        AppError::Unauthorized(_) => counter!(LOGIN_FAILURES).increment(1),
        AppError::TooManyRequests { .. } => counter!(LOGIN_THROTTLED).increment(1),
        _ => {}
    }
}
