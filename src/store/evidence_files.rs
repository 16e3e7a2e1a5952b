//! Evidence files' content on disk: `data_dir/evidence/{sha256}`, written to a temp
//! file, fsynced and renamed into place (so a name always holds a whole file), and the
//! directory fsynced after. The same content is stored once.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where evidence files live.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("evidence")
}

/// The path of the content with this SHA-256, when `sha256` is one (64 hex digits).
pub fn path_of(data_dir: &Path, sha256: &str) -> Option<PathBuf> {
    let hex = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
    hex.then(|| dir(data_dir).join(sha256.to_ascii_lowercase()))
}

/// Stores `content` under its SHA-256 (already computed by the caller).
pub fn put(data_dir: &Path, sha256: &str, content: &[u8]) -> std::io::Result<()> {
    let target =
        path_of(data_dir, sha256).ok_or_else(|| std::io::Error::other("not a SHA-256 in hex"))?;
    if target.exists() {
        return Ok(());
    }
    let dir = dir(data_dir);
    fs::create_dir_all(&dir)?;
    let temp = dir.join(format!(".{sha256}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(content)?;
        file.sync_all()?;
        fs::rename(&temp, &target)?;
        File::open(&dir)?.sync_all()
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// Every stored file, as (SHA-256, path), sorted; a missing directory holds none.
/// Half-written temp files (`.{sha}.{pid}.tmp`) are not stored files.
pub fn stored(data_dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let entries = match fs::read_dir(dir(data_dir)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if let Some(path) = path_of(data_dir, &name).filter(|_| name == name.to_ascii_lowercase()) {
            files.push((name, path));
        }
    }
    files.sort();
    Ok(files)
}

/// The content stored under `sha256`.
pub fn get(data_dir: &Path, sha256: &str) -> std::io::Result<Vec<u8>> {
    let path =
        path_of(data_dir, sha256).ok_or_else(|| std::io::Error::other("not a SHA-256 in hex"))?;
    fs::read(path)
}
