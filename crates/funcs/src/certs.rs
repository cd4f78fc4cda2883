//! Private keys and X.509 certificates (sprig crypto.go): genPrivateKey,
//! genCA, genSelfSignedCert, genSignedCert (and their *WithKey forms) and
//! buildCustomCert. The certificates carry the fields Go's
//! `x509.CreateCertificate` writes for sprig's template (key usages,
//! server/client auth, basic constraints, subject/authority key ids, SANs),
//! DER-encoded here by hand; keys are PEM like Go's (PKCS#1 for RSA, SEC 1
//! for EC, PKCS#8 for Ed25519). All randomness comes from the seedable
//! generator, so output is repeatable under a seed but never equal to
//! helm's (which is random).

use std::sync::Arc;

use base64::Engine;
use pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::rand_core::SeedableRng;
use rsa::signature::{SignatureEncoding, Signer};
use sha1::Digest;
use tusk_template::{CallContext, FuncError, Object, Value};

use crate::Env;
use crate::args::{arity, fail, go_type, int, string};

mod fermat;

type R = Result<Value, FuncError>;

/// A private key of one of the kinds sprig handles.
enum Key {
    Rsa(Box<rsa::RsaPrivateKey>),
    Ec(p256::SecretKey),
    Ed(ed25519_dalek::SigningKey),
}

fn rng03(env: &Env) -> rand_chacha03::ChaCha20Rng {
    let mut seed = [0u8; 32];
    env.rand_bytes(&mut seed);
    rand_chacha03::ChaCha20Rng::from_seed(seed)
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + 11..];
    let label_end = rest.find("-----")?;
    let label = rest[..label_end].to_string();
    let body_start = label_end + 5;
    let end_marker = format!("-----END {label}-----");
    let end = rest.find(&end_marker)?;
    let body: String = rest[body_start..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .ok()?;
    Some((label, der))
}

impl Key {
    fn rsa(env: &Env, bits: usize) -> Result<Key, String> {
        generate_rsa_key(&mut rng03(env), bits)
            .map(|k| Key::Rsa(Box::new(k)))
            .map_err(|e| e.to_string())
    }

