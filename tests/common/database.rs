//! One database per test: a SQLite file in the test's directory, or a fresh
//! PostgreSQL database when `STEGVIS_TEST_BACKEND=postgres`.

use std::path::Path;

use diesel::pg::PgConnection;
use diesel::{Connection, RunQueryDsl};

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The test's database; a PostgreSQL one is dropped with the app.
pub struct TestDatabase {
    pub url: String,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// Creates the database the selected backend needs.
    pub fn create(dir: &Path) -> TestDatabase {
        let backend = std::env::var("STEGVIS_TEST_BACKEND").unwrap_or_else(|_| "sqlite".into());
        match backend.as_str() {
            "sqlite" => TestDatabase {
                url: format!("sqlite://{}", dir.join("stegvis.db").display()),
                postgres: None,
            },
            "postgres" => Self::create_postgres(),
            other => panic!("STEGVIS_TEST_BACKEND is sqlite or postgres, not {other:?}"),
        }
    }

    /// A fresh PostgreSQL database whatever backend the suite runs on, for what only
    /// PostgreSQL deploys (several instances on one database).
    #[allow(dead_code)]
    pub fn postgres() -> TestDatabase {
        Self::create_postgres()
    }

    fn create_postgres() -> TestDatabase {
        let base = std::env::var("STEGVIS_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.into());
        // Before this process's first PostgreSQL connection, as `stegvis` does: a test
        // process must not crash in exit() after its test passed.
        let _ = stegvis::store::exit::keep_openssl_cleanup_out_of_exit();
        let name = format!("stegvis_test_{}", super::random_hex());
        // The postgres backend was asked for: an unreachable server fails the test.
        let mut conn = PgConnection::establish(&base)
            .unwrap_or_else(|e| panic!("PostgreSQL at {base} is unreachable: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name} failed: {e}"));
        let (prefix, _) = base
            .rsplit_once('/')
            .unwrap_or_else(|| panic!("{base} names a database"));
        TestDatabase {
            // The test server never speaks GSSAPI; without the probe libpq loads no
            // Kerberos, whose exit-time teardown could race a pool thread at exit.
            url: format!("{prefix}/{name}?gssencmode=disable"),
            postgres: Some((base, name)),
        }
    }

    /// Drops a PostgreSQL test database; failures are ignored (the server may linger).
    pub fn drop_best_effort(&mut self) {
        if let Some((base, name)) = self.postgres.take() {
            if let Ok(mut conn) = PgConnection::establish(&base) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}
