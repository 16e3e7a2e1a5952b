//! `stegvis backup` and `stegvis restore` for the embedded SQLite database.
//!
//! A backup is one uncompressed tar file (docs/operations.md):
//!
//! - `stegvis-backup.json`, first: the format, when and by which version it was
//!   taken, and the SHA-256 of every other entry;
//! - `stegvis.db`: a consistent copy of the live database (`VACUUM INTO`, taken while
//!   the server goes on serving);
//! - `keys/ed25519-<kid>.key`: every signing key, copied after the database, so every
//!   credential in the copy has its key (keys are only ever added);
//! - `evidence/<sha256>`: every evidence file, also copied after the database: a file
//!   is stored before the event naming it commits and never removed, so every file the
//!   copy names is there.
//!
//! A restore checks every entry against the manifest and the database with SQLite's
//! integrity check in a staging directory, and only then moves them into place, into
//! an empty data directory. PostgreSQL is backed up with its own tools (`pg_dump`).

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::certificate::keys;
use crate::config::Settings;
use crate::store::backup::{integrity_check, snapshot, sqlite_path};
use crate::store::evidence_files;

/// The manifest's name in the archive; always its first entry.
pub const MANIFEST: &str = "stegvis-backup.json";
/// The database's name in the archive.
pub const DATABASE: &str = "stegvis.db";
/// The folder of evidence files in the archive (and under the data directory).
const EVIDENCE_DIR: &str = "evidence";
/// What `format` says in a manifest this version writes and reads.
const FORMAT: &str = "stegvis-backup/1";

const POSTGRES_BACKUP: &str = "database.url names PostgreSQL: back it up with PostgreSQL's \
own tools, e.g. `pg_dump --format=custom --file=stegvis.dump DBNAME`, and copy the signing \
keys in DATA_DIR/keys beside it (docs/operations.md)";
const POSTGRES_RESTORE: &str = "database.url names PostgreSQL: restore with \
`pg_restore --dbname=DBNAME stegvis.dump` into an empty database, and put the signing keys \
back in DATA_DIR/keys (docs/operations.md)";

/// The first entry of a backup.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub created_at: DateTime<Utc>,
    pub stegvis_version: String,
    /// Entry name → lowercase hex SHA-256 of its bytes.
    pub sha256: BTreeMap<String, String>,
}

/// What a backup wrote.
#[derive(Debug, Serialize)]
pub struct BackupReport {
    pub file: PathBuf,
    pub database_bytes: u64,
    pub keys: usize,
    pub evidence_files: usize,
}

/// What a restore put in place.
#[derive(Debug, Serialize)]
pub struct RestoreReport {
    pub database: PathBuf,
    pub keys: usize,
    pub evidence_files: usize,
    pub taken_at: DateTime<Utc>,
}

