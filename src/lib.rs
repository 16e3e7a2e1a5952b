//! Stegvis: a certification workflow engine for inclusion programmes.
//!
//! `domain` is the pure workflow; `store` the database; `service` the use cases;
//! `api` the HTTP surface; `startup` wires them into a server.

pub mod api;
pub mod bootstrap;
pub mod certificate;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod jobs;
pub mod notify;
pub mod scale;
pub mod service;
pub mod startup;
pub mod store;
pub mod web;
