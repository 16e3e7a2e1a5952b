//! Single sign-on over plain HTTP against a real OpenID Provider on loopback
//! (tests/oidc/provider.mjs, npm's oidc-provider): redirects followed by hand through
//! its development log-in form. Every refusal is a page, and no session: the session
//! cookie is absent and the home page still sends the browser to the log-in.

#[path = "../oidc/provider.rs"]
mod provider;

use chrono::Utc;
use serde_json::json;
use stegvis::config::OidcJitRule;

use crate::helpers::{spawn_app_with, TestApp, PASSWORD, PUBLIC_URL};
use crate::web_session::{Page, Web};
use provider::{TestProvider, DISPLAY_NAME, PROVIDER_ID};

const CALLBACK: &str = "/auth/oidc/callback";
const REFUSED: &str = "Inloggningen misslyckades";

/// The app configured with a provider started in `mode`, and the provider.
async fn app_with_provider(mode: &str, jit: Vec<OidcJitRule>) -> (TestApp, TestProvider) {
    let provider = TestProvider::start(&format!("{PUBLIC_URL}{CALLBACK}"), mode);
    let config = provider.config(jit);
    let app = spawn_app_with(move |s| s.auth.oidc = vec![config]).await;
    (app, provider)
}

/// The provider's tokens carry the real time: from here on the app's clock shows it
/// too (tokens made before are then expired; `admin_token` makes a fresh one).
fn clock_to_now(app: &TestApp) {
    app.clock.set(Utc::now());
}

async fn admin_token(app: &TestApp) -> String {
    app.login(&app.admin.email, PASSWORD).await
}

fn location(page: &Page) -> String {
    page.header("location")
        .unwrap_or_else(|| panic!("a redirect ({}): {}", page.status, page.text))
}

/// Starts a log-in in `web` and signs in at the provider as `login` (its log-in and
/// consent forms); the path of the callback the provider sends the browser to.
async fn through_provider(web: &mut Web, provider: &TestProvider, login: &str) -> String {
    let start = web
        .get(&format!("/auth/oidc/login?provider={PROVIDER_ID}"))
        .await;
    assert_eq!(start.status, 303, "the log-in starts: {}", start.text);
    through_provider_from(web, provider, location(&start), login).await
}

/// Signs in at the provider from its authorization URL `url` as `login`.
async fn through_provider_from(
    web: &mut Web,
    provider: &TestProvider,
    mut url: String,
    login: &str,
) -> String {
    assert!(
        web.cookies.contains_key("stegvis_oidc"),
        "the state is bound to the browser: {:?}",
        web.cookies
    );
    assert!(url.starts_with(&provider.issuer), "to the provider: {url}");
    let mut idp = Web::at("");
    for _ in 0..12 {
        if let Some(callback) = url.strip_prefix(PUBLIC_URL) {
            return callback.to_string();
        }
        let page = if url.contains("/interaction/") {
            let form = idp.get(&url).await;
            assert_eq!(form.status, 200, "{url}: {}", form.text);
            if form.text.contains(r#"name="prompt" value="login""#) {
                idp.post_raw(
                    &url,
                    &[("prompt", "login"), ("login", login), ("password", "any")],
                )
                .await
            } else {
                idp.post_raw(&url, &[("prompt", "consent")]).await
            }
        } else {
            idp.get(&url).await
        };
        let next = location(&page);
        url = if next.starts_with('/') {
            format!("{}{next}", provider.issuer)
        } else {
            next
        };
    }
    panic!("the provider never sent the browser back: {url}");
}

/// A whole sign-in as `login`: the callback's answer, and the browser.
async fn sign_in(app: &TestApp, provider: &TestProvider, login: &str) -> (Page, Web) {
    let mut web = Web::anonymous(app);
    let callback = through_provider(&mut web, provider, login).await;
    assert!(callback.starts_with(CALLBACK), "{callback}");
    let page = web.get(&callback).await;
    (page, web)
}

/// The refusal page with `status` saying `detail`, and no session.
#[track_caller]
fn assert_refused(page: &Page, web: &Web, status: u16, detail: &str) {
    assert_eq!(page.status, status, "{}", page.text);
    assert!(page.text.contains(REFUSED), "{}", page.text);
    assert!(page.text.contains(detail), "{detail:?} in {}", page.text);
    assert!(
        !web.cookies.contains_key("stegvis_session"),
        "no session cookie: {:?}",
        page.headers
    );
}

