//! The public complaint form, by keyboard alone: from the verification page's link
//! (the code filled in) through the form to the thank-you, axe-core clean and at
//! 360 px, in Swedish and English.

use fantoccini::key::Key;
use fantoccini::Locator;

use crate::app::spawn_empty_app;
use crate::browser::{words, Browser};

/// Presses Tab until the element matching `css` has the focus (at most 40 times).
pub(crate) async fn tab_to(b: &Browser, css: &str) {
    let target = b
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    for _ in 0..40 {
        let focused = b.client.active_element().await.expect("a focused element");
        if focused.element_id() == target.element_id() {
            return;
        }
        focused.send_keys(&Key::Tab.to_string()).await.expect("Tab");
    }
    panic!("{css} cannot be reached with Tab");
}

/// Types into, or presses Enter on, the focused element.
pub(crate) async fn keys(b: &Browser, keys: &str) {
    b.client
        .active_element()
        .await
        .expect("a focused element")
        .send_keys(keys)
        .await
        .expect("keys");
}

async fn complain(lang: &'static str) {
    let app = spawn_empty_app().await;
    crate::phone::demo_in_the_registry(&app);
    let b = Browser::start(&app.address, lang).await;

    // A certified demo unit's verification page, as the registry links it.
    b.goto(&format!("/registry?lang={lang}")).await;
    let verify = b
        .client
        .find(Locator::Css("ul.entries a[href^='/verify/']"))
        .await
        .expect("the registry lists a certified demo unit")
        .attr("href")
        .await
        .expect("href")
        .expect("href");
    let code = verify
        .trim_start_matches("/verify/")
        .split('?')
        .next()
        .expect("a code")
        .to_string();
    b.goto(&format!("/verify/{code}?lang={lang}")).await;
    tab_to(&b, "a[href^='/complaints/new']").await;
    let old = b.client.find(Locator::Css("html")).await.expect("a page");
    keys(&b, &Key::Enter.to_string()).await;
    b.wait_for_new_page(old).await;
    assert_eq!(b.path().await, "/complaints/new");
    let about = b
        .client
        .find(Locator::Id("complaint-about"))
        .await
        .expect("the code field")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(
        about.as_deref(),
        Some(code.as_str()),
        "the code is filled in"
    );
    b.check("complaint").await;
    b.check_at_360("complaint", &app.dir).await;

    tab_to(&b, "#complaint-text").await;
    keys(&b, "Granskningen gick för fort.").await;
    tab_to(&b, "#complaint button[type=submit]").await;
    let old = b.client.find(Locator::Css("html")).await.expect("a page");
    keys(&b, &Key::Enter.to_string()).await;
    b.wait_for_new_page(old).await;
    let thanks = words(lang, "complaint.received");
    assert!(b.text().await.contains(&thanks), "{}", b.text().await);
    b.check("complaint-received").await;
    assert_eq!(
        b.checked.lock().expect("checked pages").clone(),
        ["complaint", "complaint-360", "complaint-received"],
        "axe-core checked every page of the complaint"
    );
    b.client.clone().close().await.ok();
}

#[actix_rt::test]
async fn a_complaint_is_filed_from_the_verification_page_by_keyboard_in_swedish() {
    complain("sv").await;
}

#[actix_rt::test]
async fn a_complaint_is_filed_from_the_verification_page_by_keyboard_in_english() {
    complain("en").await;
}
