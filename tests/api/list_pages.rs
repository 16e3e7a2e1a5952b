//! The list pages over plain HTTP (issue 15): the case list and the auditor's list
//! are searched, filtered, sorted and paged in SQL, with every parameter kept in the
//! URL and its links; bad parameters fall back to the defaults; another tenant's
//! rows never appear; the auditor's decided cases stay listed under "Beslutade".

use serde_json::json;

use crate::helpers::{spawn_app, TestApp};
use crate::web_session::Web;

/// A unit named `name` in `organisation_id`, enrolled by the consultant; its case.
async fn case_of(app: &TestApp, token: &str, organisation_id: &str, name: &str) -> String {
    let unit = app
        .post_units(
            &app.admin.token,
            organisation_id,
            &json!({ "name": name, "headcount": 10 }),
        )
        .await
        .should_be(201)
        .id();
    app.enrol(token, &unit).await.should_be(201).id()
}

/// The page as a browser reads it: the entities handlebars writes in links undone.
pub(crate) async fn read(web: &mut Web, path: &str) -> String {
    let page = web.get(path).await;
    assert_eq!(page.status, 200, "{path}: {}", page.text);
    page.text
        .replace("&#x3D;", "=")
        .replace("&amp;", "&")
        .replace("&#x27;", "'")
}

/// Where `needle` is on the page; panics when it is not there.
pub(crate) fn at(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is on the page: {html}"))
}

/// Two organisations: Alfa kommun with the units Enhet 01 … Enhet 23, Beta region
/// with Barn och unga and Äldreomsorg Öst; all enrolled by one consultant.
async fn twenty_five_cases(app: &TestApp) -> (String, String) {
    let consultant = app.create_user("consultant", None, None).await;
    let alfa = app.create_organisation("Alfa kommun").await;
    let beta = app.create_organisation("Beta region").await;
    for n in 1..=23 {
        case_of(app, &consultant.token, &alfa, &format!("Enhet {n:02}")).await;
    }
    case_of(app, &consultant.token, &beta, "Barn och unga").await;
    case_of(app, &consultant.token, &beta, "Äldreomsorg Öst").await;
    (alfa, beta)
}

#[actix_rt::test]
async fn the_case_list_is_paged_and_sorted_both_ways_with_the_order_kept_in_its_links() {
    // Given 25 cases in two organisations
    let app = spawn_app().await;
    twenty_five_cases(&app).await;
    let mut admin = Web::login(&app, &app.admin.email).await;

    // The first page shows 20 of them, the organisation beside each unit
    let first = read(&mut admin, "/cases").await;
    assert!(first.contains("Visar 1–20 av 25"), "{first}");
    assert!(
        first.contains("<td><span translate=\"no\">Alfa kommun</span></td>"),
        "{first}"
    );
    assert!(first.contains("href=\"/cases?page=2\""), "{first}");

    // Sorted by unit, ascending: Barn och unga first, Enhet 20 on page 2 only
    let up = read(&mut admin, "/cases?sort=unit&dir=asc").await;
    assert!(at(&up, "Barn och unga") < at(&up, "Enhet 01"), "{up}");
    assert!(at(&up, "Enhet 01") < at(&up, "Enhet 19"), "{up}");
    assert!(!up.contains("Enhet 20"), "{up}");
    assert!(up.contains("aria-sort=\"ascending\""), "{up}");
    // The sorted head turns the order round; the pager keeps it
    assert!(up.contains("href=\"/cases?sort=unit&dir=desc\""), "{up}");
    assert!(
        up.contains("href=\"/cases?sort=unit&dir=asc&page=2\""),
        "{up}"
    );
    let second = read(&mut admin, "/cases?sort=unit&dir=asc&page=2").await;
    assert!(second.contains("Visar 21–25 av 25"), "{second}");
    assert!(
        at(&second, "Enhet 20") < at(&second, "Enhet 23"),
        "{second}"
    );
    assert!(!second.contains("Enhet 19"), "{second}");
    assert!(!second.contains("Barn och unga"), "{second}");

    // Descending: Enhet 23 before Enhet 10, Barn och unga on the last page
    let down = read(&mut admin, "/cases?sort=unit&dir=desc").await;
    assert!(down.contains("aria-sort=\"descending\""), "{down}");
    assert!(at(&down, "Enhet 23") < at(&down, "Enhet 10"), "{down}");
    assert!(!down.contains("Barn och unga"), "{down}");
    let last = read(&mut admin, "/cases?sort=unit&dir=desc&page=2").await;
    assert!(last.contains("Barn och unga"), "{last}");

    // Sorted by organisation descending: Beta's units before Alfa's
    let orgs = read(&mut admin, "/cases?sort=organisation&dir=desc").await;
    assert!(
        at(&orgs, "<td><span translate=\"no\">Beta region</span></td>")
            < at(&orgs, "<td><span translate=\"no\">Alfa kommun</span></td>"),
        "{orgs}"
    );
}

