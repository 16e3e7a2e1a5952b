//! The pages over plain HTTP, for tests that need no browser: a signed-in session
//! (its cookies and the CSRF token its pages carry), form posts, and a snapshot of
//! everything stored, read through the API as the admin, to show a refusal changed
//! nothing.

use std::collections::BTreeMap;
use std::time::Duration;

use awc::http::header::HeaderMap;

use crate::helpers::{TestApp, PASSWORD};

/// One page answer, redirects not followed.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    }

    /// Every `Set-Cookie` as (name, value).
    pub fn set_cookies(&self) -> Vec<(String, String)> {
        self.headers
            .get_all("set-cookie")
            .filter_map(|v| v.to_str().ok())
            .filter_map(|c| {
                let pair = c.split(';').next()?;
                let (name, value) = pair.split_once('=')?;
                Some((name.trim().to_string(), value.trim().to_string()))
            })
            .collect()
    }
}

/// The value of the first hidden `csrf` input of a page.
#[track_caller]
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("the page has a CSRF field: {html}"))
        + marker.len();
    html[at..]
        .split('"')
        .next()
        .expect("the CSRF value ends")
        .to_string()
}

/// A browser-like client of the pages: it keeps cookies and does not follow redirects.
pub struct Web {
    client: awc::Client,
    address: String,
    pub cookies: BTreeMap<String, String>,
    /// The CSRF token of this session's forms, read from a page.
    pub csrf: String,
}

impl Web {
    /// A client with no cookies yet.
    pub fn anonymous(app: &TestApp) -> Web {
        Web::at(&app.address)
    }

    /// A client of the server at `address` (`""`: every path is a whole URL).
    pub fn at(address: &str) -> Web {
        Web {
            client: awc::Client::builder()
                .disable_redirects()
                .timeout(Duration::from_secs(60))
                .finish(),
            address: address.to_string(),
            cookies: BTreeMap::new(),
            csrf: String::new(),
        }
    }

    /// Signs in through the log-in form (its own CSRF token and pre-session cookie).
    pub async fn login(app: &TestApp, email: &str) -> Web {
        let mut web = Web::anonymous(app);
        let form = web.get("/login?lang=sv").await;
        assert_eq!(form.status, 200, "the log-in page: {}", form.text);
        let csrf = csrf_of(&form.text);
        let signed_in = web
            .post_raw(
                "/login",
                &[("email", email), ("password", PASSWORD), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(
            signed_in.status, 303,
            "{email} signs in through the form: {}",
            signed_in.text
        );
        assert!(
            web.cookies.contains_key("stegvis_session"),
            "the log-in sets a session cookie: {:?}",
            signed_in.headers
        );
        let home = signed_in.header("location").expect("a redirect target");
        let page = web.get(&home).await;
        assert_eq!(page.status, 200, "{home}: {}", page.text);
        web.csrf = csrf_of(&page.text);
        web
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, method: awc::http::Method, path: &str, form: Option<String>) -> Page {
        let mut request = self
            .client
            .request(method.clone(), format!("{}{}", self.address, path));
        let cookies = self.cookie_header();
        if !cookies.is_empty() {
            request = request.insert_header(("Cookie", cookies));
        }
        let sent = match form {
            Some(body) => {
                request
                    .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
                    .send_body(body)
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
        let page = Page {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        };
        for (name, value) in page.set_cookies() {
            if value.is_empty() {
                self.cookies.remove(&name);
            } else {
                self.cookies.insert(name, value);
            }
        }
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.send(awc::http::Method::GET, path, None).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).expect("form fields encode");
        self.send(awc::http::Method::POST, path, Some(body)).await
    }

    /// Posts the fields with this session's CSRF token.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone();
        let mut all = fields.to_vec();
        all.push(("csrf", &csrf));
        self.post_raw(path, &all).await
    }
}

/// Everything stored that a page form could change, as the admin reads it through the
/// API: organisations, units, users, programmes, every case with its history, sessions,
/// evidence, findings and certificate, the dead mail, appeals and complaints, open
/// events and their registrations.
pub async fn snapshot(app: &TestApp) -> Vec<(String, String)> {
    let token = &app.admin.token;
    let mut paths: Vec<String> = [
        "/organisations?limit=200",
        "/units?limit=200",
        "/users?limit=200",
        "/programmes?limit=200",
        "/cases?limit=200",
        "/admin/mail?limit=200",
        "/webhooks?limit=200",
        "/cohorts?limit=200",
        "/appeals?limit=200",
        "/complaints?limit=200",
        "/events?limit=200",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    let hooks = app.get(token, "/webhooks?limit=200").await.should_be(200);
    paths.extend(hooks.ids().iter().map(|id| format!("/webhooks/{id}")));
    let events = app.get(token, "/events?limit=200").await.should_be(200);
    paths.extend(
        events
            .ids()
            .iter()
            .map(|id| format!("/events/{id}/registrations")),
    );
    let cases = app.get(token, "/cases?limit=200").await.should_be(200);
    for id in cases.ids() {
        for tail in [
            "",
            "/events",
            "/sessions",
            "/evidence",
            "/findings",
            "/certificate",
        ] {
            paths.push(format!("/cases/{id}{tail}"));
        }
    }
    paths.push("/workshop-requests?limit=200".into());
    let organisations = app
        .get(token, "/organisations?limit=200")
        .await
        .should_be(200);
    paths.extend(
        organisations
            .ids()
            .iter()
            .map(|id| format!("/organisations/{id}/plans")),
    );
    let mut seen = Vec::new();
    for path in paths {
        let reply = app.get(token, &path).await;
        assert!(
            reply.status.as_u16() == 200 || reply.status.as_u16() == 404,
            "the snapshot reads {path}: {} {}",
            reply.status,
            reply.text
        );
        seen.push((path, format!("{} {}", reply.status, reply.text)));
    }
    seen
}

/// Asserts two snapshots are the same, naming the first read that differs.
#[track_caller]
pub fn assert_unchanged(before: &[(String, String)], after: &[(String, String)], what: &str) {
    assert_eq!(
        before.len(),
        after.len(),
        "{what}: the number of stored things changed"
    );
    for ((path, a), (_, b)) in before.iter().zip(after) {
        assert_eq!(a, b, "{what} changed {path}");
    }
}
