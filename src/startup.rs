//! Building and running the HTTP server: `Application::build` binds (port 0 picks a
//! free port, as the tests do), migrates and wires the routes.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, App, HttpServer};

use crate::app::error::AppError;
use crate::app::{to_db, AppState};
use crate::certificate::keys::KeyRing;
use crate::certificate::CertificateKit;
use crate::clock::Clock;
use crate::config::Settings;
use crate::http::api;
use crate::store::{programmes, Store};

/// A bound, migrated server, ready to run.
pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

impl Application {
    /// Opens the database, applies migrations, makes sure the default programme
    /// exists, and binds `server.bind`.
    pub async fn build(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Application> {
        let state = prepare(settings, clock)?;
        let listener = TcpListener::bind(&state.settings.server.bind)?;
        let port = listener.local_addr()?.port();
        let workers = match state.settings.server.workers {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        };
        let data = web::Data::new(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .wrap(from_fn(crate::http::nul::refuse_nul))
                .wrap(from_fn(crate::http::security_headers::security_headers))
                .wrap(from_fn(access_log))
                .configure(api::configure)
                .configure(crate::http::web::configure)
                .default_service(web::to(api::not_found))
        })
        .workers(workers)
        .listen(listener)?
        .run();
        Ok(Application {
            port,
            server,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state, for the background jobs that run beside the server.
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Serves until the process is asked to stop; in-flight requests finish first.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Opens and migrates the database and returns the state every part of Stegvis shares.
pub fn prepare(settings: Settings, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
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
    let certificates = Arc::new(CertificateKit {
        keys,
        issuer: settings.certificate.issuer.clone(),
        public_url: settings.server.public_url.clone(),
    });
    Ok(AppState {
        store,
        clock,
        mailer: Arc::new(crate::notify::Mailer::new(settings.mail.clone())),
        settings: Arc::new(settings),
        certificates,
        verify_misses: Arc::default(),
    })
}

/// One line per request: method, route pattern (ids left out), status, time.
async fn access_log(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req.match_pattern().unwrap_or_else(|| "(unmatched)".into());
    let response = next.call(req).await?;
    tracing::debug!(
        %method,
        route,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    Ok(response)
}
