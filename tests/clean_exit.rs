//! Clean exits: `stegvis verify-log` and `stegvis jobs run` exit 0 every time, on the
//! test backend (PostgreSQL with `STEGVIS_TEST_BACKEND=postgres`, where a process
//! once crashed in exit() after its work was done).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that cannot go on should stop loudly"
)]

#[path = "common/database.rs"]
mod database;

use std::path::Path;
use std::process::Command;

/// A short random hex string, for unique names.
pub fn random_hex() -> String {
    format!("{:016x}", rand::random::<u64>())
}

const RUNS: usize = 50;

fn stegvis(dir: &Path, url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stegvis"))
        .args(args)
        .env("STEGVIS__DATABASE__URL", url)
        .env("STEGVIS__DATABASE__POOL_SIZE", "4")
        .env("STEGVIS__DATA_DIR", dir.join("data"))
        .env("STEGVIS__MAIL__FILE_DIR", dir.join("mail"))
        .env("STEGVIS_LOG", "warn")
        .output()
        .expect("stegvis runs")
}

#[test]
fn openssl_loaded_by_libpq_is_kept_from_cleaning_up_in_exit() {
    // The guard is not a silent no-op where libpq (and so OpenSSL) is linked, as here.
    assert!(stegvis::store::exit::keep_openssl_cleanup_out_of_exit());
}

#[test]
fn verify_log_and_jobs_run_exit_zero_fifty_times_each() {
    let dir = std::env::temp_dir().join(format!("stegvis-exit-{}", random_hex()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let mut database = database::TestDatabase::create(&dir);
    let migrated = stegvis(&dir, &database.url, &["migrate"]);
    assert!(migrated.status.success(), "migrate: {migrated:?}");
    let mut failures = Vec::new();
    for run in 0..RUNS {
        for args in [&["verify-log"][..], &["jobs", "run"][..]] {
            let out = stegvis(&dir, &database.url, args);
            if out.status.code() != Some(0) {
                failures.push(format!(
                    "run {run} {args:?}: {:?}\n{}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    database.drop_best_effort();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "{} of {} runs did not exit 0:\n{}",
        failures.len(),
        2 * RUNS,
        failures.join("\n")
    );
}

#[test]
fn serve_exits_zero_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("stegvis-exit-{}", random_hex()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let mut database = database::TestDatabase::create(&dir);
    let mut codes = Vec::new();
    for _ in 0..3 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_stegvis"))
            .arg("serve")
            .env("STEGVIS__DATABASE__URL", &database.url)
            .env("STEGVIS__DATABASE__POOL_SIZE", "4")
            .env("STEGVIS__SERVER__BIND", format!("127.0.0.1:{port}"))
            .env("STEGVIS__SERVER__WORKERS", "2")
            .env("STEGVIS__DATA_DIR", dir.join("data"))
            .env("STEGVIS__MAIL__FILE_DIR", dir.join("mail"))
            .env("STEGVIS_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("stegvis serve starts");
        // Wait until it answers a request (it migrates first).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut answered = false;
        while std::time::Instant::now() < deadline {
            if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                use std::io::{Read, Write};
                let _ = stream.write_all(b"GET /readyz HTTP/1.0\r\n\r\n");
                let mut answer = String::new();
                let _ = stream.read_to_string(&mut answer);
                if answer.starts_with("HTTP/1.") {
                    answered = true;
                    break;
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        assert!(answered, "stegvis serve answered on port {port}");
        // SAFETY: sends SIGTERM to the child this test started.
        let sent = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
        assert_eq!(sent, 0, "SIGTERM was sent");
        codes.push(child.wait().expect("serve ends").code());
    }
    database.drop_best_effort();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(codes, vec![Some(0); 3], "serve exits 0 on SIGTERM");
}