/// The home page still sends the browser to the log-in.
async fn assert_signed_out(web: &mut Web) {
    let home = web.get("/").await;
    assert_eq!(home.status, 303, "{}", home.text);
    assert!(location(&home).starts_with("/login"), "{:?}", home.headers);
}

/// The session's token is the user's: `GET /me` through the API.
async fn signed_in_as(app: &TestApp, web: &mut Web) -> serde_json::Value {
    let token = web
        .cookies
        .get("stegvis_session")
        .cloned()
        .expect("a session cookie");
    let home = web.get("/").await;
    assert_eq!(home.status, 303, "{}", home.text);
    assert!(!location(&home).starts_with("/login"), "{:?}", home.headers);
    app.get_me(&token).await.should_be(200).body
}

#[actix_rt::test]
async fn oidc_an_active_user_is_matched_by_address_in_any_case_and_gets_a_web_session() {
    // Given a coordinator with an account, and the log-in page offering the provider
    let (app, provider) = app_with_provider("normal", vec![]).await;
    let org = app.create_organisation("Järfälla kommun").await;
    let coordinator = app.create_user("coordinator", Some(&org), None).await;
    let mut web = Web::anonymous(&app);
    let login = web.get("/login").await;
    assert!(login.text.contains(DISPLAY_NAME), "{}", login.text);
    assert!(
        login.text.contains("Logga in med din organisations konto"),
        "{}",
        login.text
    );
    clock_to_now(&app);
    // When they sign in at the provider with their address in capitals
    let (page, mut web) = sign_in(&app, &provider, &coordinator.email.to_uppercase()).await;
    // Then they land on their home page, signed in as themselves
    assert_eq!(page.status, 303, "{}", page.text);
    assert!(!location(&page).starts_with("/login"), "{:?}", page.headers);
    assert_eq!(
        page.header("cache-control").as_deref(),
        Some("no-store"),
        "the answer that starts a session is never cached"
    );
    let me = signed_in_as(&app, &mut web).await;
    assert_eq!(me["id"], coordinator.id.as_str(), "{me}");
    assert_eq!(me["role"], "coordinator");
    assert!(
        !web.cookies.contains_key("stegvis_oidc"),
        "the state cookie is cleared"
    );
    // And the access audit names the sign-in and its route
    let log = app
        .get(
            &admin_token(&app).await,
            &format!("/audit-log?user_id={}&kind=sign_in", coordinator.id),
        )
        .await
        .should_be(200);
    let details: Vec<String> = log
        .items()
        .iter()
        .map(|e| e["detail"].as_str().unwrap_or_default().to_string())
        .collect();
    // (newest first; the password sign-in before it is the test's own set-up)
    assert_eq!(details[0], format!("oidc:{PROVIDER_ID}"), "{log:?}");
}

#[actix_rt::test]
async fn oidc_a_replayed_state_is_refused() {
    // Given a consultant who signed in once
    let (app, provider) = app_with_provider("normal", vec![]).await;
    let consultant = app.create_user("consultant", None, None).await;
    clock_to_now(&app);
    let mut first = Web::anonymous(&app);
    let callback = through_provider(&mut first, &provider, &consultant.email).await;
    let bound = first.cookies["stegvis_oidc"].clone();
    let page = first.get(&callback).await;
    assert_eq!(page.status, 303, "{}", page.text);
    // When the same callback (with the same state cookie) is sent again
    let mut replay = Web::anonymous(&app);
    replay.cookies.insert("stegvis_oidc".into(), bound);
    let again = replay.get(&callback).await;
    // Then it is refused and no session starts
    assert_refused(&again, &replay, 400, "redan använd");
    assert_signed_out(&mut replay).await;
}