fn sha256_of(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    io::copy(&mut file, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

/// Syncs a directory, so a rename into it survives a crash.
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// A directory beside `near` that is removed when dropped.
struct Staging(PathBuf);

impl Staging {
    fn beside(near: &Path, what: &str) -> anyhow::Result<Staging> {
        let parent = near
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let dir = parent.join(format!(".stegvis-{what}-{:016x}", rand::random::<u64>()));
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Staging(dir))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Writes a backup of the configured SQLite database and the signing keys to `to`.
/// An existing `to` is refused unless `force`; the file appears whole or not at all.
pub fn backup(
    settings: &Settings,
    to: &Path,
    force: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<BackupReport> {
    let source = sqlite_path(&settings.database.url).ok_or_else(|| anyhow!(POSTGRES_BACKUP))?;
    if to.exists() && !force {
        bail!("{} exists; give --force to replace it", to.display());
    }
    let staging = Staging::beside(to, "backup")?;
    let copy = staging.0.join(DATABASE);
    snapshot(&source, &copy).with_context(|| format!("copying {}", source.display()))?;
    // After the database: every key a credential in the copy was signed with exists.
    let key_files = keys::key_files(&settings.data_dir).with_context(|| {
        format!(
            "reading the signing keys in {}",
            keys::key_dir(&settings.data_dir).display()
        )
    })?;
    if key_files.is_empty() {
        bail!(
            "there are no signing keys in {}",
            keys::key_dir(&settings.data_dir).display()
        );
    }
    let mut entries = vec![(DATABASE.to_string(), copy.clone())];
    for file in &key_files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| anyhow!("{} has no name", file.display()))?;
        entries.push((format!("keys/{name}"), file.clone()));
    }
    let evidence = evidence_files::stored(&settings.data_dir).with_context(|| {
        format!(
            "reading the evidence files in {}",
            evidence_files::dir(&settings.data_dir).display()
        )
    })?;
    for (sha256, file) in &evidence {
        entries.push((format!("{EVIDENCE_DIR}/{sha256}"), file.clone()));
    }
    let mut sha256 = BTreeMap::new();
    for (name, path) in &entries {
        sha256.insert(name.clone(), sha256_of(path)?);
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        created_at: now,
        stegvis_version: env!("CARGO_PKG_VERSION").into(),
        sha256,
    };
    let partial = staging.0.join("backup.tar");
    write_archive(&partial, &manifest, &entries)?;
    fs::rename(&partial, to)
        .or_else(|_| fs::copy(&partial, to).and_then(|_| File::open(to)?.sync_all()))
        .with_context(|| format!("writing {}", to.display()))?;
    if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        sync_dir(parent)?;
    }
    Ok(BackupReport {
        file: to.to_path_buf(),
        database_bytes: fs::metadata(&copy)?.len(),
        keys: key_files.len(),
        evidence_files: evidence.len(),
    })
}

fn write_archive(
    path: &Path,
    manifest: &Manifest,
    entries: &[(String, PathBuf)],
) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut archive = tar::Builder::new(file);
    let text = serde_json::to_vec_pretty(manifest)?;
    let mut header = tar::Header::new_gnu();
    header.set_size(text.len() as u64);
    header.set_mode(0o600);
    header.set_mtime(u64::try_from(manifest.created_at.timestamp()).unwrap_or(0));
    header.set_cksum();
    archive.append_data(&mut header, MANIFEST, text.as_slice())?;
    for (name, source) in entries {
        let mut file = File::open(source)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(file.metadata()?.len());
        header.set_mode(0o600);
        header.set_mtime(u64::try_from(manifest.created_at.timestamp()).unwrap_or(0));
        header.set_cksum();
        archive.append_data(&mut header, name, &mut file)?;
    }
    let file = archive.into_inner()?;
    file.sync_all()?;
    Ok(())
}

/// True when `dir` does not exist or holds nothing.
fn is_empty_dir(dir: &Path) -> io::Result<bool> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e),
    }
}

/// Where an archive entry goes in the staging directory, or why it is refused.
fn staged_name(name: &str) -> anyhow::Result<PathBuf> {
    if name == MANIFEST || name == DATABASE {
        return Ok(PathBuf::from(name));
    }
    if let Some(file) = name.strip_prefix("keys/") {
        if keys::is_key_file_name(file) {
            return Ok(Path::new("keys").join(file));
        }
    }
    if let Some(sha256) = evidence_sha256(name) {
        return Ok(Path::new(EVIDENCE_DIR).join(sha256));
    }
    bail!("the backup holds an unexpected entry {name:?}")
}

/// The SHA-256 an evidence entry's name gives its content (64 lowercase hex digits).
fn evidence_sha256(name: &str) -> Option<&str> {
    let sha256 = name.strip_prefix(EVIDENCE_DIR)?.strip_prefix('/')?;
    let hex = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    hex.then_some(sha256)
}

