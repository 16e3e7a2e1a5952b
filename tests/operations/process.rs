//! A `stegvis` process with its own directory and database, and a small HTTP client.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The environment one deployment runs with: its directory and database URL.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub dir: PathBuf,
    pub url: String,
    pub extra: Vec<(String, String)>,
}

impl Deployment {
    /// A deployment on SQLite in `dir` (the database inside `dir/data`).
    pub fn sqlite(dir: &Path) -> Deployment {
        Deployment {
            dir: dir.to_path_buf(),
            url: format!("sqlite://{}", dir.join("data").join("stegvis.db").display()),
            extra: Vec::new(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// A `stegvis` command with this deployment's settings.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_stegvis"));
        command
            .args(args)
            .env("STEGVIS__DATABASE__URL", &self.url)
            .env("STEGVIS__DATABASE__POOL_SIZE", "4")
            .env("STEGVIS__DATA_DIR", self.data_dir())
            .env("STEGVIS__MAIL__FILE_DIR", self.dir.join("mail"))
            .env("STEGVIS_LOG", "warn");
        for (key, value) in &self.extra {
            command.env(key, value);
        }
        command
    }

    /// Runs a command to its end.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("stegvis runs")
    }

    /// Creates an admin through the command line (the password on standard input).
    pub fn create_admin(&self, email: &str, password: &str) {
        let mut child = self
            .command(&[
                "user",
                "create",
                "--email",
                email,
                "--name",
                "Ada Admin",
                "--role",
                "admin",
                "--password-stdin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("stegvis user create starts");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(password.as_bytes())
            .expect("the password is written");
        let out = child.wait_with_output().expect("user create ends");
        assert!(out.status.success(), "user create: {out:?}");
    }

    /// Starts `stegvis serve` on a free port, with standard error to `log` (or
    /// nowhere), and waits until it answers.
    pub fn serve(&self, log: Option<&Path>) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let stderr = match log {
            Some(path) => Stdio::from(std::fs::File::create(path).expect("the log file")),
            None => Stdio::null(),
        };
        let child = self
            .command(&["serve"])
            .env("STEGVIS__SERVER__BIND", format!("127.0.0.1:{port}"))
            .env("STEGVIS__SERVER__WORKERS", "2")
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("stegvis serve starts");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        server.wait_until_ready();
        server
    }
}

/// A running `stegvis serve`.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if ureq_get(&format!("{}/readyz", self.base)).is_some_and(|status| status == 200) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("stegvis serve did not become ready at {}", self.base);
    }

    /// Asks the server to stop (SIGTERM) and waits for it.
    pub fn stop(mut self) {
        // SAFETY: sends SIGTERM to the child this test started.
        let sent = unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        assert_eq!(sent, 0, "SIGTERM was sent");
        let status = self.child.wait().expect("serve ends");
        assert!(status.success(), "serve exits 0 on SIGTERM: {status:?}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A status for a GET over a plain TCP connection, or `None` when nothing answers.
fn ureq_get(url: &str) -> Option<u16> {
    use std::io::Read;
    let rest = url.strip_prefix("http://")?;
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let mut stream = std::net::TcpStream::connect(host).ok()?;
    stream
        .write_all(format!("GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").as_bytes())
        .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.split_whitespace().nth(1)?.parse().ok()
}

/// An HTTP client for one server, with the answers as (status, headers, JSON).
#[derive(Clone)]
pub struct Client {
    client: awc::Client,
    base: String,
}

/// One answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub request_id: Option<String>,
    pub body: Value,
}

/// A response's whole body (at most 16 MiB).
async fn body_of<S>(response: &mut awc::ClientResponse<S>) -> actix_web::web::Bytes
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
{
    response
        .body()
        .limit(16 * 1024 * 1024)
        .await
        .expect("a body")
}

impl Client {
    pub fn new(server: &Server) -> Client {
        Client {
            client: awc::Client::builder()
                .timeout(Duration::from_secs(60))
                .finish(),
            base: server.base.clone(),
        }
    }

    /// Sends a request; `body` as JSON when given.
    pub async fn send(
        &self,
        method: awc::http::Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Answer {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.insert_header(("Authorization", format!("Bearer {token}")));
        }
        for header in headers {
            request = request.insert_header(*header);
        }
        let mut response = match body {
            Some(body) => request.send_json(&body).await,
            None => request.send().await,
        }
        .unwrap_or_else(|e| panic!("{path}: no answer: {e}"));
        let bytes = body_of(&mut response).await;
        Answer {
            status: response.status().as_u16(),
            request_id: response
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    /// Sends `body` as it is, with its Content-Type; the status and the body's bytes.
    pub async fn send_bytes(
        &self,
        method: awc::http::Method,
        path: &str,
        token: &str,
        body: Option<(Vec<u8>, String)>,
    ) -> (u16, Vec<u8>) {
        let request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .insert_header(("Authorization", format!("Bearer {token}")));
        let mut response = match body {
            Some((bytes, content_type)) => {
                request
                    .insert_header(("Content-Type", content_type))
                    .send_body(bytes)
                    .await
            }
            None => request.send().await,
        }
        .unwrap_or_else(|e| panic!("{path}: no answer: {e}"));
        let bytes = body_of(&mut response).await;
        (response.status().as_u16(), bytes.to_vec())
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.send(awc::http::Method::GET, path, Some(token), &[], None)
            .await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.send(awc::http::Method::POST, path, Some(token), &[], Some(body))
            .await
    }

    /// Logs in; the token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let answer = self
            .send(
                awc::http::Method::POST,
                "/api/v1/auth/token",
                None,
                &[],
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(answer.status, 200, "log-in: {:?}", answer.body);
        answer.body["token"].as_str().expect("a token").to_string()
    }

    /// The id of the built-in `inclusion-standard` programme.
    pub async fn programme_id(&self, token: &str) -> String {
        let answer = self.get("/api/v1/programmes?limit=200", token).await;
        default_programme(&answer.body)
    }
}

/// The id of `inclusion-standard` in a programme list.
pub fn default_programme(list: &Value) -> String {
    list["items"]
        .as_array()
        .and_then(|items| items.iter().find(|p| p["key"] == "inclusion-standard"))
        .and_then(|p| p["id"].as_str())
        .unwrap_or_else(|| panic!("inclusion-standard is listed: {list}"))
        .to_string()
}
