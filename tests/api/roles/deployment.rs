//! Users, organisations, units, programmes and enrolment: who may create them.

use serde_json::json;

use super::*;
use crate::helpers::{random_hex, spawn_app, PASSWORD};

#[actix_rt::test]
async fn the_deployment_level_writes_follow_the_role_table() {
    // Given the seven people around one case
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let cast = Cast::of(&app, &world).await;
    let programme_id = app.default_programme_id().await;
    let everyone = [
        "admin",
        "its consultant",
        "other consultant",
        "its auditor",
        "other auditor",
        "coordinator",
        "unit contact",
    ];
    let staff_writers = ["admin", "its consultant", "other consultant"];
    for name in everyone {
        let token = cast.token(name);
        let may = |who: &[&str]| {
            if who.contains(&name) {
                "allowed"
            } else {
                "403"
            }
        };
        let outcome = |reply: &Reply| {
            if reply.status.is_success() {
                "allowed"
            } else if reply.status == 403 {
                "403"
            } else {
                "other"
            }
        };
        // Organisations, users and programmes: the admin's
        let org = app
            .post_organisations(token, &json!({ "name": random_hex() }))
            .await;
        assert_eq!(
            outcome(&org),
            may(&["admin"]),
            "{name} creates an organisation: {}",
            org.text
        );
        let user = json!({ "email": format!("{}@example.se", random_hex()), "name": "N", "role": "auditor", "password": PASSWORD });
        let created = app.post_users(token, &user).await;
        assert_eq!(
            outcome(&created),
            may(&["admin"]),
            "{name} creates a user: {}",
            created.text
        );
        let listed = app.get_users(token, "").await;
        assert_eq!(
            outcome(&listed),
            may(&["admin"]),
            "{name} lists users: {}",
            listed.text
        );
        let programme = app
            .post_programmes(
                token,
                &json!({ "key": format!("p{}", random_hex()), "name": "P" }),
            )
            .await;
        assert_eq!(
            outcome(&programme),
            may(&["admin"]),
            "{name} creates a programme: {}",
            programme.text
        );
        // Units and enrolment: staff who consult
        let unit = app
            .post_units(
                token,
                &world.organisation_id,
                &json!({ "name": random_hex(), "headcount": 7 }),
            )
            .await;
        assert_eq!(
            outcome(&unit),
            may(&staff_writers),
            "{name} creates a unit: {}",
            unit.text
        );
        let patch = app
            .patch_unit(token, &world.unit_id, &json!({ "headcount": 10 }))
            .await;
        assert_eq!(
            outcome(&patch),
            may(&staff_writers),
            "{name} patches a unit: {}",
            patch.text
        );
        // A unit contact sees only their own unit (another would not exist for them);
        // the others enrol a fresh unit so no live case is in the way.
        let unit_id = if name == "unit contact" {
            world.unit_id.clone()
        } else {
            app.create_unit(&world.organisation_id, 5).await
        };
        let mut body = json!({ "unit_id": unit_id, "programme_id": programme_id });
        if name == "admin" {
            body["consultant_id"] = json!(world.consultant.id);
        }
        let enrolled = app.post_cases(token, &body).await;
        assert_eq!(
            outcome(&enrolled),
            may(&staff_writers),
            "{name} enrols a unit: {}",
            enrolled.text
        );
    }
}
