//! A real SMTP server on loopback (mailin-embedded, in-process) that keeps every
//! message it accepts. It can be created before it listens, to play a relay that is
//! down and comes back later on the same port.

use std::collections::HashMap;
use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mail_parser::{MessageParser, MimeHeaders};
use mailin_embedded::{response, Handler, Response, Server};

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The envelope recipients (RCPT TO).
    pub to: Vec<String>,
    pub raw: Vec<u8>,
}

/// A received message, parsed.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
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
        Mail {
            to: self.to.join(","),
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
        let message = Received {
            to: std::mem::take(&mut self.to),
            raw: std::mem::take(&mut self.data),
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
}

impl SmtpSink {
    /// A server that is listening.
    pub fn start() -> SmtpSink {
        let sink = SmtpSink::down();
        sink.come_up();
        sink
    }

    /// A server on a free port that does not listen yet: connections are refused.
    pub fn down() -> SmtpSink {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        SmtpSink {
            port,
            received: Arc::default(),
        }
    }

    /// Starts listening on the port (on a thread that lives as long as the test).
    pub fn come_up(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("the SMTP port is free");
        let handler = Sink {
            received: self.received.clone(),
            to: Vec::new(),
            data: Vec::new(),
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
