//! Who may write what: every role against every write endpoint, on a case they all see.

use serde_json::{json, Value};

use crate::helpers::{random_hex, Reply, TestApp, World};

mod case_data;
mod case_transitions;
mod deployment;

/// The seven people of the matrix; the coordinator and contact belong to the case's unit.
struct Cast(Vec<(&'static str, String)>);

impl Cast {
    async fn of(app: &TestApp, world: &World) -> Cast {
        let other_consultant = app.create_user("consultant", None, None).await;
        let other_auditor = app.create_user("auditor", None, None).await;
        let coordinator = app
            .create_user("coordinator", Some(&world.organisation_id), None)
            .await;
        let contact = app
            .create_user("unit_contact", None, Some(&world.unit_id))
            .await;
        Cast(vec![
            ("admin", app.admin.token.clone()),
            ("its consultant", world.consultant.token.clone()),
            ("other consultant", other_consultant.token),
            ("its auditor", world.auditor.token.clone()),
            ("other auditor", other_auditor.token),
            ("coordinator", coordinator.token),
            ("unit contact", contact.token),
        ])
    }

    fn token(&self, name: &str) -> &str {
        &self
            .0
            .iter()
            .find(|(n, _)| *n == name)
            .expect("a cast member")
            .1
    }
}

#[derive(Debug)]
enum Write<'a> {
    Schedule,
    Move(&'a str),
    Cancel(&'a str),
    Attendance(&'a str),
    Reflections,
    Evidence,
    Resolve(&'a str),
    Act(Value),
}

async fn attempt(app: &TestApp, world: &World, token: &str, write: &Write<'_>) -> Reply {
    let case = world.case_id.as_str();
    match write {
        Write::Schedule => {
            app.post_session(token, case, &app.session_body("workshop", -2))
                .await
        }
        Write::Move(sid) => {
            app.patch_session(token, case, sid, &json!({ "title": random_hex() }))
                .await
        }
        Write::Cancel(sid) => app.delete_session(token, case, sid).await,
        Write::Attendance(sid) => app.put_attendance(token, case, sid, 8).await,
        Write::Reflections => app.put_reflections(token, case, 8).await,
        Write::Evidence => app.add_evidence(token, case, "apt").await,
        Write::Resolve(fid) => {
            app.put_finding(token, case, fid, "Resolved at the APT")
                .await
        }
        Write::Act(body) => app.transition(token, case, body).await,
    }
}

/// Everyone not in `allowed` gets 403 for `write`, and the case does not change.
async fn everyone_else_is_forbidden(
    app: &TestApp,
    world: &World,
    cast: &Cast,
    allowed: &[&str],
    write: Write<'_>,
) {
    let version = app.version(&world.case_id).await;
    for (name, token) in cast.0.iter().filter(|(name, _)| !allowed.contains(name)) {
        let reply = attempt(app, world, token, &write).await;
        assert_eq!(
            reply.status.as_u16(),
            403,
            "{name} {write:?}: {}",
            reply.text
        );
    }
    assert_eq!(
        app.version(&world.case_id).await,
        version,
        "refused {write:?} changed the case"
    );
}

/// Each of `allowed` takes `write` successfully.
async fn each_may(app: &TestApp, world: &World, cast: &Cast, allowed: &[&str], write: Write<'_>) {
    for name in allowed {
        let reply = attempt(app, world, cast.token(name), &write).await;
        assert!(
            reply.status.is_success(),
            "{name} {write:?}: {} {}",
            reply.status,
            reply.text
        );
    }
}

const STEERING: [&str; 2] = ["admin", "its consultant"];