    fn pem(&self) -> Result<String, String> {
        match self {
            Key::Rsa(k) => k
                .to_pkcs1_der()
                .map(|d| pem("RSA PRIVATE KEY", d.as_bytes()))
                .map_err(|e| e.to_string()),
            Key::Ec(k) => {
                // SEC 1 with the named curve, as Go's MarshalECPrivateKey.
                use p256::elliptic_curve::sec1::ToEncodedPoint;
                let point = k.public_key().to_encoded_point(false);
                let der = seq(&[
                    uint(&[1]),
                    tlv(0x04, &k.to_bytes()),
                    tlv(
                        0xa0,
                        &oid(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]),
                    ),
                    tlv(0xa1, &bit_string(point.as_bytes(), 0)),
                ]);
                Ok(pem("EC PRIVATE KEY", &der))
            }
            Key::Ed(k) => k
                .to_pkcs8_der()
                .map(|d| pem("PRIVATE KEY", d.as_bytes()))
                .map_err(|e| e.to_string()),
        }
    }

    fn spki(&self) -> Result<Vec<u8>, String> {
        let der = match self {
            Key::Rsa(k) => k.to_public_key().to_public_key_der(),
            Key::Ec(k) => k.public_key().to_public_key_der(),
            Key::Ed(k) => k.verifying_key().to_public_key_der(),
        };
        der.map(|d| d.as_bytes().to_vec())
            .map_err(|e| e.to_string())
    }

    /// The AlgorithmIdentifier DER of the signature this key makes.
    fn sig_alg(&self) -> Vec<u8> {
        match self {
            // sha256WithRSAEncryption, NULL parameters
            Key::Rsa(_) => seq(&[
                oid(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]),
                vec![0x05, 0x00],
            ]),
            // ecdsa-with-SHA256
            Key::Ec(_) => seq(&[oid(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02])]),
            // Ed25519
            Key::Ed(_) => seq(&[oid(&[0x2b, 0x65, 0x70])]),
        }
    }

    fn sign(&self, msg: &[u8]) -> Vec<u8> {
        match self {
            Key::Rsa(k) => {
                let sk = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new((**k).clone());
                sk.sign(msg).to_vec()
            }
            Key::Ec(k) => {
                let sk = p256::ecdsa::SigningKey::from(k.clone());
                let sig: p256::ecdsa::Signature = sk.sign(msg);
                sig.to_der().as_bytes().to_vec()
            }
            Key::Ed(k) => k.sign(msg).to_bytes().to_vec(),
        }
    }

    /// sprig's parsePrivateKeyPEM, with Go's error texts.
    fn parse(text: &str) -> Result<Key, String> {
        let (label, der) = pem_decode(text).ok_or("no PEM data in input")?;
        if label == "PRIVATE KEY" {
            if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(&der) {
                return Ok(Key::Rsa(Box::new(k)));
            }
            if let Ok(k) = p256::SecretKey::from_pkcs8_der(&der) {
                return Ok(Key::Ec(k));
            }
            if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_der(&der) {
                return Ok(Key::Ed(k));
            }
            return Err("decoding PEM as PKCS#8: x509: failed to parse private key".into());
        }
        let Some(kind) = label.strip_suffix(" PRIVATE KEY") else {
            return Err(format!("no private key data in PEM block of type {label}"));
        };
        match kind {
            "RSA" => rsa::RsaPrivateKey::from_pkcs1_der(&der)
                .map(|k| Key::Rsa(Box::new(k)))
                .map_err(|e| format!("parsing RSA private key from PEM: {e}")),
            "EC" => p256::SecretKey::from_sec1_der(&der)
                .map(Key::Ec)
                .map_err(|e| format!("parsing EC private key from PEM: {e}")),
            _ => Err(format!("invalid private key type {label}")),
        }
    }
}

// ---- RSA key generation ----------------------------------------------------

/// The public exponent of every generated key (Go's and rsa's).
const RSA_E: u32 = 65537;

/// A new two-prime RSA key with `bits`-bit modulus and e = 65537, as Go's
/// `rsa.GenerateKey` makes it: p has `bits/2` bits, q the rest, each with its
/// top two bits set so n has exactly `bits` bits; d = e⁻¹ mod (p-1)(q-1) as
/// `rsa::RsaPrivateKey::new` computes it. The primes come from crypto-primes
/// (a sieve of 2048 small primes, then Baillie-PSW plus a random-base
/// Miller-Rabin round): several times faster than rsa 0.9's own search,
/// whose 20 Miller-Rabin rounds on num-bigint-dig dominated genCA & co.
/// Deterministic for a given generator state.
pub fn generate_rsa_key<R: rsa::rand_core::CryptoRngCore + ?Sized>(
    rng: &mut R,
    bits: usize,
) -> Result<rsa::RsaPrivateKey, rsa::Error> {
    // rsa's own limits: tiny moduli have too few primes, and a key above
    // 4096 bits fails its checks (only after the costly search, so check first).
    if bits < 64 {
        return Err(rsa::Error::TooFewPrimes);
    }
    if bits > rsa::RsaPublicKey::MAX_SIZE {
        return Err(rsa::Error::ModulusTooLarge);
    }
    let p_bits = (bits / 2) as u32;
    let q_bits = (bits - bits / 2) as u32;
    loop {
        // The two searches are independent: each gets a generator seeded
        // from `rng` (so a seeded `rng` still gives one key) and q is
        // searched on a second thread, halving the wait for a key.
        let mut seeds = [[0u8; 32]; 2];
        for seed in &mut seeds {
            rng.fill_bytes(seed);
        }
        let prime = |seed: [u8; 32], bits: u32| {
            rsa_prime(&mut rand_chacha03::ChaCha20Rng::from_seed(seed), bits)
        };
        let (p, q) = std::thread::scope(|s| {
            let q = std::thread::Builder::new()
                .name("tusk-rsa-prime".into())
                .spawn_scoped(s, || prime(seeds[1], q_bits));
            let p = prime(seeds[0], p_bits);
            let q = match q {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => prime(seeds[1], q_bits),
            };
            (p, q)
        });
        let (p, q) = (p?, q?);
        // Go retries on p == q too (astronomically rare).
        if p != q {
            let e = rsa::BigUint::from(RSA_E);
            return rsa::RsaPrivateKey::from_primes(vec![p, q], e);
        }
    }
}

