//! PDF/UA-1 identification for a PDF/A-2a certificate. krilla 0.7 checks one standard
//! per document and writes PDF/UA's two marks (`pdfuaid:part` in the XMP metadata and
//! `/ViewerPreferences << /DisplayDocTitle true >>` in the catalog) only for a
//! PDF/UA-only document, which would lose PDF/A. Everything else PDF/UA-1 asks of this
//! document (tags, alternative texts, heading titles, the language, the title) is in
//! the PDF/A-2a rendering and is checked by krilla's PDF/UA-1 validator in the tests.
//! The marks are added here as an incremental update (ISO 32000-1 §7.5.6, allowed
//! by PDF/A-2): a new catalog and a new metadata stream under the same object numbers,
//! with a cross-reference section that points back at krilla's.

use super::sheet::PdfError;

const PDFUA_NS: &str = "http://www.aiim.org/pdfua/ns/id/";

/// The PDF/A extension schema that declares `pdfuaid:part`, as PDF/A requires for a
/// property outside XMP's own schemas.
const PDFUA_SCHEMA: &str = concat!(
    "<rdf:li rdf:parseType=\"Resource\">",
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>",
    "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>",
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>",
    "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">",
    "<pdfaProperty:name>part</pdfaProperty:name>",
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>",
    "<pdfaProperty:category>internal</pdfaProperty:category>",
    "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>",
    "</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li>",
);

