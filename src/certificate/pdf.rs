//! The certificate as an A4 landscape PDF/A-2b: real, searchable text in an embedded
//! open font (DejaVu Sans: Latin with Sámi and Finnish letters, Greek, Cyrillic,
//! Hebrew and Arabic, but no CJK or emoji), and a QR code to the public verification
//! page drawn as vector squares. `unprintable` tells what the font cannot print.

use std::sync::{Arc, OnceLock};

use krilla::color::rgb;
use krilla::configure::{Configuration, Validator};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime as PdfDateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};

use crate::clock::stockholm;
use crate::domain::{Language, Role};
use crate::glossary;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A4 landscape in PDF points.
const WIDTH: f32 = 841.89;
const HEIGHT: f32 = 595.28;
const MARGIN: f32 = 64.0;

/// Everything the certificate prints.
pub struct CertificateText<'a> {
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
    pub auditor_name: &'a str,
    pub verify_url: &'a str,
    pub issued_at: chrono::DateTime<chrono::Utc>,
}

/// The certificate is bilingual: Swedish first, then English.
fn sv(key: &str) -> &'static str {
    glossary::lookup(Language::Sv, key).unwrap_or_default()
}

fn en(key: &str) -> &'static str {
    glossary::lookup(Language::En, key).unwrap_or_default()
}

/// "Swedish / English", as every label of the certificate reads.
fn both(key: &str) -> String {
    format!("{} / {}", sv(key), en(key))
}

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
#[error("certificate PDF: {0}")]
pub struct PdfError(String);

#[expect(
    clippy::expect_used,
    reason = "the fonts are compiled into the binary; every certificate test renders them"
)]
fn fonts() -> &'static (Font, Font) {
    static FONTS: OnceLock<(Font, Font)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let load = |bytes: &'static [u8]| {
            Font::new(krilla::Data::from(Arc::new(bytes.to_vec())), 0)
                .expect("the embedded DejaVu font parses")
        };
        (load(REGULAR), load(BOLD))
    })
}

/// The first character of `text` that the embedded fonts (regular and bold) have no
/// glyph for, if any. Names are checked with this when they are entered, so that
/// approving a case never fails on a name the certificate cannot print.
pub fn unprintable(text: &str) -> Option<char> {
    static FACES: OnceLock<Option<(ttf_parser::Face<'static>, ttf_parser::Face<'static>)>> =
        OnceLock::new();
    let faces = FACES.get_or_init(|| {
        Some((
            ttf_parser::Face::parse(REGULAR, 0).ok()?,
            ttf_parser::Face::parse(BOLD, 0).ok()?,
        ))
    });
    let Some((regular, bold)) = faces else {
        return text.chars().next();
    };
    text.chars()
        .find(|&c| regular.glyph_index(c).is_none() || bold.glyph_index(c).is_none())
}