/// A random prime of exactly `bits` bits whose top two bits are set and
/// with p-1 coprime to e.
fn rsa_prime<R: rsa::rand_core::CryptoRngCore + ?Sized>(
    rng: &mut R,
    bits: u32,
) -> Result<rsa::BigUint, rsa::Error> {
    // Unoptimized (dev and test builds) the filter costs more than it saves;
    // it never changes the prime found.
    rsa_prime_with(rng, bits, !cfg!(debug_assertions))
}

fn rsa_prime_with<R: rsa::rand_core::CryptoRngCore + ?Sized>(
    rng: &mut R,
    bits: u32,
    fermat_filter: bool,
) -> Result<rsa::BigUint, rsa::Error> {
    use crypto_primes::hazmat::{SetBits, SmallPrimesSieveFactory};
    let factory = SmallPrimesSieveFactory::<crypto_bigint::BoxedUint>::new(bits, SetBits::TwoMsb);
    let p = crypto_primes::sieve_and_find(rng, factory, |rng, c| {
        // e is prime, so gcd(e, p-1) = 1 unless p ≡ 1 (mod e); testing
        // that first is nearly free.
        limbs_mod(c.as_words(), RSA_E) != 1
            && (!fermat_filter || fermat::may_be_prime(&u64_words(c)))
            && crypto_primes::is_prime_with_rng(rng, c)
    })
    .ok_or(rsa::Error::InvalidPrime)?;
    let bytes: Vec<u8> = p.as_words().iter().flat_map(|w| w.to_le_bytes()).collect();
    Ok(rsa::BigUint::from_bytes_le(&bytes))
}

/// The 64-bit words of a number, little-endian, whatever the `Word` size.
fn u64_words(x: &crypto_bigint::BoxedUint) -> Vec<u64> {
    let mut bytes: Vec<u8> = x.as_words().iter().flat_map(|w| w.to_le_bytes()).collect();
    bytes.resize(bytes.len().div_ceil(8) * 8, 0);
    bytes
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect()
}

/// A little-endian multi-word number modulo a small `m`.
fn limbs_mod(words: &[crypto_bigint::Word], m: u32) -> u32 {
    let word_bits = crypto_bigint::Word::BITS;
    let m = u128::from(m);
    let r = words
        .iter()
        .rev()
        .fold(0u128, |r, &w| ((r << word_bits) | u128::from(w)) % m);
    r as u32
}

// ---- minimal DER -----------------------------------------------------------

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn seq(items: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &items.concat())
}

fn oid(body: &[u8]) -> Vec<u8> {
    tlv(0x06, body)
}

fn uint(bytes: &[u8]) -> Vec<u8> {
    let mut b: Vec<u8> = bytes.iter().copied().skip_while(|x| *x == 0).collect();
    if b.is_empty() || b[0] & 0x80 != 0 {
        b.insert(0, 0);
    }
    tlv(0x02, &b)
}

fn bit_string(bytes: &[u8], unused: u8) -> Vec<u8> {
    let mut c = vec![unused];
    c.extend_from_slice(bytes);
    tlv(0x03, &c)
}

