//! The credential status lists, served to anyone: `GET /credentials/status/{list}`.

use super::AppState;
use crate::app::error::AppError;
use crate::certificate::status_list;

/// The list `id` as a signed `BitstringStatusListCredential` (compact JWS).
pub fn status_list(state: &AppState, id: &str) -> Result<String, AppError> {
    let mut conn = state.store.conn()?;
    status_list::signed(&mut conn, &state.certificates, id, state.now())?.ok_or(AppError::NotFound)
}
