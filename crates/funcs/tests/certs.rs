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
