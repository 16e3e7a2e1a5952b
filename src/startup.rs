//! Building and running the HTTP server: `Application::build` binds (port 0 picks a
//! free port, as the tests do), migrates and wires the routes.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};

use crate::app::error::AppError;
use crate::app::{to_db, AppState};
use crate::certificate::keys::KeyRing;
use crate::certificate::pdf::IssuerLogo;
use crate::certificate::CertificateKit;
use crate::clock::Clock;
use crate::config::Settings;
use crate::http::api;
use crate::store::{programmes, Store};

/// A bound, migrated server, ready to run.
pub struct Application {
    port: u16,
    server: Server,
    /// The second server of `metrics.bind`, when it is set.
    metrics: Option<(u16, Server)>,
    state: AppState,
}

/// Has glibc's malloc hand blocks of 128 KiB and more straight back to the system when
/// they are freed. By default glibc raises that threshold to the largest block freed so
/// far, so after the first password check (argon2id's 19 MiB) every later one came
/// from a thread's heap and stayed there: the sign-ins before a load run kept 78 MB
/// on four threads, two thirds of the server's peak (docs/benchmarks.md, "Memory").
/// Call it first, before other threads start; elsewhere than glibc it does nothing.
pub fn return_large_blocks_to_the_system() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only sets a parameter of the allocator; setting the
        // threshold also turns off glibc's raising of it.
        unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024) == 1 }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

impl Application {
    /// Opens the database, applies migrations, makes sure the default programme
    /// exists, and binds `server.bind`.
    pub async fn build(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Application> {
        let state = prepare(settings, clock)?;
        crate::app::metrics::install();
        let listener = TcpListener::bind(&state.settings.server.bind)?;
        let port = listener.local_addr()?.port();
        let workers = match state.settings.server.workers {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        };
        let metrics_here = state.settings.metrics.bind.is_none();
        let data = web::Data::new(state.clone());
        let server = HttpServer::new({
            let data = data.clone();
            move || {
                App::new()
                    .app_data(data.clone())
                    .wrap(from_fn(crate::http::nul::refuse_nul))
                    .wrap(from_fn(crate::http::security_headers::security_headers))
                    .wrap(from_fn(crate::http::observe::observe))
                    .configure(api::configure)
                    .configure(|cfg| {
                        if metrics_here {
                            crate::http::scrape::configure(cfg);
                        }
                    })
                    .configure(crate::http::web::configure)
                    .default_service(web::to(crate::http::web::not_found::not_found))
            }
        })
        .workers(workers)
        .listen(listener)?
        .run();
        let metrics = match &state.settings.metrics.bind {
            Some(bind) => Some(metrics_server(bind, data)?),
            None => None,
        };
        spawn_metrics_upkeep();
        Ok(Application {
            port,
            server,
            metrics,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of `metrics.bind`'s server, when there is one.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    /// The shared state, for the background jobs that run beside the server.
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Serves until the process is asked to stop; in-flight requests finish first.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        match self.metrics {
            Some((_, metrics)) => futures_util::future::try_join(self.server, metrics)
                .await
                .map(|_| ()),
            None => self.server.await,
        }
    }
}

/// Opens and migrates the database and returns the state every part of Stegvis shares.
pub fn prepare(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    let sso_problems = settings.auth.oidc_problems();
    if !sso_problems.is_empty() {
        anyhow::bail!("single sign-on configuration: {}", sso_problems.join("; "));
    }
    let store = Store::connect_with(
        &settings.database.url,
        settings.database.pool_size,
        settings.database.sqlite_synchronous,
    )?;
    store.migrate()?;
    let now = to_db(clock.now());
    store.write(|conn| programmes::ensure_default(conn, now).map_err(AppError::from))?;
    store.write(|conn| {
        programmes::write_missing_paths(conn)
            .map(|_| ())
            .map_err(AppError::from)
    })?;
    let keys = KeyRing::load_or_create(&settings.data_dir, clock.now()).map_err(|e| {
        anyhow::anyhow!(
            "signing keys in {}: {e}",
            settings.data_dir.join("keys").display()
        )
    })?;
    let logo = match &settings.certificate.issuer_logo_file {
        Some(path) => Some(
            IssuerLogo::load(path)
                .map_err(|e| anyhow::anyhow!("certificate.issuer_logo_file {e}"))?,
        ),
        None => None,
    };
    let certificates = Arc::new(CertificateKit {
        keys,
        issuer: settings.certificate.issuer.clone(),
        logo,
        public_url: settings.server.public_url.clone(),
        status_list_capacity: settings.certificate.status_list_capacity,
    });
    crate::certificate::status_backfill::backfill(&store, &certificates, clock.now())?;
    let renderer = Arc::new(crate::certificate::rendering::Renderer::start(
        store.clone(),
        certificates.clone(),
    )?);
    Ok(AppState {
        renderer,
        store,
        clock,
        mailer: Arc::new(crate::notify::Mailer::new(settings.mail.clone())),
        settings: Arc::new(settings),
        certificates,
        verify_misses: Arc::default(),
    })
}

/// The server of `metrics.bind`: `/metrics` and the health checks, nothing else.
fn metrics_server(bind: &str, data: web::Data<AppState>) -> anyhow::Result<(u16, Server)> {
    let listener =
        TcpListener::bind(bind).map_err(|e| anyhow::anyhow!("metrics.bind {bind}: {e}"))?;
    let port = listener.local_addr()?.port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .wrap(from_fn(crate::http::security_headers::security_headers))
            .configure(crate::http::scrape::configure)
            .route("/healthz", web::get().to(api::health::healthz))
            .route("/readyz", web::get().to(api::health::readyz))
            .default_service(web::to(api::not_found))
    })
    .workers(1)
    .listen(listener)?
    .run();
    Ok((port, server))
}

/// Drains the metrics recorder's buffers every few seconds, scraped or not.
fn spawn_metrics_upkeep() {
    actix_web::rt::spawn(async {
        let mut interval = actix_web::rt::time::interval(Duration::from_secs(5));
        loop {
            interval.tick().await;
            crate::app::metrics::upkeep();
        }
    });
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    #[test]
    fn glibc_takes_the_fixed_mmap_threshold() {
        assert!(super::return_large_blocks_to_the_system());
    }
}
