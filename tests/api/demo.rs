//! `stegvis demo`: every customer's programme, built through the same path definitions
//! as the API, with cases in every stage of each and histories that verify.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use stegvis::app::demo;
use stegvis::clock::{Clock, ManualClock};
use stegvis::config::Settings;
use stegvis::domain::policy::Visibility;
use stegvis::domain::Stage;
use stegvis::store::cases::{self, CaseFilter};
use stegvis::store::{facts, programmes, to_db};

use crate::helpers::{random_hex, time, TestDatabase, START};

#[actix_rt::test]
async fn the_demo_has_every_customers_programme_with_cases_in_every_stage_of_each() {
    let dir = std::env::temp_dir().join(format!("stegvis-demo-{}", random_hex()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut database = TestDatabase::create(&dir);
    let mut settings = Settings::defaults_with_database(&database.url).unwrap();
    settings.data_dir = dir.join("data");
    settings.mail.file_dir = dir.join("mail");
    let clock = Arc::new(ManualClock::new(time(START)));
    let state = stegvis::startup::prepare(settings, clock.clone() as Arc<dyn Clock>).unwrap();
    let logins = demo::load(&state).unwrap();
    assert!(logins.len() >= 6);

    let mut conn = state.store.conn().unwrap();
    let filter = CaseFilter {
        visibility: Visibility::Everything,
        organisation_id: None,
        unit_id: None,
        stage: None,
        status: None,
        consultant_id: None,
        auditor_id: None,
        overdue: None,
        now: to_db(clock.now()),
    };
    let all = cases::list(&mut conn, &filter, None, 1000).unwrap();
    let mut stages: BTreeMap<String, BTreeSet<Stage>> = BTreeMap::new();
    for (case, _, programme) in &all {
        stages
            .entry(programme.key.clone())
            .or_default()
            .insert(case.stage);
    }
    for key in [
        "samkrafter-hbtq",
        "hbtqi-certifiering",
        "framm-handledning",
        "mr-verkstader",
        "fran-vad-till-hur",
    ] {
        let row = programmes::latest_by_key(&mut conn, key)
            .unwrap()
            .unwrap_or_else(|| panic!("{key} is loaded"));
        let path = programmes::rules_of(&row).unwrap().path;
        let reached = stages.get(key).cloned().unwrap_or_default();
        assert_eq!(
            reached,
            path.stages().into_iter().collect::<BTreeSet<_>>(),
            "{key} has a case in every stage of its path"
        );
    }
    // FRAMM's supervision sessions carry notes about the group's work.
    let framm_case = all
        .iter()
        .find(|(case, _, p)| p.key == "framm-handledning" && case.stage == Stage::Certified)
        .unwrap();
    let sessions = facts::sessions_of(&mut conn, &framm_case.0.id).unwrap();
    let documented = sessions.iter().filter(|s| s.notes.is_some()).count();
    assert_eq!(
        documented, 5,
        "a mapping and four supervision sessions are documented"
    );
    // Helsingborg's plan for equal opportunities has its 17 actions, each with its
    // owners, some overdue.
    drop(conn);
    crate::plan_pages::demo_plan_has_17_actions(&state, &logins);
    drop(state);
    database.drop_best_effort();
    let _ = std::fs::remove_dir_all(&dir);
}
