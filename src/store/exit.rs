//! A clean exit with PostgreSQL. libpq loads OpenSSL, whose first initialisation
//! registers `OPENSSL_cleanup` to run in `exit()`. When the process exits while another
//! thread that used a connection (a pool worker, a blocking-pool thread) is still
//! tearing down its OpenSSL thread state, the two free the same memory: a
//! segmentation fault or `double free` after the work was done. Initialising OpenSSL
//! first ourselves with `OPENSSL_INIT_NO_ATEXIT` keeps that cleanup from running at
//! exit at all (the operating system frees the memory), so no thread can race it.

use std::io::Write;
use std::sync::OnceLock;

/// `OPENSSL_INIT_NO_ATEXIT` (OpenSSL 1.1.1 and 3.x, `crypto.h`).
const OPENSSL_INIT_NO_ATEXIT: u64 = 0x0008_0000;

type InitCrypto = unsafe extern "C" fn(opts: u64, settings: *const libc::c_void) -> libc::c_int;

/// OpenSSL's `OPENSSL_init_crypto`, when the process has libcrypto loaded.
fn init_crypto() -> Option<InitCrypto> {
    // SAFETY: dlsym and dlopen with RTLD_NOLOAD only look up what is already loaded;
    // the names are NUL-terminated.
    let symbol = unsafe {
        let global = libc::dlsym(libc::RTLD_DEFAULT, c"OPENSSL_init_crypto".as_ptr());
        if global.is_null() {
            ["libcrypto.so.3", "libcrypto.so.1.1"]
                .iter()
                .find_map(|name| {
                    let name = std::ffi::CString::new(*name).ok()?;
                    let handle = libc::dlopen(name.as_ptr(), libc::RTLD_NOW | libc::RTLD_NOLOAD);
                    let symbol = (!handle.is_null())
                        .then(|| libc::dlsym(handle, c"OPENSSL_init_crypto".as_ptr()))?;
                    (!symbol.is_null()).then_some(symbol)
                })
                .unwrap_or(std::ptr::null_mut())
        } else {
            global
        }
    };
    // SAFETY: the symbol is OpenSSL's `OPENSSL_init_crypto`, whose C signature
    // `int (uint64_t opts, const OPENSSL_INIT_SETTINGS *settings)` `InitCrypto` matches.
    (!symbol.is_null())
        .then(|| unsafe { std::mem::transmute::<*mut libc::c_void, InitCrypto>(symbol) })
}

/// Tells OpenSSL (when the process has it loaded, through libpq) not to clean up in
/// `exit()`. Must run before the first PostgreSQL connection; later calls do nothing.
/// True when OpenSSL is loaded and took the option.
pub fn keep_openssl_cleanup_out_of_exit() -> bool {
    static DONE: OnceLock<bool> = OnceLock::new();
    *DONE.get_or_init(|| {
        let Some(init) = init_crypto() else {
            return false;
        };
        // SAFETY: NULL settings are allowed; the options are a documented flag.
        let accepted = unsafe { init(OPENSSL_INIT_NO_ATEXIT, std::ptr::null()) } == 1;
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
