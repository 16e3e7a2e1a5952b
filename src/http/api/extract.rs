//! Turning a request into trusted values: the JSON body (256 KiB at most, unknown fields
//! refused, every invalid field named), the authenticated actor, paging and If-Match.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{self, BytesMut};
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::app::cases::Precondition;
use crate::app::error::AppError;
use crate::app::validation::checked;
use crate::app::{auth, AppState, PageRequest};
use crate::domain::{Actor, FieldCode, FieldError};
use crate::http::api::respond::read;
use crate::store::rows::UserRow;

/// The largest request body accepted.
// Room for the longest text field (10,000 characters) written the way many JSON
// encoders write non-ASCII text, as `\uXXXX` escapes: an emoji is 12 bytes then.
pub const BODY_LIMIT: usize = 256 * 1024;

/// A JSON request body, parsed and validated.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for JsonBody<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|len| len > BODY_LIMIT) {
                return Err(AppError::PayloadTooLarge);
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk =
                    chunk.map_err(|e| AppError::Malformed(format!("unreadable body: {e}")))?;
                if body.len() + chunk.len() > BODY_LIMIT {
                    return Err(AppError::PayloadTooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(JsonBody)
        })
    }
}

/// Parses and validates `bytes` as `T`: 400 when it is not JSON, 422 naming the field
/// when it is JSON of the wrong shape or out of range.
pub fn parse_json<T: DeserializeOwned + Validate>(bytes: &[u8]) -> Result<T, AppError> {
    // Every body is an object; serde would otherwise read a struct from an array too.
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => return Err(AppError::Malformed("the body is empty".into())),
        Some(b'{') => {}
        Some(_) if serde_json::from_slice::<serde_json::Value>(bytes).is_err() => {
            return Err(AppError::Malformed("the body is not JSON".into()))
        }
        Some(_) => return Err(AppError::invalid("body", "must be a JSON object")),
    }
    if let Some(field) = field_with_nul(bytes) {
        return Err(AppError::Invalid(vec![FieldError::coded(
            field,
            FieldCode::ControlCharacters,
            "must not contain control characters such as tabs or line breaks",
        )]));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = match serde_path_to_error::deserialize(&mut de) {
        Ok(value) => value,
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            return Err(match inner.classify() {
                serde_json::error::Category::Data => {
                    AppError::Invalid(vec![field_error(&path, &inner)])
                }
                _ => AppError::Malformed(inner.to_string()),
            });
        }
    };
    de.end().map_err(|e| AppError::Malformed(e.to_string()))?;
    checked(value)
}

/// The path of the first string (or key) in the body that holds a NUL character, which
/// no text Stegvis keeps may contain (PostgreSQL refuses it). Only a body that spells
/// `\u0000` is parsed twice.
fn field_with_nul(bytes: &[u8]) -> Option<String> {
    let spelled = bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"));
    if !spelled {
        return None;
    }
    fn find(value: &serde_json::Value, path: String) -> Option<String> {
        match value {
            serde_json::Value::String(s) if s.contains('\0') => Some(path),
            serde_json::Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, v)| find(v, format!("{path}[{i}]"))),
            serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
                let at = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if k.contains('\0') {
                    Some(at)
                } else {
                    find(v, at)
                }
            }),
            _ => None,
        }
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    find(&value, String::new()).map(|p| if p.is_empty() { "body".into() } else { p })
}

/// The field a serde data error is about: its path, or the name it quotes.
fn field_error(path: &str, err: &serde_json::Error) -> FieldError {
    let message = err.to_string();
    let quoted = message.split('`').nth(1).map(str::to_string);
    // serde_path_to_error's path already ends in an unknown field's name; a missing
    // field's path is its parent.
    let field = match (path, quoted) {
        (".", Some(name))
            if message.starts_with("unknown field") || message.starts_with("missing field") =>
        {
            name
        }
        (parent, Some(name)) if message.starts_with("missing field") => format!("{parent}.{name}"),
        (".", _) => "body".to_string(),
        (p, _) => p.to_string(),
    };
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    // A word outside the allowed ones is a choice error, as on the pages.
    if message.starts_with("unknown variant") {
        return FieldError::coded(field, FieldCode::Choice, message);
    }
    FieldError::new(field, message)
}

/// The user behind the request's bearer token.
pub struct Authenticated(pub Actor);

impl FromRequest for Authenticated {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let cached = req.extensions().get::<Actor>().cloned();
        let token = bearer_token(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            if let Some(actor) = cached {
                return Ok(Authenticated(actor));
            }
            let token =
                token.ok_or(AppError::Unauthorized("send Authorization: Bearer <token>"))?;
            let state = state.ok_or_else(|| AppError::Internal("no application state".into()))?;
            let (actor, _) = authenticate(state, token).await?;
            Ok(Authenticated(actor))
        })
    }
}

/// The user behind `token`, read as a short read ([`read`]).
pub async fn authenticate(
    state: web::Data<AppState>,
    token: String,
) -> Result<(Actor, UserRow), AppError> {
    read(&state, move |conn, state| {
        auth::authenticate_on(conn, state, &token)
    })
    .await
}

/// The bearer token of the request, if it sends one.
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && token.len() <= 256)
        .then(|| token.to_string())
}

/// The query string as name/value pairs.
pub struct QueryPairs(pub Vec<(String, String)>);

impl QueryPairs {
    pub fn from_request(req: &HttpRequest) -> Result<QueryPairs, AppError> {
        web::Query::<Vec<(String, String)>>::from_query(req.query_string())
            .map(|q| QueryPairs(q.into_inner()))
            .map_err(|_| AppError::invalid("query", "the query string is not valid"))
    }

    /// The last value given for `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `?limit=` (1..200, default 50) and `?cursor=`.
    pub fn page(&self) -> Result<PageRequest, AppError> {
        let limit = match self.get("limit") {
            None => 50,
            Some(raw) => match raw.parse::<i64>() {
                Ok(n) if (1..=200).contains(&n) => n,
                _ => {
                    return Err(AppError::invalid(
                        "limit",
                        "must be a whole number from 1 to 200",
                    ))
                }
            },
        };
        let cursor = match self.get("cursor") {
            None | Some("") => None,
            Some(c) if c.len() <= 64 && c.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                Some(c.to_string())
            }
            Some(_) => {
                return Err(AppError::invalid(
                    "cursor",
                    "is not a cursor this server gave out",
                ))
            }
        };
        Ok(PageRequest { limit, cursor })
    }

    /// An optional value that must parse with `parse`, naming `name` when it does not.
    pub fn parsed<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Option<T>,
        expected: &str,
    ) -> Result<Option<T>, AppError> {
        match self.get(name) {
            None => Ok(None),
            Some(raw) => parse(raw)
                .map(Some)
                .ok_or_else(|| AppError::invalid(name, format!("must be {expected}"))),
        }
    }
}

/// What `If-Match` asks for.
pub fn precondition(req: &HttpRequest) -> Precondition {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Precondition::None;
    };
    let Ok(value) = value.to_str() else {
        return Precondition::Unmatchable("(not text)".into());
    };
    let first = value.split(',').next().unwrap_or("").trim();
    if first == "*" {
        return Precondition::Any;
    }
    let tag = first.strip_prefix("W/").unwrap_or(first);
    match tag
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|t| t.parse::<i64>().ok())
    {
        Some(version) => Precondition::Version(version),
        None => Precondition::Unmatchable(first.chars().take(40).collect()),
    }
}
