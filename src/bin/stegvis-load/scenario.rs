//! What the clients do: the set-up (users, organisations, units), a case's whole path,
//! the pause/resume transition loop, and verification look-ups.

use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use awc::http::Method;
use chrono::{Duration, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::http::{Answer, Http, Opts};
use crate::stats::Stats;

const ROUTINE_AREAS: [&str; 4] = ["apt", "work_environment", "quality", "equality_plan"];
const WORKSHOPS: usize = 4;
const HEADCOUNT: i64 = 10;

/// Everything the clients share once the set-up is done.
pub struct World {
    pub consultant_token: String,
    pub auditor_token: String,
    pub auditor_id: String,
    pub programme_id: String,
    pub units: Vec<String>,
    /// The next unit a client takes.
    pub next_unit: AtomicUsize,
    pub codes: Vec<String>,
    pub deadline: Instant,
}

/// One client: a connection pool, the thread's stats and the shared world.
pub struct Client {
    pub http: Rc<Http>,
    pub stats: Rc<Stats>,
    pub world: Arc<World>,
}

#[derive(Deserialize)]
struct Id {
    id: String,
}

#[derive(Deserialize)]
struct Token {
    token: String,
}

fn expect(answer: &Answer, what: &str) -> anyhow::Result<()> {
    if answer.ok() {
        return Ok(());
    }
    bail!(
        "{what}: status {}: {}",
        answer.status,
        String::from_utf8_lossy(&answer.body[..answer.body.len().min(400)])
    )
}

/// Logs in once (argon2 is deliberately slow) and returns the token.
pub async fn login(
    http: &Http,
    stats: &Stats,
    email: &str,
    password: &str,
) -> anyhow::Result<String> {
    let body = json!({"email": email, "password": password});
    let a = http
        .send(
            stats,
            "login",
            Method::POST,
            "/api/v1/auth/token",
            Opts::default(),
            Some(&body),
        )
        .await;
    expect(&a, &format!("logging in as {email}"))?;
    Ok(a.json::<Token>()?.token)
}

/// Creates a staff user as the admin and returns its id.
pub async fn create_user(
    http: &Http,
    stats: &Stats,
    admin: &str,
    email: &str,
    role: &str,
    password: &str,
) -> anyhow::Result<String> {
    let body =
        json!({"email": email, "name": format!("Load {role}"), "role": role, "password": password});
    let opts = Opts {
        token: Some(admin),
        ..Opts::default()
    };
    let a = http
        .send(
            stats,
            "user",
            Method::POST,
            "/api/v1/users",
            opts,
            Some(&body),
        )
        .await;
    expect(&a, &format!("creating {email}"))?;
    Ok(a.json::<Id>()?.id)
}

/// The id of the built-in programme `inclusion-standard`.
pub async fn programme_id(http: &Http, stats: &Stats, token: &str) -> anyhow::Result<String> {
    let opts = Opts {
        token: Some(token),
        ..Opts::default()
    };
    let a = http
        .send::<Value>(
            stats,
            "programmes",
            Method::GET,
            "/api/v1/programmes?limit=200",
            opts,
            None,
        )
        .await;
    expect(&a, "listing programmes")?;
    let page: Value = a.json()?;
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["key"] == "inclusion-standard" && p["version"] == 1)
        .and_then(|p| p["id"].as_str())
        .map(String::from)
        .context("the programme inclusion-standard v1 is missing")
}

pub async fn create_organisation(
    http: &Http,
    stats: &Stats,
    admin: &str,
    name: &str,
) -> anyhow::Result<String> {
    let opts = Opts {
        token: Some(admin),
        ..Opts::default()
    };
    let body = json!({"name": name});
    let a = http
        .send(
            stats,
            "organisation",
            Method::POST,
            "/api/v1/organisations",
            opts,
            Some(&body),
        )
        .await;
    expect(&a, "creating an organisation")?;
    Ok(a.json::<Id>()?.id)
}

