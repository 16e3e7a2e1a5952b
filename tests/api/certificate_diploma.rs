//! The certificate as a diploma: a tagged PDF (structure tree, language, title shown)
//! identified as PDF/A-2a and PDF/UA-1, in the holder's language, that `qpdf --check`
//! accepts and whose text `pdftotext` reads: the unit, organisation, programme, issuer
//! and auditor, and the verification address under the public URL.

use std::path::Path;
use std::process::Command;

use lopdf::{Dictionary, Document, Object};
use serde_json::json;
use stegvis::certificate::pdf::{render, render_as, CertificateText, IssuerLogo};
use stegvis::domain::Language;

use crate::helpers::{spawn_app, spawn_app_with, time, TestApp, PUBLIC_URL};

async fn download(app: &TestApp, case_id: &str) -> Vec<u8> {
    let mut response = app
        .client
        .get(format!(
            "{}/api/v1/cases/{case_id}/certificate.pdf",
            app.address
        ))
        .insert_header(("Authorization", format!("Bearer {}", app.admin.token)))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    response
        .body()
        .limit(16 * 1024 * 1024)
        .await
        .expect("a body")
        .to_vec()
}

/// A PDF text string: UTF-16BE with its byte-order mark, or PDFDocEncoding (ASCII here).
fn text_of(object: &Object) -> String {
    let bytes = object.as_str().expect("a string");
    match bytes.strip_prefix(&[0xfe, 0xff]) {
        Some(utf16) => String::from_utf16_lossy(
            &utf16
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        ),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).expect("a reachable object").1
}

