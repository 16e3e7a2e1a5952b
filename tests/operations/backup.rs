//! `stegvis backup` of a live SQLite database under write load, `stegvis restore`
//! into an empty data directory, and `stegvis verify-log` on the restored copy; the
//! refusals (an existing file without `--force`, a non-empty data directory,
//! PostgreSQL).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::sql_types::Text;
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};
use serde_json::json;

use crate::process::{Client, Deployment};
use crate::random_hex;

const PASSWORD: &str = "correct horse battery staple";

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

fn ids(path: &std::path::Path, table: &str) -> BTreeSet<String> {
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    diesel::sql_query(format!("SELECT id FROM {table}"))
        .load::<Id>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|row| row.id)
        .collect()
}

/// One acknowledged change: an organisation, its unit and the enrolled case.
#[derive(Debug, Clone)]
struct Acknowledged {
    at: Instant,
    organisation_id: String,
    case_id: String,
}

/// Creates an organisation named `name` with one unit and enrols it: the
/// organisation's and the case's ids, each acknowledged (201).
async fn enrol(client: &Client, token: &str, programme_id: &str, name: &str) -> (String, String) {
    let org = client
        .post("/api/v1/organisations", token, json!({"name": name}))
        .await;
    assert_eq!(org.status, 201, "{:?}", org.body);
    let organisation_id = org.body["id"].as_str().unwrap().to_string();
    let unit = client
        .post(
            &format!("/api/v1/organisations/{organisation_id}/units"),
            token,
            json!({"name": "Enheten", "headcount": 10}),
        )
        .await;
    assert_eq!(unit.status, 201, "{:?}", unit.body);
    let case = client
        .post(
            "/api/v1/cases",
            token,
            json!({"unit_id": unit.body["id"], "programme_id": programme_id}),
        )
        .await;
    assert_eq!(case.status, 201, "{:?}", case.body);
    (
        organisation_id,
        case.body["id"].as_str().unwrap().to_string(),
    )
}

/// Writes organisations, units and enrolments until `stop`, recording each one the
/// server acknowledged.
async fn write_until(
    client: Client,
    token: String,
    programme_id: String,
    stop: Arc<Mutex<bool>>,
    acknowledged: Arc<Mutex<Vec<Acknowledged>>>,
) {
    let mut n = 0;
    while !*stop.lock().unwrap() && n < 400 {
        n += 1;
        let (organisation_id, case_id) = enrol(
            &client,
            &token,
            &programme_id,
            &format!("Kommun {}", random_hex()),
        )
        .await;
        acknowledged.lock().unwrap().push(Acknowledged {
            at: Instant::now(),
            organisation_id,
            case_id,
        });
    }
}

