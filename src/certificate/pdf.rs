//! The certificate as a diploma: an A4 landscape, tagged PDF (PDF/A-2a, identified as
//! PDF/UA-1 too) in the holder's language, with real, searchable text in an embedded
//! open font (DejaVu Sans: Latin with Sámi and Finnish letters, Greek, Cyrillic,
//! Hebrew and Arabic, but no CJK or emoji), the issuer's logo when configured, and a
//! QR code to the public verification page drawn as vector squares. The layout is in
//! [`super::diploma`]; `unprintable` tells what the font cannot print.

use krilla::configure::{Configuration, Validator};
use krilla::destination::XyzDestination;
use krilla::metadata::{DateTime as PdfDateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::tagging::TagTree;
use krilla::{Document, SerializeSettings};

pub use super::sheet::{title, unprintable, CertificateText, IssuerLogo, PdfError};
use super::sheet::{HEIGHT, WIDTH};
use super::{diploma, pdf_ua};
use crate::clock::stockholm;

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
