//! Stegvis: a certification workflow engine for inclusion programmes.
//!
//! The modules, in layers; each imports only its own layer and those below it
//! (`scripts/check-layers` checks it; docs/architecture.md draws it):
//!
//! - [`startup`] builds and runs the HTTP server; [`bootstrap`] creates the first admin.
//! - [`http`]: the REST API ([`http::api`]), the pages ([`http::web`]), the public
//!   verification page ([`http::verify`]) and the one mapping of errors to answers
//!   ([`http::problem`]).
//! - [`app`]: the use cases, their typed inputs and [`app::AppState`]; the command
//!   pipeline ([`app::pipeline`]) that every change to a case goes through; the
//!   periodic jobs, the demo data and the scale fixture.
//! - [`certificate`] and [`notify`]: the pipeline's reactors (certificate issuance and
//!   status; outbox rows) and what they need (PDF, credential, keys; templates,
//!   transports, the delivery worker).
//! - [`store`]: the database, SQLite or PostgreSQL through diesel.
//! - [`config`], [`clock`] and [`glossary`]: settings; the one place the shell reads
//!   the time (and Stockholm's wall clock); every word users see, in sv and en.
//! - [`domain`]: the pure workflow — `decide`, `evolve`, requirements, policy, the hash
//!   chain — with no I/O and no clock.

pub mod app;
pub mod bootstrap;
pub mod certificate;
pub mod clock;
pub mod config;
pub mod domain;
pub mod glossary;
pub mod http;
pub mod notify;
pub mod startup;
pub mod store;
