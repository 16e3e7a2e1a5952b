//! A clean exit with PostgreSQL. libpq uses OpenSSL, whose first initialisation
//! registers `OPENSSL_cleanup` to run in `exit()`. When the process exits while another
//! thread that used a connection (a pool worker, a blocking-pool thread) is still
//! tearing down its OpenSSL thread state, the two free the same memory: a
//! segmentation fault or `double free` after the work was done. Initialising OpenSSL
//! first ourselves with `OPENSSL_INIT_NO_ATEXIT` keeps that cleanup from running at
//! exit at all (the operating system frees the memory), so no thread can race it.

use std::io::Write;
use std::sync::OnceLock;

/// Tells OpenSSL (built into the binary with libpq: pq-sys `bundled`, openssl-sys
/// `vendored`) not to clean up in `exit()`. Must run before the first PostgreSQL
/// connection; later calls do nothing. True when OpenSSL took the option.
pub fn keep_openssl_cleanup_out_of_exit() -> bool {
    static DONE: OnceLock<bool> = OnceLock::new();
    *DONE.get_or_init(|| {
        let options =
            openssl_sys::OPENSSL_INIT_LOAD_SSL_STRINGS | openssl_sys::OPENSSL_INIT_NO_ATEXIT;
        // SAFETY: NULL settings are allowed; the options are documented flags. libpq's
        // own initialisation later finds OpenSSL initialised and keeps these options.
        let accepted = unsafe { openssl_sys::OPENSSL_init_ssl(options, std::ptr::null()) } == 1;
        if !accepted {
            tracing::warn!("OpenSSL did not accept OPENSSL_INIT_NO_ATEXIT");
        }
        accepted
    })
}

/// Ends the process with `code` once its work is done and its output flushed, without
/// running C exit handlers or library destructors. Other libraries libpq loads (Kerberos
/// for GSSAPI, seen here) tear down their state in those too, while a pool thread may
/// still be opening or closing a connection: `_exit` leaves nothing to race, and the
/// operating system closes the sockets (PostgreSQL treats them as ended sessions).
pub fn exit_now(code: i32) -> ! {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: `_exit` only ends the process; every output was flushed above and every
    // write the process acknowledged was committed by then.
    unsafe { libc::_exit(code) }
}
