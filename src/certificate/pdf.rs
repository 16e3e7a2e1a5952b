//! The certificate as a diploma: an A4 landscape, tagged PDF (PDF/A-2a, identified as
//! PDF/UA-1 too) in the holder's language, with real, searchable text in an embedded
//! open font (DejaVu Sans: Latin with Sámi and Finnish letters, Greek, Cyrillic,
//! Hebrew and Arabic, but no CJK or emoji), the issuer's logo when configured, and a
//! QR code to the public verification page drawn as vector squares. The layout is in
//! [`super::diploma`]; `unprintable` tells what the font cannot print.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use krilla::configure::{Configuration, Validator};
use krilla::destination::XyzDestination;
use krilla::image::Image;
use krilla::metadata::{DateTime as PdfDateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::tagging::TagTree;
use krilla::text::Font;
use krilla::{Document, SerializeSettings};

use super::{diploma, pdf_ua};
use crate::clock::stockholm;
use crate::domain::Language;
use crate::glossary;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A4 landscape in PDF points.
pub(super) const WIDTH: f32 = 841.89;
pub(super) const HEIGHT: f32 = 595.28;

/// Everything the certificate prints. Dates are already words in `language`.
pub struct CertificateText<'a> {
    /// The holder's language: every word, the document language and the title.
    pub language: Language,
    pub number: &'a str,
    pub unit_name: &'a str,
    pub department: Option<&'a str>,
    pub organisation_name: &'a str,
    pub programme_name: &'a str,
    pub programme_version: i32,
    pub valid_from: String,
    pub valid_until: String,
    pub first_certified_on: String,
    pub issuer: &'a str,
    /// The issuer's logo (`certificate.issuer_logo_file`), drawn above its name.
    pub logo: Option<&'a IssuerLogo>,
    pub auditor_name: &'a str,
    pub verify_url: &'a str,
    pub issued_at: chrono::DateTime<chrono::Utc>,
}

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
#[error("certificate PDF: {0}")]
pub struct PdfError(pub(super) String);

/// The issuer's logo, read and checked once at start-up (a PNG or JPEG file).
#[derive(Clone, Debug)]
pub struct IssuerLogo {
    pub(super) image: Image,
}

impl IssuerLogo {
    /// Reads a PNG or JPEG logo; the error says why it cannot be printed.
    pub fn load(path: &Path) -> Result<IssuerLogo, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let data = krilla::Data::from(Arc::new(bytes.clone()));
        // No interpolation: PDF/A forbids it.
        let image = if bytes.starts_with(b"\x89PNG") {
            Image::from_png(data, false)
        } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Image::from_jpeg(data, false)
        } else {
            Err("not a PNG or JPEG file".to_string())
        }
        .map_err(|e| format!("{}: {e}", path.display()))?;
        let (width, height) = image.size();
        if width == 0 || height == 0 {
            return Err(format!("{}: an empty image", path.display()));
        }
        // krilla decodes the pixels when the image is first drawn: draw it once now,
        // so a damaged file stops the start instead of an approval.
        let mut document = Document::new();
        let mut page = document.start_page();
        let mut surface = page.surface();
        if let Some(size) = krilla::geom::Size::from_wh(width as f32, height as f32) {
            surface.draw_image(image.clone(), size);
        }
        surface.finish();
        page.finish();
        document
            .finish()
            .map_err(|e| format!("{}: {e:?}", path.display()))?;
        Ok(IssuerLogo { image })
    }
}

/// A word of the certificate in its language.
pub(super) fn word(language: Language, key: &str) -> &'static str {
    glossary::lookup(language, key).unwrap_or_default()
}

#[expect(
    clippy::expect_used,
    reason = "the fonts are compiled into the binary; every certificate test renders them"
)]
pub(super) fn fonts() -> &'static (Font, Font) {
    static FONTS: OnceLock<(Font, Font)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let load = |bytes: &'static [u8]| {
            Font::new(krilla::Data::from(Arc::new(bytes.to_vec())), 0)
                .expect("the embedded DejaVu font parses")
        };
        (load(REGULAR), load(BOLD))
    })
}

