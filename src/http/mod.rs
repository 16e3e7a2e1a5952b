//! The HTTP surface: the REST API (`api`), the server-rendered pages (`web`), the
//! public verification page (`verify`) and the one mapping of errors to answers
//! (`problem`), the security headers on every answer (`security_headers`), the
//! request id, access log and request metrics (`observe`) and `/metrics` (`scrape`).
//! Handlers turn requests into `app`'s typed inputs and call one use case.

pub mod api;
pub mod client_address;
pub mod nul;
pub mod observe;
pub mod problem;
pub mod public_page;
pub mod registry_page;
pub mod scrape;
pub mod security_headers;
pub mod upload;
pub mod verify;
pub mod verify_page;
pub mod web;
