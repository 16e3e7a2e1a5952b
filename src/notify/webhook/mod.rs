//! Webhooks: deliveries of case and certificate events to the endpoints admins
//! register. The pipeline writes them in the command's transaction ([`enqueue`]);
//! the [`worker`] sends them signed ([`sign`]) to endpoints [`target`] accepts.

pub mod enqueue;
pub mod sign;
pub mod target;
pub mod worker;

pub use enqueue::enqueue;
pub use worker::{dispatch_all_pending, dispatch_pending, WebhookDelivery};