#[actix_rt::test]
async fn a_backup_taken_under_write_load_restores_with_every_acknowledged_change_and_a_clean_log() {
    // Given a server on SQLite that is being written to by four clients
    let dir = std::env::temp_dir().join(format!("stegvis-backup-{}", random_hex()));
    let live = Deployment::sqlite(&dir.join("live"));
    live.create_admin("ada@example.se", PASSWORD);
    let server = live.serve(None);
    let client = Client::new(&server);
    let token = client.login("ada@example.se", PASSWORD).await;
    let programme_id = client.programme_id(&token).await;
    let stop = Arc::new(Mutex::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..4)
        .map(|_| {
            actix_rt::spawn(write_until(
                client.clone(),
                token.clone(),
                programme_id.clone(),
                stop.clone(),
                acknowledged.clone(),
            ))
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 10 {
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    }

    // When a backup is taken while they write
    let file = dir.join("stegvis.backup");
    let started = Instant::now();
    let out = actix_rt::task::spawn_blocking({
        let live = live.clone();
        let file = file.clone();
        move || live.run(&["backup", "--to", file.to_str().unwrap()])
    })
    .await
    .unwrap();
    assert!(out.status.success(), "backup: {out:?}");
    let during = acknowledged.lock().unwrap().len();
    // (the writers go on a little after the backup, then stop)
    actix_rt::time::sleep(Duration::from_millis(300)).await;
    *stop.lock().unwrap() = true;
    for writer in writers {
        writer.await.unwrap();
    }
    server.stop();
    let before: Vec<Acknowledged> = acknowledged
        .lock()
        .unwrap()
        .iter()
        .filter(|a| a.at < started)
        .cloned()
        .collect();
    assert!(
        before.len() >= 10,
        "changes were acknowledged before the backup"
    );
    assert!(
        acknowledged.lock().unwrap().len() > before.len(),
        "writes went on during and after the backup ({during} by its end)"
    );

    // Then it restores into an empty data directory
    let restored = Deployment::sqlite(&dir.join("restored"));
    let out = restored.run(&["restore", "--from", file.to_str().unwrap()]);
    assert!(out.status.success(), "restore: {out:?}");
    // And the restored copy's history verifies
    let out = restored.run(&["verify-log"]);
    assert!(out.status.success(), "verify-log: {out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(", 0 broken"), "{said}");
    // And every change acknowledged before the backup began is in it
    let database = restored.data_dir().join("stegvis.db");
    let organisations = ids(&database, "organisations");
    let cases = ids(&database, "cases");
    for change in &before {
        assert!(
            organisations.contains(&change.organisation_id),
            "{change:?} restored"
        );
        assert!(cases.contains(&change.case_id), "{change:?} restored");
    }
    // And the signing keys came along, byte for byte
    let keys = |d: &Deployment| -> Vec<(String, Vec<u8>)> {
        let mut keys: Vec<_> = std::fs::read_dir(d.data_dir().join("keys"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&restored), keys(&live));
    assert!(!keys(&live).is_empty());
    // And the restored copy serves: the admin signs in
    let server = restored.serve(None);
    Client::new(&server).login("ada@example.se", PASSWORD).await;
    server.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A `multipart/form-data` body with an evidence's fields and one file.
fn evidence_upload(name: &str, content: &[u8]) -> (Vec<u8>, String) {
    let boundary = format!("----stegvis{}", random_hex());
    let mut body = Vec::new();
    for (field, value) in [("area", "apt"), ("description", "Protokoll från APT")] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (body, format!("multipart/form-data; boundary={boundary}"))
}

#[actix_rt::test]
async fn a_backup_carries_the_evidence_files_and_the_restored_copy_serves_them() {
    // Given a case with an evidence file on a live SQLite deployment
    let dir = std::env::temp_dir().join(format!("stegvis-backup-{}", random_hex()));
    let live = Deployment::sqlite(&dir.join("live"));
    live.create_admin("ada@example.se", PASSWORD);
    let server = live.serve(None);
    let client = Client::new(&server);
    let token = client.login("ada@example.se", PASSWORD).await;
    let programme_id = client.programme_id(&token).await;
    let (_, case_id) = enrol(&client, &token, &programme_id, "Järfälla kommun").await;
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0".to_vec();
    png.extend(random_hex().into_bytes());
    let (status, body) = client
        .send_bytes(
            awc::http::Method::POST,
            &format!("/api/v1/cases/{case_id}/evidence/files"),
            &token,
            Some(evidence_upload("rutin.png", &png)),
        )
        .await;
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    let evidence: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let evidence_id = evidence["id"].as_str().unwrap().to_string();
    server.stop();

    // When it is backed up and restored into an empty data directory
    let file = dir.join("stegvis.backup");
    let out = live.run(&["backup", "--to", file.to_str().unwrap()]);
    assert!(out.status.success(), "backup: {out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["evidence_files"], 1, "{report}");
    let restored = Deployment::sqlite(&dir.join("restored"));
    let out = restored.run(&["restore", "--from", file.to_str().unwrap()]);
    assert!(out.status.success(), "restore: {out:?}");

    // Then the restored copy serves the same bytes for the same evidence
    let server = restored.serve(None);
    let client = Client::new(&server);
    let token = client.login("ada@example.se", PASSWORD).await;
    let (status, served) = client
        .send_bytes(
            awc::http::Method::GET,
            &format!("/api/v1/cases/{case_id}/evidence/{evidence_id}/file"),
            &token,
            None,
        )
        .await;
    server.stop();
    assert_eq!(status, 200);
    assert_eq!(served, png);

    // And a backup whose evidence file was swapped (its manifest made to match) is refused
    let swapped = dir.join("swapped.backup");
    swap_evidence(&file, &swapped, b"%PDF-1.7 not the file the name says");
    let elsewhere = Deployment::sqlite(&dir.join("elsewhere"));
    let out = elsewhere.run(&["restore", "--from", swapped.to_str().unwrap()]);
    assert!(!out.status.success(), "restore: {out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("does not hold what its name says"), "{said}");
    assert!(!elsewhere.data_dir().join("stegvis.db").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Copies the backup `from` to `to` with every evidence entry's content replaced by
/// `content` and the manifest's SHA-256 for it updated, as a careful forger would.
fn swap_evidence(from: &std::path::Path, to: &std::path::Path, content: &[u8]) {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    let mut archive = tar::Archive::new(std::fs::File::open(from).unwrap());
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        entries.push((name, bytes));
    }
    let mut manifest: serde_json::Value = serde_json::from_slice(&entries[0].1).unwrap();
    for (name, bytes) in entries.iter_mut().skip(1) {
        if name.starts_with("evidence/") {
            *bytes = content.to_vec();
            manifest["sha256"][name.as_str()] = hex::encode(Sha256::digest(content)).into();
        }
    }
    entries[0].1 = serde_json::to_vec(&manifest).unwrap();
    let mut out = tar::Builder::new(std::fs::File::create(to).unwrap());
    for (name, bytes) in &entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        header.set_cksum();
        out.append_data(&mut header, name, bytes.as_slice())
            .unwrap();
    }
    out.finish().unwrap();
}

#[test]
fn a_backup_refuses_an_existing_file_without_force() {
    // Given a deployment and a file where the backup would go
    let dir = std::env::temp_dir().join(format!("stegvis-backup-{}", random_hex()));
    let live = Deployment::sqlite(&dir.join("live"));
    live.create_admin("ada@example.se", PASSWORD);
    let file = dir.join("existing.backup");
    std::fs::write(&file, b"keep me").unwrap();
    // When a backup is asked for without --force, it refuses and leaves the file
    let out = live.run(&["backup", "--to", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--force"),
        "{out:?}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
    // And with --force it replaces it
    let out = live.run(&["backup", "--to", file.to_str().unwrap(), "--force"]);
    assert!(out.status.success(), "{out:?}");
    assert_ne!(std::fs::read(&file).unwrap(), b"keep me");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_restore_refuses_a_data_directory_that_is_not_empty() {
    let dir = std::env::temp_dir().join(format!("stegvis-backup-{}", random_hex()));
    let live = Deployment::sqlite(&dir.join("live"));
    live.create_admin("ada@example.se", PASSWORD);
    let file = dir.join("stegvis.backup");
    assert!(live
        .run(&["backup", "--to", file.to_str().unwrap()])
        .status
        .success());
    // A data directory with something in it (here: the live deployment's own)
    let out = live.run(&["restore", "--from", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not empty"),
        "{out:?}"
    );
    // A damaged backup is refused before anything is put in place
    let damaged = dir.join("damaged.backup");
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&damaged, bytes).unwrap();
    let empty = Deployment::sqlite(&dir.join("empty"));
    let out = empty.run(&["restore", "--from", damaged.to_str().unwrap()]);
    assert!(!out.status.success(), "{out:?}");
    assert!(!empty.data_dir().join("stegvis.db").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn on_postgresql_backup_and_restore_point_at_pg_dump() {
    let dir = std::env::temp_dir().join(format!("stegvis-backup-{}", random_hex()));
    let mut deployment = Deployment::sqlite(&dir);
    deployment.url = "postgres://postgres@127.0.0.1:5432/not_used".into();
    let out = deployment.run(&["backup", "--to", dir.join("x").to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("pg_dump"),
        "{out:?}"
    );
    let out = deployment.run(&["restore", "--from", dir.join("x").to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("pg_restore"),
        "{out:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
