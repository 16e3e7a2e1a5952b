//! The signed-in person of a page: the session cookie holds the bearer token that
//! `app::auth::login` issued (random, 256 bits, kept server-side only as a hash),
//! resolved on every request with `http::api::extract::authenticate`. Forms carry a CSRF
//! token, an HMAC keyed with the session token, so it needs no server secret and every
//! instance behind a load balancer checks it alike.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub use super::language::{requested_language, LANG_COOKIE};
use super::WebError;
use crate::app::AppState;
use crate::domain::{Actor, Language};
use crate::http::api::extract::authenticate;
use crate::store::rows::UserRow;

pub const SESSION_COOKIE: &str = "stegvis_session";
/// Before log-in: the key of the log-in form's CSRF token.
pub const PRE_COOKIE: &str = "stegvis_pre";
pub const FLASH_COOKIE: &str = "stegvis_flash";

/// The CSRF token of forms shown to the holder of `secret`.
#[expect(clippy::expect_used, reason = "HMAC-SHA256 takes a key of any length")]
pub fn csrf_token(secret: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(b"stegvis-web-csrf-v1");
    hex::encode(mac.finalize().into_bytes())
}

/// True when `sent` is the CSRF token for `secret`, compared in constant time.
#[expect(clippy::expect_used, reason = "HMAC-SHA256 takes a key of any length")]
pub fn csrf_ok(secret: &str, sent: &str) -> bool {
    let Ok(sent) = hex::decode(sent) else {
        return false;
    };
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(b"stegvis-web-csrf-v1");
    mac.verify_slice(&sent).is_ok()
}

/// True when cookies must be `Secure` (the deployment is served over https).
pub fn secure(state: &AppState) -> bool {
    state.settings.server.public_url.starts_with("https://")
}

/// A cookie as every page sets them: HttpOnly, SameSite=Lax, path /, Secure over https.
pub fn cookie(
    state: &AppState,
    name: &'static str,
    value: String,
    max_age: Option<i64>,
) -> Cookie<'static> {
    let mut c = Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure(state))
        .finish();
    if let Some(seconds) = max_age {
        c.set_max_age(CookieDuration::seconds(seconds));
    }
    c
}

/// A cookie that removes `name`.
pub fn removal(state: &AppState, name: &'static str) -> Cookie<'static> {
    cookie(state, name, String::new(), Some(0))
}

/// The signed-in person, their language, and the CSRF token of their forms.
pub struct Viewer {
    pub actor: Actor,
    pub user: UserRow,
    pub lang: Language,
    pub csrf: String,
    /// A message left by the previous POST (Post/Redirect/Get).
    pub flash: Option<String>,
    /// The path of the page, for the language switch and the log-in's return.
    pub path: String,
}

impl Viewer {
    /// Refuses a form whose CSRF token is not this session's.
    pub fn check(&self, form: &super::forms::FormData) -> Result<(), WebError> {
        if csrf_ok_for(&self.csrf, form.get("csrf").unwrap_or("")) {
            Ok(())
        } else {
            Err(WebError::csrf(self.lang))
        }
    }
}

fn csrf_ok_for(expected: &str, sent: &str) -> bool {
    expected.len() == sent.len()
        && expected
            .bytes()
            .zip(sent.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

impl FromRequest for Viewer {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
        let flash = req.cookie(FLASH_COOKIE).map(|c| c.value().to_string());
        let requested = requested_language(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let path = req.path().to_string();
        let next = match req.query_string() {
            "" => path.clone(),
            q => format!("{path}?{q}"),
        };
        Box::pin(async move {
            let login = || WebError::Login { next: next.clone() };
            let token = token
                .filter(|t| !t.is_empty() && t.len() <= 256)
                .ok_or_else(login)?;
            let state = state.ok_or_else(|| WebError::internal("no application state"))?;
            let secret = token.clone();
            let (actor, user) = authenticate(state, token).await.map_err(|_| login())?;
            let lang = requested.or(Some(user.language)).unwrap_or_default();
            Ok(Viewer {
                actor,
                user,
                lang,
                csrf: csrf_token(&secret),
                flash: flash.filter(|f| !f.is_empty() && f.len() < 64),
                path,
            })
        })
    }
}
