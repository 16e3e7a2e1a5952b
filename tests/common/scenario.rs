//! Typed conveniences: people, organisations, units, cases, and a driver that takes a
//! case along the certification path to a given stage. Each asserts success, so a
//! test's given-part fails loudly where the setup breaks.

use chrono::Duration;
use serde_json::{json, Value};

use super::{random_hex, Reply, TestApp, TestUser, PASSWORD};

/// The stages of the path, in order.
pub const STAGES: [&str; 6] = [
    "kickoff",
    "value_workshops",
    "individual_reflection",
    "routine_integration",
    "audit",
    "certified",
];

/// The routine areas of `inclusion-standard`.
pub const AREAS: [&str; 4] = ["apt", "work_environment", "quality", "equality_plan"];

/// One organisation with one unit (headcount 10) enrolled by its consultant, and the
/// auditor it will be audited by.
#[derive(Debug, Clone)]
pub struct World {
    pub organisation_id: String,
    pub unit_id: String,
    pub case_id: String,
    pub consultant: TestUser,
    pub auditor: TestUser,
}

impl TestApp {
    /// Logs in and hands back the token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let reply = self.post_token(email, password).await.should_be(200);
        reply.body["token"]
            .as_str()
            .unwrap_or_else(|| panic!("the token answer has a token: {}", reply.text))
            .to_string()
    }

    /// Creates a user as the admin and logs them in.
    pub async fn create_user(
        &self,
        role: &str,
        organisation_id: Option<&str>,
        unit_id: Option<&str>,
    ) -> TestUser {
        let email = format!("{role}-{}@example.se", random_hex());
        let mut body = json!({ "email": email, "name": format!("A {role}"), "role": role, "password": PASSWORD });
        if let Some(org) = organisation_id {
            body["organisation_id"] = json!(org);
        }
        if let Some(unit) = unit_id {
            body["unit_id"] = json!(unit);
        }
        let reply = self
            .post_users(&self.admin.token, &body)
            .await
            .should_be(201);
        let token = self.login(&email, PASSWORD).await;
        TestUser {
            id: reply.id(),
            email,
            role: role.into(),
            token,
        }
    }

    pub async fn create_organisation(&self, name: &str) -> String {
        self.post_organisations(&self.admin.token, &json!({ "name": name }))
            .await
            .should_be(201)
            .id()
    }

    pub async fn create_unit(&self, organisation_id: &str, headcount: u32) -> String {
        let body = json!({ "name": format!("Unit {}", random_hex()), "headcount": headcount });
        self.post_units(&self.admin.token, organisation_id, &body)
            .await
            .should_be(201)
            .id()
    }

    /// The id of the built-in `inclusion-standard` version 1.
    pub async fn default_programme_id(&self) -> String {
        let reply = self
            .get_programmes(&self.admin.token, "?limit=200")
            .await
            .should_be(200);
        reply
            .items()
            .iter()
            .find(|p| p["key"] == "inclusion-standard" && p["version"] == 1)
            .unwrap_or_else(|| panic!("inclusion-standard v1 is listed: {}", reply.text))["id"]
            .as_str()
            .expect("a programme id")
            .to_string()
    }

    /// Enrols a unit in the default programme as the caller.
    pub async fn enrol(&self, token: &str, unit_id: &str) -> Reply {
        let programme_id = self.default_programme_id().await;
        self.post_cases(
            token,
            &json!({ "unit_id": unit_id, "programme_id": programme_id }),
        )
        .await
    }

    /// The case as the admin reads it.
    pub async fn case(&self, case_id: &str) -> Value {
        self.get_case(&self.admin.token, case_id)
            .await
            .should_be(200)
            .body
    }

    pub async fn version(&self, case_id: &str) -> u64 {
        self.case(case_id).await["version"]
            .as_u64()
            .expect("the case has a numeric version")
    }

    /// Sends a transition with the case's current ETag.
    pub async fn transition(&self, token: &str, case_id: &str, body: &Value) -> Reply {
        let etag = self
            .get_case(&self.admin.token, case_id)
            .await
            .should_be(200)
            .etag();
        self.post_transition(token, case_id, Some(&etag), body)
            .await
    }

    /// A session body `days` days from now (negative: in the past), two hours long.
    pub fn session_body(&self, kind: &str, days: i64) -> Value {
        self.session_body_in(kind, Duration::days(days))
    }

    /// A session body starting `offset` from now, two hours long.
    pub fn session_body_in(&self, kind: &str, offset: Duration) -> Value {
        let starts = self.now() + offset;
        json!({
            "kind": kind,
            "title": format!("{kind} {}", random_hex()),
            "starts_at": starts.to_rfc3339(),
            "ends_at": (starts + Duration::hours(2)).to_rfc3339(),
        })
    }

    pub async fn schedule_session(
        &self,
        token: &str,
        case_id: &str,
        kind: &str,
        days: i64,
    ) -> String {
        self.schedule_session_in(token, case_id, kind, Duration::days(days))
            .await
    }

    /// Schedules a session starting `offset` from now (tokens live 12 h: keep clock
    /// moves short).
    pub async fn schedule_session_in(
        &self,
        token: &str,
        case_id: &str,
        kind: &str,
        offset: Duration,
    ) -> String {
        self.post_session(token, case_id, &self.session_body_in(kind, offset))
            .await
            .should_be(201)
            .id()
    }

    /// A session that took place last week, with its attendance recorded.
    pub async fn hold_session(
        &self,
        token: &str,
        case_id: &str,
        kind: &str,
        attended: u32,
    ) -> String {
        let sid = self.schedule_session(token, case_id, kind, -7).await;
        self.put_attendance(token, case_id, &sid, attended)
            .await
            .should_be(200);
        sid
    }

    pub async fn add_evidence(&self, token: &str, case_id: &str, area: &str) -> Reply {
        let body = json!({ "area": area, "description": format!("Minutes of the {area} meeting") });
        self.post_evidence(token, case_id, &body).await
    }

    /// An organisation, a unit of 10, a consultant who enrols it, and an auditor.
    pub async fn given_a_case(&self) -> World {
        let organisation_id = self
            .create_organisation(&format!("Org {}", random_hex()))
            .await;
        let unit_id = self.create_unit(&organisation_id, 10).await;
        let consultant = self.create_user("consultant", None, None).await;
        let auditor = self.create_user("auditor", None, None).await;
        let case_id = self
            .enrol(&consultant.token, &unit_id)
            .await
            .should_be(201)
            .id();
        World {
            organisation_id,
            unit_id,
            case_id,
            consultant,
            auditor,
        }
    }

    /// `given_a_case`, driven by its consultant to `stage`.
    pub async fn given_a_case_in(&self, stage: &str) -> World {
        let world = self.given_a_case().await;
        self.drive_to(&world, stage).await;
        world
    }

    /// Meets each stage's requirements and leaves it, until the case is in `stage`.
    pub async fn drive_to(&self, world: &World, stage: &str) {
        let target = STAGES
            .iter()
            .position(|s| *s == stage)
            .expect("a stage name");
        let (token, case_id) = (&world.consultant.token, &world.case_id);
        loop {
            let current = self.case(case_id).await["stage"]
                .as_str()
                .expect("a stage")
                .to_string();
            let at = STAGES
                .iter()
                .position(|s| *s == current)
                .expect("a known stage");
            if at >= target {
                assert_eq!(current, stage, "the driver overshot");
                return;
            }
            let action = match current.as_str() {
                "kickoff" => {
                    self.hold_session(token, case_id, "kickoff", 9).await;
                    json!({ "action": "advance" })
                }
                "value_workshops" => {
                    for _ in 0..4 {
                        self.hold_session(token, case_id, "workshop", 8).await;
                    }
                    json!({ "action": "advance" })
                }
                "individual_reflection" => {
                    self.put_reflections(token, case_id, 8).await.should_be(200);
                    json!({ "action": "advance" })
                }
                "routine_integration" => {
                    self.resolve_open_findings(token, case_id).await;
                    for area in AREAS {
                        self.add_evidence(token, case_id, area).await.should_be(201);
                    }
                    json!({ "action": "request_audit", "auditor_id": world.auditor.id })
                }
                "audit" => json!({ "action": "approve", "findings": [] }),
                other => panic!("cannot drive a case on from {other}"),
            };
            let actor = if current == "audit" {
                &world.auditor.token
            } else {
                token
            };
            self.transition(actor, case_id, &action)
                .await
                .should_be(200);
        }
    }

    /// Resolves every finding not yet resolved.
    pub async fn resolve_open_findings(&self, token: &str, case_id: &str) {
        let findings = self
            .get_findings(token, case_id)
            .await
            .should_be(200)
            .items();
        for finding in findings.iter().filter(|f| f["resolved_at"].is_null()) {
            let fid = finding["id"].as_str().expect("a finding id");
            self.put_finding(token, case_id, fid, "Handled at the May APT")
                .await
                .should_be(200);
        }
    }

    /// Has the case's auditor return it with the given findings.
    pub async fn return_with(&self, world: &World, findings: Value) -> Reply {
        let body = json!({ "action": "return", "findings": findings });
        self.transition(&world.auditor.token, &world.case_id, &body)
            .await
    }
}
