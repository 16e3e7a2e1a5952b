//! Group commit on SQLite's writer thread (src/store/writer): the writes waiting
//! together commit in one transaction, each in its own savepoint; a write that fails
//! changes nothing and the others are kept; a failed COMMIT keeps none of them. Always
//! on SQLite (the writer thread exists only there), whatever the suite's backend.

use std::sync::mpsc;

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{sql_query, QueryableByName, RunQueryDsl};
use stegvis::app::error::AppError;
use stegvis::store::{DbConnection, Store};

use crate::helpers::random_hex;

/// Writes held back until they all wait in the queue together.
const WRITES: usize = 16;

struct Probe {
    store: Store,
    dir: std::path::PathBuf,
}

impl Drop for Probe {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A served-like store on a fresh SQLite file with `WRITES` probes at version 0; an
/// event row refers to its probe, checked at COMMIT (a deferred foreign key).
fn a_store_with_probes() -> Probe {
    let dir = std::env::temp_dir().join(format!("stegvis-group-commit-{}", random_hex()));
    let url = format!("sqlite://{}", dir.join("stegvis.db").display());
    let store = Store::connect(&url, 2).expect("the store opens");
    let mut setup = "CREATE TABLE probes (id TEXT PRIMARY KEY, version BIGINT NOT NULL); \
         CREATE TABLE probe_events (probe_id TEXT NOT NULL \
           REFERENCES probes(id) DEFERRABLE INITIALLY DEFERRED, version BIGINT NOT NULL);"
        .to_string();
    for i in 0..WRITES {
        setup.push_str(&format!("INSERT INTO probes VALUES ('{}', 0);", probe(i)));
    }
    store
        .conn()
        .expect("a connection")
        .batch_execute(&setup)
        .expect("the probes are created");
    Probe { store, dir }
}

fn probe(i: usize) -> String {
    format!("probe-{i:02}")
}

/// The command: records an event, then moves the probe on from `expected`; a stale
/// `expected` is refused after the event row was written (so a kept savepoint shows).
fn bump(conn: &mut DbConnection, id: &str, expected: i64) -> Result<i64, AppError> {
    sql_query("INSERT INTO probe_events (probe_id, version) VALUES (?, ?)")
        .bind::<Text, _>(id)
        .bind::<BigInt, _>(expected + 1)
        .execute(conn)?;
    let moved = sql_query("UPDATE probes SET version = version + 1 WHERE id = ? AND version = ?")
        .bind::<Text, _>(id)
        .bind::<BigInt, _>(expected)
        .execute(conn)?;
    if moved == 0 {
        return Err(AppError::PreconditionFailed {
            sent: expected.to_string(),
        });
    }
    Ok(expected + 1)
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Row {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = BigInt)]
    version: i64,
}

/// (probes, events) as committed, read on a pooled connection.
fn committed(store: &Store) -> (Vec<Row>, Vec<Row>) {
    let mut conn = store.conn().expect("a connection");
    let probes = sql_query("SELECT id, version FROM probes ORDER BY id")
        .load(&mut conn)
        .expect("probes");
    let events = sql_query("SELECT probe_id AS id, version FROM probe_events ORDER BY id")
        .load(&mut conn)
        .expect("events");
    (probes, events)
}

/// Runs `write(i)` for every probe from its own thread while the writer thread is held,
/// releases it once all of them wait in its queue, and answers their outcomes in order,
/// how many group commits ran (the held write's included) and the size of the last.
fn together<W>(store: &Store, write: W) -> (Vec<Result<i64, AppError>>, u64, usize)
where
    W: Fn(&mut DbConnection, usize) -> Result<i64, AppError> + Sync,
{
    let (held, is_held) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    std::thread::scope(|s| {
        let holder = s.spawn(move || {
            store.write(move |_| {
                held.send(()).expect("the test waits");
                released.recv().expect("the test releases");
                Ok::<_, AppError>(())
            })
        });
        is_held.recv().expect("the writer is held");
        let before = store.writer_status().expect("a writer thread");
        let write = &write;
        let writers: Vec<_> = (0..WRITES)
            .map(|i| s.spawn(move || store.write(|conn| write(conn, i))))
            .collect();
        while store.writer_status().expect("a writer").handed_over
            < before.handed_over + WRITES as u64
        {
            std::thread::yield_now();
        }
        release.send(()).expect("the holder waits");
        holder
            .join()
            .expect("no panic")
            .expect("the holder commits");
        let outcomes = writers
            .into_iter()
            .map(|w| w.join().expect("the writer's caller does not panic"))
            .collect();
        let after = store.writer_status().expect("a writer");
        assert_eq!(after.depth, 0);
        (outcomes, after.groups - before.groups, after.last_group)
    })
}