#[actix_rt::test]
async fn oidc_a_state_from_another_browser_or_too_old_is_refused() {
    let (app, provider) = app_with_provider("normal", vec![]).await;
    let consultant = app.create_user("consultant", None, None).await;
    clock_to_now(&app);
    // A callback opened in a browser that did not begin the log-in (login CSRF)
    let mut began = Web::anonymous(&app);
    let callback = through_provider(&mut began, &provider, &consultant.email).await;
    let mut other = Web::anonymous(&app);
    let page = other.get(&callback).await;
    assert_refused(&page, &other, 400, "en annan webbläsare");
    assert_signed_out(&mut other).await;
    // and the state is used up: the browser that began cannot finish with it either
    let late = began.get(&callback).await;
    assert_refused(&late, &began, 400, "redan använd");
    // A log-in finished more than ten minutes after it began
    let mut slow = Web::anonymous(&app);
    let callback = through_provider(&mut slow, &provider, &consultant.email).await;
    app.clock.advance(chrono::Duration::minutes(11));
    let page = slow.get(&callback).await;
    assert_refused(&page, &slow, 400, "för gammal");
    assert_signed_out(&mut slow).await;
}

/// A sign-in through a provider whose token endpoint alters the ID token as `mode`
/// says is refused with `status` and `detail`, and starts no session.
async fn refused_in_mode(mode: &str, status: u16, detail: &str) {
    let (app, provider) = app_with_provider(mode, vec![]).await;
    let consultant = app.create_user("consultant", None, None).await;
    clock_to_now(&app);
    let (page, mut web) = sign_in(&app, &provider, &consultant.email).await;
    assert_refused(&page, &web, status, detail);
    assert_signed_out(&mut web).await;
}

#[actix_rt::test]
async fn oidc_a_tampered_id_token_is_refused() {
    refused_in_mode("tampered", 400, "kunde inte godkännas").await;
}

#[actix_rt::test]
async fn oidc_an_id_token_for_another_audience_is_refused() {
    refused_in_mode("wrong_audience", 400, "kunde inte godkännas").await;
}

#[actix_rt::test]
async fn oidc_an_expired_id_token_is_refused() {
    refused_in_mode("expired", 400, "kunde inte godkännas").await;
}

#[actix_rt::test]
async fn oidc_an_id_token_with_another_nonce_is_refused() {
    refused_in_mode("wrong_nonce", 400, "kunde inte godkännas").await;
}

#[actix_rt::test]
async fn oidc_an_unverified_address_is_refused() {
    refused_in_mode("unverified", 403, "inte bekräftat din e-postadress").await;
}

#[actix_rt::test]
async fn oidc_an_entra_like_token_without_email_verified_needs_the_providers_own_setting() {
    // Given a provider that sends only preferred_username (no email, no email_verified)
    let provider = TestProvider::start(&format!("{PUBLIC_URL}{CALLBACK}"), "entra");
    let strict = provider.config(vec![]);
    let trusted = stegvis::config::OidcProvider {
        id: "entra".into(),
        email_claim: "preferred_username".into(),
        require_email_verified: false,
        ..provider.config(vec![])
    };
    let app = spawn_app_with(move |s| s.auth.oidc = vec![strict, trusted]).await;
    let consultant = app.create_user("consultant", None, None).await;
    clock_to_now(&app);
    // When it is configured as any provider, then the address is not vouched for
    let (page, mut web) = sign_in(&app, &provider, &consultant.email).await;
    assert_refused(&page, &web, 403, "inte bekräftat din e-postadress");
    assert_signed_out(&mut web).await;
    // When it is trusted for its preferred_username, then the consultant is matched
    let mut web = Web::anonymous(&app);
    let start = web.get("/auth/oidc/login?provider=entra").await;
    assert_eq!(start.status, 303, "{}", start.text);
    let callback =
        through_provider_from(&mut web, &provider, location(&start), &consultant.email).await;
    let page = web.get(&callback).await;
    assert_eq!(page.status, 303, "{}", page.text);
    assert_eq!(
        signed_in_as(&app, &mut web).await["id"],
        consultant.id.as_str()
    );
}