#[actix_rt::test]
async fn search_and_filters_narrow_the_case_list_and_stay_in_the_pagers_links() {
    // Given 25 cases in two organisations
    let app = spawn_app().await;
    let (alfa, beta) = twenty_five_cases(&app).await;
    let mut admin = Web::login(&app, &app.admin.email).await;

    // A search in any case finds the unit, Swedish letters included
    let found = read(&mut admin, "/cases?q=%C3%A4LDRE").await;
    assert!(found.contains("Visar 1–1 av 1"), "{found}");
    assert!(found.contains("Äldreomsorg Öst"), "{found}");
    assert!(
        found.contains("value=\"äLDRE\""),
        "the search is kept: {found}"
    );
    assert!(found.contains("href=\"/cases\">Rensa</a>"), "{found}");
    // … and by the organisation's name
    let by_org = read(&mut admin, "/cases?q=beta").await;
    assert!(by_org.contains("Visar 1–2 av 2"), "{by_org}");
    // A wildcard is a character like any other
    let none = read(&mut admin, "/cases?q=%25").await;
    assert!(none.contains("Inget i listan matchar sökningen."), "{none}");

    // The organisation filter narrows, and is selected in its select
    let beta_only = read(&mut admin, &format!("/cases?organisation={beta}")).await;
    assert!(beta_only.contains("Visar 1–2 av 2"), "{beta_only}");
    assert!(!beta_only.contains("Enhet 01"), "{beta_only}");
    assert!(
        beta_only.contains(&format!(
            "<option value=\"{beta}\" selected translate=\"no\">"
        )),
        "{beta_only}"
    );
    // Stage and status filters, each with its words
    let kickoff = read(&mut admin, "/cases?stage=kickoff&status=active").await;
    assert!(kickoff.contains("Visar 1–20 av 25"), "{kickoff}");
    let audit = read(&mut admin, "/cases?stage=audit").await;
    assert!(
        audit.contains("Inget i listan matchar sökningen."),
        "{audit}"
    );
    let programme = read(&mut admin, "/cases?programme=inclusion-standard").await;
    assert!(programme.contains("av 25"), "{programme}");

    // The pager's links keep the search, the filter and the order
    let path = format!("/cases?q=enhet&organisation={alfa}&sort=unit&dir=desc");
    let narrowed = read(&mut admin, &path).await;
    assert!(narrowed.contains("Visar 1–20 av 23"), "{narrowed}");
    let next = format!("href=\"/cases?q=enhet&organisation={alfa}&sort=unit&dir=desc&page=2\"");
    assert!(narrowed.contains(&next), "{narrowed}");
    // … and so do the sortable heads (back to page 1)
    assert!(
        narrowed.contains(&format!(
            "href=\"/cases?q=enhet&organisation={alfa}&sort=stage&dir=asc\""
        )),
        "{narrowed}"
    );
    // … and the filter form, which carries the order unseen
    assert!(
        narrowed.contains("<input type=\"hidden\" name=\"sort\" value=\"unit\">"),
        "{narrowed}"
    );
    let page_two = read(&mut admin, &format!("{path}&page=2")).await;
    assert!(page_two.contains("Visar 21–23 av 23"), "{page_two}");
    assert!(
        at(&page_two, "Enhet 03") < at(&page_two, "Enhet 01"),
        "{page_two}"
    );
    assert!(!page_two.contains("Beta region</td>"), "{page_two}");
}

#[actix_rt::test]
async fn bad_list_parameters_fall_back_to_the_defaults_and_never_fail() {
    let app = spawn_app().await;
    twenty_five_cases(&app).await;
    let mut admin = Web::login(&app, &app.admin.email).await;
    for path in [
        "/cases?sort=password&dir=sideways&page=-3",
        "/cases?page=abc&stage=nowhere&status=x&organisation=nobody&programme=none",
        "/cases?page=99999999999999999999&q=",
        "/cases?sort=unit&sort=stage&%ZZ",
        "/cases?q=%01%1F",
    ] {
        let page = read(&mut admin, path).await;
        assert!(page.contains("Visar 1–20 av 25"), "{path}: {page}");
    }
    // A page past the end shows the last page
    let past = read(&mut admin, "/cases?page=9").await;
    assert!(past.contains("Visar 21–25 av 25"), "{past}");
    assert!(past.contains("Sida 2 av 2"), "{past}");
    // In English, the words are English
    let english = read(&mut admin, "/cases?lang=en&page=2").await;
    assert!(english.contains("Showing 21–25 of 25"), "{english}");
}

