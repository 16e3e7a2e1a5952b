//! Latency histograms (HDR, microseconds) per request kind, errors by status, and the
//! counters the progress line reads.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use hdrhistogram::Histogram;

/// Request kinds that are workflow transitions (`POST /cases/{id}/transitions`).
pub const TRANSITIONS: &[&str] = &["advance", "request_audit", "approve", "pause", "resume"];

/// Counters shared by every load thread, for the progress line.
#[derive(Default)]
pub struct Progress {
    pub requests: AtomicU64,
    pub errors: AtomicU64,
    pub transitions: AtomicU64,
}

/// One thread's measurements; merged at the end.
pub struct Stats {
    inner: RefCell<Inner>,
    progress: Arc<Progress>,
}

#[derive(Default)]
pub struct Inner {
    pub by_label: BTreeMap<&'static str, Histogram<u64>>,
    /// (label, status) → count, for answers that were not 2xx (status 0: no answer).
    pub errors: BTreeMap<(&'static str, u16), u64>,
}

#[expect(
    clippy::expect_used,
    reason = "constant bounds that hdrhistogram accepts"
)]
fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid histogram bounds")
}

impl Stats {
    pub fn new(progress: Arc<Progress>) -> Stats {
        Stats {
            inner: RefCell::default(),
            progress,
        }
    }

    pub fn record(&self, label: &'static str, status: u16, elapsed: Duration) {
        let micros = (elapsed.as_micros() as u64).clamp(1, 60_000_000);
        let mut inner = self.inner.borrow_mut();
        let h = inner.by_label.entry(label).or_insert_with(histogram);
        let _ = h.record(micros);
        self.progress.requests.fetch_add(1, Ordering::Relaxed);
        if TRANSITIONS.contains(&label) {
            self.progress.transitions.fetch_add(1, Ordering::Relaxed);
        }
        if !(200..300).contains(&status) {
            *inner.errors.entry((label, status)).or_insert(0) += 1;
            self.progress.errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn into_inner(self) -> Inner {
        self.inner.into_inner()
    }
}

impl Inner {
    pub fn merge(&mut self, other: Inner) {
        for (label, h) in other.by_label {
            let _ = self.by_label.entry(label).or_insert_with(histogram).add(&h);
        }
        for (key, n) in other.errors {
            *self.errors.entry(key).or_insert(0) += n;
        }
    }

    /// The union of the histograms whose label `keep` accepts.
    pub fn combined(&self, keep: impl Fn(&str) -> bool) -> Histogram<u64> {
        let mut all = histogram();
        for (label, h) in &self.by_label {
            if keep(label) {
                let _ = all.add(h);
            }
        }
        all
    }

    /// The report: one line per group and per request kind.
    pub fn report(&self, elapsed: Duration) -> String {
        let secs = elapsed.as_secs_f64().max(1e-9);
        let mut out = format!(
            "{:<16} {:>9} {:>10} {:>8} {:>8} {:>8} {:>8}\n",
            "requests", "count", "per s", "p50 ms", "p90 ms", "p99 ms", "max ms"
        );
        let mut line = |name: &str, h: &Histogram<u64>| {
            if h.is_empty() {
                return;
            }
            let ms = |q: f64| h.value_at_quantile(q) as f64 / 1000.0;
            out.push_str(&format!(
                "{:<16} {:>9} {:>10.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2}\n",
                name,
                h.len(),
                h.len() as f64 / secs,
                ms(0.5),
                ms(0.9),
                ms(0.99),
                h.max() as f64 / 1000.0
            ));
        };
        line("TRANSITIONS", &self.combined(|l| TRANSITIONS.contains(&l)));
        line("ALL (mix)", &self.combined(|_| true));
        for (label, h) in &self.by_label {
            line(&format!("  {label}"), h);
        }
        if self.errors.is_empty() {
            out.push_str("errors: none\n");
        } else {
            out.push_str("errors (kind, status: count; status 0 = no answer):\n");
            for ((label, status), n) in &self.errors {
                out.push_str(&format!("  {label} {status}: {n}\n"));
            }
        }
        out
    }
}
