//! The diploma's layout: everything centred on the page in the site's palette, the
//! achievement as the heading, the facts in three columns, signature lines and the QR
//! code along the bottom. Every piece of text is tagged in reading order (headings,
//! paragraphs, the logo and the QR code as figures with alternative text); the frame
//! and the signature lines are artifacts.

use std::num::NonZeroU16;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    ArtifactType, BBox, ContentTag, Identifier, Node, SpanTag, Tag, TagGroup, TagKind,
};
use krilla::text::{Font, TextDirection};

use super::sheet::{faces, fonts, word, CertificateText, HEIGHT, WIDTH};
use crate::domain::Role;
use crate::glossary;

/// The site's palette (templates/web/static/stegvis.css): its green, ink and grey.
const ACCENT: (u8, u8, u8) = (0x14, 0x53, 0x2d);
const INK: (u8, u8, u8) = (0x1b, 0x1b, 0x1b);
const MUTED: (u8, u8, u8) = (0x4a, 0x4a, 0x4a);
const LINE: (u8, u8, u8) = (0x8a, 0x8a, 0x8a);

/// The widest a centred line may run before it wraps.
const TEXT_WIDTH: f32 = WIDTH - 2.0 * 96.0;

fn paint((r, g, b): (u8, u8, u8)) -> krilla::paint::Paint {
    rgb::Color::new(r, g, b).into()
}

fn fill(colour: (u8, u8, u8)) -> Fill {
    Fill {
        paint: paint(colour),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// The type of a run of text.
#[derive(Clone, Copy)]
struct Style {
    bold: bool,
    size: f32,
    colour: (u8, u8, u8),
}

const fn style(bold: bool, size: f32, colour: (u8, u8, u8)) -> Style {
    Style { bold, size, colour }
}

/// The width of `text` in points, from the font's advances.
fn width(text: &str, style: Style) -> f32 {
    let Some((regular, bold)) = faces() else {
        return 0.0;
    };
    let face = if style.bold { bold } else { regular };
    let units: f32 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .unwrap_or(0) as f32
        })
        .sum();
    units * style.size / f32::from(face.units_per_em())
}