/// X.509 time: UTCTime until 2049, GeneralizedTime after (as Go does).
fn der_time(unix: i64) -> Vec<u8> {
    let t = crate::dates::GoTime {
        nanos: unix as i128 * 1_000_000_000,
        zone: crate::dates::Zone::utc(),
    };
    let year: i64 = t.format("2006").parse().unwrap_or(0);
    if (1950..2050).contains(&year) {
        tlv(0x17, t.format("060102150405Z").as_bytes())
    } else {
        tlv(0x18, t.format("20060102150405Z").as_bytes())
    }
}

fn printable(s: &str) -> bool {
    s.bytes()
        .all(|c| c.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&c))
}

/// A Name holding only a common name (an empty name when `cn` is "").
fn name(cn: &str) -> Vec<u8> {
    if cn.is_empty() {
        return seq(&[]);
    }
    let value = if printable(cn) {
        tlv(0x13, cn.as_bytes())
    } else {
        tlv(0x0c, cn.as_bytes())
    };
    seq(&[tlv(0x31, &seq(&[oid(&[0x55, 0x04, 0x03]), value]))])
}

fn extension(id: &[u8], critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    if critical {
        parts.push(vec![0x01, 0x01, 0xff]);
    }
    parts.push(tlv(0x04, &value));
    seq(&parts)
}

/// Walks a DER element at `pos`: (tag, content range, end).
fn read_tlv(d: &[u8], pos: usize) -> Option<(u8, std::ops::Range<usize>, usize)> {
    let tag = *d.get(pos)?;
    let l0 = *d.get(pos + 1)? as usize;
    let (len, hdr) = if l0 < 0x80 {
        (l0, 2)
    } else {
        let n = l0 & 0x7f;
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *d.get(pos + 2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let start = pos + hdr;
    let end = start.checked_add(len)?;
    if end > d.len() {
        return None;
    }
    Some((tag, start..end, end))
}

/// The raw subject Name and the subject key id of a DER certificate.
fn cert_subject_and_skid(der: &[u8]) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let (_, cert, _) = read_tlv(der, 0)?;
    let (_, tbs, _) = read_tlv(der, cert.start)?;
    let mut p = tbs.start;
    let (tag, _, end) = read_tlv(der, p)?;
    if tag == 0xa0 {
        p = end; // version
    }
    let (_, _, p) = read_tlv(der, p)?; // serial
    let (_, _, p) = read_tlv(der, p)?; // signature alg
    let (_, _, p) = read_tlv(der, p)?; // issuer
    let (_, _, p) = read_tlv(der, p)?; // validity
    let (_, _, end) = read_tlv(der, p)?; // subject
    let subject = der[p..end].to_vec();
    let mut skid = None;
    let mut q = end;
    while q < tbs.end {
        let (tag, body, next) = read_tlv(der, q)?;
        if tag == 0xa3 {
            let (_, exts, _) = read_tlv(der, body.start)?;
            let mut e = exts.start;
            while e < exts.end {
                let (_, ext, enext) = read_tlv(der, e)?;
                let (_, id, mut f) = read_tlv(der, ext.start)?;
                if der[id.clone()] == [0x55, 0x1d, 0x0e] {
                    let (t2, _, f2) = read_tlv(der, f)?;
                    if t2 == 0x01 {
                        f = f2;
                    }
                    let (_, octets, _) = read_tlv(der, f)?;
                    let (_, inner, _) = read_tlv(der, octets.start)?;
                    skid = Some(der[inner].to_vec());
                }
                e = enext;
            }
        }
        q = next;
    }
    Some((subject, skid))
}

/// Parses a dotted IPv4 or an IPv6 address like Go's net.ParseIP.
fn parse_ip(s: &str) -> Option<Vec<u8>> {
    if let Ok(v4) = s.parse::<std::net::Ipv4Addr>() {
        return Some(v4.octets().to_vec());
    }
    s.parse::<std::net::Ipv6Addr>()
        .ok()
        .map(|v6| v6.octets().to_vec())
}

struct Template {
    cn: String,
    ips: Vec<Vec<u8>>,
    dns: Vec<String>,
    days: i64,
    is_ca: bool,
}

fn strings_of(what: &str, v: &Value) -> Result<Vec<String>, String> {
    match v {
        Value::Nil => Ok(Vec::new()),
        Value::List(l) => l
            .iter()
            .map(|x| match x {
                Value::String(s) => Ok(s.to_string()),
                other => Err(format!(
                    "{what}: {} is not a string",
                    crate::gostr::format_v(other)
                )),
            })
            .collect(),
        other => Err(format!(
            "wrong type for value; expected []interface {{}}; got {}",
            go_type(other)
        )),
    }
}

fn template(cn: &str, ips: &Value, dns: &Value, days: i64) -> Result<Template, FuncError> {
    let ip_strs = strings_of("error parsing ip", ips).map_err(|e| {
        if e.starts_with("wrong type") {
            FuncError::BadArgs(e)
        } else {
            fail(e)
        }
    })?;
    let mut ip_bytes = Vec::new();
    for ip in &ip_strs {
        ip_bytes.push(parse_ip(ip).ok_or_else(|| fail(format!("error parsing ip: {ip}")))?);
    }
    let dns = strings_of("error processing alternate dns name", dns).map_err(|e| {
        if e.starts_with("wrong type") {
            FuncError::BadArgs(e)
        } else {
            fail(e)
        }
    })?;
    Ok(Template {
        cn: cn.to_string(),
        ips: ip_bytes,
        dns,
        days,
        is_ca: false,
    })
}

/// The signing side: issuer Name DER, its subject key id, its key.
type Issuer<'a> = (&'a [u8], Option<&'a [u8]>, &'a Key);