pub async fn create_unit(
    http: &Http,
    stats: &Stats,
    admin: &str,
    org: &str,
    n: usize,
) -> anyhow::Result<String> {
    let opts = Opts {
        token: Some(admin),
        ..Opts::default()
    };
    let body = json!({"name": format!("Enhet {n}"), "department": "Last", "headcount": HEADCOUNT});
    let path = format!("/api/v1/organisations/{org}/units");
    let a = http
        .send(stats, "unit", Method::POST, &path, opts, Some(&body))
        .await;
    expect(&a, "creating a unit")?;
    Ok(a.json::<Id>()?.id)
}

impl Client {
    fn consultant(&self, if_match: Option<i64>) -> Opts<'_> {
        Opts {
            token: Some(&self.world.consultant_token),
            if_match,
        }
    }

    async fn post(
        &self,
        label: &'static str,
        path: &str,
        opts: Opts<'_>,
        body: Value,
    ) -> anyhow::Result<Answer> {
        let a = self
            .http
            .send(&self.stats, label, Method::POST, path, opts, Some(&body))
            .await;
        expect(&a, label)?;
        Ok(a)
    }

    async fn put(&self, label: &'static str, path: &str, body: Value) -> anyhow::Result<Answer> {
        let a = self
            .http
            .send(
                &self.stats,
                label,
                Method::PUT,
                path,
                self.consultant(None),
                Some(&body),
            )
            .await;
        expect(&a, label)?;
        Ok(a)
    }

    /// Enrols a unit; the case id and its version.
    pub async fn enrol(&self, unit: &str) -> anyhow::Result<(String, i64)> {
        let body = json!({"unit_id": unit, "programme_id": self.world.programme_id});
        let a = self
            .post("enrol", "/api/v1/cases", self.consultant(None), body)
            .await?;
        Ok((a.json::<Id>()?.id, a.etag.context("no ETag on enrolment")?))
    }

    async fn held_session(&self, case: &str, kind: &str) -> anyhow::Result<()> {
        let start = Utc::now() - Duration::days(7);
        let body = json!({"kind": kind, "title": format!("{kind} (load)"),
            "starts_at": start.to_rfc3339(), "ends_at": (start + Duration::hours(2)).to_rfc3339()});
        let a = self
            .post(
                "session",
                &format!("/api/v1/cases/{case}/sessions"),
                self.consultant(None),
                body,
            )
            .await?;
        let session = a.json::<Id>()?.id;
        let path = format!("/api/v1/cases/{case}/sessions/{session}/attendance");
        self.put("attendance", &path, json!({"attended": HEADCOUNT}))
            .await?;
        Ok(())
    }

    /// A transition with If-Match `version`; the new version from the answer's ETag.
    async fn transition(
        &self,
        label: &'static str,
        case: &str,
        version: i64,
        body: Value,
        token: &str,
    ) -> anyhow::Result<Answer> {
        let opts = Opts {
            token: Some(token),
            if_match: Some(version),
        };
        self.post(
            label,
            &format!("/api/v1/cases/{case}/transitions"),
            opts,
            body,
        )
        .await
    }

    async fn advance(&self, case: &str, version: i64) -> anyhow::Result<i64> {
        let token = &self.world.consultant_token;
        let a = self
            .transition(
                "advance",
                case,
                version,
                json!({"action": "advance"}),
                token,
            )
            .await?;
        a.etag.context("no ETag on a transition")
    }

    /// Drives one unit from enrolment to a certificate; the verification code.
    /// Versions are counted from the last ETag: each data command adds one event.
    pub async fn whole_path(&self, unit: &str) -> anyhow::Result<String> {
        let (case, mut v) = self.enrol(unit).await?;
        self.held_session(&case, "kickoff").await?;
        v = self.advance(&case, v + 2).await?;
        for _ in 0..WORKSHOPS {
            self.held_session(&case, "workshop").await?;
        }
        self.advance(&case, v + 2 * WORKSHOPS as i64).await?;
        let a = self
            .put(
                "reflections",
                &format!("/api/v1/cases/{case}/reflections"),
                json!({"completed": HEADCOUNT}),
            )
            .await?;
        v = self
            .advance(&case, a.etag.context("no ETag on reflections")?)
            .await?;
        for area in ROUTINE_AREAS {
            let body = json!({"area": area, "description": "Rutinen finns i ledningssystemet."});
            self.post(
                "evidence",
                &format!("/api/v1/cases/{case}/evidence"),
                self.consultant(None),
                body,
            )
            .await?;
        }
        v += ROUTINE_AREAS.len() as i64;
        let body = json!({"action": "request_audit", "auditor_id": self.world.auditor_id});
        let a = self
            .transition(
                "request_audit",
                &case,
                v,
                body,
                &self.world.consultant_token,
            )
            .await?;
        v = a.etag.context("no ETag on request_audit")?;
        let a = self
            .transition(
                "approve",
                &case,
                v,
                json!({"action": "approve"}),
                &self.world.auditor_token,
            )
            .await?;
        let approved: Value = a.json()?;
        approved["certificate"]["verification_code"]
            .as_str()
            .map(String::from)
            .context("no certificate after approval")
    }

    /// Takes units until they run out or time is up, driving each through the path.
    pub async fn run_paths(&self, codes: &mut Vec<String>) {
        while Instant::now() < self.world.deadline {
            let i = self.world.next_unit.fetch_add(1, Ordering::Relaxed);
            let Some(unit) = self.world.units.get(i) else {
                break;
            };
            match self.whole_path(unit).await {
                Ok(code) => codes.push(code),
                Err(e) => tracing_error(&e),
            }
        }
    }

    /// Enrols one case, then pauses and resumes it until time is up.
    pub async fn run_transitions(&self) {
        let i = self.world.next_unit.fetch_add(1, Ordering::Relaxed);
        let Some(unit) = self.world.units.get(i) else {
            return;
        };
        let Ok((case, mut v)) = self.enrol(unit).await else {
            return;
        };
        let token = self.world.consultant_token.clone();
        let mut pause = true;
        while Instant::now() < self.world.deadline {
            let (label, action) = if pause {
                ("pause", "pause")
            } else {
                ("resume", "resume")
            };
            match self
                .transition(label, &case, v, json!({"action": action}), &token)
                .await
            {
                Ok(Answer {
                    etag: Some(next), ..
                }) => {
                    v = next;
                    pause = !pause;
                }
                Ok(_) | Err(_) => return,
            }
        }
    }

    /// Lists the first organisation's cases (a page of 50), until time is up.
    pub async fn run_list(&self) {
        let opts = || Opts {
            token: Some(&self.world.consultant_token),
            ..Opts::default()
        };
        let a = self
            .http
            .send::<Value>(
                &self.stats,
                "organisations",
                Method::GET,
                "/api/v1/organisations?limit=1",
                opts(),
                None,
            )
            .await;
        let Ok(page) = a.json::<Value>() else { return };
        let Some(org) = page["items"][0]["id"].as_str() else {
            return;
        };
        let path = format!("/api/v1/cases?organisation_id={org}&limit=50");
        while Instant::now() < self.world.deadline {
            self.http
                .send::<Value>(&self.stats, "list_cases", Method::GET, &path, opts(), None)
                .await;
        }
    }

    /// Looks certificates up by code, round robin, until time is up.
    pub async fn run_verify(&self, offset: usize) {
        let codes = &self.world.codes;
        let mut i = offset;
        while Instant::now() < self.world.deadline && !codes.is_empty() {
            let path = format!("/api/v1/verify/{}", codes[i % codes.len()]);
            self.http
                .send::<Value>(
                    &self.stats,
                    "verify",
                    Method::GET,
                    &path,
                    Opts::default(),
                    None,
                )
                .await;
            i += 1;
        }
    }
}

fn tracing_error(e: &anyhow::Error) {
    static SHOWN: AtomicUsize = AtomicUsize::new(0);
    if SHOWN.fetch_add(1, Ordering::Relaxed) < 5 {
        eprintln!("\na case was abandoned: {e:#}");
    }
}
