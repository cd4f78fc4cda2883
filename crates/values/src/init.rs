//! A starter values file with fresh secrets in Mastodon's own formats.
//!
//! * `SECRET_KEY_BASE`, `OTP_SECRET`: 64 random bytes as 128 lowercase hex
//!   digits, like Ruby's `SecureRandom.hex(64)` (`rails secret`).
//! * VAPID: a P-256 key pair as the webpush gem writes it — the private key
//!   is the 32-byte scalar, the public key the 65-byte uncompressed point,
//!   both URL-safe base64 with padding (`Base64.urlsafe_encode64`). The
//!   scalar is always written as 32 bytes, where Ruby's `BN#to_s(2)` drops
//!   leading zero bytes; both decode to the same number.
//! * Active Record encryption keys and salt: 32 random characters from
//!   `[A-Za-z0-9]`, like `bin/rails db:encryption:init`
//!   (`SecureRandom.alphanumeric(32)`).
//!
//! Randomness comes from ChaCha20 seeded by the operating system (a CSPRNG),
//! or from a fixed seed for repeatable tests.

use base64::Engine;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

use crate::ValuesError;
use crate::mapping::Chart;
use crate::yaml::{self, Map, Node};

/// Freshly generated Mastodon secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secrets {
    /// `SECRET_KEY_BASE`.
    pub secret_key_base: String,
    /// `OTP_SECRET`.
    pub otp_secret: String,
    /// `VAPID_PRIVATE_KEY`.
    pub vapid_private_key: String,
    /// `VAPID_PUBLIC_KEY`.
    pub vapid_public_key: String,
    /// `ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY`.
    pub ar_primary_key: String,
    /// `ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY`.
    pub ar_deterministic_key: String,
    /// `ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT`.
    pub ar_key_derivation_salt: String,
}

impl Secrets {
    /// The secrets as (variable, value) pairs, in a fixed order.
    pub fn env(&self) -> [(&'static str, &str); 7] {
        [
            ("SECRET_KEY_BASE", &self.secret_key_base),
            ("OTP_SECRET", &self.otp_secret),
            ("VAPID_PRIVATE_KEY", &self.vapid_private_key),
            ("VAPID_PUBLIC_KEY", &self.vapid_public_key),
            ("ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY", &self.ar_primary_key),
            (
                "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
                &self.ar_deterministic_key,
            ),
            (
                "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
                &self.ar_key_derivation_salt,
            ),
        ]
    }
}

/// The random source: the OS-seeded CSPRNG, or a fixed seed.
pub fn rng(seed: Option<u64>) -> Result<ChaCha20Rng, ValuesError> {
    match seed {
        Some(s) => Ok(ChaCha20Rng::seed_from_u64(s)),
        None => ChaCha20Rng::try_from_os_rng().map_err(|e| ValuesError::Random(e.to_string())),
    }
}

fn hex(rng: &mut impl RngCore, bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rng.fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

fn alphanumeric(rng: &mut impl RngCore, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(len);
    while out.len() < len {
        // Rejection sampling keeps the 62 characters equally likely.
        let b = (rng.next_u32() & 0x3f) as usize;
        if b < ALPHABET.len() {
            out.push(ALPHABET[b] as char);
        }
    }
    out
}

/// A VAPID key pair: (private, public), URL-safe base64 with padding.
pub fn vapid_keys(rng: &mut impl RngCore) -> (String, String) {
    let b64 = base64::engine::general_purpose::URL_SAFE;
    loop {
        let mut scalar = [0u8; 32];
        rng.fill_bytes(&mut scalar);
        // Zero and values ≥ the group order are rejected; draw again.
        if let Ok(key) = p256::SecretKey::from_slice(&scalar) {
            let point = key.public_key().to_encoded_point(false);
            return (b64.encode(scalar), b64.encode(point.as_bytes()));
        }
    }
}

/// Generates every secret Mastodon needs.
pub fn generate(rng: &mut impl RngCore) -> Secrets {
    let secret_key_base = hex(rng, 64);
    let otp_secret = hex(rng, 64);
    let (vapid_private_key, vapid_public_key) = vapid_keys(rng);
    Secrets {
        secret_key_base,
        otp_secret,
        vapid_private_key,
        vapid_public_key,
        ar_primary_key: alphanumeric(rng, 32),
        ar_deterministic_key: alphanumeric(rng, 32),
        ar_key_derivation_salt: alphanumeric(rng, 32),
    }
}

/// A starter values file for `chart` with freshly generated secrets.
pub fn init(chart: Chart, seed: Option<u64>) -> Result<String, ValuesError> {
    let mut rng = rng(seed)?;
    let secrets = generate(&mut rng);
    let mut doc = Map::new();
    let domain = chart
        .mapping("LOCAL_DOMAIN")
        .map(|m| m.path)
        .unwrap_or("mastodon.localDomain");
    doc.set_path(
        domain,
        Node::Str("mastodon.example.com".into()),
        Some("LOCAL_DOMAIN: your instance's domain; it cannot change later"),
    );
    if chart == Chart::Next {
        // The next chart has no bundled services and needs S3 or volumes.
        for (env, placeholder) in [("DB_HOST", "postgresql"), ("REDIS_HOST", "redis")] {
            if let Some(m) = chart.mapping(env) {
                doc.set_path(
                    m.path,
                    Node::Str(placeholder.into()),
                    Some(&format!("{env}: replace with your server's host name")),
                );
            }
        }
        doc.set_path(
            "mastodon.s3.enabled",
            Node::Bool(false),
            Some("media on volumes; set up mastodon.s3 instead for object storage"),
        );
        doc.set_path("mastodon.pvc.enabled", Node::Bool(true), None);
        // The chart renders its own Secrets and requires every credential
        // (or an existingSecret): passwords are generated for servers set up
        // next, the mail login is a placeholder.
        let credentials = [
            (
                "DB_USER",
                "mastodon".to_string(),
                "DB_USER: the database role",
            ),
            (
                "DB_PASS",
                alphanumeric(&mut rng, 32),
                "DB_PASS: generated; give the database role this password, or replace it",
            ),
            (
                "REDIS_PASSWORD",
                alphanumeric(&mut rng, 32),
                "REDIS_PASSWORD: generated; set it as Redis' requirepass, or replace it",
            ),
            (
                "SMTP_LOGIN",
                "change-me".to_string(),
                "SMTP_LOGIN: replace with your mail provider's login",
            ),
            (
                "SMTP_PASSWORD",
                "change-me".to_string(),
                "SMTP_PASSWORD: replace with your mail provider's password",
            ),
        ];
        for (env, value, comment) in credentials {
            if let Some(m) = chart.mapping(env) {
                doc.set_path(m.path, Node::Str(value), Some(comment));
            }
        }
    }
    for (env, value) in secrets.env() {
        // Only what this chart reads (the next chart has no OTP_SECRET).
        if let Some(m) = chart.mapping(env) {
            doc.set_path(m.path, Node::Str(value.to_string()), Some(env));
        }
    }
    let header = vec![
        format!(
            "Starter values for {}, generated by `tusk values init`.",
            chart.source()
        ),
        "The secrets below were generated just now: keep this file private,".to_string(),
        "and never change them once the instance is running.".to_string(),
    ];
    Ok(yaml::emit(&header, &doc))
}
