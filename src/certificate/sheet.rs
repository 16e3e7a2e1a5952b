//! What the certificate's pages share: the page size, the embedded fonts and their
//! metrics, the words and facts printed, the issuer's logo and the error of a render.
//! [`super::pdf`] renders, [`super::diploma`] lays out, [`super::pdf_ua`] marks.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use krilla::image::Image;
use krilla::text::Font;
use krilla::Document;

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