#[test]
fn a_write_that_fails_its_version_check_in_a_group_changes_nothing_and_the_others_commit() {
    // Given sixteen probes at version 0
    let probes = a_store_with_probes();
    let stale = 7;
    // When sixteen writes wait together and the eighth sends a stale version
    let (outcomes, groups, group) = together(&probes.store, |conn, i| {
        let expected = if i == stale { 5 } else { 0 };
        bump(conn, &probe(i), expected)
    });
    // Then they ran as one group commit: the stale one is refused, the others answered
    assert_eq!(
        (groups, group),
        (2, WRITES),
        "the held write, then one group"
    );
    for (i, outcome) in outcomes.iter().enumerate() {
        match outcome {
            Err(AppError::PreconditionFailed { sent }) if i == stale => assert_eq!(sent, "5"),
            Ok(version) if i != stale => assert_eq!(*version, 1),
            other => panic!("write {i}: {other:?}"),
        }
    }
    // And exactly the others are on disk; the stale one left neither event nor version
    let (rows, events) = committed(&probes.store);
    for (i, row) in rows.iter().enumerate() {
        let expected = if i == stale { 0 } else { 1 };
        assert_eq!(row.version, expected, "{}", row.id);
    }
    assert_eq!(events.len(), WRITES - 1);
    assert!(events
        .iter()
        .all(|e| e.id != probe(stale) && e.version == 1));
}

#[test]
fn when_the_group_commit_fails_no_write_of_the_group_is_kept_and_each_hears_it() {
    // Given sixteen probes
    let probes = a_store_with_probes();
    // When one of sixteen writes waiting together records an event of no probe, which
    // the database refuses only at COMMIT (a deferred foreign key)
    let (outcomes, groups, group) = together(&probes.store, |conn, i| {
        let id = if i == 3 {
            "no-such-probe".to_string()
        } else {
            probe(i)
        };
        sql_query("INSERT INTO probe_events (probe_id, version) VALUES (?, 1)")
            .bind::<Text, _>(id)
            .execute(conn)?;
        bump(conn, &probe(i), 0)
    });
    // Then every write of the group is answered with the error, none as done
    assert_eq!(
        (groups, group),
        (2, WRITES),
        "the held write, then one group"
    );
    for (i, outcome) in outcomes.iter().enumerate() {
        assert!(
            matches!(outcome, Err(e) if format!("{e:?}").contains("FOREIGN KEY")),
            "write {i}: {outcome:?}"
        );
    }
    // And nothing of them is on disk
    let (rows, events) = committed(&probes.store);
    assert!(rows.iter().all(|r| r.version == 0));
    assert!(events.is_empty());
    // And the writer goes on serving
    let next = probes.store.write(|conn| bump(conn, &probe(0), 0));
    assert_eq!(next.expect("the next write commits"), 1);
}

#[test]
fn a_write_that_panics_costs_its_group_but_not_the_writer() {
    let probes = a_store_with_probes();
    // When one of sixteen writes waiting together panics
    let (outcomes, groups, _) = together(&probes.store, |conn, i| {
        if i == 5 {
            panic!("a bug in one write");
        }
        bump(conn, &probe(i), 0)
    });
    // Then every write is answered (none hangs), the ones after the panic in a group of
    // their own, and exactly the ones answered as done are kept
    assert!(groups <= 3, "{groups} group commits");
    let (rows, _) = committed(&probes.store);
    for (i, outcome) in outcomes.iter().enumerate() {
        let kept = rows[i].version == 1;
        assert_eq!(outcome.is_ok(), kept, "write {i}: {outcome:?}");
    }
    assert!(outcomes[5].is_err());
    let next = probes.store.write(|conn| bump(conn, &probe(5), 0));
    assert_eq!(next.expect("the next write commits"), 1);
}
