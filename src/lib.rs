//! Stegvis: a certification workflow engine for inclusion programmes.
//!
//! `domain` is the pure workflow; `store` the database; `service` the use cases;
//! `api` the HTTP surface; `startup` wires them into a server.

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
