//! One method per endpoint of API.md; each takes the caller's token and answers the raw
//! `Reply`, so a test can check refusals as easily as successes.

use awc::http::Method;
use serde_json::{json, Value};

use super::{Reply, TestApp};

fn api(path: &str) -> String {
    format!("/api/v1{path}")
}

impl TestApp {
    pub async fn get(&self, token: &str, path: &str) -> Reply {
        self.call(Method::GET, &api(path), Some(token), &[], None)
            .await
    }

    pub async fn post(&self, token: &str, path: &str, body: &Value) -> Reply {
        self.call(Method::POST, &api(path), Some(token), &[], Some(body))
            .await
    }

    pub async fn put(&self, token: &str, path: &str, body: &Value) -> Reply {
        self.call(Method::PUT, &api(path), Some(token), &[], Some(body))
            .await
    }

    pub async fn patch(&self, token: &str, path: &str, body: &Value) -> Reply {
        self.call(Method::PATCH, &api(path), Some(token), &[], Some(body))
            .await
    }

    pub async fn delete(&self, token: &str, path: &str) -> Reply {
        self.call(Method::DELETE, &api(path), Some(token), &[], None)
            .await
    }

    /// POST with an `Idempotency-Key`.
    pub async fn post_with_key(&self, token: &str, path: &str, key: &str, body: &Value) -> Reply {
        self.call(
            Method::POST,
            &api(path),
            Some(token),
            &[("Idempotency-Key", key)],
            Some(body),
        )
        .await
    }

    // Outside /api/v1.
    pub async fn get_healthz(&self) -> Reply {
        self.call(Method::GET, "/healthz", None, &[], None).await
    }

    pub async fn get_readyz(&self) -> Reply {
        self.call(Method::GET, "/readyz", None, &[], None).await
    }

    pub async fn get_openapi(&self) -> Reply {
        self.call(Method::GET, &api("/openapi.json"), None, &[], None)
            .await
    }

    // Auth and people.
    pub async fn post_token(&self, email: &str, password: &str) -> Reply {
        let body = json!({ "email": email, "password": password });
        self.call(Method::POST, &api("/auth/token"), None, &[], Some(&body))
            .await
    }

    pub async fn get_me(&self, token: &str) -> Reply {
        self.get(token, "/me").await
    }

    pub async fn post_users(&self, token: &str, body: &Value) -> Reply {
        self.post(token, "/users", body).await
    }

    pub async fn get_users(&self, token: &str, query: &str) -> Reply {
        self.get(token, &format!("/users{query}")).await
    }

    // Organisations and units.
    pub async fn post_organisations(&self, token: &str, body: &Value) -> Reply {
        self.post(token, "/organisations", body).await
    }

    pub async fn get_organisations(&self, token: &str, query: &str) -> Reply {
        self.get(token, &format!("/organisations{query}")).await
    }

    pub async fn get_organisation(&self, token: &str, id: &str) -> Reply {
        self.get(token, &format!("/organisations/{id}")).await
    }

    pub async fn post_units(&self, token: &str, organisation_id: &str, body: &Value) -> Reply {
        self.post(
            token,
            &format!("/organisations/{organisation_id}/units"),
            body,
        )
        .await
    }

    pub async fn get_units(&self, token: &str, query: &str) -> Reply {
        self.get(token, &format!("/units{query}")).await
    }

    pub async fn get_unit(&self, token: &str, id: &str) -> Reply {
        self.get(token, &format!("/units/{id}")).await
    }

    pub async fn patch_unit(&self, token: &str, id: &str, body: &Value) -> Reply {
        self.patch(token, &format!("/units/{id}"), body).await
    }

    // Programmes.
    pub async fn get_programmes(&self, token: &str, query: &str) -> Reply {
        self.get(token, &format!("/programmes{query}")).await
    }

