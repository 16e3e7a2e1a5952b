//! A real browser: Debian's chromium driven through chromedriver (started here on a
//! free port) with fantoccini. Every page is checked with axe-core and screenshotted.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

pub struct Browser {
    pub client: Client,
    pub base: String,
    pub lang: &'static str,
    /// The names of the pages axe-core checked, in order.
    pub checked: std::sync::Mutex<Vec<String>>,
    driver: Child,
    _profile: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self._profile);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn axe_source() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/web/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}): run `npm ci --prefix tests/web`",
            path.display()
        )
    })
}

impl Browser {
    /// Starts chromedriver and a headless chromium with a fresh profile.
    pub async fn start(base: &str, lang: &'static str) -> Browser {
        let driver_path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("chromedriver is installed (apt-get install chromium chromium-driver)");
        // chromedriver cannot report a port it chose, so a free one is probed; if
        // another process takes it before chromedriver binds, chromedriver exits and
        // is started again on another port.
        let (mut port, mut driver) = (free_port(), None::<Child>);
        for attempt in 0..5 {
            let mut child = Command::new(driver_path)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver starts");
            tokio_sleep(200).await;
            match child.try_wait() {
                Ok(None) => {
                    driver = Some(child);
                    break;
                }
                _ => {
                    assert!(attempt < 4, "chromedriver exited five times");
                    port = free_port();
                }
            }
        }
        let driver = driver.expect("chromedriver is running");
        let profile =
            std::env::temp_dir().join(format!("stegvis-chromium-{}", super::app::random_hex()));
        let caps = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,1024",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        });
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        let mut last = None;
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        base: base.to_string(),
                        lang,
                        checked: std::sync::Mutex::new(Vec::new()),
                        driver,
                        _profile: profile,
                    };
                }
                Err(e) => {
                    last = Some(e.to_string());
                    tokio_sleep(100).await;
                }
            }
        }
        panic!("chromedriver did not answer: {last:?}");
    }

    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{}", self.base, path))
            .await
            .expect("navigates");
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("url");
        url.path().to_string()
    }

    pub async fn text(&self) -> String {
        self.client
            .find(Locator::Css("main"))
            .await
            .expect("a main element")
            .text()
            .await
            .expect("text")
    }

    /// Fills the fields of form `#id` and submits it.
    pub async fn submit(&self, id: &str, fields: &[(&str, &str)]) {
        let form = self
            .client
            .form(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("form #{id}: {e}"));
        for (name, value) in fields {
            form.set_by_name(name, value)
                .await
                .unwrap_or_else(|e| panic!("#{id} [{name}]: {e}"));
        }
        let old = self
            .client
            .find(Locator::Css("html"))
            .await
            .expect("a page");
        form.submit()
            .await
            .unwrap_or_else(|e| panic!("submit #{id}: {e}"));
        self.wait_for_new_page(old).await;
    }

    /// Waits until the page `old` belonged to is replaced and the new one has loaded;
    /// fails the test when either does not happen within 30 s.
    pub async fn wait_for_new_page(&self, old: fantoccini::elements::Element) {
        let mut replaced = false;
        for _ in 0..1500 {
            if old.tag_name().await.is_err() {
                replaced = true;
                break;
            }
            tokio_sleep(20).await;
        }
        assert!(
            replaced,
            "no new page replaced {} within 30 s",
            self.path().await
        );
        for _ in 0..1500 {
            let ready = self
                .client
                .execute("return document.readyState", vec![])
                .await;
            if matches!(ready, Ok(Value::String(ref s)) if s == "complete") {
                return;
            }
            tokio_sleep(20).await;
        }
        panic!(
            "the page {} did not finish loading within 30 s",
            self.path().await
        );
    }

    /// The flash message the page shows after a form, or "" when there is none.
    pub async fn flash(&self) -> String {
        match self.client.find(Locator::Css("p.flash")).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Asserts the page shows the flash message `key` of the page's language.
    pub async fn expect_flash(&self, key: &str) {
        let expected = words(self.lang, &format!("flash.{key}"));
        let shown = self.flash().await;
        assert_eq!(
            shown,
            expected,
            "after the form the page {} says {key}: {}",
            self.path().await,
            self.text().await
        );
    }

    /// The whole page's HTML.
    pub async fn source(&self) -> String {
        self.client.source().await.expect("the page source")
    }

    /// The id of the first form whose id starts with `prefix`.
    pub async fn form_id(&self, prefix: &str) -> String {
        self.client
            .find(Locator::Css(&format!("form[id^='{prefix}']")))
            .await
            .unwrap_or_else(|e| panic!("a form {prefix}…: {e}"))
            .attr("id")
            .await
            .expect("attr")
            .expect("an id")
    }

    /// The steps of the case's path: (label, class), class one of done, current, todo.
    pub async fn path_steps(&self) -> Vec<(String, String)> {
        let steps = self
            .client
            .execute(
                "return Array.from(document.querySelectorAll('ol.path > li')) \
                 .map(li => [li.firstChild.textContent.trim(), li.className]);",
                vec![],
            )
            .await
            .expect("the script runs");
        steps
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| {
                        (
                            s[0].as_str().unwrap_or("").to_string(),
                            s[1].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The label of the stage the path marks as current (`aria-current="step"`).
    pub async fn current_step(&self) -> Option<String> {
        let label = self
            .client
            .execute(
                "const li = document.querySelector(\"li[aria-current='step']\"); \
                 return li ? li.firstChild.textContent : null;",
                vec![],
            )
            .await
            .expect("the script runs");
        label.as_str().map(|l| l.trim().to_string())
    }

    /// The ids of every form whose id starts with `prefix`.
    pub async fn form_ids(&self, prefix: &str) -> Vec<String> {
        let forms = self
            .client
            .find_all(Locator::Css(&format!("form[id^='{prefix}']")))
            .await
            .unwrap_or_default();
        let mut ids = Vec::new();
        for form in forms {
            if let Ok(Some(id)) = form.attr("id").await {
                ids.push(id);
            }
        }
        ids
    }

    /// Fills the fields of form `#id` and presses its button `css` (a button of its
    /// own, e.g. one that adds a requirement), waiting for the page it brings.
    pub async fn press(&self, id: &str, fields: &[(&str, &str)], css: &str) {
        let form = self
            .client
            .form(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("form #{id}: {e}"));
        for (name, value) in fields {
            form.set_by_name(name, value)
                .await
                .unwrap_or_else(|e| panic!("#{id} [{name}]: {e}"));
        }
        let old = self
            .client
            .find(Locator::Css("html"))
            .await
            .expect("a page");
        self.client
            .find(Locator::Css(&format!("#{id} {css}")))
            .await
            .unwrap_or_else(|e| panic!("#{id} {css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("press #{id} {css}: {e}"));
        self.wait_for_new_page(old).await;
    }

    pub async fn select_label(&self, css: &str, label: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .select_by_label(label)
            .await
            .unwrap_or_else(|e| panic!("{css} = {label}: {e}"));
    }

    pub async fn login(&self, email: &str, password: &str) {
        self.goto(&format!("/login?lang={}", self.lang)).await;
        self.submit("login", &[("email", email), ("password", password)])
            .await;
    }

    pub async fn logout(&self) {
        let old = self
            .client
            .find(Locator::Css("html"))
            .await
            .expect("a page");
        self.client
            .find(Locator::Css("form.logout button"))
            .await
            .expect("a log-out button")
            .click()
            .await
            .expect("logs out");
        self.wait_for_new_page(old).await;
    }

    /// Fetches `path` with the browser's cookies; (status, content type, body with any
    /// byte-order mark kept).
    pub async fn fetch(&self, path: &str) -> (u16, String, String) {
        let script = "const done = arguments[arguments.length - 1];\
            fetch(arguments[0], {credentials: 'same-origin'}).then(async r => done([r.status, r.headers.get('content-type') || '', new TextDecoder('utf-8', {ignoreBOM: true}).decode(await r.arrayBuffer())])).catch(e => done([0, '', String(e)]));";
        let v = self
            .client
            .execute_async(script, vec![json!(path)])
            .await
            .expect("fetch runs");
        (
            v[0].as_u64().unwrap_or(0) as u16,
            v[1].as_str().unwrap_or("").to_string(),
            v[2].as_str().unwrap_or("").to_string(),
        )
    }

    /// Runs axe-core on the page (zero serious or critical violations allowed) and
    /// saves a screenshot as target/web-screenshots/<lang>-<name>.png.
    pub async fn check(&self, name: &str) {
        self.client
            .execute(&axe_source(), vec![])
            .await
            .expect("axe loads");
        let script = "const done = arguments[arguments.length - 1];\
            axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))).catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));";
        let violations = self
            .client
            .execute_async(script, vec![])
            .await
            .expect("axe runs");
        let serious: Vec<&Value> = violations
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
                    .collect()
            })
            .unwrap_or_default();
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/web-screenshots");
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{}-{name}.png", self.lang)), png);
        }
        assert!(
            serious.is_empty(),
            "axe on {name} ({}): {}",
            self.path().await,
            serde_json::to_string_pretty(&serious).unwrap_or_default()
        );
        let text = super::language::page_text(&self.client).await;
        let foreign = super::language::foreign_words(self.lang, &text, super::language::NAMES);
        assert!(
            foreign.is_empty(),
            "words of another language on the {} page {name} ({}): {foreign:#?}",
            self.lang,
            self.path().await,
        );
        self.checked
            .lock()
            .expect("the list of checked pages")
            .push(name.to_string());
        super::AXE_PAGES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Browser {
    /// Shows the page as a 360 px wide phone does: the page must not scroll sideways
    /// (`scrollWidth` ≤ 360); a screenshot goes to `dir/<lang>-<name>-360.png` and the
    /// page is checked with axe-core at that width; the window is wide again after.
    pub async fn check_at_360(&self, name: &str, dir: &std::path::Path) {
        self.client
            .set_window_size(360, 800)
            .await
            .expect("the window narrows");
        self.client.refresh().await.expect("reloads");
        let widths = self
            .client
            .execute(
                "return [window.innerWidth, document.documentElement.scrollWidth];",
                vec![],
            )
            .await
            .expect("the widths");
        let (inner, scroll) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
        assert_eq!(inner, 360, "the viewport of {name} is 360 px wide");
        assert!(
            scroll <= 360,
            "{name} scrolls sideways on a 360 px phone: scrollWidth {scroll}"
        );
        let png = self.client.screenshot().await.expect("a screenshot");
        let file = dir.join(format!("{}-{name}-360.png", self.lang));
        std::fs::write(&file, png).expect("the screenshot is saved");
        self.check(&format!("{name}-360")).await;
        self.client
            .set_window_size(1280, 1024)
            .await
            .expect("the window widens");
    }
}

/// A page text of `lang` from the glossary (src/glossary), so the tests follow the wording.
pub fn words(lang: &str, key: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("src/glossary/{lang}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let all: Value = serde_json::from_str(&text).expect("the page texts are JSON");
    all[key]
        .as_str()
        .unwrap_or_else(|| panic!("{} has {key}", path.display()))
        .to_string()
}

pub async fn tokio_sleep(ms: u64) {
    actix_rt::time::sleep(Duration::from_millis(ms)).await;
}
