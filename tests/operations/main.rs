//! Operating Stegvis as a process: the log a whole run writes (no personal data, a
//! request id per request), and backup and restore of a live SQLite database. These
//! tests start the real `stegvis` binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that cannot go on should stop loudly"
)]

#[path = "../common/database.rs"]
mod database;

mod backup;
mod logs;
mod process;

/// A short random hex string, for unique names.
pub fn random_hex() -> String {
    format!("{:016x}", rand::random::<u64>())
}