/// Every structure element under `element`: (type, alternative text).
fn elements(doc: &Document, element: &Dictionary, out: &mut Vec<(String, Option<String>)>) {
    let kind = element
        .get(b"S")
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default();
    let alt = element.get(b"Alt").ok().map(text_of);
    out.push((kind, alt));
    let Ok(kids) = element.get(b"K") else { return };
    let kids: Vec<&Object> = match deref(doc, kids) {
        Object::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    for kid in kids {
        if let Object::Dictionary(child) = deref(doc, kid) {
            if child.get(b"S").is_ok() {
                elements(doc, child, out);
            }
        }
    }
}

/// What a reader of the PDF's structure finds.
struct Tagged {
    /// The structure tree's elements in reading order, the Document first.
    elements: Vec<(String, Option<String>)>,
    marked: bool,
    lang: String,
    display_doc_title: bool,
    xmp: String,
}

fn tagged(pdf: &[u8]) -> Tagged {
    let doc = Document::load_mem(pdf).expect("the PDF parses");
    let catalog = doc.catalog().expect("a catalog");
    let root = deref(
        &doc,
        catalog.get(b"StructTreeRoot").expect("a structure tree"),
    )
    .as_dict()
    .expect("a dictionary");
    let mut found = Vec::new();
    let top = deref(&doc, root.get(b"K").expect("the tree's root element"));
    let tops: Vec<&Object> = match top {
        Object::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    for element in tops {
        elements(
            &doc,
            deref(&doc, element).as_dict().expect("an element"),
            &mut found,
        );
    }
    let marked = deref(&doc, catalog.get(b"MarkInfo").expect("MarkInfo"))
        .as_dict()
        .and_then(|m| m.get(b"Marked"))
        .and_then(Object::as_bool)
        .unwrap_or(false);
    let lang = text_of(catalog.get(b"Lang").expect("a document language"));
    let display_doc_title = catalog
        .get(b"ViewerPreferences")
        .map(|v| deref(&doc, v))
        .and_then(Object::as_dict)
        .and_then(|v| v.get(b"DisplayDocTitle"))
        .and_then(Object::as_bool)
        .unwrap_or(false);
    let metadata = deref(&doc, catalog.get(b"Metadata").expect("XMP metadata"))
        .as_stream()
        .expect("a stream");
    Tagged {
        elements: found,
        marked,
        lang,
        display_doc_title,
        xmp: String::from_utf8_lossy(&metadata.content).into_owned(),
    }
}

/// A directory of this test's own, in target/ so a failing PDF can be looked at.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/certificate-pdfs")
        .join(format!("{name}-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).expect("a directory");
    dir
}

fn write_pdf(dir: &Path, name: &str, pdf: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, pdf).expect("the PDF is written");
    path
}

/// `qpdf --check` on the file: (success, what it said).
fn qpdf_check(path: &Path) -> (bool, String) {
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(path)
        .output()
        .expect("qpdf is installed (Debian qpdf; .ci/run installs it)");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

/// The PDF's text as poppler reads it, lines joined by spaces.
fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext is installed (Debian poppler-utils; .ci/run installs it)");
    assert!(out.status.success(), "pdftotext reads the PDF");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn kinds(t: &Tagged) -> Vec<&str> {
    t.elements.iter().map(|(k, _)| k.as_str()).collect()
}

/// The programme's name as the API tells it.
async fn programme_name(app: &TestApp, case_id: &str) -> String {
    let certificate = app
        .get_certificate(&app.admin.token, case_id)
        .await
        .should_be(200)
        .body;
    certificate["programme"]["name"]
        .as_str()
        .expect("a programme name")
        .to_string()
}

async fn rename(app: &TestApp, world: &crate::helpers::World) {
    app.patch(
        &app.admin.token,
        &format!("/organisations/{}", world.organisation_id),
        &json!({ "name": "Järfälla kommun" }),
    )
    .await
    .should_be(200);
    app.patch_unit(
        &app.admin.token,
        &world.unit_id,
        &json!({ "name": "Förskolan Äppelgården", "department": "Barn och unga" }),
    )
    .await
    .should_be(200);
}

#[actix_rt::test]
async fn the_issued_certificate_is_a_tagged_swedish_diploma_that_qpdf_and_pdftotext_read() {
    // Given a case about to be approved, its unit and organisation with Swedish names
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    rename(&app, &world).await;
    // When its auditor approves it
    app.drive_to(&world, "certified").await;
    let pdf = download(&app, &world.case_id).await;

    // Then the PDF is tagged: a Document with headings, paragraphs and a QR figure
    let t = tagged(&pdf);
    let kinds = kinds(&t);
    assert_eq!(kinds.first(), Some(&"Document"), "{kinds:?}");
    for kind in ["H1", "H2", "P", "Figure"] {
        assert!(kinds.contains(&kind), "a {kind} element: {kinds:?}");
    }
    let figures: Vec<&String> = t
        .elements
        .iter()
        .filter(|(k, _)| k == "Figure")
        .filter_map(|(_, alt)| alt.as_ref())
        .collect();
    assert!(
        figures
            .iter()
            .any(|alt| alt.starts_with("QR-kod") && alt.contains(PUBLIC_URL)),
        "the QR code has a Swedish alternative text with the address: {figures:?}"
    );
    assert!(t.marked, "/MarkInfo /Marked true");
    assert_eq!(t.lang, "sv", "the holder has no English contact");
    assert!(
        t.display_doc_title,
        "/ViewerPreferences /DisplayDocTitle true"
    );
    for identification in [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
        "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>",
    ] {
        assert!(t.xmp.contains(identification), "XMP has {identification}");
    }
    assert!(
        t.xmp.contains("Certifikat STV-"),
        "the title is in the metadata"
    );

    // And qpdf finds no damage, and pdftotext reads every name
    let dir = scratch("diploma-sv");
    let path = write_pdf(&dir, "certificate.pdf", &pdf);
    let (ok, said) = qpdf_check(&path);
    assert!(
        ok && said.contains("No syntax or stream encoding errors"),
        "{said}"
    );
    let text = pdftotext(&path);
    // The scenario names its auditor after the role (tests/common/scenario.rs).
    let auditor = "A auditor";
    let programme = programme_name(&app, &world.case_id).await;
    for expected in [
        &format!("Certifierad enligt {programme}"),
        "Förskolan Äppelgården",
        "Barn och unga, Järfälla kommun",
        &format!("har uppfyllt kraven i {programme}, version 1."),
        "Stegvis certifiering",
        auditor,
        &format!("{PUBLIC_URL}/verify/"),
    ] {
        assert!(
            text.contains(expected),
            "pdftotext finds {expected:?}: {text}"
        );
    }
    assert!(!text.contains("127.0.0.1"), "{text}");
}

#[actix_rt::test]
async fn a_unit_whose_contact_reads_english_gets_an_english_diploma() {
    // Given a unit whose contact person reads English
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    let body = json!({
        "email": "contact@example.se", "name": "Kim Contact", "role": "unit_contact",
        "unit_id": world.unit_id, "language": "en", "password": crate::helpers::PASSWORD,
    });
    app.post_users(&app.admin.token, &body).await.should_be(201);
    // When the case is approved
    app.drive_to(&world, "certified").await;
    let pdf = download(&app, &world.case_id).await;
    // Then the certificate speaks English, down to its language tag and title
    let t = tagged(&pdf);
    assert_eq!(t.lang, "en");
    assert!(t.xmp.contains("Certificate STV-"), "an English title");
    let dir = scratch("diploma-en");
    let path = write_pdf(&dir, "certificate-en.pdf", &pdf);
    let text = pdftotext(&path);
    let programme = programme_name(&app, &world.case_id).await;
    assert!(
        text.contains(&format!("Certified to {programme}")),
        "{text}"
    );
    assert!(text.contains("This certifies that"), "{text}");
    assert!(!text.contains("Härmed intygas"), "no Swedish: {text}");
}

fn text(logo: Option<&IssuerLogo>) -> CertificateText<'_> {
    CertificateText {
        language: Language::Sv,
        number: "STV-2026-000042",
        unit_name: "Socialtjänst Väst",
        department: Some("Socialförvaltningen"),
        organisation_name: "Järfälla kommun",
        programme_name: "Inkluderingsstandarden",
        programme_version: 1,
        valid_from: "2 mars 2026".into(),
        valid_until: "1 mars 2029".into(),
        first_certified_on: "2 mars 2026".into(),
        issuer: "Inkluderingsrådet i Sverige",
        logo,
        auditor_name: "Gustav Granskare",
        verify_url: "https://stegvis.test/verify/ABCDEFGHJKMN",
        issued_at: time("2026-03-02T09:00:00Z"),
    }
}

fn logo_file() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/fixtures/issuer-logo.png")
}

#[test]
fn the_same_layout_passes_krillas_pdf_ua_1_validator() {
    let logo = IssuerLogo::load(&logo_file()).expect("the PNG loads");
    for logo in [None, Some(&logo)] {
        render_as(&text(logo), krilla::configure::Validator::UA1)
            .expect("krilla finds nothing against PDF/UA-1");
        render_as(&text(logo), krilla::configure::Validator::A2_A)
            .expect("krilla finds nothing against PDF/A-2a");
    }
}

#[test]
fn the_issuers_logo_is_a_figure_with_its_name_as_alternative_text() {
    let logo = IssuerLogo::load(&logo_file()).expect("the PNG loads");
    let with = render(&text(Some(&logo))).expect("renders");
    let without = render(&text(None)).expect("renders");
    let alts = |pdf: &[u8]| -> Vec<String> {
        tagged(pdf)
            .elements
            .into_iter()
            .filter(|(k, _)| k == "Figure")
            .filter_map(|(_, alt)| alt)
            .collect()
    };
    assert!(
        alts(&with).contains(&"Logotyp för Inkluderingsrådet i Sverige".to_string()),
        "{:?}",
        alts(&with)
    );
    assert_eq!(alts(&without).len(), 1, "only the QR code without a logo");
    let (ok, said) = qpdf_check(&write_pdf(&scratch("logo"), "with-logo.pdf", &with));
    assert!(ok, "{said}");
}

#[test]
fn a_logo_that_is_not_an_image_is_refused_with_its_path() {
    let dir = scratch("bad-logo");
    let file = dir.join("logo.png");
    std::fs::write(&file, b"<svg xmlns='http://www.w3.org/2000/svg'/>").expect("written");
    let refused = IssuerLogo::load(&file).expect_err("not a PNG or JPEG");
    let missing = IssuerLogo::load(&dir.join("none.png")).expect_err("no file");
    assert!(refused.contains("logo.png"), "{refused}");
    assert!(missing.contains("none.png"), "{missing}");
}

#[actix_rt::test]
async fn a_configured_logo_is_printed_on_issued_certificates() {
    let app = spawn_app_with(|s| s.certificate.issuer_logo_file = Some(logo_file())).await;
    let world = app.given_a_case_in("certified").await;
    let pdf = download(&app, &world.case_id).await;
    let figures = tagged(&pdf)
        .elements
        .into_iter()
        .filter(|(k, _)| k == "Figure")
        .count();
    assert_eq!(figures, 2, "the logo and the QR code");
}
