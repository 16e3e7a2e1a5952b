//! The HTTP surface: the REST API (`api`), the server-rendered pages (`web`), the
//! public verification page (`verify`) and the one mapping of errors to answers
//! (`problem`). Handlers turn requests into `app`'s typed inputs and call one use case.

pub mod api;
pub mod problem;
pub mod verify;
pub mod web;
