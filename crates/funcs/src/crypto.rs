//! Hashes, random values and symmetric crypto (sprig crypto.go). Every
//! random byte comes from the map's seedable generator ([`crate::Env`]), so
//! `--seed` makes bcrypt salts, AES IVs and UUIDs repeatable; helm's own
//! output is random, so goldens check these by shape or by round trip.

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::NoPadding};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Digest;
use tusk_template::{CallContext, FuncError, Value};

use crate::Env;
use crate::args::{arity, fail, go_type, int, s, string};

type R = Result<Value, FuncError>;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `{{ sha1sum "x" }}` → hex SHA-1.
pub fn sha1sum(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("sha1sum", a, 1)?;
    Ok(s(hex(&sha1::Sha1::digest(string(&a[0])?.as_bytes()))))
}

/// `{{ sha256sum "x" }}` → hex SHA-256.
pub fn sha256sum(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("sha256sum", a, 1)?;
    Ok(s(hex(&sha2::Sha256::digest(string(&a[0])?.as_bytes()))))
}

/// `{{ sha512sum "x" }}` → hex SHA-512.
pub fn sha512sum(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("sha512sum", a, 1)?;
    Ok(s(hex(&sha2::Sha512::digest(string(&a[0])?.as_bytes()))))
}

/// `{{ adler32sum "x" }}` → the Adler-32 checksum in decimal.
pub fn adler32sum(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("adler32sum", a, 1)?;
    let (mut x, mut y) = (1u32, 0u32);
    for &c in string(&a[0])?.as_bytes() {
        x = (x + u32::from(c)) % 65521;
        y = (y + x) % 65521;
    }
    Ok(s(((y << 16) | x).to_string()))
}

fn bcrypt_hash(env: &Env, password: &str) -> String {
    if password.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .into();
    }
    let mut salt = [0u8; 16];
    env.rand_bytes(&mut salt);
    match bcrypt::hash_with_salt(password, 10, salt) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

/// `{{ bcrypt "secret" }}` → a `$2a$10$...` hash.
pub fn bcrypt_fn(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("bcrypt", a, 1)?;
    Ok(s(bcrypt_hash(env, string(&a[0])?)))
}

/// `{{ htpasswd "user" "pass" }}` → `user:$2a$10$...`.
pub fn htpasswd(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("htpasswd", a, 2)?;
    let (user, pass) = (string(&a[0])?, string(&a[1])?);
    if user.contains(':') {
        return Ok(s(format!("invalid username: {user}")));
    }
    Ok(s(format!("{user}:{}", bcrypt_hash(env, pass))))
}

/// `{{ randBytes 24 }}` → base64 of that many random bytes.
pub fn rand_bytes(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("randBytes", a, 1)?;
    let n = int(&a[0])?;
    if n < 0 {
        return Err(fail("runtime error: makeslice: len out of range"));
    }
    let mut buf = vec![0u8; n as usize];
    env.rand_bytes(&mut buf);
    Ok(s(base64::engine::general_purpose::STANDARD.encode(buf)))
}

/// `{{ randInt 1 10 }}` → an int in [1, 10).
pub fn rand_int(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("randInt", a, 2)?;
    let (min, max) = (int(&a[0])?, int(&a[1])?);
    if max <= min {
        return Err(fail("invalid argument to Intn"));
    }
    Ok(Value::Int(min + env.rand_below((max - min) as u64) as i64))
}

/// `{{ uuidv4 }}` → a random version 4 UUID.
pub fn uuidv4(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("uuidv4", a, 0)?;
    let mut b = [0u8; 16];
    env.rand_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    Ok(s(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )))
}

const SEED: &str = "com.lyndir.masterpassword";

