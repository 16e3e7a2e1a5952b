//! Every role's pages on a 390 px phone and a 1280 px laptop: each demo role logs in
//! and opens its start page, every page of its menu and, where it has them, a case
//! page and a dashboard. At both widths the page must not scroll sideways, no element
//! inside `main` may reach past the window's edge, axe-core finds nothing serious or
//! critical, and a screenshot is saved (the test's directory, copied to
//! target/screenshots/ so CI keeps them; the paths are printed).

use std::path::{Path, PathBuf};

use fantoccini::Locator;
use serde_json::Value;
use stegvis::app::demo::{self, DemoLogin, DEMO_PASSWORD};
use stegvis::domain::Role;

use crate::app::spawn_empty_app;
use crate::browser::Browser;

/// The widths every page is shown at: a phone and a laptop.
const WIDTHS: [u32; 2] = [390, 1280];

/// Elements inside `main` whose box reaches past the window's left or right edge
/// (visually hidden ones, 1 px or smaller, excepted), described for the failure.
const OVERFLOW: &str = "\
    const w = window.innerWidth;\
    return [w, document.documentElement.scrollWidth, Array.from(document.querySelectorAll('main *'))\
      .filter(e => { const r = e.getBoundingClientRect(); \
        return r.width > 1 && r.height > 1 && (r.right > w + 0.5 || r.left < -0.5); })\
      .slice(0, 8)\
      .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + \
        (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\\s+/g, '.') : '') + \
        ' ' + Math.round(e.getBoundingClientRect().width) + 'px: ' + (e.textContent || '').trim().slice(0, 40))];";

/// Pages with elements past the window's edge, named at the end of the walk.
static PAST_THE_EDGE: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Fails the test naming every page that had elements past the edge.
pub(crate) fn assert_nothing_past_the_edge() {
    let found = std::mem::take(&mut *PAST_THE_EDGE.lock().expect("the list"));
    assert!(
        found.is_empty(),
        "elements past the edge:\n{}",
        found.join("\n")
    );
}

/// Where this run's screenshots are kept for CI.
fn kept_dir(lang: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/screenshots")
        .join(format!("role-pages-{lang}"))
}

/// Shows the current page at each width: no sideways scrolling, nothing past the
/// edge, axe-core clean, and a screenshot of each.
pub(crate) async fn check_widths(b: &Browser, name: &str, dir: &Path) {
    for width in WIDTHS {
        b.client
            .set_window_size(width, 900)
            .await
            .expect("the window resizes");
        b.client.refresh().await.expect("reloads");
        let measured = b
            .client
            .execute(OVERFLOW, vec![])
            .await
            .expect("the widths");
        let inner = measured[0].as_u64().unwrap_or(0);
        let scroll = measured[1].as_u64().unwrap_or(u64::MAX);
        let wide: Vec<&str> = measured[2]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        assert_eq!(inner, u64::from(width), "the viewport of {name}");
        assert!(
            scroll <= inner,
            "{name} ({}) scrolls sideways at {width} px: scrollWidth {scroll}",
            b.path().await
        );
        if !wide.is_empty() {
            // Gathered, so one run names every page that does not fit.
            let found = format!("{name} ({}) at {width} px: {wide:#?}", b.path().await);
            PAST_THE_EDGE.lock().expect("the list").push(found);
        }
        let png = b.client.screenshot().await.expect("a screenshot");
        let file = dir.join(format!("{}-{name}-{width}.png", b.lang));
        std::fs::write(&file, &png).expect("the screenshot is saved");
        let kept = kept_dir(b.lang);
        std::fs::create_dir_all(&kept).expect("target/screenshots");
        std::fs::copy(&file, kept.join(file.file_name().expect("a name")))
            .expect("the screenshot is kept");
        println!("screenshot: {}", file.display());
        b.check(&format!("{name}-{width}")).await;
    }
}

/// The links of the main menu, in order.
async fn menu(b: &Browser) -> Vec<String> {
    let links = b
        .client
        .find_all(Locator::Css("nav ul a"))
        .await
        .expect("a menu");
    let mut hrefs = Vec::new();
    for link in links {
        if let Ok(Some(href)) = link.attr("href").await {
            if href.starts_with('/') && !hrefs.contains(&href) {
                hrefs.push(href);
            }
        }
    }
    hrefs
}

/// The first link inside `main` matching `css`, if the page has one.
async fn first_link(b: &Browser, css: &str) -> Option<String> {
    let link = b.client.find(Locator::Css(css)).await.ok()?;
    link.attr("href").await.ok().flatten()
}

/// A page's name for its screenshot: its path with `/` as `-` and ids shortened.
fn page_name(role: Role, path: &str) -> String {
    let parts: Vec<String> = path
        .trim_start_matches('/')
        .split(['/', '?', '&', '='])
        .filter(|p| !p.is_empty())
        .map(|p| {
            if p.len() > 20 {
                "id".to_string()
            } else {
                p.to_string()
            }
        })
        .collect();
    let page = if parts.is_empty() {
        "start".to_string()
    } else {
        parts.join("-")
    };
    format!("{}-{page}", role.as_str())
}

