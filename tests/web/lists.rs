//! A list in Chromium, by keyboard and by its links (issue 15): the unit list is
//! searched, filtered, sorted and paged; every step keeps the others in the URL and
//! changes the rows; axe-core clean, and at 360 px.

use fantoccini::key::Key;
use fantoccini::Locator;
use stegvis::app::headcount::Headcount;
use stegvis::app::inputs::NewUnit;
use stegvis::app::organisations;

use crate::app::{spawn_app, PASSWORD};
use crate::browser::Browser;
use crate::plans::{admin_of, organisation_with_unit};

/// The query string of the page the browser shows, decoded.
async fn query(b: &Browser) -> Vec<(String, String)> {
    let url = b.client.current_url().await.expect("url");
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The unit names in the table, in order.
async fn units(b: &Browser) -> Vec<String> {
    let mut names = Vec::new();
    for cell in b
        .client
        .find_all(Locator::Css("tbody tr td:first-child"))
        .await
        .expect("the rows")
    {
        names.push(cell.text().await.expect("a name"));
    }
    names
}

/// Follows the link `css` and waits for its page.
async fn follow(b: &Browser, css: &str) {
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
async fn the_unit_list_is_searched_filtered_sorted_and_paged_in_the_browser() {
    // Given Alfa kommun with 25 units (Alfa 01 with 12 staff, Alfa 02 … Alfa 25 with
    // 2 … 25) and Beta region with one
    let app = spawn_app().await;
    let admin = admin_of(&app);
    let (alfa, _) = organisation_with_unit(&app, &admin, "Alfa kommun", "Alfa 01");
    for n in 2..=25 {
        organisations::create_unit(
            &app.state,
            &admin,
            &alfa,
            NewUnit {
                name: format!("Alfa {n:02}").into(),
                department: None,
                headcount: Headcount::parse("headcount", n).expect("a headcount"),
                contact_email: None,
            },
        )
        .expect("a unit");
    }
    organisation_with_unit(&app, &admin, "Beta region", "Beta enhet");
    let b = Browser::start(&app.address, "sv").await;
    b.login(&app.admin_email, PASSWORD).await;
    b.goto("/admin/units").await;
    b.check("units").await;
    b.check_at_360("units", &app.dir).await;
    assert!(
        b.text().await.contains("Visar 1–20 av 26"),
        "{}",
        b.text().await
    );

    // When the admin types a search, chooses Alfa kommun and presses Enter
    b.select_label("#list-organisation", "Alfa kommun").await;
    let old = b.client.find(Locator::Css("html")).await.expect("a page");
    b.client
        .find(Locator::Id("list-q"))
        .await
        .expect("the search field")
        .send_keys(&format!("alfa{}", Key::Enter))
        .await
        .expect("typed");
    b.wait_for_new_page(old).await;
    // Then the URL holds both, and Beta's unit is gone
    let asked = query(&b).await;
    assert!(asked.contains(&("q".into(), "alfa".into())), "{asked:?}");
    assert!(
        asked.contains(&("organisation".into(), alfa.clone())),
        "{asked:?}"
    );
    assert!(
        b.text().await.contains("Visar 1–20 av 25"),
        "{}",
        b.text().await
    );
    let by_name = units(&b).await;
    assert_eq!(
        by_name.first().map(String::as_str),
        Some("Alfa 01"),
        "{by_name:?}"
    );
    assert!(!by_name.iter().any(|n| n == "Beta enhet"), "{by_name:?}");

    // When they sort by headcount twice (the largest first)
    follow(&b, "thead a[href*='sort=headcount']").await;
    follow(&b, "thead a[href*='sort=headcount']").await;
    let asked = query(&b).await;
    for kept in [("q", "alfa"), ("sort", "headcount"), ("dir", "desc")] {
        assert!(asked.contains(&(kept.0.into(), kept.1.into())), "{asked:?}");
    }
    assert!(
        asked.contains(&("organisation".into(), alfa.clone())),
        "{asked:?}"
    );
    let by_size = units(&b).await;
    assert_eq!(
        by_size.first().map(String::as_str),
        Some("Alfa 25"),
        "{by_size:?}"
    );
    assert_ne!(by_size, by_name);
    let sorted = b
        .client
        .find(Locator::Css("th[aria-sort='descending']"))
        .await
        .expect("the sorted column says so");
    assert!(sorted
        .text()
        .await
        .expect("text")
        .contains("Antal medarbetare"));

    // When they go to the next page
    follow(&b, "nav.pager a[rel='next']").await;
    let asked = query(&b).await;
    for kept in [
        ("q", "alfa"),
        ("sort", "headcount"),
        ("dir", "desc"),
        ("page", "2"),
    ] {
        assert!(asked.contains(&(kept.0.into(), kept.1.into())), "{asked:?}");
    }
    assert!(
        b.text().await.contains("Visar 21–25 av 25"),
        "{}",
        b.text().await
    );
    let rest = units(&b).await;
    // Alfa 01 (12 staff) went before Alfa 12 on page 1: equal sizes go by name
    assert_eq!(
        rest,
        ["Alfa 06", "Alfa 05", "Alfa 04", "Alfa 03", "Alfa 02"]
    );
    b.check("units-page-2").await;

    // "Rensa" empties the search and the filter
    follow(&b, "form.list-filters a").await;
    assert!(query(&b).await.is_empty(), "{:?}", query(&b).await);
    assert!(
        b.text().await.contains("Visar 1–20 av 26"),
        "{}",
        b.text().await
    );
}