fn fill(r: u8, g: u8, b: u8) -> Fill {
    Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// Renders the certificate.
pub fn render(text: &CertificateText<'_>) -> Result<Vec<u8>, PdfError> {
    let (regular, bold) = fonts();
    let settings = SerializeSettings {
        configuration: Configuration::new_with_validator(Validator::A2_B),
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    // The creation date as the clock in Stockholm showed it, with its offset.
    let issued = stockholm::local(text.issued_at);
    let offset_hours = (issued.offset().local_minus_utc() / 3600) as i8;
    use chrono::{Datelike, Timelike};
    document.set_metadata(
        Metadata::new()
            .title(format!(
                "{} {} – {}",
                sv("certificate.title"),
                text.number,
                text.unit_name
            ))
            .language("sv".into())
            .creator("Stegvis".into())
            .producer("Stegvis".into())
            .creation_date(
                PdfDateTime::new(issued.year() as u16)
                    .month(issued.month() as u8)
                    .day(issued.day() as u8)
                    .hour(issued.hour() as u8)
                    .minute(issued.minute() as u8)
                    .second(issued.second() as u8)
                    .utc_offset_hour(offset_hours)
                    .utc_offset_minute(0),
            ),
    );
    let page_settings =
        PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| PdfError("page size".into()))?;
    let mut page = document.start_page_with(page_settings);
    let mut surface = page.surface();

    // A band across the top and a thin frame.
    surface.set_fill(Some(fill(0x1f, 0x4e, 0x79)));
    let mut band = PathBuilder::new();
    if let Some(rect) = Rect::from_xywh(0.0, 0.0, WIDTH, 18.0) {
        band.push_rect(rect);
    }
    if let Some(path) = band.finish() {
        surface.draw_path(&path);
    }

    let mut y = 96.0;
    let mut line =
        |surface: &mut krilla::surface::Surface, font: &Font, size: f32, value: &str, gap: f32| {
            surface.draw_text(
                Point::from_xy(MARGIN, y),
                font.clone(),
                size,
                value,
                false,
                TextDirection::Auto,
            );
            y += gap;
        };
    surface.set_fill(Some(fill(0x1f, 0x4e, 0x79)));
    line(&mut surface, bold, 34.0, sv("certificate.title"), 26.0);
    surface.set_fill(Some(fill(0x44, 0x44, 0x44)));
    line(&mut surface, regular, 13.0, en("certificate.title"), 44.0);
    line(
        &mut surface,
        regular,
        13.0,
        &both("certificate.certifies"),
        34.0,
    );
    surface.set_fill(Some(fill(0x11, 0x11, 0x11)));
    line(&mut surface, bold, 26.0, text.unit_name, 26.0);
    let organisation = match text.department {
        Some(department) => format!("{department}, {}", text.organisation_name),
        None => text.organisation_name.to_string(),
    };
    line(&mut surface, regular, 15.0, &organisation, 36.0);
    surface.set_fill(Some(fill(0x44, 0x44, 0x44)));
    line(
        &mut surface,
        regular,
        13.0,
        &both("certificate.has_met"),
        26.0,
    );
    surface.set_fill(Some(fill(0x11, 0x11, 0x11)));
    line(
        &mut surface,
        bold,
        17.0,
        &format!(
            "{}, {} {}",
            text.programme_name,
            sv("certificate.version"),
            text.programme_version
        ),
        44.0,
    );
    surface.set_fill(Some(fill(0x22, 0x22, 0x22)));
    let facts = [
        (both("certificate.number"), text.number.to_string()),
        (
            both("certificate.validity"),
            format!("{} – {}", text.valid_from, text.valid_until),
        ),
        (
            both("certificate.first_certified"),
            text.first_certified_on.clone(),
        ),
        (both("certificate.issuer"), text.issuer.to_string()),
        (
            format!(
                "{} / {}",
                glossary::role(Language::Sv, Role::Auditor),
                glossary::role(Language::En, Role::Auditor)
            ),
            text.auditor_name.to_string(),
        ),
    ];
    for (label, value) in facts {
        surface.draw_text(
            Point::from_xy(MARGIN, y),
            regular.clone(),
            10.5,
            &label,
            false,
            TextDirection::Auto,
        );
        surface.draw_text(
            Point::from_xy(MARGIN + 230.0, y),
            bold.clone(),
            10.5,
            &value,
            false,
            TextDirection::Auto,
        );
        y += 17.0;
    }

    // The QR code, bottom right, with the address written under it.
    let size = 132.0;
    let left = WIDTH - MARGIN - size;
    let top = HEIGHT - MARGIN - size - 24.0;
    if let Some(qr) = super::qr::modules(text.verify_url) {
        let cell = size / qr.width as f32;
        let mut squares = PathBuilder::new();
        for (i, dark) in qr.dark.iter().enumerate() {
            if *dark {
                let (row, col) = (i / qr.width, i % qr.width);
                if let Some(rect) = Rect::from_xywh(
                    left + col as f32 * cell,
                    top + row as f32 * cell,
                    cell,
                    cell,
                ) {
                    squares.push_rect(rect);
                }
            }
        }
        surface.set_fill(Some(fill(0, 0, 0)));
        if let Some(path) = squares.finish() {
            surface.draw_path(&path);
        }
    }
    surface.set_fill(Some(fill(0x44, 0x44, 0x44)));
    surface.draw_text(
        Point::from_xy(MARGIN, HEIGHT - MARGIN + 10.0),
        regular.clone(),
        9.0,
        &format!("{}: {}", both("certificate.verify_at"), text.verify_url),
        false,
        TextDirection::Auto,
    );
    surface.finish();
    page.finish();
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