    pub async fn get_programme(&self, token: &str, id: &str) -> Reply {
        self.get(token, &format!("/programmes/{id}")).await
    }

    pub async fn post_programmes(&self, token: &str, body: &Value) -> Reply {
        self.post(token, "/programmes", body).await
    }

    // Cases.
    pub async fn post_cases(&self, token: &str, body: &Value) -> Reply {
        self.post(token, "/cases", body).await
    }

    pub async fn get_cases(&self, token: &str, query: &str) -> Reply {
        self.get(token, &format!("/cases{query}")).await
    }

    pub async fn get_case(&self, token: &str, case_id: &str) -> Reply {
        self.get(token, &format!("/cases/{case_id}")).await
    }

    pub async fn get_events(&self, token: &str, case_id: &str) -> Reply {
        self.get(token, &format!("/cases/{case_id}/events")).await
    }

    pub async fn post_session(&self, token: &str, case_id: &str, body: &Value) -> Reply {
        self.post(token, &format!("/cases/{case_id}/sessions"), body)
            .await
    }

    pub async fn get_sessions(&self, token: &str, case_id: &str) -> Reply {
        self.get(token, &format!("/cases/{case_id}/sessions")).await
    }

    pub async fn patch_session(
        &self,
        token: &str,
        case_id: &str,
        sid: &str,
        body: &Value,
    ) -> Reply {
        self.patch(token, &format!("/cases/{case_id}/sessions/{sid}"), body)
            .await
    }

    pub async fn delete_session(&self, token: &str, case_id: &str, sid: &str) -> Reply {
        self.delete(token, &format!("/cases/{case_id}/sessions/{sid}"))
            .await
    }

    pub async fn put_attendance(
        &self,
        token: &str,
        case_id: &str,
        sid: &str,
        attended: u32,
    ) -> Reply {
        let path = format!("/cases/{case_id}/sessions/{sid}/attendance");
        self.put(token, &path, &json!({ "attended": attended }))
            .await
    }

    pub async fn put_reflections(&self, token: &str, case_id: &str, completed: u32) -> Reply {
        let path = format!("/cases/{case_id}/reflections");
        self.put(token, &path, &json!({ "completed": completed }))
            .await
    }

    pub async fn post_evidence(&self, token: &str, case_id: &str, body: &Value) -> Reply {
        self.post(token, &format!("/cases/{case_id}/evidence"), body)
            .await
    }

    pub async fn get_evidence(&self, token: &str, case_id: &str) -> Reply {
        self.get(token, &format!("/cases/{case_id}/evidence")).await
    }

    pub async fn get_findings(&self, token: &str, case_id: &str) -> Reply {
        self.get(token, &format!("/cases/{case_id}/findings")).await
    }

    pub async fn put_finding(
        &self,
        token: &str,
        case_id: &str,
        fid: &str,
        resolution: &str,
    ) -> Reply {
        let path = format!("/cases/{case_id}/findings/{fid}");
        self.put(token, &path, &json!({ "resolution": resolution }))
            .await
    }

    /// POST /cases/{id}/transitions with `If-Match` when one is given.
    pub async fn post_transition(
        &self,
        token: &str,
        case_id: &str,
        if_match: Option<&str>,
        body: &Value,
    ) -> Reply {
        let headers: Vec<(&str, &str)> = if_match.map(|v| ("If-Match", v)).into_iter().collect();
        let path = api(&format!("/cases/{case_id}/transitions"));
        self.call(Method::POST, &path, Some(token), &headers, Some(body))
            .await
    }

    pub async fn get_certificate(&self, token: &str, case_id: &str) -> Reply {
        self.get(token, &format!("/cases/{case_id}/certificate"))
            .await
    }
}

impl TestApp {
    /// POST /auth/token with any body.
    pub async fn post_token_raw(&self, body: &Value) -> Reply {
        self.call(Method::POST, &api("/auth/token"), None, &[], Some(body))
            .await
    }
}