fn templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_chars(c: u8) -> &'static str {
    match c {
        b'V' => "AEIOU",
        b'C' => "BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => "aeiou",
        b'c' => "bcdfghjklmnpqrstvwxyz",
        b'A' => "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => "0123456789",
        b'o' => "@&%?,=[]_:-+*$#!'^~;()/.",
        _ => "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// `{{ derivePassword 1 "long" "password" "user" "example.com" }}`: the
/// Master Password algorithm (scrypt + HMAC-SHA256), deterministic.
pub fn derive_password(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("derivePassword", a, 5)?;
    let counter = match &a[0] {
        Value::Int(i) if (0..=u32::MAX as i64).contains(i) => *i as u32,
        other => {
            return Err(FuncError::BadArgs(format!(
                "wrong type for value; expected uint32; got {}",
                go_type(other)
            )));
        }
    };
    let (kind, password, user, site) = (
        string(&a[1])?,
        string(&a[2])?,
        string(&a[3])?,
        string(&a[4])?,
    );
    let Some(temps) = templates(kind) else {
        return Ok(s(format!("cannot find password template {kind}")));
    };
    let mut salt = SEED.as_bytes().to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let params = scrypt::Params::new(15, 8, 2, 64).map_err(|e| fail(e.to_string()))?;
    let mut key = [0u8; 64];
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return Ok(s(format!("failed to derive password: {e}")));
    }
    let mut msg = SEED.as_bytes().to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(&key).map_err(|e| fail(e.to_string()))?;
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let temp = temps[seed[0] as usize % temps.len()].as_bytes();
    let out: String = temp
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let chars = template_chars(*c).as_bytes();
            chars[seed[i + 1] as usize % chars.len()] as char
        })
        .collect();
    Ok(s(out))
}

fn aes_key(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let p = password.as_bytes();
    let n = p.len().min(32);
    key[..n].copy_from_slice(&p[..n]);
    key
}

/// `{{ encryptAES "key" "text" }}`: AES-256-CBC, PKCS#7 padding, random IV
/// prepended, base64.
pub fn encrypt_aes(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("encryptAES", a, 2)?;
    let (password, plain) = (string(&a[0])?, string(&a[1])?);
    if plain.is_empty() {
        return Ok(s(""));
    }
    let mut content = plain.as_bytes().to_vec();
    let pad = 16 - content.len() % 16;
    content.extend(std::iter::repeat_n(pad as u8, pad));
    let mut iv = [0u8; 16];
    env.rand_bytes(&mut iv);
    let enc = cbc::Encryptor::<aes::Aes256>::new(&aes_key(password).into(), &iv.into());
    let n = content.len();
    let ct = enc
        .encrypt_padded_mut::<NoPadding>(&mut content, n)
        .map_err(|e| fail(e.to_string()))?
        .to_vec();
    let mut out = iv.to_vec();
    out.extend(ct);
    Ok(s(base64::engine::general_purpose::STANDARD.encode(out)))
}

/// `{{ decryptAES "key" $cipher }}`: the inverse of encryptAES.
pub fn decrypt_aes(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("decryptAES", a, 2)?;
    let (password, b64) = (string(&a[0])?, string(&a[1])?);
    if b64.is_empty() {
        return Ok(s(""));
    }
    let crypt = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|_| fail(crate::encoding::b64_error_text(b64.as_bytes())))?;
    if crypt.len() < 16 {
        return Err(fail(format!(
            "runtime error: slice bounds out of range [:16] with capacity {}",
            crypt.len()
        )));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err(fail("crypto/cipher: input not full blocks"));
    }
    let mut buf = body.to_vec();
    let dec = cbc::Decryptor::<aes::Aes256>::new(&aes_key(password).into(), iv.into());
    let plain = dec
        .decrypt_padded_mut::<NoPadding>(&mut buf)
        .map_err(|e| fail(e.to_string()))?
        .to_vec();
    let Some(&last) = plain.last() else {
        return Err(fail("runtime error: index out of range [-1]"));
    };
    let keep = plain.len().checked_sub(last as usize).ok_or_else(|| {
        fail(format!(
            "runtime error: slice bounds out of range [:{}]",
            plain.len() as i64 - last as i64
        ))
    })?;
    Ok(s(String::from_utf8_lossy(&plain[..keep]).into_owned()))
}
