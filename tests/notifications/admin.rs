//! The admins' mail endpoints: who may use them, paging, filters, the OpenAPI.

use serde_json::json;

use crate::helpers::spawn_app;

#[actix_rt::test]
async fn only_admins_see_and_retry_mail() {
    let app = spawn_app().await;
    let unit = app.given_a_unit_with_contacts().await;
    for token in [&unit.world.consultant.token, &unit.contact_sv.token] {
        app.get(token, "/admin/mail")
            .await
            .should_be_problem(403, None);
        app.post(token, "/admin/mail/x/retry", &json!({}))
            .await
            .should_be_problem(403, None);
    }
    app.post(&app.admin.token, "/admin/mail/nope/retry", &json!({}))
        .await
        .should_be_problem(404, None);
}

#[actix_rt::test]
async fn mail_is_listed_by_status_in_pages_with_the_documented_fields() {
    let app = spawn_app().await;
    app.given_a_unit_with_contacts().await;
    let page = app
        .get(&app.admin.token, "/admin/mail?status=pending&limit=3")
        .await
        .should_be(200);
    let items = page.items();
    assert_eq!(items.len(), 3);
    let cursor = page.body["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_string();
    let mut keys: Vec<&String> = items[0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "attempts",
            "created_at",
            "id",
            "kind",
            "last_error",
            "recipient",
            "sent_at",
            "status",
            "subject"
        ]
    );
    assert_eq!(items[0]["status"], "pending");
    assert_eq!(items[0]["attempts"], 0);
    assert!(items[0]["sent_at"].is_null() && items[0]["last_error"].is_null());
    let next = app
        .get(
            &app.admin.token,
            &format!("/admin/mail?status=pending&limit=3&cursor={cursor}"),
        )
        .await
        .should_be(200);
    assert_eq!(next.items().len(), 1);
    assert!(next.body["next_cursor"].is_null());
    assert!(app.mail(Some("sent")).await.is_empty());
    app.get(&app.admin.token, "/admin/mail?status=lost")
        .await
        .should_be_problem(422, Some("status"));

    app.dispatch().await;
    assert_eq!(app.mail(Some("sent")).await.len(), 4);
    assert!(app.mail(Some("pending")).await.is_empty());
}

#[actix_rt::test]
async fn the_openapi_document_describes_the_mail_endpoints() {
    let app = spawn_app().await;
    let doc = app.get_openapi().await.should_be(200).body;
    let list = &doc["paths"]["/api/v1/admin/mail"]["get"];
    assert!(list["responses"]["200"].is_object(), "{list}");
    let retry = &doc["paths"]["/api/v1/admin/mail/{id}/retry"]["post"];
    assert!(retry["responses"]["409"].is_object(), "{retry}");
    let item = &doc["components"]["schemas"]["MailItem"];
    let required: Vec<&str> = item["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for field in [
        "id",
        "kind",
        "recipient",
        "subject",
        "status",
        "attempts",
        "created_at",
    ] {
        assert!(required.contains(&field), "{field} is required: {item}");
    }
    assert!(!required.contains(&"sent_at") && !required.contains(&"last_error"));
}