/// A writer that hashes what passes through it.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Unpacks `from` into `dir`, checking each entry against the manifest.
fn unpack_checked(from: &Path, dir: &Path) -> anyhow::Result<Manifest> {
    let file = File::open(from).with_context(|| format!("opening {}", from.display()))?;
    let mut archive = tar::Archive::new(file);
    let mut manifest: Option<Manifest> = None;
    let mut seen = BTreeMap::new();
    fs::create_dir_all(dir.join("keys"))?;
    fs::create_dir_all(dir.join(EVIDENCE_DIR))?;
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().into_owned();
        let target = dir.join(staged_name(&name)?);
        if name == MANIFEST {
            let mut text = Vec::new();
            entry.read_to_end(&mut text)?;
            let read: Manifest =
                serde_json::from_slice(&text).context("the backup's manifest is not readable")?;
            if read.format != FORMAT {
                bail!("the backup's format is {:?}, not {FORMAT:?}", read.format);
            }
            manifest = Some(read);
            continue;
        }
        if manifest.is_none() {
            bail!(
                "{} does not start with {MANIFEST}: not a Stegvis backup",
                from.display()
            );
        }
        let mut out = Hashing {
            inner: File::create(&target)?,
            hasher: Sha256::new(),
        };
        io::copy(&mut entry, &mut out)?;
        out.inner.sync_all()?;
        let sha256 = hex::encode(out.hasher.finalize());
        if evidence_sha256(&name).is_some_and(|named| named != sha256) {
            bail!("the backup's evidence file {name:?} does not hold what its name says: it is damaged");
        }
        seen.insert(name, sha256);
    }
    let manifest = manifest.ok_or_else(|| anyhow!("{} holds no {MANIFEST}", from.display()))?;
    if seen != manifest.sha256 {
        bail!("the backup's entries do not match its manifest: it is damaged or incomplete");
    }
    Ok(manifest)
}

/// Restores a backup into the configured data directory and SQLite database, which
/// must both be empty (or missing).
pub fn restore(settings: &Settings, from: &Path) -> anyhow::Result<RestoreReport> {
    let database = sqlite_path(&settings.database.url).ok_or_else(|| anyhow!(POSTGRES_RESTORE))?;
    let data_dir = &settings.data_dir;
    if !is_empty_dir(data_dir)? {
        bail!(
            "the data directory {} is not empty; restore only into an empty one",
            data_dir.display()
        );
    }
    for file in [
        database.clone(),
        PathBuf::from(format!("{}-wal", database.display())),
        PathBuf::from(format!("{}-shm", database.display())),
    ] {
        if file.exists() {
            bail!(
                "{} exists; restore only where there is no database",
                file.display()
            );
        }
    }
    fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
    let staging = Staging::beside(&database, "restore")?;
    let manifest = unpack_checked(from, &staging.0)?;
    let staged_db = staging.0.join(DATABASE);
    if let Err(problem) = integrity_check(&staged_db)? {
        bail!("the backup's database fails SQLite's integrity check: {problem}");
    }
    let key_names: Vec<&String> = manifest
        .sha256
        .keys()
        .filter(|n| n.starts_with("keys/"))
        .collect();
    let key_dir = keys::key_dir(data_dir);
    fs::create_dir_all(&key_dir)?;
    for name in &key_names {
        let staged = staging.0.join(name.as_str());
        let target = data_dir.join(name.as_str());
        move_file(&staged, &target)?;
        set_private(&target)?;
    }
    sync_dir(&key_dir)?;
    let evidence_names: Vec<&String> = manifest
        .sha256
        .keys()
        .filter(|n| evidence_sha256(n).is_some())
        .collect();
    let evidence_dir = evidence_files::dir(data_dir);
    fs::create_dir_all(&evidence_dir)?;
    for name in &evidence_names {
        move_file(
            &staging.0.join(name.as_str()),
            &data_dir.join(name.as_str()),
        )?;
    }
    sync_dir(&evidence_dir)?;
    if let Some(parent) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    move_file(&staged_db, &database)?;
    if let Some(parent) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        sync_dir(parent)?;
    }
    Ok(RestoreReport {
        database,
        keys: key_names.len(),
        evidence_files: evidence_names.len(),
        taken_at: manifest.created_at,
    })
}

/// Renames, or copies and syncs when the rename crosses file systems.
fn move_file(from: &Path, to: &Path) -> anyhow::Result<()> {
    if fs::rename(from, to).is_err() {
        fs::copy(from, to).with_context(|| format!("writing {}", to.display()))?;
        File::open(to)?.sync_all()?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_private(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private(_path: &Path) -> io::Result<()> {
    Ok(())
}
