//! QR codes as a plain grid of modules, for drawing into the PDF.

use qrcode::{Color, EcLevel, QrCode};

/// A QR code: `width` × `width` modules, row by row, with a quiet zone of 2 included.
pub struct Modules {
    pub width: usize,
    pub dark: Vec<bool>,
}

/// The QR code for `text` (medium error correction), or `None` when it does not fit.
pub fn modules(text: &str) -> Option<Modules> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let inner = code.width();
    let quiet = 2;
    let width = inner + 2 * quiet;
    let colors = code.to_colors();
    let mut dark = vec![false; width * width];
    for row in 0..inner {
        for col in 0..inner {
            dark[(row + quiet) * width + col + quiet] = colors[row * inner + col] == Color::Dark;
        }
    }
    Some(Modules { width, dark })
}
