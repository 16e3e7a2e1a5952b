//! The workshop-request pages.
