//! Single sign-on in headless Chromium, end to end against a real OpenID Provider on
//! loopback (tests/oidc/provider.mjs): the log-in page's button, the provider's own
//! log-in and consent forms, and back to Stegvis's home page as the matched user;
//! axe-core on the log-in page and on the refusal page.

#[path = "../oidc/provider.rs"]
mod provider;

use fantoccini::Locator;
use serde_json::json;

use crate::app::{random_hex, spawn_app_with};
use crate::browser::{words, Browser};
use provider::{TestProvider, DISPLAY_NAME};

/// Fills `name` on the current page (the provider's forms have no ids).
async fn type_into(b: &Browser, name: &str, value: &str) {
    b.client
        .find(Locator::Css(&format!("input[name={name}]")))
        .await
        .unwrap_or_else(|e| panic!("input {name}: {e}"))
        .send_keys(value)
        .await
        .unwrap_or_else(|e| panic!("typing into {name}: {e}"));
}

/// Clicks `css` and waits for the page it brings.
async fn click(b: &Browser, css: &str) {
    let old = b.client.find(Locator::Css("html")).await.expect("a page");
    b.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
    b.wait_for_new_page(old).await;
}

#[actix_rt::test]
async fn oidc_a_person_signs_in_with_their_organisations_account_in_the_browser() {
    // The app listens on a port chosen first, so the provider knows the redirect URI.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let base = format!("http://127.0.0.1:{port}");
    let provider = TestProvider::start(&format!("{base}/auth/oidc/callback"), "normal");
    let config = provider.config(vec![]);
    let app = spawn_app_with(|s| {
        s.server.bind = format!("127.0.0.1:{port}");
        s.server.public_url = base.clone();
        s.auth.oidc = vec![config];
    })
    .await;
    // Given a consultant with an account
    let email = format!("konsult-{}@example.se", random_hex());
    let input = serde_json::from_value(json!({
        "email": email, "name": "Kim Konsult", "role": "consultant",
        "password": crate::app::PASSWORD,
    }))
    .expect("a new user");
    stegvis::app::users::create(&app.state, None, input).expect("the consultant is created");

    // The log-in page offers the provider
    let b = Browser::start(&app.address, "sv").await;
    b.goto("/login?lang=sv").await;
    let text = b.text().await;
    assert!(text.contains(&words("sv", "oidc.intro")), "{text}");
    assert!(text.contains(DISPLAY_NAME), "{text}");
    b.check("login-sso").await;

    // Its button leads to the provider's log-in form, then its consent
    click(&b, ".sso a").await;
    let at_provider = b.client.current_url().await.expect("a url");
    assert!(
        at_provider.as_str().starts_with(&provider.issuer),
        "{at_provider}"
    );
    type_into(&b, "login", &email).await;
    type_into(&b, "password", "whatever the provider asks").await;
    click(&b, "button[type=submit]").await;
    click(&b, "button[type=submit]").await;

    // And back in Stegvis the consultant is signed in, on their home page
    let home = b.client.current_url().await.expect("a url");
    assert!(home.as_str().starts_with(&base), "{home}");
    assert_ne!(home.path(), "/login", "{home}");
    let source = b.source().await;
    assert!(source.contains("Kim Konsult"), "{source}");

    // A callback whose state is not this browser's is refused with a clear page
    b.logout().await;
    b.goto("/auth/oidc/callback?state=not-a-state&code=x&lang=sv")
        .await;
    let text = b.text().await;
    assert!(text.contains(&words("sv", "oidc.refused.title")), "{text}");
    assert!(text.contains(&words("sv", "oidc.refused.state")), "{text}");
    b.check("oidc-refused").await;
    b.goto("/auth/oidc/callback?state=not-a-state&code=x&lang=en")
        .await;
    let text = b.text().await;
    assert!(text.contains(&words("en", "oidc.refused.title")), "{text}");
    // and no session: the home page is the log-in
    b.goto("/").await;
    assert_eq!(b.path().await, "/login");
}