async fn every_role(lang: &'static str) {
    let app = spawn_empty_app().await;
    let logins: Vec<DemoLogin> = demo::load(&app.state).expect("the demo loads");
    let b = Browser::start(&app.address, lang).await;
    let mut shown = 0;
    for role in Role::ALL {
        let login = logins
            .iter()
            .find(|l| l.role == role)
            .unwrap_or_else(|| panic!("the demo has a {} log-in", role.as_str()));
        b.login(&login.email, DEMO_PASSWORD).await;
        let start = b.path().await;
        assert_ne!(start, "/login", "{} signs in", login.email);
        let mut pages = vec![start.clone()];
        for href in menu(&b).await {
            if !pages.contains(&href) {
                pages.push(href);
            }
        }
        // A case page and a dashboard, when the role's pages link to one.
        for (list, css) in [
            ("/cases", "main a[href^='/cases/']"),
            ("/audits", "main a[href^='/audits/']"),
        ] {
            if pages.iter().any(|p| p == list) {
                b.goto(list).await;
                if let Some(href) = first_link(&b, css).await {
                    pages.push(href);
                }
            }
        }
        for path in &pages {
            b.goto(path).await;
            if let Some(href) = first_link(&b, "main a[href$='/dashboard']").await {
                if !pages.contains(&href) && path == &start {
                    b.goto(&href).await;
                    check_widths(&b, &page_name(role, &href), &app.dir).await;
                    shown += 1;
                    b.goto(path).await;
                }
            }
            check_widths(&b, &page_name(role, path), &app.dir).await;
            shown += 1;
        }
        b.logout().await;
    }
    assert_nothing_past_the_edge();
    assert!(shown >= 10, "every role's pages were shown: {shown}");
    b.client.clone().close().await.ok();
}

#[actix_rt::test]
async fn every_roles_pages_fit_a_390_px_phone_and_a_laptop_in_swedish() {
    every_role("sv").await;
}

#[actix_rt::test]
async fn every_roles_pages_fit_a_390_px_phone_and_a_laptop_in_english() {
    every_role("en").await;
}

/// Prints the current page as chromium does (WebDriver's Print command, print media):
/// the PDF's text as pdftotext reads it and its number of pages.
async fn printed(b: &Browser, dir: &Path, name: &str) -> (String, usize) {
    let pdf = b
        .client
        .print(fantoccini::wd::PrintConfiguration::default())
        .await
        .expect("the page prints");
    let file = dir.join(format!("{}-{name}-print.pdf", b.lang));
    std::fs::write(&file, &pdf).expect("the print is saved");
    let kept = kept_dir(b.lang);
    std::fs::create_dir_all(&kept).expect("target/screenshots");
    std::fs::copy(&file, kept.join(file.file_name().expect("a name"))).expect("kept");
    println!("print: {}", file.display());
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext is installed (poppler-utils; .ci/run installs it)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // pdftotext ends every page with a form feed.
    let pages = text.matches('\u{c}').count();
    (text, pages)
}

#[actix_rt::test]
async fn the_case_page_and_the_dashboard_print_their_content_without_menu_or_forms() {
    let app = spawn_empty_app().await;
    let logins: Vec<DemoLogin> = demo::load(&app.state).expect("the demo loads");
    let b = Browser::start(&app.address, "sv").await;
    let words = |key: &str| crate::browser::words("sv", key);

    // A consultant's case page, full of forms on screen
    let consultant = logins
        .iter()
        .find(|l| l.role == Role::Consultant)
        .expect("a consultant");
    b.login(&consultant.email, DEMO_PASSWORD).await;
    b.goto("/cases").await;
    let case = first_link(&b, "main a[href^='/cases/']")
        .await
        .expect("the consultant has a case");
    b.goto(&case).await;
    let on_screen = b.source().await;
    assert!(
        on_screen.contains("<form"),
        "the case page has forms on screen"
    );
    let (text, pages) = printed(&b, &app.dir, "case").await;
    for shown in [words("case.path"), words("case.history")] {
        assert!(text.contains(&shown), "the print has {shown:?}: {text}");
    }
    for hidden in [
        words("layout.logout"),
        words("layout.nav"),
        words("nav.profile"),
        words("layout.footer"),
    ] {
        assert!(
            !text.contains(&hidden),
            "the print has no {hidden:?}: {text}"
        );
    }
    assert!(pages <= 4, "the case page prints on {pages} pages: {text}");
    b.logout().await;

    // The coordinator's dashboard
    let coordinator = logins
        .iter()
        .find(|l| l.role == Role::Coordinator)
        .expect("a coordinator");
    b.login(&coordinator.email, DEMO_PASSWORD).await;
    let dashboard = if b.path().await.ends_with("/dashboard") {
        b.path().await
    } else {
        first_link(&b, "a[href$='/dashboard']")
            .await
            .expect("the coordinator's dashboard")
    };
    b.goto(&dashboard).await;
    let (text, pages) = printed(&b, &app.dir, "dashboard").await;
    assert!(!text.contains(&words("layout.logout")), "{text}");
    assert!(pages <= 3, "the dashboard prints on {pages} pages: {text}");
    b.client.clone().close().await.ok();
}
