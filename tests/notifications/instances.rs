//! Several instances on one PostgreSQL database, as a deployment grows past one
//! machine: three real `stegvis serve` processes, driven at once (the test spreads the
//! requests as a load balancer would), one killed with SIGKILL mid-run. Nothing
//! acknowledged is lost, a command racing on two instances is resolved by the version
//! check, every mail goes out exactly once, and every history verifies.
//!
//! Always on PostgreSQL (several processes on one SQLite file is not a deployment
//! Stegvis supports), whichever backend the rest of the suite runs on.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use stegvis::app::jobs::verify_all_histories;
use stegvis::app::AppState;
use stegvis::clock::{Clock, SystemClock};
use stegvis::config::Settings;
use stegvis::store::outbox;

use crate::helpers::database::TestDatabase;
use crate::helpers::{random_hex, SmtpSink};

const PASSWORD: &str = "correct horse battery staple";
const LEASE_SECS: u64 = 2;

/// One `stegvis serve` process and where it answers.
struct Instance {
    child: Child,
    base: String,
}

/// Starts `stegvis serve` on port 0 and reads the port it bound from its JSON log.
fn start(dir: &Path, database: &str, smtp: &SmtpSink, n: usize) -> Instance {
    let log_path = dir.join(format!("serve-{n}.log"));
    let log = std::fs::File::create(&log_path).expect("a log file");
    let child = Command::new(env!("CARGO_BIN_EXE_stegvis"))
        .arg("serve")
        .env_remove("STEGVIS_CONFIG")
        .env("STEGVIS__DATABASE__URL", database)
        .env("STEGVIS__DATABASE__POOL_SIZE", "4")
        .env("STEGVIS__SERVER__BIND", "127.0.0.1:0")
        .env("STEGVIS__SERVER__WORKERS", "1")
        .env("STEGVIS__DATA_DIR", dir.join("data"))
        .env("STEGVIS__LOG__FORMAT", "json")
        .env("STEGVIS__MAIL__TRANSPORT", "smtp")
        .env("STEGVIS__MAIL__SMTP_URL", smtp.url())
        .env("STEGVIS__MAIL__FROM", "Stegvis <no-reply@stegvis.test>")
        .env("STEGVIS__MAIL__RETRY_BASE_SECS", "1")
        .env("STEGVIS__MAIL__RETRY_CAP_SECS", "1")
        .env("STEGVIS__MAIL__MAX_ATTEMPTS", "1000")
        .env("STEGVIS__MAIL__LEASE_SECS", LEASE_SECS.to_string())
        .env("STEGVIS__MAIL__POLL_MS", "50")
        .env("STEGVIS__MAIL__BATCH_SIZE", "5")
        .env("STEGVIS_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the stegvis binary starts");
    let mut instance = Instance {
        child,
        base: String::new(),
    };
    let started = Instant::now();
    while instance.base.is_empty() {
        if let Ok(Some(status)) = instance.child.try_wait() {
            panic!("instance {n} exited ({status}) before serving");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "instance {n} did not start serving"
        );
        let port = std::fs::read_to_string(&log_path)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find_map(|line| line["port"].as_u64());
        match port {
            Some(port) => instance.base = format!("http://127.0.0.1:{port}"),
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    instance
}

impl Instance {
    /// SIGTERM, and the exit code must be 0.
    fn stop(mut self) {
        // SAFETY: sends SIGTERM to the child this test started.
        let sent = unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        assert_eq!(sent, 0, "SIGTERM was sent");
        let status = self.child.wait().expect("serve ends");
        assert!(status.success(), "serve exits 0 on SIGTERM: {status:?}");
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request; `None` when the instance did not answer (it was killed).
async fn send(
    client: &awc::Client,
    method: awc::http::Method,
    url: String,
    token: Option<&str>,
    if_match: Option<&str>,
    body: Option<Value>,
) -> Option<(u16, Value)> {
    let mut request = client.request(method, url);
    if let Some(token) = token {
        request = request.insert_header(("Authorization", format!("Bearer {token}")));
    }
    if let Some(version) = if_match {
        request = request.insert_header(("If-Match", version));
    }
    let mut response = match body {
        Some(body) => request.send_json(&body).await,
        None => request.send().await,
    }
    .ok()?;
    let bytes = response.body().await.ok()?;
    Some((
        response.status().as_u16(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

/// A POST that must answer 201 when it is answered at all.
async fn create(client: &awc::Client, url: String, token: &str, body: Value) -> Option<String> {
    let (status, body) = send(
        client,
        awc::http::Method::POST,
        url,
        Some(token),
        None,
        Some(body),
    )
    .await?;
    assert_eq!(status, 201, "{body}");
    Some(body["id"].as_str().expect("an id").to_string())
}

/// A change the deployment acknowledged: the organisation, its unit and the case.
#[derive(Debug, Clone)]
struct Acknowledged {
    by: String,
    organisation_id: String,
    case_id: String,
}

/// What every driver shares.
struct Drive {
    client: awc::Client,
    /// The instances still in the balancer's pool.
    bases: Mutex<Vec<String>>,
    admin: String,
    consultant: String,
    consultant_id: String,
    programme_id: String,
    stop: AtomicBool,
    acknowledged: Mutex<Vec<Acknowledged>>,
}

impl Drive {
    fn pick(&self, n: usize) -> String {
        let bases = self.bases.lock().unwrap();
        bases[n % bases.len()].clone()
    }
}

/// Creates organisations, units (with a contact, so enrolment mails them) and cases,
/// each step on the next instance, until told to stop.
async fn driver(drive: Rc<Drive>, seed: usize) {
    let mut n = seed;
    while !drive.stop.load(Ordering::SeqCst) && n < seed + 3 * 150 {
        n += 3;
        let base = drive.pick(n);
        let Some(organisation_id) = create(
            &drive.client,
            format!("{base}/api/v1/organisations"),
            &drive.admin,
            json!({"name": format!("Kommun {}", random_hex())}),
        )
        .await
        else {
            continue;
        };
        let Some(unit_id) = create(
            &drive.client,
            format!(
                "{}/api/v1/organisations/{organisation_id}/units",
                drive.pick(n + 1)
            ),
            &drive.admin,
            json!({"name": "Enheten", "headcount": 10,
                   "contact_email": format!("enhet-{}@example.se", random_hex())}),
        )
        .await
        else {
            continue;
        };
        let by = drive.pick(n + 2);
        let Some(case_id) = create(
            &drive.client,
            format!("{by}/api/v1/cases"),
            &drive.consultant,
            json!({"unit_id": unit_id, "programme_id": drive.programme_id,
                   "consultant_id": drive.consultant_id}),
        )
        .await
        else {
            continue;
        };
        drive.acknowledged.lock().unwrap().push(Acknowledged {
            by,
            organisation_id,
            case_id,
        });
    }
}

fn count(state: &AppState, status: &str) -> i64 {
    let mut conn = state.store.conn().unwrap();
    outbox::count(&mut conn, status).unwrap()
}

#[actix_rt::test]
async fn three_instances_on_one_postgresql_survive_a_sigkill_and_send_every_mail_once() {
    // Given one PostgreSQL database (migrated, with an admin) and an SMTP relay that
    // is down, so no mail is mid-delivery when an instance is killed
    let dir: PathBuf = std::env::temp_dir().join(format!("stegvis-instances-{}", random_hex()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut database = TestDatabase::postgres();
    let mut settings = Settings::defaults_with_database(&database.url).unwrap();
    settings.data_dir = dir.join("data");
    settings.mail.file_dir = dir.join("data/mail");
    let state =
        stegvis::startup::prepare(settings.clone(), Arc::new(SystemClock) as Arc<dyn Clock>)
            .expect("the database is ready");
    stegvis::bootstrap::create_admin(&settings, "ada@example.se", "Ada Admin", PASSWORD).unwrap();
    let smtp = SmtpSink::down();
    // And three instances serving it
    let mut instances: Vec<Instance> = (0..3)
        .map(|n| start(&dir, &database.url, &smtp, n))
        .collect();
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(60))
        .finish();
    let base = instances[0].base.clone();
    let (_, grant) = send(
        &client,
        awc::http::Method::POST,
        format!("{base}/api/v1/auth/token"),
        None,
        None,
        Some(json!({"email": "ada@example.se", "password": PASSWORD})),
    )
    .await
    .unwrap();
    let admin = grant["token"].as_str().unwrap().to_string();
    let consultant_id = create(
        &client,
        format!("{}/api/v1/users", instances[1].base),
        &admin,
        json!({"email": "karin@example.se", "name": "Karin Konsult", "role": "consultant", "password": PASSWORD}),
    )
    .await
    .unwrap();
    let (_, grant) = send(
        &client,
        awc::http::Method::POST,
        format!("{}/api/v1/auth/token", instances[2].base),
        None,
        None,
        Some(json!({"email": "karin@example.se", "password": PASSWORD})),
    )
    .await
    .unwrap();
    let consultant = grant["token"].as_str().unwrap().to_string();
    let (_, programmes) = send(
        &client,
        awc::http::Method::GET,
        format!("{base}/api/v1/programmes?limit=200"),
        Some(&admin),
        None,
        None,
    )
    .await
    .unwrap();
    // Rc: the drivers run on this test's one thread (awc's client is not Send).
    let drive = Rc::new(Drive {
        client: client.clone(),
        bases: Mutex::new(instances.iter().map(|i| i.base.clone()).collect()),
        admin: admin.clone(),
        consultant: consultant.clone(),
        consultant_id,
        programme_id: programmes["items"]
            .as_array()
            .and_then(|items| items.iter().find(|p| p["key"] == "inclusion-standard"))
            .and_then(|p| p["id"].as_str())
            .expect("inclusion-standard is listed")
            .to_string(),
        stop: AtomicBool::new(false),
        acknowledged: Mutex::new(Vec::new()),
    });

    // When four clients drive all three at once
    let drivers: Vec<_> = (0..4)
        .map(|seed| actix_rt::spawn(driver(drive.clone(), seed)))
        .collect();
    let killed = instances[2].base.clone();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let acknowledged = drive.acknowledged.lock().unwrap().clone();
        let serving: BTreeSet<&str> = acknowledged.iter().map(|a| a.by.as_str()).collect();
        if acknowledged.len() >= 15 && serving.len() == 3 {
            break;
        }
        assert!(Instant::now() < deadline, "all three serve: {serving:?}");
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    }
    // And one of them is killed with SIGKILL mid-run (its requests in flight fail)
    let mut victim = instances.remove(2);
    victim.child.kill().expect("SIGKILL");
    victim.child.wait().unwrap();
    drive.bases.lock().unwrap().retain(|b| *b != killed);
    let at_kill = drive.acknowledged.lock().unwrap().len();
    while drive.acknowledged.lock().unwrap().len() < at_kill + 10 {
        assert!(Instant::now() < deadline, "the other two go on serving");
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    }
    drive.stop.store(true, Ordering::SeqCst);
    for d in drivers {
        d.await.unwrap();
    }
    let acknowledged = drive.acknowledged.lock().unwrap().clone();

    // And the same transition is sent for one version to two instances at once
    let (a, b) = (instances[0].base.clone(), instances[1].base.clone());
    for change in acknowledged.iter().take(5) {
        let (_, case) = send(
            &client,
            awc::http::Method::GET,
            format!("{a}/api/v1/cases/{}", change.case_id),
            Some(&admin),
            None,
            None,
        )
        .await
        .unwrap();
        let version = format!("\"{}\"", case["version"]);
        let pause = |base: &str| {
            send(
                &client,
                awc::http::Method::POST,
                format!("{base}/api/v1/cases/{}/transitions", change.case_id),
                Some(&consultant),
                Some(&version),
                Some(json!({"action": "pause"})),
            )
        };
        let (first, second) = futures::join!(pause(&a), pause(&b));
        let mut statuses = [first.unwrap().0, second.unwrap().0];
        statuses.sort_unstable();
        // Then exactly one wins; the other is told the case has changed
        assert_eq!(statuses, [200, 412], "one pause of {change:?}");
    }

    // And once the relay is back, the two that are left send every mail
    smtp.come_up();
    let started = Instant::now();
    while count(&state, outbox::PENDING) > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "the outbox drains"
        );
        actix_rt::time::sleep(Duration::from_millis(100)).await;
    }
    // (a duplicate, were there one, would arrive within a lease)
    actix_rt::time::sleep(Duration::from_secs(LEASE_SECS + 1)).await;

    // Then nothing acknowledged was lost
    for change in &acknowledged {
        for path in [
            format!("/api/v1/organisations/{}", change.organisation_id),
            format!("/api/v1/cases/{}", change.case_id),
        ] {
            let (status, _) = send(
                &client,
                awc::http::Method::GET,
                format!("{a}{path}"),
                Some(&admin),
                None,
                None,
            )
            .await
            .unwrap();
            assert_eq!(status, 200, "{path} of {change:?}");
        }
    }
    // And every mail arrived exactly once, none dead
    assert_eq!(count(&state, outbox::DEAD), 0);
    let sent: BTreeSet<String> = {
        let mut conn = state.store.conn().unwrap();
        outbox::list(&mut conn, Some(outbox::SENT), None, 100_000)
            .unwrap()
            .into_iter()
            .map(|row| row.message_id.trim_matches(['<', '>']).to_string())
            .collect()
    };
    assert!(sent.len() >= acknowledged.len(), "enrolments mailed");
    let counts = smtp.message_id_counts();
    let arrived: BTreeSet<String> = counts.keys().cloned().collect();
    assert_eq!(arrived, sent);
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    // And every history verifies
    let report = verify_all_histories(&state).unwrap();
    assert!(report.broken.is_empty(), "{:?}", report.broken);
    assert!(report.verified >= acknowledged.len());
    for instance in instances {
        instance.stop();
    }
    drop(state);
    database.drop_best_effort();
    let _ = std::fs::remove_dir_all(&dir);
}
