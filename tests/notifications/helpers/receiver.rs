//! A webhook receiver on loopback: a real HTTP server that checks each delivery's
//! Standard Webhooks signature itself (HMAC-SHA256 computed here, not by the app)
//! and records what it got. `down()` holds its port but drops every connection, as
//! an endpoint that is down; `come_up()` starts answering.

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: i64,
    pub body: Value,
    /// True when `webhook-signature` is the HMAC of `id.timestamp.body` under the
    /// secret the test registered.
    pub signed: bool,
}

#[derive(Clone)]
pub struct Receiver {
    pub port: u16,
    secret: Arc<Mutex<String>>,
    received: Arc<Mutex<Vec<Received>>>,
    listener: Arc<Mutex<Option<TcpListener>>>,
    up: Arc<AtomicBool>,
    closer: Arc<Mutex<Option<std::thread::JoinHandle<()>>>>,
}

impl Receiver {
    /// A receiver that answers at once.
    pub fn start() -> Receiver {
        let receiver = Receiver::down();
        receiver.come_up();
        receiver
    }

    /// A receiver whose port is bound but that closes every connection unanswered.
    pub fn down() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("a bound port").port();
        let up = Arc::new(AtomicBool::new(false));
        let closing = listener.try_clone().expect("the listener clones");
        closing.set_nonblocking(true).expect("non-blocking");
        let stop = up.clone();
        let closer = std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match closing.accept() {
                    Ok((connection, _)) => drop(connection),
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Receiver {
            port,
            secret: Arc::default(),
            received: Arc::default(),
            listener: Arc::new(Mutex::new(Some(listener))),
            up,
            closer: Arc::new(Mutex::new(Some(closer))),
        }
    }

    /// The URL to register.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/stegvis", self.port)
    }

    /// The secret deliveries are checked against (`whsec_…`, as the app answered it).
    pub fn trust(&self, secret: &str) {
        *self.secret.lock().expect("the secret") = secret.to_string();
    }

    /// What arrived so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("the log").clone()
    }

    /// Starts answering 204 to every POST.
    pub fn come_up(&self) {
        self.up.store(true, Ordering::SeqCst);
        if let Some(closer) = self.closer.lock().expect("the closer").take() {
            closer.join().expect("the closer stops");
        }
        let listener = self
            .listener
            .lock()
            .expect("the listener")
            .take()
            .expect("the receiver comes up once");
        listener.set_nonblocking(false).expect("blocking again");
        let (secret, received) = (self.secret.clone(), self.received.clone());
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                HttpServer::new(move || {
                    App::new()
                        .app_data(web::Data::new((secret.clone(), received.clone())))
                        .default_service(web::to(record))
                })
                .workers(1)
                .listen(listener)
                .expect("the receiver listens")
                .run()
                .await
                .expect("the receiver runs");
            });
        });
    }
}

type Shared = (Arc<Mutex<String>>, Arc<Mutex<Vec<Received>>>);

async fn record(req: HttpRequest, body: web::Bytes, shared: web::Data<Shared>) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (id, timestamp) = (header("webhook-id"), header("webhook-timestamp"));
    let text = String::from_utf8_lossy(&body).to_string();
    let secret = shared.0.lock().expect("the secret").clone();
    let signed = verify(
        &secret,
        &id,
        &timestamp,
        &text,
        &header("webhook-signature"),
    );
    shared.1.lock().expect("the log").push(Received {
        id,
        timestamp: timestamp.parse().unwrap_or(-1),
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        signed,
    });
    HttpResponse::NoContent().finish()
}

/// The receiver's own check of a Standard Webhooks signature: any `v1,` entry of the
/// space-separated header must equal base64(HMAC-SHA256(key, "id.timestamp.body")).
fn verify(secret: &str, id: &str, timestamp: &str, body: &str, header: &str) -> bool {
    let Some(key) = secret
        .strip_prefix("whsec_")
        .and_then(|k| STANDARD.decode(k).ok())
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    header.split(' ').any(|s| s == expected)
}
