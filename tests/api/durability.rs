//! SQLite commits are durable by default: the served connections run with
//! `synchronous = FULL`, and `database.sqlite_synchronous` chooses otherwise. A batch
//! process (`stegvis jobs run`) lets its writer's log grow longer before it is copied.

use std::sync::Arc;

use diesel::sql_types::Integer;
use diesel::{sql_query, QueryableByName, RunQueryDsl};
use stegvis::clock::{Clock, ManualClock};
use stegvis::config::{Settings, SqliteSynchronous};
use stegvis::startup::Application;
use stegvis::store::{DbConnection, Store};

use crate::helpers::{random_hex, time, START};

#[derive(QueryableByName)]
struct Pragma {
    #[diesel(sql_type = Integer)]
    synchronous: i32,
}

fn synchronous_of(conn: &mut DbConnection) -> i32 {
    let DbConnection::Sqlite(conn) = conn else {
        panic!("an SQLite connection");
    };
    sql_query("PRAGMA synchronous")
        .get_result::<Pragma>(conn)
        .expect("the pragma answers")
        .synchronous
}

/// (a pooled read connection's, the writer's) `PRAGMA synchronous` of a served store.
async fn served_pragmas(configure: impl FnOnce(&mut Settings)) -> (i32, i32) {
    let dir = std::env::temp_dir().join(format!("stegvis-durability-{}", random_hex()));
    let url = format!("sqlite://{}", dir.join("stegvis.db").display());
    let mut settings = Settings::defaults_with_database(&url).expect("settings");
    settings.server.bind = "127.0.0.1:0".into();
    settings.data_dir = dir.join("data");
    settings.mail.file_dir = dir.join("mail");
    configure(&mut settings);
    let clock = Arc::new(ManualClock::new(time(START)));
    let application = Application::build(settings, clock as Arc<dyn Clock>)
        .await
        .expect("the application builds");
    let port = application.port();
    let store: Store = application.state().store.clone();
    let server = actix_rt::spawn(application.run_until_stopped());
    // A request is served, so the pool is in use.
    let ready = awc::Client::new()
        .get(format!("http://127.0.0.1:{port}/readyz"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(ready.status().as_u16(), 200);
    let read = synchronous_of(&mut store.conn().expect("a pooled connection"));
    let written = store
        .write(|conn| Ok::<_, stegvis::app::error::AppError>(synchronous_of(conn)))
        .expect("the writer answers");
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
    (read, written)
}

#[actix_rt::test]
async fn sqlite_commits_are_fsynced_before_they_are_acknowledged_by_default() {
    // FULL is 2 in SQLite's numbering
    assert_eq!(served_pragmas(|_| {}).await, (2, 2));
}

#[actix_rt::test]
async fn the_sqlite_synchronous_setting_chooses_otherwise() {
    let normal = served_pragmas(|s| {
        s.database.sqlite_synchronous = SqliteSynchronous::Normal;
    })
    .await;
    assert_eq!(normal, (1, 1));
}

#[derive(QueryableByName)]
struct Checkpoint {
    #[diesel(sql_type = Integer)]
    wal_autocheckpoint: i32,
}

fn checkpoint_pages_of(conn: &mut DbConnection) -> i32 {
    let DbConnection::Sqlite(conn) = conn else {
        panic!("an SQLite connection");
    };
    sql_query("PRAGMA wal_autocheckpoint")
        .get_result::<Checkpoint>(conn)
        .expect("the pragma answers")
        .wal_autocheckpoint
}

#[test]
fn a_batch_process_lets_the_writers_log_grow_and_the_readers_keep_the_default() {
    let dir = std::env::temp_dir().join(format!("stegvis-checkpoint-{}", random_hex()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let url = format!("sqlite://{}", dir.join("stegvis.db").display());
    let store = Store::connect(&url, 2).expect("the store opens");
    let writers = |store: &Store| {
        store
            .write(|conn| Ok::<_, stegvis::app::error::AppError>(checkpoint_pages_of(conn)))
            .expect("the writer answers")
    };
    assert_eq!(writers(&store), 1000, "SQLite's default");

    store.checkpoint_every(10_000).expect("set");
    assert_eq!(writers(&store), 10_000);
    assert_eq!(
        checkpoint_pages_of(&mut store.conn().expect("a pooled connection")),
        1000,
        "only the writer's commits copy the log"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