fn fail(what: &str) -> PdfError {
    PdfError(format!("PDF/UA identification: {what}"))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The number after `key` in a dictionary's text (`/Root 12 0 R` → 12).
fn number_after(text: &str, key: &str) -> Option<u64> {
    let start = text.find(key)? + key.len();
    text[start..]
        .trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The body of object `number` (between `N 0 obj` and `endobj`).
fn object(pdf: &[u8], number: u64) -> Option<&[u8]> {
    let head = format!("\n{number} 0 obj\n");
    let start = find(pdf, head.as_bytes())? + head.len();
    let end = start + find(&pdf[start..], b"\nendobj")?;
    Some(&pdf[start..end])
}

/// The catalog with `/DisplayDocTitle true` added.
fn catalog_with_title_shown(catalog: &str) -> Result<String, PdfError> {
    if catalog.contains("/ViewerPreferences") {
        return Err(fail("the catalog already has viewer preferences"));
    }
    let end = catalog.rfind(">>").ok_or_else(|| fail("catalog"))?;
    Ok(format!(
        "{}  /ViewerPreferences << /DisplayDocTitle true >>\n{}",
        &catalog[..end],
        &catalog[end..]
    ))
}

/// krilla's XMP packet with `pdfuaid:part` 1 and its schema declared.
fn xmp_with_pdfua(xmp: &str) -> Result<String, PdfError> {
    let description = "<rdf:Description rdf:about=\"\"";
    let bag_end = "</rdf:Bag></pdfaExtension:schemas>";
    let description_end = "</rdf:Description>";
    if !xmp.contains(description) || !xmp.contains(bag_end) || !xmp.contains(description_end) {
        return Err(fail("the XMP packet is not krilla's"));
    }
    Ok(xmp
        .replacen(
            description,
            &format!("{description} xmlns:pdfuaid=\"{PDFUA_NS}\""),
            1,
        )
        .replacen(bag_end, &format!("{PDFUA_SCHEMA}{bag_end}"), 1)
        .replacen(
            description_end,
            &format!("<pdfuaid:part>1</pdfuaid:part>{description_end}"),
            1,
        ))
}

/// The metadata stream object rewritten around a new XMP packet.
fn metadata_object(body: &[u8]) -> Result<(String, String), PdfError> {
    let stream = find(body, b"stream\n").ok_or_else(|| fail("metadata stream"))?;
    let dictionary = std::str::from_utf8(&body[..stream]).map_err(|_| fail("metadata"))?;
    if dictionary.contains("/Filter") {
        return Err(fail("a compressed metadata stream"));
    }
    let length = number_after(dictionary, "/Length").ok_or_else(|| fail("metadata length"))?;
    let start = stream + "stream\n".len();
    let packet = body
        .get(start..start + length as usize)
        .ok_or_else(|| fail("metadata length"))?;
    let xmp = std::str::from_utf8(packet).map_err(|_| fail("metadata is not UTF-8"))?;
    let new_xmp = xmp_with_pdfua(xmp)?;
    let new_dictionary = dictionary.replacen(
        &format!("/Length {length}"),
        &format!("/Length {}", new_xmp.len()),
        1,
    );
    Ok((new_dictionary, new_xmp))
}

/// `pdf` with PDF/UA-1's identification added as an incremental update.
pub fn identify(pdf: &[u8]) -> Result<Vec<u8>, PdfError> {
    let trailer_at = rfind(pdf, b"trailer").ok_or_else(|| fail("no trailer"))?;
    let startxref_at = rfind(pdf, b"startxref").ok_or_else(|| fail("no startxref"))?;
    let trailer =
        std::str::from_utf8(&pdf[trailer_at..startxref_at]).map_err(|_| fail("trailer"))?;
    let previous = std::str::from_utf8(&pdf[startxref_at + "startxref".len()..])
        .map_err(|_| fail("startxref"))?
        .split_whitespace()
        .next()
        .and_then(|n| n.parse::<u64>().ok())
        .ok_or_else(|| fail("startxref"))?;
    let root = number_after(trailer, "/Root").ok_or_else(|| fail("no /Root"))?;
    let catalog = object(pdf, root).ok_or_else(|| fail("no catalog"))?;
    let catalog = std::str::from_utf8(catalog).map_err(|_| fail("catalog"))?;
    let metadata = number_after(catalog, "/Metadata").ok_or_else(|| fail("no metadata"))?;
    let (dictionary, xmp) =
        metadata_object(object(pdf, metadata).ok_or_else(|| fail("metadata object"))?)?;

    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let catalog_at = out.len();
    out.extend_from_slice(
        format!(
            "{root} 0 obj\n{}\nendobj\n\n",
            catalog_with_title_shown(catalog)?
        )
        .as_bytes(),
    );
    let metadata_at = out.len();
    out.extend_from_slice(
        format!("{metadata} 0 obj\n{dictionary}stream\n{xmp}\nendstream\nendobj\n\n").as_bytes(),
    );
    let xref_at = out.len();
    let mut entries = [(root, catalog_at), (metadata, metadata_at)];
    entries.sort();
    let mut xref = String::from("xref\n");
    for (number, offset) in entries {
        xref.push_str(&format!("{number} 1\n{offset:010} 00000 n \n"));
    }
    // The new trailer repeats the old one's entries (Root, Info, ID) with /Prev.
    let dictionary_start = trailer.find("<<").ok_or_else(|| fail("trailer"))?;
    let dictionary_end = trailer.rfind(">>").ok_or_else(|| fail("trailer"))?;
    let entries_text = &trailer[dictionary_start + 2..dictionary_end];
    out.extend_from_slice(
        format!(
            "{xref}trailer\n<<{entries_text}  /Prev {previous}\n>>\nstartxref\n{xref_at}\n%%EOF\n"
        )
        .as_bytes(),
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_gains_display_doc_title_once() {
        let catalog = "<<\n  /Type /Catalog\n  /Pages 2 0 R\n>>";
        let shown = catalog_with_title_shown(catalog).expect("adds");
        assert!(shown.contains("/ViewerPreferences << /DisplayDocTitle true >>"));
        assert!(shown.trim_end().ends_with(">>"));
        assert!(catalog_with_title_shown(&shown).is_err());
    }

    #[test]
    fn an_xmp_packet_that_is_not_krillas_is_refused() {
        assert!(xmp_with_pdfua("<x:xmpmeta/>").is_err());
    }
}