#[actix_rt::test]
async fn oidc_an_unknown_or_deactivated_user_is_refused() {
    let (app, provider) = app_with_provider("normal", vec![]).await;
    let closed = app.create_user("consultant", None, None).await;
    app.patch(
        &app.admin.token,
        &format!("/users/{}", closed.id),
        &json!({ "active": false }),
    )
    .await
    .should_be(200);
    clock_to_now(&app);
    for login in [closed.email.as_str(), "nobody-here@example.se"] {
        let (page, mut web) = sign_in(&app, &provider, login).await;
        assert_refused(&page, &web, 403, "inget aktivt konto");
        assert_signed_out(&mut web).await;
    }
    // Both are failed sign-ins in the access audit: the closed account by id, the
    // unknown address masked
    let log = app
        .get(&admin_token(&app).await, "/audit-log?kind=sign_in_failed")
        .await
        .should_be(200);
    let failed: Vec<(String, String)> = log
        .items()
        .iter()
        .map(|e| {
            (
                e["subject_id"].as_str().unwrap_or_default().to_string(),
                e["subject_hint"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(
        failed.contains(&(closed.id.clone(), String::new())),
        "{failed:?}"
    );
    assert!(
        failed
            .iter()
            .any(|(_, hint)| hint.ends_with("@example.se") && !hint.contains("nobody-here")),
        "{failed:?}"
    );
}

#[actix_rt::test]
async fn oidc_an_allow_listed_domain_gets_an_account_just_in_time_and_another_does_not() {
    // Given a rule: addresses at jarfalla.test become coordinators of one organisation
    let rule = OidcJitRule {
        domain: "jarfalla.test".into(),
        role: "coordinator".into(),
        organisation_id: Some("org-jarfalla".into()),
        unit_id: None,
    };
    let (app, provider) = app_with_provider("normal", vec![rule]).await;
    let org = app.create_organisation("Järfälla kommun").await;
    app.execute_sql(&format!(
        "UPDATE organisations SET id = 'org-jarfalla' WHERE id = '{org}'"
    ));
    clock_to_now(&app);
    // When a person of that domain with no account signs in
    let (page, mut web) = sign_in(&app, &provider, "Ny.Samordnare@Jarfalla.test").await;
    // Then an account is made for them, placed as the rule says, and they are signed in
    assert_eq!(page.status, 303, "{}", page.text);
    let me = signed_in_as(&app, &mut web).await;
    assert_eq!(me["email"], "ny.samordnare@jarfalla.test", "{me}");
    assert_eq!(me["role"], "coordinator", "{me}");
    assert_eq!(me["organisation_id"], "org-jarfalla", "{me}");
    // And signing in again uses the same account
    let (_, mut again) = sign_in(&app, &provider, "ny.samordnare@jarfalla.test").await;
    assert_eq!(signed_in_as(&app, &mut again).await["id"], me["id"]);
    // When a person of another domain (or one that merely ends like it) signs in
    let admin = admin_token(&app).await;
    let before = app
        .get_users(&admin, "?limit=200")
        .await
        .should_be(200)
        .body;
    for login in ["someone@other.test", "someone@notjarfalla.test"] {
        let (page, mut web) = sign_in(&app, &provider, login).await;
        // Then they are refused and no account is made
        assert_refused(&page, &web, 403, "inget aktivt konto");
        assert_signed_out(&mut web).await;
    }
    let after = app
        .get_users(&admin, "?limit=200")
        .await
        .should_be(200)
        .body;
    assert_eq!(before, after);
}

#[actix_rt::test]
async fn oidc_a_just_in_time_unit_contact_belongs_to_the_unit_and_its_organisation() {
    // Given a rule placing one domain's people as contacts of a unit, and a rule
    // naming a unit that does not exist
    let rule = |domain: &str, unit: &str| OidcJitRule {
        domain: domain.into(),
        role: "unit_contact".into(),
        organisation_id: None,
        unit_id: Some(unit.into()),
    };
    let rules = vec![
        rule("assistans.test", "unit-assistans"),
        rule("borttagen.test", "no-such-unit"),
    ];
    let (app, provider) = app_with_provider("normal", rules).await;
    let org = app.create_organisation("Assistans AB").await;
    let unit = app.create_unit(&org, 12).await;
    app.execute_sql(&format!(
        "UPDATE units SET id = 'unit-assistans' WHERE id = '{unit}'"
    ));
    clock_to_now(&app);
    // When a person of the first domain signs in, then they are that unit's contact
    let (page, mut web) = sign_in(&app, &provider, "kontakt@assistans.test").await;
    assert_eq!(page.status, 303, "{}", page.text);
    let me = signed_in_as(&app, &mut web).await;
    assert_eq!(me["role"], "unit_contact", "{me}");
    assert_eq!(me["unit_id"], "unit-assistans", "{me}");
    assert_eq!(me["organisation_id"], org.as_str(), "{me}");
    // And a rule that places nobody creates nobody
    let (page, mut web) = sign_in(&app, &provider, "kontakt@borttagen.test").await;
    assert_refused(&page, &web, 403, "inget aktivt konto");
    assert_signed_out(&mut web).await;
}

#[actix_rt::test]
async fn oidc_an_unknown_provider_or_one_that_is_down_gets_a_clear_page() {
    // Given a provider that is down when the app starts (nothing listens on its port)
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let config = TestProvider::config_for(&format!("http://127.0.0.1:{port}"));
    let app = spawn_app_with(move |s| s.auth.oidc = vec![config]).await;
    let mut web = Web::anonymous(&app);
    // When its button is pressed, then a clear page says so, in English when asked
    let page = web
        .get(&format!("/auth/oidc/login?provider={PROVIDER_ID}&lang=en"))
        .await;
    assert_eq!(page.status, 503, "{}", page.text);
    assert!(page.text.contains("Sign-in failed"), "{}", page.text);
    assert!(page.text.contains("not answering"), "{}", page.text);
    assert!(!web.cookies.contains_key("stegvis_oidc"));
    // And a provider that is not configured is not found
    let page = web.get("/auth/oidc/login?provider=no-such&lang=sv").await;
    assert_refused(&page, &web, 404, "finns inte här");
    // And a callback with no state at all is refused
    let page = web.get(&format!("{CALLBACK}?code=abc")).await;
    assert_refused(&page, &web, 400, "Börja om");
    assert_signed_out(&mut web).await;
}

#[test]
fn oidc_providers_are_read_from_the_config_file_and_a_bad_one_stops_the_start() {
    let dir = std::env::temp_dir().join(format!(
        "stegvis-oidc-config-{}",
        crate::helpers::random_hex()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("stegvis.toml");
    std::fs::write(
        &file,
        r#"
[[auth.oidc]]
id = "jarfalla"
issuer_url = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"
client_id = "11111111-1111-1111-1111-111111111111"
client_secret = "secret"
display_name = "Järfälla kommun"

[[auth.oidc.jit]]
domain = "jarfalla.se"
role = "unit_contact"
unit_id = "unit-1"

[[auth.oidc]]
id = "sollentuna"
issuer_url = "https://idp.sollentuna.example"
client_id = "stegvis"
client_secret = "secret"
email_claim = "preferred_username"
display_name = "Sollentuna kommun"
"#,
    )
    .unwrap();
    let settings = stegvis::config::Settings::load(Some(&file)).expect("the file loads");
    let oidc = &settings.auth.oidc;
    assert_eq!(oidc.len(), 2);
    assert_eq!(oidc[0].display_name, "Järfälla kommun");
    assert_eq!(oidc[0].email_claim, "email", "the default claim");
    assert_eq!(oidc[0].scopes, ["email", "profile"], "the default scopes");
    assert!(
        oidc[0].require_email_verified,
        "verified addresses by default"
    );
    assert_eq!(oidc[0].jit[0].unit_id.as_deref(), Some("unit-1"));
    assert_eq!(oidc[1].email_claim, "preferred_username");
    assert!(
        settings.auth.oidc_problems().is_empty(),
        "{:?}",
        settings.auth.oidc_problems()
    );

    // A rule that would make an admin, a duplicate id and an unknown claim stop the start
    let mut bad = settings.clone();
    bad.auth.oidc[0].jit[0].role = "admin".into();
    bad.auth.oidc[1].id = "jarfalla".into();
    bad.auth.oidc[1].email_claim = "upn".into();
    let problems = bad.auth.oidc_problems().join("\n");
    assert!(
        problems.contains("auth.oidc[0] (jarfalla): jit rule"),
        "{problems}"
    );
    assert!(
        problems.contains("auth.oidc[1] (jarfalla): another provider has this id"),
        "{problems}"
    );
    assert!(problems.contains("email_claim"), "{problems}");
    let clock = std::sync::Arc::new(stegvis::clock::ManualClock::new(crate::helpers::time(
        crate::helpers::START,
    )));
    let refused = stegvis::startup::prepare(bad, clock)
        .err()
        .expect("the start is refused");
    assert!(
        refused.to_string().contains("single sign-on configuration"),
        "{refused}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
