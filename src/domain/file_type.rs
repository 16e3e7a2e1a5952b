//! What an evidence file is, read from its content (its first bytes and, for the
//! zip-based office formats, the names of its entries), never from its name alone.
//!
//! A file is accepted when its content is one of the kinds below *and* its name ends
//! with one of that kind's extensions: a `.pdf` that is a PNG is refused.

use serde::{Deserialize, Serialize};

/// The kinds of file evidence may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Png,
    Jpeg,
}

impl FileType {
    /// The media type a download is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileType::Odt => "application/vnd.oasis.opendocument.text",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
        }
    }

    /// The file name endings (lower case, no dot) of the kind.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Docx => &["docx"],
            FileType::Xlsx => &["xlsx"],
            FileType::Pptx => &["pptx"],
            FileType::Odt => &["odt"],
            FileType::Png => &["png"],
            FileType::Jpeg => &["jpg", "jpeg"],
        }
    }

    /// The kind `content` is, from its signature; `None` for anything else.
    pub fn of_content(content: &[u8]) -> Option<FileType> {
        if content.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else if content.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileType::Png)
        } else if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if content.starts_with(b"PK\x03\x04") {
            zipped(content)
        } else {
            None
        }
    }

    /// The kind of a file named `name` with `content`, when both agree.
    pub fn checked(name: &str, content: &[u8]) -> Option<FileType> {
        let kind = FileType::of_content(content)?;
        let extension = name.rsplit_once('.')?.1.to_lowercase();
        kind.extensions()
            .contains(&extension.as_str())
            .then_some(kind)
    }
}

/// An Office Open XML document (its `[Content_Types].xml` and main part's folder) or an
/// OpenDocument text (its first entry `mimetype`, stored, naming the type).
fn zipped(content: &[u8]) -> Option<FileType> {
    const ODT: &[u8] = b"mimetypeapplication/vnd.oasis.opendocument.text";
    // The first local header: name at 30, its length at 26; a stored `mimetype` entry's
    // content follows the name directly.
    if content.get(30..30 + ODT.len()) == Some(ODT) {
        return Some(FileType::Odt);
    }
    if !contains(content, b"[Content_Types].xml") {
        return None;
    }
    [
        (b"word/".as_slice(), FileType::Docx),
        (b"xl/".as_slice(), FileType::Xlsx),
        (b"ppt/".as_slice(), FileType::Pptx),
    ]
    .into_iter()
    .find(|(folder, _)| contains(content, folder))
    .map(|(_, kind)| kind)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// An evidence file as its case's history records it (the hash chain covers it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceFile {
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
    pub media_type: String,
    /// The name it was uploaded under.
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(entries: &[&str]) -> Vec<u8> {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(&[0; 26]);
        for e in entries {
            bytes.extend_from_slice(e.as_bytes());
            bytes.extend_from_slice(b"PK\x03\x04....");
        }
        bytes
    }

    #[test]
    fn each_kind_is_read_from_its_content() {
        assert_eq!(FileType::of_content(b"%PDF-1.7\n"), Some(FileType::Pdf));
        assert_eq!(
            FileType::of_content(b"\x89PNG\r\n\x1a\n\0\0"),
            Some(FileType::Png)
        );
        assert_eq!(
            FileType::of_content(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(FileType::Jpeg)
        );
        let docx = zip_with(&["[Content_Types].xml", "word/document.xml"]);
        assert_eq!(FileType::of_content(&docx), Some(FileType::Docx));
        let xlsx = zip_with(&["[Content_Types].xml", "xl/workbook.xml"]);
        assert_eq!(FileType::of_content(&xlsx), Some(FileType::Xlsx));
        let pptx = zip_with(&["[Content_Types].xml", "ppt/presentation.xml"]);
        assert_eq!(FileType::of_content(&pptx), Some(FileType::Pptx));
        let odt = zip_with(&["mimetypeapplication/vnd.oasis.opendocument.text"]);
        assert_eq!(FileType::of_content(&odt), Some(FileType::Odt));
    }

    #[test]
    fn other_content_is_no_kind() {
        assert_eq!(FileType::of_content(b"hello"), None);
        assert_eq!(FileType::of_content(b""), None);
        assert_eq!(FileType::of_content(&zip_with(&["notes.txt"])), None);
        assert_eq!(FileType::of_content(b"MZ\x90\0"), None);
    }

    #[test]
    fn the_name_must_agree_with_the_content() {
        let png = b"\x89PNG\r\n\x1a\n\0\0";
        assert_eq!(FileType::checked("bild.PNG", png), Some(FileType::Png));
        assert_eq!(FileType::checked("protokoll.pdf", png), None);
        assert_eq!(FileType::checked("protokoll", b"%PDF-1.4"), None);
        assert_eq!(
            FileType::checked("Protokoll APT å.pdf", b"%PDF-1.4"),
            Some(FileType::Pdf)
        );
        assert_eq!(
            FileType::checked("foto.jpeg", &[0xFF, 0xD8, 0xFF]),
            Some(FileType::Jpeg)
        );
    }
}
