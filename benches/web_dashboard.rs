//! Benchmark (not a test): the coordinator's dashboard of an organisation with 10,000
//! cases, over HTTP against the real server. Prints p50, p95 and p99.
//!
//!     cargo bench --bench web_dashboard            # SQLite in a temp dir
//!     STEGVIS_BENCH_DATABASE=postgres://postgres@127.0.0.1:5432/bench cargo bench --bench web_dashboard
//!
//! Seeding goes through the service functions (one transaction per enrolment), so it
//! takes a while; only the page requests are timed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark that cannot go on should stop loudly"
)]

use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, Utc};
use stegvis::app::cases::Precondition;
use stegvis::app::email::EmailAddress;
use stegvis::app::headcount::Headcount;
use stegvis::app::inputs::{
    NewCase, NewOrganisation, NewSession, NewUnit, NewUser, TransitionRequest,
};
use stegvis::app::{auth, cases, organisations, programmes, users, PageRequest};
use stegvis::clock::{Clock, ManualClock};
use stegvis::config::Settings;
use stegvis::domain::{Actor, Role, SessionKind};
use stegvis::startup::Application;

const CASES: usize = 10_000;
const REQUESTS: usize = 200;

fn main() {
    actix_rt::System::new().block_on(run());
}

async fn run() {
    let dir = std::env::temp_dir().join(format!("stegvis-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = std::env::var("STEGVIS_BENCH_DATABASE")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.join("bench.db").display()));
    let mut settings = Settings::defaults_with_database(&url).expect("settings");
    settings.server.bind = "127.0.0.1:0".into();
    settings.data_dir = dir.join("data");
    let start = Utc::now() - Duration::days(120);
    let clock = Arc::new(ManualClock::new(start));
    let app = Application::build(settings, clock.clone() as Arc<dyn Clock>)
        .await
        .expect("builds");
    let port = app.port();
    let state = app.state();
    actix_rt::spawn(app.run_until_stopped());

    let seeded = Instant::now();
    let admin = Actor {
        id: "bench-admin".into(),
        role: Role::Admin,
        organisation_id: None,
        unit_id: None,
    };
    let org = organisations::create(
        &state,
        &admin,
        NewOrganisation {
            name: "Benchmark kommun".into(),
            org_number: None,
        },
    )
    .expect("org");
    let units: Vec<NewUnit> = (0..CASES)
        .map(|i| NewUnit {
            name: format!("Enhet {i:05}").into(),
            department: Some("Förvaltning".into()),
            headcount: Headcount::parse("headcount", 10).expect("a headcount"),
            contact_email: None,
        })
        .collect();
    let units = match organisations::import_units(&state, &admin, &org.id, units) {
        Ok(u) => u,
        Err(_) => panic!("the units import"),
    };
    let programme = programmes::list(
        &state,
        PageRequest {
            limit: 1,
            cursor: None,
        },
    )
    .expect("programmes")
    .items
    .remove(0);
    let consultant = users::create(
        &state,
        Some(&admin),
        NewUser {
            email: EmailAddress::sent("bench-consultant@example.se"),
            name: "Bench Consultant".into(),
            role: Role::Consultant,
            organisation_id: None,
            unit_id: None,
            language: None,
            password: Some("benchmark password".into()),
        },
    )
    .expect("consultant");
    let consultant = Actor {
        id: consultant.id,
        role: Role::Consultant,
        organisation_id: None,
        unit_id: None,
    };
    for (i, unit) in units.iter().enumerate() {
        let case = cases::enrol(
            &state,
            &consultant,
            NewCase {
                unit_id: unit.id.clone(),
                programme_id: programme.id.clone(),
                consultant_id: None,
            },
        )
        .expect("enrol");
        // A third move on to value workshops, so the history has stage changes.
        if i % 3 == 0 {
            let at = (clock.now() - Duration::days(2)).fixed_offset();
            let session = cases::schedule_session(
                &state,
                &consultant,
                &case.id,
                NewSession {
                    kind: SessionKind::Kickoff,
                    title: "Uppstart".into(),
                    starts_at: at,
                    ends_at: at + Duration::hours(2),
                    location: None,
                    audience: None,
                    themes: Vec::new(),
                    notes: None,
                },
            )
            .expect("session");
            cases::record_attendance(&state, &consultant, &case.id, &session.id, 9)
                .expect("attendance");
            clock.advance(Duration::minutes(7));
            let input: TransitionRequest =
                serde_json::from_value(serde_json::json!({"action": "advance"})).expect("input");
            cases::transition(&state, &consultant, &case.id, Precondition::Any, input)
                .expect("advance");
        }
    }
    clock.set(Utc::now());
    users::create(
        &state,
        Some(&admin),
        NewUser {
            email: EmailAddress::sent("bench-coordinator@example.se"),
            name: "Bench Coordinator".into(),
            role: Role::Coordinator,
            organisation_id: Some(org.id.clone()),
            unit_id: None,
            language: None,
            password: Some("benchmark password".into()),
        },
    )
    .expect("coordinator");
    let token = auth::login(
        &state,
        "bench-coordinator@example.se",
        "benchmark password",
        "127.0.0.1",
    )
    .expect("login")
    .token;
    eprintln!(
        "seeded {CASES} cases in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );

    let client = awc::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .finish();
    let url = format!("http://127.0.0.1:{port}/organisations/{}/dashboard", org.id);
    let mut times = Vec::with_capacity(REQUESTS);
    for i in 0..REQUESTS + 10 {
        let started = Instant::now();
        let mut response = client
            .get(&url)
            .insert_header(("Cookie", format!("stegvis_session={token}")))
            .send()
            .await
            .expect("answers");
        let body = response.body().limit(8 * 1024 * 1024).await.expect("body");
        assert!(response.status().is_success(), "{}", response.status());
        assert!(body.len() > 1000);
        if i >= 10 {
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!("coordinator dashboard, {CASES} cases, {REQUESTS} requests: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms", pct(0.50), pct(0.95), pct(0.99));
    let _ = std::fs::remove_dir_all(&dir);
}