/// Go's x509.CreateCertificate for sprig's template; returns (cert PEM,
/// key PEM).
fn create(
    env: &Env,
    t: &Template,
    key: &Key,
    issuer: Option<Issuer<'_>>,
) -> Result<(String, String), String> {
    let spki = key.spki()?;
    let mut serial = [0u8; 16];
    env.rand_bytes(&mut serial);
    let now = env
        .now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let not_after = now + t.days * 86_400;
    let subject = name(&t.cn);
    let (issuer_name, parent_skid, signer) = match issuer {
        Some((n, skid, k)) => (n.to_vec(), skid.map(<[u8]>::to_vec), k),
        None => (subject.clone(), None, key),
    };
    let mut exts = Vec::new();
    // KeyUsage: digitalSignature, keyEncipherment (+ keyCertSign for CAs).
    let (ku, unused) = if t.is_ca {
        (0xa4u8, 2u8)
    } else {
        (0xa0u8, 5u8)
    };
    exts.push(extension(
        &[0x55, 0x1d, 0x0f],
        true,
        bit_string(&[ku], unused),
    ));
    // ExtKeyUsage: serverAuth, clientAuth.
    exts.push(extension(
        &[0x55, 0x1d, 0x25],
        false,
        seq(&[
            oid(&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01]),
            oid(&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02]),
        ]),
    ));
    // BasicConstraints.
    exts.push(extension(
        &[0x55, 0x1d, 0x13],
        true,
        if t.is_ca {
            seq(&[vec![0x01, 0x01, 0xff]])
        } else {
            seq(&[])
        },
    ));
    // SubjectKeyId for CAs: SHA-1 of the public key bits.
    if t.is_ca {
        let (_, spki_body, _) = read_tlv(&spki, 0).ok_or("bad spki")?;
        let (_, _, alg_end) = read_tlv(&spki, spki_body.start).ok_or("bad spki")?;
        let (_, bits, _) = read_tlv(&spki, alg_end).ok_or("bad spki")?;
        let id = sha1::Sha1::digest(&spki[bits.start + 1..bits.end]);
        exts.push(extension(&[0x55, 0x1d, 0x0e], false, tlv(0x04, &id)));
    }
    // AuthorityKeyId when signed by another certificate that has an SKID.
    if let Some(skid) = parent_skid.filter(|_| issuer_name != subject) {
        exts.push(extension(
            &[0x55, 0x1d, 0x23],
            false,
            seq(&[tlv(0x80, &skid)]),
        ));
    }
    // SubjectAltName.
    if !t.dns.is_empty() || !t.ips.is_empty() {
        let mut names: Vec<Vec<u8>> = t.dns.iter().map(|d| tlv(0x82, d.as_bytes())).collect();
        names.extend(t.ips.iter().map(|ip| tlv(0x87, ip)));
        exts.push(extension(&[0x55, 0x1d, 0x11], false, seq(&names)));
    }
    let sig_alg = signer.sig_alg();
    let tbs = seq(&[
        tlv(0xa0, &uint(&[2])),
        uint(&serial),
        sig_alg.clone(),
        issuer_name,
        seq(&[der_time(now), der_time(not_after)]),
        subject,
        spki,
        tlv(0xa3, &seq(&exts)),
    ]);
    let sig = signer.sign(&tbs);
    let cert = seq(&[tbs, sig_alg, bit_string(&sig, 0)]);
    Ok((pem("CERTIFICATE", &cert), key.pem()?))
}