/// The fonts' metrics (regular, bold), to measure and wrap lines before drawing them.
pub(super) fn faces() -> Option<&'static (ttf_parser::Face<'static>, ttf_parser::Face<'static>)> {
    static FACES: OnceLock<Option<(ttf_parser::Face<'static>, ttf_parser::Face<'static>)>> =
        OnceLock::new();
    FACES
        .get_or_init(|| {
            Some((
                ttf_parser::Face::parse(REGULAR, 0).ok()?,
                ttf_parser::Face::parse(BOLD, 0).ok()?,
            ))
        })
        .as_ref()
}

/// The first character of `text` that the embedded fonts (regular and bold) have no
/// glyph for, if any. Names are checked with this when they are entered, so that
/// approving a case never fails on a name the certificate cannot print.
pub fn unprintable(text: &str) -> Option<char> {
    let Some((regular, bold)) = faces() else {
        return text.chars().next();
    };
    text.chars()
        .find(|&c| regular.glyph_index(c).is_none() || bold.glyph_index(c).is_none())
}

/// The document's title: "Certifikat STV-2026-000042 – Förskolan Äppelgården".
pub fn title(text: &CertificateText<'_>) -> String {
    format!(
        "{} {} – {}",
        word(text.language, "certificate.title"),
        text.number,
        text.unit_name
    )
}

/// The creation date as the clock in Stockholm showed it, with its offset.
fn creation_date(at: chrono::DateTime<chrono::Utc>) -> PdfDateTime {
    use chrono::{Datelike, Timelike};
    let issued = stockholm::local(at);
    let offset_hours = (issued.offset().local_minus_utc() / 3600) as i8;
    PdfDateTime::new(issued.year() as u16)
        .month(issued.month() as u8)
        .day(issued.day() as u8)
        .hour(issued.hour() as u8)
        .minute(issued.minute() as u8)
        .second(issued.second() as u8)
        .utc_offset_hour(offset_hours)
        .utc_offset_minute(0)
}

/// Renders the certificate: krilla checks it against PDF/A-2a (tagged, with a
/// document language), then [`pdf_ua`] adds PDF/UA-1's identification and
/// DisplayDocTitle, which krilla 0.7 writes only for a PDF/UA-only document.
pub fn render(text: &CertificateText<'_>) -> Result<Vec<u8>, PdfError> {
    render_as(text, Validator::A2_A).and_then(|pdf| pdf_ua::identify(&pdf))
}

/// The certificate checked by one of krilla's validators (the tests also render it
/// as PDF/UA-1 alone, so krilla checks PDF/UA's rules on the same layout).
pub fn render_as(text: &CertificateText<'_>, validator: Validator) -> Result<Vec<u8>, PdfError> {
    let settings = SerializeSettings {
        configuration: Configuration::new_with_validator(validator),
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let language = text.language.as_str();
    let mut document = Document::new_with(settings);
    document.set_metadata(
        Metadata::new()
            .title(title(text))
            .language(language.into())
            .authors(vec![text.issuer.to_string()])
            .creator("Stegvis".into())
            .producer("Stegvis".into())
            .creation_date(creation_date(text.issued_at)),
    );
    let page_settings =
        PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| PdfError("page size".into()))?;
    let mut page = document.start_page_with(page_settings);
    let mut surface = page.surface();
    let nodes = diploma::draw(&mut surface, text);
    surface.finish();
    page.finish();
    let mut tree = TagTree::new().with_lang(Some(language.to_string()));
    for node in nodes {
        tree.push(node);
    }
    document.set_tag_tree(tree);
    // PDF/UA-1 asks for an outline: one entry, the document's title, to the page.
    let mut outline = Outline::new();
    outline.push_child(OutlineNode::new(
        title(text),
        XyzDestination::new(0, krilla::geom::Point::from_xy(0.0, 0.0)),
    ));
    document.set_outline(outline);
    document.finish().map_err(|e| PdfError(format!("{e:?}")))
}

#[cfg(test)]
mod coverage_tests {
    use super::unprintable;

    #[test]
    fn the_fonts_print_the_scripts_of_swedish_municipalities_but_not_cjk_or_emoji() {
        for printable in [
            "Förskolan Regnbågen",
            "Čáhcegeađgi skuvla ŋ š ž đ ŧ",
            "Äänekoski ÅÄÖ",
            "Ελληνικά",
            "Русская школа",
            "שלום",
            "مدرسة",
        ] {
            assert_eq!(unprintable(printable), None, "{printable}");
        }
        assert_eq!(unprintable("Enhet 中文"), Some('中'));
        assert_eq!(unprintable("Förskolan Regnbågen 🌈"), Some('🌈'));
    }
}
