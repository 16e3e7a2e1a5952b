//! What every test binary says over HTTP: one request, one parsed answer, and the
//! assertions on it. Included by each suite's helpers (`#[path]`), whose `TestApp`
//! has `address`, `client` and `clock`.

use awc::http::header::HeaderMap;
use awc::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use serde_json::Value;
use stegvis::clock::Clock;

use super::TestApp;

/// One HTTP answer, its body parsed as JSON when it is JSON.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl TestApp {
    /// What the app's clock says.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Sends one request to a path outside or (with a leading `/api/v1`) inside the API.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Reply {
        let raw = body.map(|b| (b.to_string().into_bytes(), "application/json"));
        self.call_raw(method, path, token, headers, raw).await
    }

    /// Like `call`, with a body sent byte for byte.
    pub async fn call_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<(Vec<u8>, &str)>,
    ) -> Reply {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{}", self.address, path));
        if let Some(token) = token {
            request = request.insert_header(("Authorization", format!("Bearer {token}")));
        }
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        let sent = match body {
            Some((bytes, content_type)) => {
                request
                    .insert_header(("Content-Type", content_type))
                    .send_body(bytes)
                    .await
            }
            None => request.send().await,
        };
        let mut response = sent.unwrap_or_else(|e| panic!("{method} {path} got no answer: {e}"));
        let bytes = response
            .body()
            .limit(16 * 1024 * 1024)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: the body could not be read: {e}"));
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.clone()))
        };
        Reply {
            status: response.status(),
            headers: response.headers().clone(),
            body,
            text,
        }
    }
}

impl Reply {
    /// Asserts the status, showing the body when it differs; hands the reply on.
    #[track_caller]
    pub fn should_be(self, status: u16) -> Reply {
        assert_eq!(
            self.status.as_u16(),
            status,
            "expected {status}, got {} with body {}",
            self.status,
            self.text
        );
        self
    }

    /// Asserts a problem+json answer with `status`, naming `field` when one is given.
    #[track_caller]
    pub fn should_be_problem(self, status: u16, field: Option<&str>) -> Reply {
        let reply = self.should_be(status);
        let content_type = reply.header("content-type").unwrap_or_default();
        assert!(
            content_type.starts_with("application/problem+json"),
            "a {status} answers application/problem+json, not {content_type:?}: {}",
            reply.text
        );
        assert_eq!(
            reply.body["status"], status,
            "problem.status: {}",
            reply.text
        );
        assert!(
            reply.body["title"].is_string(),
            "problem.title: {}",
            reply.text
        );
        assert!(
            reply.body["type"].is_string(),
            "problem.type: {}",
            reply.text
        );
        if let Some(field) = field {
            let fields = reply.error_fields();
            assert!(
                fields.iter().any(|f| f == field),
                "the problem names the field {field:?}, but names {fields:?}: {}",
                reply.text
            );
        }
        reply
    }

    /// The value of a header, if the answer has it.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("header is ASCII").to_string())
    }

    /// The ETag; panics when there is none.
    #[track_caller]
    pub fn etag(&self) -> String {
        self.header("etag")
            .unwrap_or_else(|| panic!("the answer has an ETag: {:?}", self.headers))
    }

    /// The `id` field of the body.
    #[track_caller]
    pub fn id(&self) -> String {
        self.body["id"]
            .as_str()
            .unwrap_or_else(|| panic!("the body has an id: {}", self.text))
            .to_string()
    }

    /// The fields named in `errors` of a problem.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The keys of the requirements in `unmet` of a problem.
    pub fn unmet_keys(&self) -> Vec<String> {
        self.body["unmet"]
            .as_array()
            .map(|unmet| {
                unmet
                    .iter()
                    .filter_map(|r| r["key"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The body as an array; panics when it is not one.
    #[track_caller]
    pub fn items(&self) -> Vec<Value> {
        let list = if self.body.is_array() {
            &self.body
        } else {
            &self.body["items"]
        };
        list.as_array()
            .unwrap_or_else(|| panic!("the body is a list: {}", self.text))
            .clone()
    }

    /// The ids of the items of a list answer.
    pub fn ids(&self) -> Vec<String> {
        self.items()
            .iter()
            .map(|item| {
                item["id"]
                    .as_str()
                    .expect("every item has an id")
                    .to_string()
            })
            .collect()
    }
}

/// The `current` stage requirement named `key` of a case body.
#[track_caller]
pub fn requirement(case: &Value, key: &str) -> Value {
    case["requirements"]
        .as_array()
        .and_then(|reqs| reqs.iter().find(|r| r["key"] == key))
        .unwrap_or_else(|| panic!("the case lists the requirement {key}: {case}"))
        .clone()
}

/// The keys of a case's requirements, in order.
pub fn requirement_keys(case: &Value) -> Vec<String> {
    case["requirements"]
        .as_array()
        .map(|reqs| {
            reqs.iter()
                .filter_map(|r| r["key"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// `"<version>"`, the ETag of a case at that version.
pub fn etag_of(version: u64) -> String {
    format!("\"{version}\"")
}