/// The `certificate` struct sprig returns (`.Cert`, `.Key`).
#[derive(Debug, Clone)]
pub struct Certificate {
    /// PEM certificate.
    pub cert: String,
    /// PEM private key.
    pub key: String,
}

impl Object for Certificate {
    fn type_name(&self) -> &str {
        "sprig.certificate"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::from(self.cert.clone())),
            "Key" => Some(Value::from(self.key.clone())),
            _ => None,
        }
    }
    fn to_value(&self) -> Value {
        let m = tusk_template::Map::new();
        m.insert("Cert", Value::from(self.cert.clone()));
        m.insert("Key", Value::from(self.key.clone()));
        Value::Map(m)
    }
    fn collection(&self) -> Option<Value> {
        // A struct, not a map.
        None
    }
}

fn cert_value(c: (String, String)) -> Value {
    Value::Object(Arc::new(Certificate {
        cert: c.0,
        key: c.1,
    }))
}

fn ca_arg(v: &Value) -> Result<(String, String), FuncError> {
    match v {
        Value::Object(o) if o.type_name() == "sprig.certificate" => {
            let get = |f: &str| {
                o.field(f)
                    .and_then(|x| x.as_str().map(String::from))
                    .unwrap_or_default()
            };
            Ok((get("Cert"), get("Key")))
        }
        other => Err(FuncError::BadArgs(format!(
            "wrong type for value; expected sprig.certificate; got {}",
            go_type(other)
        ))),
    }
}

/// `{{ genPrivateKey "rsa" }}` (also "ecdsa", "ed25519"; "dsa" is not
/// supported) → PEM.
pub fn gen_private_key(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("genPrivateKey", a, 1)?;
    let key = match string(&a[0])? {
        "" | "rsa" => Key::rsa(env, 4096),
        "ecdsa" => Ok(Key::Ec(p256::SecretKey::random(&mut rng03(env)))),
        "ed25519" => {
            let mut seed = [0u8; 32];
            env.rand_bytes(&mut seed);
            Ok(Key::Ed(ed25519_dalek::SigningKey::from_bytes(&seed)))
        }
        "dsa" => {
            return Ok(Value::from(
                "failed to generate dsa params: DSA keys are not supported by tusk",
            ));
        }
        other => return Ok(Value::from(format!("Unknown type {other}"))),
    };
    Ok(Value::from(match key.and_then(|k| k.pem()) {
        Ok(p) => p,
        Err(e) => format!("failed to generate private key: {e}"),
    }))
}

fn with_key(pem_text: &str) -> Result<Key, FuncError> {
    Key::parse(pem_text).map_err(|e| fail(format!("parsing private key: {e}")))
}

fn new_rsa(env: &Env) -> Result<Key, FuncError> {
    Key::rsa(env, 2048).map_err(|e| fail(format!("error generating rsa key: {e}")))
}