#[actix_rt::test]
async fn another_tenants_and_colleagues_cases_never_appear_in_a_list() {
    // Given a case in each of two organisations, and a second consultant's case
    let app = spawn_app().await;
    let (alfa, beta) = (
        app.create_organisation("Alfa kommun").await,
        app.create_organisation("Beta region").await,
    );
    let anna = app.create_user("consultant", None, None).await;
    let bert = app.create_user("consultant", None, None).await;
    case_of(&app, &anna.token, &alfa, "Alfas enhet").await;
    case_of(&app, &anna.token, &beta, "Betas enhet").await;
    case_of(&app, &bert.token, &alfa, "Berts enhet").await;
    let coordinator = app.create_user("coordinator", Some(&alfa), None).await;

    // The coordinator of Alfa sees Alfa's cases only, whatever the URL asks
    let mut web = Web::login(&app, &coordinator.email).await;
    for path in [
        "/cases".to_string(),
        format!("/cases?organisation={beta}"),
        "/cases?q=Beta".to_string(),
        "/cases?sort=organisation&dir=desc".to_string(),
    ] {
        let page = read(&mut web, &path).await;
        assert!(!page.contains("Betas enhet"), "{path}: {page}");
        assert!(!page.contains("Beta region"), "{path}: {page}");
    }
    let own = read(&mut web, "/cases").await;
    assert!(
        own.contains("Alfas enhet") && own.contains("Berts enhet"),
        "{own}"
    );
    assert!(own.contains("Visar 1–2 av 2"), "{own}");

    // A consultant's list holds the cases she runs, not a colleague's
    let mut web = Web::login(&app, &anna.email).await;
    let mine = read(&mut web, "/cases").await;
    assert!(mine.contains("Visar 1–2 av 2"), "{mine}");
    assert!(!mine.contains("Berts enhet"), "{mine}");
    let searched = read(&mut web, "/cases?q=bert").await;
    assert!(
        searched.contains("Inget i listan matchar sökningen."),
        "{searched}"
    );
}

#[actix_rt::test]
async fn a_decided_audit_stays_on_the_auditors_list_under_beslutade() {
    // Given a case in audit
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    let mut auditor = Web::login(&app, &world.auditor.email).await;
    let audit_link = format!("href=\"/audits/{}\"", world.case_id);
    let case_link = format!("href=\"/cases/{}\"", world.case_id);

    // It awaits the auditor; nothing is decided yet
    let awaiting = read(&mut auditor, "/audits").await;
    assert!(awaiting.contains(&audit_link), "{awaiting}");
    assert!(
        awaiting.contains("href=\"/audits\" aria-current=\"page\""),
        "{awaiting}"
    );
    let decided = read(&mut auditor, "/audits?view=decided").await;
    assert!(
        decided.contains("Du har inte beslutat om någon granskning ännu."),
        "{decided}"
    );

    // When the auditor approves it
    app.transition(
        &world.auditor.token,
        &world.case_id,
        &json!({ "action": "approve", "findings": [] }),
    )
    .await
    .should_be(200);

    // Then it has left the awaiting list and is listed as decided, linked to the case
    let awaiting = read(&mut auditor, "/audits").await;
    assert!(!awaiting.contains(&audit_link), "{awaiting}");
    assert!(
        awaiting.contains("Inga ärenden väntar på din granskning."),
        "{awaiting}"
    );
    let decided = read(&mut auditor, "/audits?view=decided").await;
    assert!(decided.contains(&case_link), "{decided}");
    assert!(decided.contains("Certifierad"), "{decided}");
    assert!(
        decided.contains("href=\"/audits?view=decided\" aria-current=\"page\""),
        "{decided}"
    );
    // The tab is kept by the search form and by "Rensa"
    assert!(
        decided.contains("<input type=\"hidden\" name=\"view\" value=\"decided\">"),
        "{decided}"
    );
    let searched = read(&mut auditor, "/audits?view=decided&q=nothing-like-it").await;
    assert!(
        searched.contains("href=\"/audits?view=decided\">Rensa</a>"),
        "{searched}"
    );
    // Another auditor's lists do not hold it
    let other = app.create_user("auditor", None, None).await;
    let mut web = Web::login(&app, &other.email).await;
    let theirs = read(&mut web, "/audits?view=decided").await;
    assert!(!theirs.contains(&case_link), "{theirs}");
}
