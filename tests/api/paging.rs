//! Paged top-level collections: `{items, next_cursor}`, `limit` 1..200, default 50.

use std::collections::HashSet;

use serde_json::json;

use crate::helpers::{random_hex, spawn_app, TestApp, PASSWORD};

/// Follows `next_cursor` from the first page of `path` with `limit`; every id seen.
async fn walk(app: &TestApp, path: &str, limit: u32) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let mut query = format!("{path}?limit={limit}");
        if let Some(c) = &cursor {
            query.push_str(&format!("&cursor={c}"));
        }
        let page = app.get(&app.admin.token, &query).await.should_be(200);
        let items = page.ids();
        assert!(
            items.len() <= limit as usize,
            "{query}: at most {limit} items, got {}",
            items.len()
        );
        ids.extend(items);
        match &page.body["next_cursor"] {
            serde_json::Value::Null => return ids,
            serde_json::Value::String(next) => cursor = Some(next.clone()),
            other => panic!("next_cursor is a string or null, not {other}"),
        }
    }
    panic!("{path} never ended");
}

fn assert_each_once(seen: &[String], expected: &HashSet<String>) {
    let unique: HashSet<_> = seen.iter().cloned().collect();
    assert_eq!(
        unique.len(),
        seen.len(),
        "an item was visited twice: {seen:?}"
    );
    assert_eq!(&unique, expected);
}

#[actix_rt::test]
async fn following_next_cursor_visits_every_organisation_and_unit_exactly_once() {
    // Given seven organisations, the first with seven units
    let app = spawn_app().await;
    let mut orgs = HashSet::new();
    for i in 0..7 {
        orgs.insert(app.create_organisation(&format!("Org {i}")).await);
    }
    let first = orgs.iter().next().expect("an org").clone();
    let mut units = HashSet::new();
    for _ in 0..7 {
        units.insert(app.create_unit(&first, 4).await);
    }
    // When they are paged three at a time, then every one is seen once
    assert_each_once(&walk(&app, "/organisations", 3).await, &orgs);
    assert_each_once(&walk(&app, "/units", 3).await, &units);
    assert_each_once(&walk(&app, "/units", 1).await, &units);
    // And a page as large as the collection ends at once
    let page = app
        .get_organisations(&app.admin.token, "?limit=7")
        .await
        .should_be(200);
    assert_eq!(page.items().len(), 7);
    assert!(page.body["next_cursor"].is_null(), "{}", page.text);
}

#[actix_rt::test]
async fn following_next_cursor_visits_every_user_and_case_exactly_once() {
    let app = spawn_app().await;
    let mut users: HashSet<String> = [app.admin.id.clone()].into();
    for _ in 0..4 {
        let body = json!({ "email": format!("{}@example.se", random_hex()), "name": "N", "role": "auditor", "password": PASSWORD });
        users.insert(
            app.post_users(&app.admin.token, &body)
                .await
                .should_be(201)
                .id(),
        );
    }
    let org = app.create_organisation("Org").await;
    let consultant = app.create_user("consultant", None, None).await;
    users.insert(consultant.id.clone());
    let mut cases = HashSet::new();
    for _ in 0..5 {
        let unit = app.create_unit(&org, 5).await;
        cases.insert(
            app.enrol(&consultant.token, &unit)
                .await
                .should_be(201)
                .id(),
        );
    }
    assert_each_once(&walk(&app, "/users", 2).await, &users);
    assert_each_once(&walk(&app, "/cases", 2).await, &cases);
    let programmes = walk(&app, "/programmes", 1).await;
    assert!(!programmes.is_empty());
}

#[actix_rt::test]
async fn the_default_page_holds_50_items() {
    let app = spawn_app().await;
    for i in 0..51 {
        app.create_organisation(&format!("Org {i}")).await;
    }
    let page = app
        .get_organisations(&app.admin.token, "")
        .await
        .should_be(200);
    assert_eq!(page.items().len(), 50);
    assert!(
        page.body["next_cursor"].is_string(),
        "{}",
        page.body["next_cursor"]
    );
    let page = app
        .get_organisations(&app.admin.token, "?limit=200")
        .await
        .should_be(200);
    assert_eq!(page.items().len(), 51);
    assert!(page.body["next_cursor"].is_null());
}

#[actix_rt::test]
async fn a_limit_outside_1_to_200_or_not_a_number_is_422_naming_limit() {
    let app = spawn_app().await;
    for collection in [
        "/users",
        "/organisations",
        "/units",
        "/programmes",
        "/cases",
    ] {
        for limit in ["0", "201", "-1", "abc", "1.5"] {
            let path = format!("{collection}?limit={limit}");
            let reply = app.get(&app.admin.token, &path).await;
            assert_eq!(reply.status.as_u16(), 422, "{path}: {}", reply.text);
            assert!(
                reply.error_fields().contains(&"limit".into()),
                "{path}: {}",
                reply.text
            );
        }
        for limit in ["1", "200"] {
            app.get(&app.admin.token, &format!("{collection}?limit={limit}"))
                .await
                .should_be(200);
        }
    }
}

#[actix_rt::test]
async fn a_garbage_cursor_is_refused_without_a_500() {
    let app = spawn_app().await;
    for cursor in ["garbage", "%00%01", "9999999999999999999999"] {
        let reply = app
            .get(&app.admin.token, &format!("/organisations?cursor={cursor}"))
            .await;
        assert!(
            !reply.status.is_server_error(),
            "cursor {cursor}: {}",
            reply.text
        );
        // Either refused naming the cursor, or an empty page past the end.
        if reply.status.as_u16() == 422 {
            reply.should_be_problem(422, Some("cursor"));
        } else {
            let reply = reply.should_be(200);
            assert!(
                reply.items().is_empty() || cursor != "%00%01",
                "cursor {cursor} answers a page: {}",
                reply.text
            );
            assert_eq!(
                reply.body["next_cursor"],
                serde_json::Value::Null,
                "cursor {cursor}: a page past the end has no next cursor"
            );
        }
    }
}