fn ca(env: &Env, cn: &str, days: i64, key: Key) -> R {
    let mut t = template(cn, &Value::Nil, &Value::Nil, days)?;
    t.is_ca = true;
    create(env, &t, &key, None)
        .map(cert_value)
        .map_err(|e| fail(format!("error creating certificate: {e}")))
}

/// `{{ $ca := genCA "my-ca" 365 }}` → `.Cert` / `.Key`.
pub fn gen_ca(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("genCA", a, 2)?;
    let (cn, days) = (string(&a[0])?, int(&a[1])?);
    ca(env, cn, days, new_rsa(env)?)
}

/// `{{ genCAWithKey "my-ca" 365 $pem }}`.
pub fn gen_ca_with_key(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("genCAWithKey", a, 3)?;
    let (cn, days, key) = (string(&a[0])?, int(&a[1])?, with_key(string(&a[2])?)?);
    ca(env, cn, days, key)
}

fn self_signed(env: &Env, a: &[Value], key: Key) -> R {
    let t = template(string(&a[0])?, &a[1], &a[2], int(&a[3])?)?;
    create(env, &t, &key, None)
        .map(cert_value)
        .map_err(|e| fail(format!("error creating certificate: {e}")))
}

/// `{{ genSelfSignedCert "foo.com" (list "10.0.0.1") (list "foo.com") 365 }}`.
pub fn gen_self_signed_cert(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("genSelfSignedCert", a, 4)?;
    self_signed(env, a, new_rsa(env)?)
}

/// `{{ genSelfSignedCertWithKey "foo.com" nil nil 365 $pem }}`.
pub fn gen_self_signed_cert_with_key(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("genSelfSignedCertWithKey", a, 5)?;
    let key = with_key(string(&a[4])?)?;
    self_signed(env, a, key)
}

fn signed(env: &Env, a: &[Value], key: Key) -> R {
    let t = template(string(&a[0])?, &a[1], &a[2], int(&a[3])?)?;
    let (ca_cert, ca_key) = ca_arg(&a[4])?;
    let (_, der) = pem_decode(&ca_cert).ok_or_else(|| fail("unable to decode certificate"))?;
    let (subject, skid) = cert_subject_and_skid(&der).ok_or_else(|| {
        fail("error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate")
    })?;
    let signer =
        Key::parse(&ca_key).map_err(|e| fail(format!("error parsing private key: {e}")))?;
    create(env, &t, &key, Some((&subject, skid.as_deref(), &signer)))
        .map(cert_value)
        .map_err(|e| fail(format!("error creating certificate: {e}")))
}

/// `{{ genSignedCert "foo.com" nil (list "foo.com") 365 $ca }}`.
pub fn gen_signed_cert(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("genSignedCert", a, 5)?;
    signed(env, a, new_rsa(env)?)
}

/// `{{ genSignedCertWithKey "foo.com" nil nil 365 $ca $pem }}`.
pub fn gen_signed_cert_with_key(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("genSignedCertWithKey", a, 6)?;
    let key = with_key(string(&a[5])?)?;
    signed(env, a, key)
}

/// `{{ buildCustomCert $b64cert $b64key }}`: checks and wraps an existing
/// certificate and key.
pub fn build_custom_cert(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("buildCustomCert", a, 2)?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let cert = b64
        .decode(string(&a[0])?)
        .map_err(|_| fail("unable to decode base64 certificate"))?;
    let key = b64
        .decode(string(&a[1])?)
        .map_err(|_| fail("unable to decode base64 private key"))?;
    let cert = String::from_utf8_lossy(&cert).into_owned();
    let key = String::from_utf8_lossy(&key).into_owned();
    let (_, der) = pem_decode(&cert).ok_or_else(|| fail("unable to decode certificate"))?;
    cert_subject_and_skid(&der).ok_or_else(|| {
        fail("error parsing certificate: decodedCert.Bytes: x509: malformed certificate")
    })?;
    Key::parse(&key).map_err(|e| fail(format!("error parsing private key: {e}")))?;
    Ok(cert_value((cert, key)))
}
