//! Certificates made by genCA / genSignedCert / genSelfSignedCert are real:
//! OpenSSL parses them, checks the chain and sees the requested fields.
//! (helm's own certificates are random, so goldens only check shape; this
//! test checks substance.)

use std::process::Command;

use tusk_funcs::{Options, register_with};
use tusk_template::{FuncMap, Templates, Value};

fn render(text: &str) -> String {
    let mut fm = FuncMap::new();
    register_with(
        &mut fm,
        Options {
            seed: Some(7),
            ..Options::default()
        },
    );
    let mut set = Templates::new(fm).with_options(tusk_template::Options::helm());
    set.parse("t", text).unwrap();
    set.execute("t", &Value::Nil).unwrap()
}

fn openssl(args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl is required for this test (apt-get install openssl)");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn generated_chain_verifies_with_openssl() {
    let out = render(
        r#"{{- $ca := genCA "tusk-ca" 365 -}}
{{- $leaf := genSignedCert "app.example.com" (list "10.1.2.3") (list "app.example.com" "app") 30 $ca -}}
{{- $self := genSelfSignedCertWithKey "self" nil (list "self.local") 10 (genPrivateKey "ecdsa") -}}
{{ $ca.Cert }}@@{{ $leaf.Cert }}@@{{ $leaf.Key }}@@{{ $self.Cert }}@@{{ $self.Key }}"#,
    );
    let parts: Vec<&str> = out.split("@@").collect();
    assert_eq!(parts.len(), 5, "{out}");
    let dir = std::env::temp_dir().join(format!("tusk-funcs-certs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let names = ["ca.pem", "leaf.pem", "leaf.key", "self.pem", "self.key"];
    for (n, p) in names.iter().zip(&parts) {
        std::fs::write(dir.join(n), p).unwrap();
    }
    let path = |n: &str| dir.join(n).to_string_lossy().into_owned();

    let (ok, msg) = openssl(&["verify", "-CAfile", &path("ca.pem"), &path("leaf.pem")]);
    assert!(ok, "chain does not verify: {msg}");

    let (ok, text) = openssl(&["x509", "-noout", "-text", "-in", &path("leaf.pem")]);
    assert!(ok, "{text}");
    for want in [
        "CN = app.example.com",
        "DNS:app.example.com",
        "DNS:app",
        "IP Address:10.1.2.3",
        "TLS Web Server Authentication",
        "CA:FALSE",
        "Issuer: CN = tusk-ca",
    ] {
        assert!(
            text.contains(want),
            "leaf certificate lacks {want}:\n{text}"
        );
    }
    let (ok, text) = openssl(&["x509", "-noout", "-text", "-in", &path("ca.pem")]);
    assert!(
        ok && text.contains("CA:TRUE") && text.contains("Certificate Sign"),
        "{text}"
    );

    // The key belongs to the certificate.
    let (_, cert_pub) = openssl(&["x509", "-noout", "-pubkey", "-in", &path("leaf.pem")]);
    let (_, key_pub) = openssl(&["pkey", "-pubout", "-in", &path("leaf.key")]);
    assert_eq!(cert_pub, key_pub);
    let (_, cert_pub) = openssl(&["x509", "-noout", "-pubkey", "-in", &path("self.pem")]);
    let (_, key_pub) = openssl(&["pkey", "-pubout", "-in", &path("self.key")]);
    assert_eq!(cert_pub, key_pub);
    let (ok, msg) = openssl(&["verify", "-CAfile", &path("self.pem"), &path("self.pem")]);
    assert!(ok, "self-signed ECDSA certificate does not verify: {msg}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn seed_makes_random_output_repeatable() {
    let t = r#"{{ randAlphaNum 16 }} {{ uuidv4 }} {{ (genPrivateKey "ecdsa") | sha256sum }} {{ encryptAES "k" "x" }}"#;
    assert_eq!(render(t), render(t));
}

mod rsa_keys {
    use rand_chacha03::ChaCha20Rng;
    use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
    use rsa::rand_core::SeedableRng;
    use rsa::signature::{Signer, Verifier};
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    use rsa::{BigUint, RsaPrivateKey};
    use tusk_funcs::certs::generate_rsa_key;

    /// What Go's rsa.GenerateKey guarantees, checked on one key.
    fn check(k: &RsaPrivateKey, bits: usize) {
        assert_eq!(k.n().bits(), bits, "modulus size");
        assert_eq!(k.e(), &BigUint::from(65537u32));
        let [p, q] = k.primes() else {
            panic!("want two primes, got {}", k.primes().len());
        };
        assert_ne!(p, q);
        assert_eq!(&(p * q), k.n(), "p*q != n");
        assert_eq!(p.bits(), bits / 2);
        assert_eq!(q.bits(), bits - bits / 2);
        for x in [p, q] {
            // Top two bits set, as Go's prime search does.
            assert!(
                x >> (x.bits() - 2) == BigUint::from(3u32),
                "top bits of {x}"
            );
        }
        k.validate().expect("key validates (d*e == 1 mod p-1, q-1)");
        // The key round-trips through PKCS#1 DER unchanged.
        let der = k.to_pkcs1_der().unwrap();
        let back = RsaPrivateKey::from_pkcs1_der(der.as_bytes()).unwrap();
        assert_eq!(&back, k);
        assert_eq!(back.d(), k.d());
        // It signs, and the signature verifies with the public half only
        // (a PKCS#1 v1.5 SHA-256 signature needs a modulus of 62+ bytes).
        if bits < 512 {
            return;
        }
        let sk = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(back);
        let sig = sk.sign(b"tusk");
        let vk = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(k.to_public_key());
        vk.verify(b"tusk", &sig).expect("signature verifies");
        assert!(vk.verify(b"tusk!", &sig).is_err());
    }

    #[test]
    fn generated_keys_have_go_shape_and_work() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        for _ in 0..3 {
            check(&generate_rsa_key(&mut rng, 2048).unwrap(), 2048);
        }
        // Odd and small sizes: q takes the extra bit.
        check(&generate_rsa_key(&mut rng, 1025).unwrap(), 1025);
        check(&generate_rsa_key(&mut rng, 64).unwrap(), 64);
    }

    #[test]
    fn same_seed_same_key_other_seed_other_key() {
        let key = |seed| generate_rsa_key(&mut ChaCha20Rng::seed_from_u64(seed), 1024).unwrap();
        assert_eq!(key(1), key(1));
        assert_ne!(key(1).n(), key(2).n());
    }

    #[test]
    fn sizes_out_of_range_are_errors() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        for bits in [0, 1, 2, 63] {
            assert!(generate_rsa_key(&mut rng, bits).is_err(), "{bits}");
        }
        assert!(matches!(
            generate_rsa_key(&mut rng, 4097),
            Err(rsa::Error::ModulusTooLarge)
        ));
    }

    /// genPrivateKey "rsa" is 4096 bits (sprig's size), genCA & co. 2048:
    /// the PEM is PKCS#1 and the key inside is valid.
    #[test]
    fn template_keys_are_pkcs1_of_the_sprig_sizes() {
        let out = super::render(
            r#"{{ genPrivateKey "rsa" }}@@{{ (genCA "ca" 1).Key }}@@{{ (genSelfSignedCert "s" nil nil 1).Key }}"#,
        );
        let parts: Vec<&str> = out.split("@@").collect();
        assert_eq!(parts.len(), 3, "{out}");
        for (pem, bits) in parts.iter().zip([4096, 2048, 2048]) {
            assert!(
                pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"),
                "{pem}"
            );
            assert!(pem.ends_with("-----END RSA PRIVATE KEY-----\n"), "{pem}");
            let body: Vec<&str> = pem.lines().collect();
            let inner = &body[1..body.len() - 1];
            assert!(inner.iter().all(|l| l.len() <= 64));
            assert!(inner[..inner.len() - 1].iter().all(|l| l.len() == 64));
            let k = RsaPrivateKey::from_pkcs1_pem(pem).unwrap();
            check(&k, bits);
        }
    }
}
