//! The Ed25519 keys that sign credentials: generated on first start, kept in
//! `data_dir/keys` (mode 0600), never deleted, so old credentials keep verifying after
//! a rotation. The newest key signs; every key is published in the JWKS.

use std::fs;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{SigningKey, VerifyingKey};
use rand::rngs::OsRng;
use serde::Serialize;

/// The signing key and every key ever used, by key id.
pub struct KeyRing {
    signing_kid: String,
    signing: SigningKey,
    published: Vec<(String, VerifyingKey)>,
}

/// A public key as RFC 8037 describes it (`kty` OKP, `crv` Ed25519).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Jwk {
    pub kty: String,
    pub crv: String,
    pub x: String,
    pub kid: String,
    #[serde(rename = "use")]
    pub usage: String,
    pub alg: String,
}

/// The published key set.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

const PREFIX: &str = "ed25519-";
const SUFFIX: &str = ".key";

/// Where the keys live: `data_dir/keys`.
pub fn key_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("keys")
}

/// The key files in `data_dir/keys`, by name (what a backup must carry).
pub fn key_files(data_dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(key_dir(data_dir))? {
        let path = entry?.path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(is_key_file_name)
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// True for a name a key file has: `ed25519-<kid>.key`, the kid of letters, digits
/// and `-` only.
pub fn is_key_file_name(name: &str) -> bool {
    name.strip_prefix(PREFIX)
        .and_then(|n| n.strip_suffix(SUFFIX))
        .is_some_and(|kid| {
            !kid.is_empty() && kid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

/// Creates a new signing key in `data_dir/keys`; it signs from the next start on.
pub fn rotate(data_dir: &Path, now: chrono::DateTime<chrono::Utc>) -> std::io::Result<String> {
    let dir = key_dir(data_dir);
    fs::create_dir_all(&dir)?;
    let key = SigningKey::generate(&mut OsRng);
    let kid = format!(
        "{}-{}",
        now.format("%Y%m%dT%H%M%S"),
        &hex::encode(key.verifying_key().as_bytes())[..8]
    );
    write_private(
        &dir.join(format!("{PREFIX}{kid}{SUFFIX}")),
        &hex::encode(key.to_bytes()),
    )?;
    Ok(kid)
}

impl KeyRing {
    /// Loads every key in `data_dir/keys`, creating the first one when there is none.
    pub fn load_or_create(
        data_dir: &Path,
        now: chrono::DateTime<chrono::Utc>,
    ) -> std::io::Result<KeyRing> {
        let dir = key_dir(data_dir);
        fs::create_dir_all(&dir)?;
        if read_keys(&dir)?.is_empty() {
            rotate(data_dir, now)?;
        }
        let mut keys = read_keys(&dir)?;
        // Key ids start with their creation time, so the last in order is the newest.
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        let (signing_kid, signing) = keys
            .last()
            .cloned()
            .ok_or_else(|| std::io::Error::other("no signing key"))?;
        Ok(KeyRing {
            signing_kid,
            signing,
            published: keys
                .iter()
                .map(|(kid, key)| (kid.clone(), key.verifying_key()))
                .collect(),
        })
    }

    pub fn signing_kid(&self) -> &str {
        &self.signing_kid
    }

    pub fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    /// The public keys, for `/.well-known/jwks.json`.
    pub fn jwks(&self) -> Jwks {
        Jwks {
            keys: self
                .published
                .iter()
                .map(|(kid, key)| Jwk {
                    kty: "OKP".into(),
                    crv: "Ed25519".into(),
                    x: URL_SAFE_NO_PAD.encode(key.as_bytes()),
                    kid: kid.clone(),
                    usage: "sig".into(),
                    alg: "EdDSA".into(),
                })
                .collect(),
        }
    }
}

fn read_keys(dir: &Path) -> std::io::Result<Vec<(String, SigningKey)>> {
    let mut keys = Vec::new();
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().to_string();
        let Some(kid) = name
            .strip_prefix(PREFIX)
            .and_then(|n| n.strip_suffix(SUFFIX))
        else {
            continue;
        };
        let text = fs::read_to_string(dir.join(&name))?;
        let bytes: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| {
                std::io::Error::other(format!("key file {name} is not a 32-byte hex seed"))
            })?;
        keys.push((kid.to_string(), SigningKey::from_bytes(&bytes)));
    }
    Ok(keys)
}
