//! The pure core: folding a long history, deciding on it, and the hash chain.
//! `cargo bench --bench domain`; figures in docs/benchmarks.md.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark that cannot go on should stop loudly"
)]

use chrono::{DateTime, Duration, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use stegvis::app::projection::chain;
use stegvis::domain::evolve::evolve_all;
use stegvis::domain::hash::{verify_chain, EventRecord, GENESIS_HASH};
use stegvis::domain::{
    decide, Actor, CaseFacts, CaseState, Change, Command, Event, Facts, HeldSession,
    ProgrammeRules, Role, SessionKind, Transition,
};

const LONG: usize = 10_000;

fn at(i: usize) -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000) + Duration::minutes(i as i64)
}

/// Enrolment, then sessions scheduled and attended, over and over.
fn long_history(n: usize) -> Vec<Event> {
    let event = |i: usize, change: Change| Event {
        at: at(i),
        actor_id: Some("consultant".into()),
        comment: None,
        change,
    };
    let mut events = vec![event(
        0,
        Change::Enrolled {
            consultant_id: Some("consultant".into()),
            stage_due_at: Some(at(0) + Duration::days(30)),
        },
    )];
    for i in 1..n {
        let session_id = format!("session-{}", i / 2);
        events.push(event(
            i,
            if i % 2 == 1 {
                Change::SessionScheduled {
                    session_id,
                    session_kind: SessionKind::Kickoff,
                    title: "Uppstart".into(),
                    starts_at: at(i),
                    ends_at: at(i) + Duration::hours(2),
                    location: Some("Stadshuset".into()),
                    audience: None,
                    themes: Vec::new(),
                }
            } else {
                Change::AttendanceRecorded {
                    session_id,
                    attended: 12,
                }
            },
        ));
    }
    events
}

fn records(n: usize) -> Vec<(EventRecord, String)> {
    let rows = chain("case-1", 0, GENESIS_HASH, &long_history(n));
    rows.into_iter()
        .map(|r| {
            let record = EventRecord {
                case_id: r.case_id,
                seq: r.seq as u64,
                at: DateTime::from_naive_utc_and_offset(r.at, Utc),
                actor_id: r.actor_id,
                kind: r.kind,
                from_stage: r.from_stage,
                to_stage: r.to_stage,
                comment: r.comment,
                data: serde_json::from_str(&r.data).expect("stored data is JSON"),
                prev_hash: r.prev_hash,
            };
            (record, r.hash)
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let history = long_history(LONG);
    c.bench_function("evolve_all over 10k events", |b| {
        b.iter(|| evolve_all(CaseState::blank(), black_box(&history)))
    });

    let state = evolve_all(CaseState::blank(), &history);
    let consultant = Actor {
        id: "consultant".into(),
        role: Role::Consultant,
        organisation_id: None,
        unit_id: None,
    };
    let rules = ProgrammeRules::inclusion_standard();
    let counts = CaseFacts {
        headcount: 12,
        sessions: (0..LONG / 2)
            .map(|_| HeldSession {
                kind: SessionKind::Kickoff,
                attended: 12,
                documented: false,
            })
            .collect(),
        ..CaseFacts::default()
    };
    let advance = Command::Transition {
        transition: Transition::Advance,
        comment: None,
    };
    c.bench_function("decide advance after 10k events", |b| {
        b.iter(|| {
            let facts = Facts {
                rules: &rules,
                counts: &counts,
            };
            decide(black_box(&state), &consultant, &advance, facts, at(LONG)).expect("allowed")
        })
    });

    let one = &records(2)[1].0;
    c.bench_function("EventRecord::hash", |b| b.iter(|| black_box(one).hash()));

    let new_events = &history[1..2];
    c.bench_function("chain one new event", |b| {
        b.iter(|| chain("case-1", 1, GENESIS_HASH, black_box(new_events)))
    });

    let stored = records(LONG);
    c.bench_function("verify_chain over 10k events", |b| {
        b.iter(|| verify_chain(black_box(&stored)).expect("unbroken"))
    });
}

criterion_group!(domain, benches);
criterion_main!(domain);