/// `text` broken at spaces into lines no wider than `max`.
fn wrap(text: &str, style: Style, max: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for w in text.split_whitespace() {
        let candidate = if current.is_empty() {
            w.to_string()
        } else {
            format!("{current} {w}")
        };
        if !current.is_empty() && width(&candidate, style) > max {
            lines.push(std::mem::replace(&mut current, w.to_string()));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// Draws tagged runs of text and shapes on one page.
struct Pen<'s, 'p> {
    surface: &'s mut Surface<'p>,
}

impl Pen<'_, '_> {
    /// One run of text with its left end at `x`, tagged as a span. A trailing space
    /// (not measured) keeps the word boundary for text extraction and screen readers.
    fn run(&mut self, x: f32, baseline: f32, text: &str, style: Style) -> Identifier {
        let (regular, bold) = fonts();
        let font: Font = if style.bold { bold } else { regular }.clone();
        self.surface.set_fill(Some(fill(style.colour)));
        let id = self
            .surface
            .start_tagged(ContentTag::Span(SpanTag::empty()));
        self.surface.draw_text(
            Point::from_xy(x, baseline),
            font,
            style.size,
            text,
            false,
            TextDirection::Auto,
        );
        self.surface.end_tagged();
        id
    }

    /// A run centred on `centre`.
    fn centred(&mut self, centre: f32, baseline: f32, text: &str, style: Style) -> Identifier {
        let x = centre - width(text.trim_end(), style) / 2.0;
        self.run(x, baseline, text, style)
    }

    /// A centred block that wraps, as one structure element; returns the baseline
    /// after its last line.
    fn block(
        &mut self,
        group: &mut TagGroup,
        baseline: f32,
        text: &str,
        style: Style,
        leading: f32,
    ) -> f32 {
        let lines = wrap(text, style, TEXT_WIDTH);
        let last = lines.len().saturating_sub(1);
        let mut y = baseline;
        for (i, line) in lines.iter().enumerate() {
            let shown = if i < last {
                format!("{line} ")
            } else {
                line.clone()
            };
            group.push(self.centred(WIDTH / 2.0, y, &shown, style));
            if i < last {
                y += leading;
            }
        }
        y
    }

    /// Shapes that carry no meaning (frame, rules): marked as artifacts.
    fn artifact(&mut self, draw: impl FnOnce(&mut Surface<'_>)) {
        self.surface
            .start_tagged(ContentTag::Artifact(ArtifactType::Other));
        draw(self.surface);
        self.surface.end_tagged();
    }
}

fn rect_path(rect: Option<Rect>) -> Option<krilla::geom::Path> {
    let mut builder = PathBuilder::new();
    builder.push_rect(rect?);
    builder.finish()
}

fn stroke(colour: (u8, u8, u8), width: f32) -> Stroke {
    Stroke {
        paint: paint(colour),
        width,
        ..Stroke::default()
    }
}

/// A double frame in the accent colour, inset from the page's edge.
fn frame(surface: &mut Surface<'_>) {
    surface.set_fill(None);
    for (inset, line) in [(18.0, 2.4), (25.0, 0.8)] {
        surface.set_stroke(Some(stroke(ACCENT, line)));
        if let Some(path) = rect_path(Rect::from_xywh(
            inset,
            inset,
            WIDTH - 2.0 * inset,
            HEIGHT - 2.0 * inset,
        )) {
            surface.draw_path(&path);
        }
    }
    surface.set_stroke(None);
}

fn group(tag: impl Into<TagKind>) -> TagGroup {
    TagGroup::new(tag)
}

fn heading(level: u16, title: &str) -> TagGroup {
    let level = NonZeroU16::new(level).unwrap_or(NonZeroU16::MIN);
    group(Tag::Hn(level, Some(title.to_string())))
}

/// The logo, centred at the top within 160 × 52 points; returns the space it took.
fn logo(pen: &mut Pen<'_, '_>, nodes: &mut Vec<Node>, text: &CertificateText<'_>) -> f32 {
    let Some(logo) = text.logo else {
        return 0.0;
    };
    let (w, h) = logo.image.size();
    let scale = (160.0 / w as f32).min(52.0 / h as f32);
    let (w, h) = (w as f32 * scale, h as f32 * scale);
    let (left, top) = ((WIDTH - w) / 2.0, 46.0);
    let Some(size) = Size::from_wh(w, h) else {
        return 0.0;
    };
    let alt = glossary::text(
        text.language,
        "certificate.logo_alt",
        &[("issuer", text.issuer.to_string())],
    );
    let mut figure = group(
        Tag::Figure(Some(alt)).with_bbox(Rect::from_xywh(left, top, w, h).map(|r| BBox::new(0, r))),
    );
    let id = pen.surface.start_tagged(ContentTag::Other);
    pen.surface
        .push_transform(&Transform::from_translate(left, top));
    pen.surface.draw_image(logo.image.clone(), size);
    pen.surface.pop();
    pen.surface.end_tagged();
    figure.push(id);
    nodes.push(figure.into());
    h + 14.0
}

/// One fact in a column: a small label over a bold value, read as one paragraph.
fn fact(pen: &mut Pen<'_, '_>, centre: f32, baseline: f32, label: &str, value: &str) -> Node {
    let mut p = group(Tag::P);
    p.push(pen.centred(
        centre,
        baseline,
        &format!("{label} "),
        style(false, 9.5, MUTED),
    ));
    p.push(pen.centred(centre, baseline + 18.0, value, style(true, 12.5, INK)));
    p.into()
}

/// A signature line with the name under it and the signer's role under that.
fn signature(pen: &mut Pen<'_, '_>, left: f32, top: f32, name: &str, role: &str) -> Node {
    let width = 220.0;
    pen.artifact(|surface| {
        surface.set_fill(Some(fill(LINE)));
        if let Some(path) = rect_path(Rect::from_xywh(left, top, width, 0.8)) {
            surface.draw_path(&path);
        }
    });
    let centre = left + width / 2.0;
    let mut p = group(Tag::P);
    p.push(pen.centred(
        centre,
        top + 18.0,
        &format!("{name} "),
        style(true, 11.5, INK),
    ));
    p.push(pen.centred(centre, top + 33.0, role, style(false, 9.5, MUTED)));
    p.into()
}

/// The QR code to the verification page: vector squares, a figure with the address
/// as its alternative text.
fn qr_code(pen: &mut Pen<'_, '_>, text: &CertificateText<'_>, left: f32, top: f32) -> Option<Node> {
    let size = 100.0;
    let qr = super::qr::modules(text.verify_url)?;
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
    let path = squares.finish()?;
    let alt = glossary::text(
        text.language,
        "certificate.qr_alt",
        &[("url", text.verify_url.to_string())],
    );
    let mut figure = group(
        Tag::Figure(Some(alt))
            .with_bbox(Rect::from_xywh(left, top, size, size).map(|r| BBox::new(0, r))),
    );
    pen.surface.set_fill(Some(fill(INK)));
    let id = pen.surface.start_tagged(ContentTag::Other);
    pen.surface.draw_path(&path);
    pen.surface.end_tagged();
    figure.push(id);
    Some(figure.into())
}

/// Draws the diploma and returns its structure elements in reading order.
pub(super) fn draw(surface: &mut Surface<'_>, text: &CertificateText<'_>) -> Vec<Node> {
    let lang = text.language;
    let mut pen = Pen { surface };
    let mut nodes: Vec<Node> = Vec::new();
    pen.artifact(frame);

    let mut y = 46.0 + logo(&mut pen, &mut nodes, text) + 14.0;
    let mut issuer = group(Tag::P);
    pen.block(&mut issuer, y, text.issuer, style(true, 13.0, ACCENT), 17.0);
    nodes.push(issuer.into());

    // What was achieved, in words: "Certifierad enligt Inkluderingsstandarden".
    let achievement = glossary::text(
        lang,
        "certificate.achievement",
        &[("programme", text.programme_name.to_string())],
    );
    let mut h1 = heading(1, &achievement);
    y = pen.block(
        &mut h1,
        y + 46.0,
        &achievement,
        style(true, 30.0, ACCENT),
        36.0,
    );
    nodes.push(h1.into());

    let mut certifies = group(Tag::P);
    y = pen.block(
        &mut certifies,
        y + 36.0,
        word(lang, "certificate.certifies"),
        style(false, 13.0, MUTED),
        17.0,
    );
    nodes.push(certifies.into());

    let mut unit = heading(2, text.unit_name);
    y = pen.block(
        &mut unit,
        y + 38.0,
        text.unit_name,
        style(true, 26.0, INK),
        31.0,
    );
    nodes.push(unit.into());

    let organisation = match text.department {
        Some(department) => format!("{department}, {}", text.organisation_name),
        None => text.organisation_name.to_string(),
    };
    let mut organisation_p = group(Tag::P);
    y = pen.block(
        &mut organisation_p,
        y + 25.0,
        &organisation,
        style(false, 15.0, INK),
        19.0,
    );
    nodes.push(organisation_p.into());

    let has_met = format!(
        "{} {}, {} {}.",
        word(lang, "certificate.has_met"),
        text.programme_name,
        word(lang, "certificate.version"),
        text.programme_version
    );
    let mut has_met_p = group(Tag::P);
    y = pen.block(
        &mut has_met_p,
        y + 30.0,
        &has_met,
        style(false, 13.0, MUTED),
        17.0,
    );
    nodes.push(has_met_p.into());

    let validity = format!("{} – {}", text.valid_from, text.valid_until);
    let facts = [
        (word(lang, "certificate.number"), text.number),
        (word(lang, "certificate.validity"), validity.as_str()),
        (
            word(lang, "certificate.first_certified"),
            text.first_certified_on.as_str(),
        ),
    ];
    let facts_y = (y + 44.0).max(330.0);
    for (i, (label, value)) in facts.into_iter().enumerate() {
        let centre = WIDTH / 2.0 + (i as f32 - 1.0) * 230.0;
        nodes.push(fact(&mut pen, centre, facts_y, label, value));
    }

    // Signatures along the bottom left, the QR code at the bottom right.
    let signatures_top = HEIGHT - 122.0;
    if !text.auditor_name.is_empty() {
        let role = glossary::role(lang, Role::Auditor);
        nodes.push(signature(
            &mut pen,
            70.0,
            signatures_top,
            text.auditor_name,
            role,
        ));
    }
    nodes.push(signature(
        &mut pen,
        330.0,
        signatures_top,
        text.issuer,
        word(lang, "certificate.issuer_signature"),
    ));
    let qr_left = WIDTH - 70.0 - 100.0;
    if let Some(figure) = qr_code(&mut pen, text, qr_left, HEIGHT - 176.0) {
        nodes.push(figure);
    }
    let mut verify = group(Tag::P);
    let line = format!(
        "{}: {}",
        word(lang, "certificate.verify_at"),
        text.verify_url
    );
    pen.block(
        &mut verify,
        HEIGHT - 44.0,
        &line,
        style(false, 9.0, MUTED),
        11.0,
    );
    nodes.push(verify.into());
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_title_wraps_at_spaces_within_the_width() {
        let s = style(true, 30.0, ACCENT);
        let lines = wrap(
            "Certifierad enligt Standarden för inkluderande verksamheter i offentlig sektor",
            s,
            TEXT_WIDTH,
        );
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, s) <= TEXT_WIDTH), "{lines:?}");
        assert_eq!(wrap("Kort", s, TEXT_WIDTH), vec!["Kort".to_string()]);
    }
}
