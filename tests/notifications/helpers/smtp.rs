//! A real SMTP server on loopback (mailin-embedded, in-process) that keeps every
//! message it accepts. It can start down (its port bound, every connection closed at
//! once) and come up later on the same socket, never re-binding the port; and it can
//! hold the end of DATA open for a while, to play a slow relay with mail in flight.

use std::collections::HashMap;
use std::net::{IpAddr, TcpListener};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mail_parser::{MessageParser, MimeHeaders};
use mailin_embedded::{response, Handler, Response, Server};

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The envelope recipients (RCPT TO).
    pub to: Vec<String>,
    pub raw: Vec<u8>,
    /// Whether the answer to its DATA was held (see `SmtpSink::hold_data`).
    pub held: bool,
    /// When the sink kept it.
    pub at: Instant,
}

/// A received message, parsed.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    /// The From and Reply-To headers as `Name <address>` (empty when absent).
    pub from: String,
    pub reply_to: String,
    /// Every attachment but the calendar: (file name, content type, bytes).
    pub attachments: Vec<(String, String, Vec<u8>)>,
    pub message_id: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The text/calendar attachment and its `method` parameter, if any.
    pub calendar: Option<(String, String)>,
}

impl Received {
    /// Parses the message; panics when it is not a readable MIME message.
    pub fn parse(&self) -> Mail {
        let message = MessageParser::default()
            .parse(&self.raw)
            .expect("the message parses as MIME");
        let calendar = message.attachments().find_map(|part| {
            let ct = part.content_type()?;
            if ct.ctype() == "text" && ct.subtype() == Some("calendar") {
                let method = ct.attribute("method").unwrap_or_default().to_string();
                Some((
                    String::from_utf8_lossy(part.contents()).into_owned(),
                    method,
                ))
            } else {
                None
            }
        });
        let mailbox = |address: Option<&mail_parser::Address>| {
            address
                .and_then(|a| a.first())
                .map(|a| {
                    format!(
                        "{} <{}>",
                        a.name().unwrap_or_default(),
                        a.address().unwrap_or_default()
                    )
                })
                .unwrap_or_default()
        };
        let attachments = message
            .attachments()
            .filter_map(|part| {
                let ct = part.content_type()?;
                if ct.ctype() == "text" && ct.subtype() == Some("calendar") {
                    return None;
                }
                Some((
                    part.attachment_name().unwrap_or_default().to_string(),
                    format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default()),
                    part.contents().to_vec(),
                ))
            })
            .collect();
        Mail {
            to: self.to.join(","),
            from: mailbox(message.from()),
            reply_to: mailbox(message.reply_to()),
            attachments,
            message_id: message.message_id().unwrap_or_default().to_string(),
            subject: message.subject().unwrap_or_default().to_string(),
            text: message
                .body_text(0)
                .map(|t| t.into_owned())
                .unwrap_or_default(),
            html: message
                .body_html(0)
                .map(|t| t.into_owned())
                .unwrap_or_default(),
            calendar,
        }
    }
}

#[derive(Clone)]
struct Sink {
    received: Arc<Mutex<Vec<Received>>>,
    to: Vec<String>,
    data: Vec<u8>,
    hold: Arc<Mutex<Option<Duration>>>,
    holding: Arc<AtomicUsize>,
}

impl Handler for Sink {
    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        response::OK
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        // A slow relay: the whole message is here, the answer to its final dot is not.
        let hold = *self.hold.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hold) = hold {
            self.holding.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(hold);
        }
        let message = Received {
            to: std::mem::take(&mut self.to),
            raw: std::mem::take(&mut self.data),
            held: hold.is_some(),
            at: Instant::now(),
        };
        self.received
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(message);
        response::OK
    }
}

/// The SMTP server of one test.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    listener: Arc<Mutex<Option<TcpListener>>>,
    up: Arc<AtomicBool>,
    closer: Arc<Mutex<Option<JoinHandle<()>>>>,
    hold: Arc<Mutex<Option<Duration>>>,
    holding: Arc<AtomicUsize>,
}

impl SmtpSink {
    /// A server that is listening.
    pub fn start() -> SmtpSink {
        let sink = SmtpSink::down();
        sink.come_up();
        sink
    }

    /// A server whose port is bound but that closes every connection before its
    /// greeting, as a relay that is down.
    pub fn down() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("a bound port").port();
        let up = Arc::new(AtomicBool::new(false));
        let closing = listener.try_clone().expect("the listener clones");
        closing
            .set_nonblocking(true)
            .expect("the listener is non-blocking");
        let stop = up.clone();
        let closer = std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match closing.accept() {
                    Ok((connection, _)) => drop(connection),
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        SmtpSink {
            port,
            received: Arc::default(),
            listener: Arc::new(Mutex::new(Some(listener))),
            up,
            closer: Arc::new(Mutex::new(Some(closer))),
            hold: Arc::default(),
            holding: Arc::default(),
        }
    }

    /// Starts answering on the same socket (on a thread that lives as long as the test).
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
            .expect("the sink comes up once");
        listener
            .set_nonblocking(false)
            .expect("the listener blocks again");
        let handler = Sink {
            received: self.received.clone(),
            to: Vec::new(),
            data: Vec::new(),
            hold: self.hold.clone(),
            holding: self.holding.clone(),
        };
        std::thread::spawn(move || {
            let mut server = Server::new(handler);
            server
                .with_name("sink.stegvis.test")
                .with_num_threads(16)
                .with_tcp_listener(listener);
            let _ = server.serve();
        });
    }

    /// From now on, holds the answer to the end of each message's DATA for `hold`
    /// (None: answers at once). A held message is kept when the hold ends, as a relay
    /// that took it in does, whether or not the sender is still there.
    pub fn hold_data(&self, hold: Option<Duration>) {
        *self.hold.lock().unwrap_or_else(|e| e.into_inner()) = hold;
    }

    /// How many messages have had their DATA held so far.
    pub fn held(&self) -> usize {
        self.holding.load(Ordering::SeqCst)
    }

    /// `smtp://127.0.0.1:PORT`, plain SMTP.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Everything received so far, parsed.
    pub fn mails(&self) -> Vec<Mail> {
        self.received().iter().map(Received::parse).collect()
    }

    /// The mails to one address.
    pub fn mails_to(&self, address: &str) -> Vec<Mail> {
        self.mails()
            .into_iter()
            .filter(|m| m.to.eq_ignore_ascii_case(address))
            .collect()
    }

    /// The first mail to `address` whose subject contains `subject`; panics without one.
    pub fn mail_to(&self, address: &str, subject: &str) -> Mail {
        self.mails_to(address)
            .into_iter()
            .find(|m| m.subject.contains(subject))
            .unwrap_or_else(|| panic!("no mail to {address} about {subject:?}"))
    }

    /// How often each Message-ID arrived.
    pub fn message_id_counts(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for mail in self.mails() {
            *counts.entry(mail.message_id).or_insert(0) += 1;
        }
        counts
    }

    /// Waits (bounded) until at least `n` messages arrived.
    pub fn wait_for(&self, n: usize, within: Duration) -> usize {
        let started = Instant::now();
        loop {
            let got = self.received().len();
            if got >= n || started.elapsed() > within {
                return got;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
