//! `tusk values init`: secret formats, the VAPID key pair, seeding.

use base64::Engine;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use tusk_values::init::{self, generate, rng};
use tusk_values::mapping::Chart;
use tusk_values::yaml::{self, Node};

fn is_hex(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[test]
fn formats_match_mastodon() {
    for seed in 0..20 {
        let s = generate(&mut rng(Some(seed)).unwrap());
        assert_eq!(s.secret_key_base.len(), 128);
        assert!(is_hex(&s.secret_key_base));
        assert_eq!(s.otp_secret.len(), 128);
        assert!(is_hex(&s.otp_secret));
        for k in [
            &s.ar_primary_key,
            &s.ar_deterministic_key,
            &s.ar_key_derivation_salt,
        ] {
            assert_eq!(k.len(), 32);
            assert!(k.bytes().all(|b| b.is_ascii_alphanumeric()), "{k}");
        }
        assert_ne!(s.ar_primary_key, s.ar_deterministic_key);
    }
}

#[test]
fn vapid_pair_is_a_p256_key_and_its_point() {
    let b64 = base64::engine::general_purpose::URL_SAFE;
    for seed in 0..20 {
        let s = generate(&mut rng(Some(seed)).unwrap());
        // URL-safe alphabet with padding, as Base64.urlsafe_encode64 writes.
        assert!(s.vapid_private_key.ends_with('='));
        assert!(s.vapid_public_key.ends_with('='));
        assert!(!s.vapid_public_key.contains(['+', '/']));
        let private = b64.decode(&s.vapid_private_key).unwrap();
        let public = b64.decode(&s.vapid_public_key).unwrap();
        assert_eq!(private.len(), 32);
        assert_eq!(public.len(), 65);
        assert_eq!(public[0], 0x04, "uncompressed point");
        let key = p256::SecretKey::from_slice(&private).unwrap();
        assert_eq!(
            key.public_key().to_encoded_point(false).as_bytes(),
            public.as_slice()
        );
    }
}

#[test]
fn seeds_repeat_and_differ() {
    let a = generate(&mut rng(Some(7)).unwrap());
    let b = generate(&mut rng(Some(7)).unwrap());
    let c = generate(&mut rng(Some(8)).unwrap());
    assert_eq!(a, b);
    assert_ne!(a.secret_key_base, c.secret_key_base);
    assert_ne!(a.vapid_private_key, c.vapid_private_key);
    // Without a seed the operating system seeds the generator.
    let x = generate(&mut rng(None).unwrap());
    let y = generate(&mut rng(None).unwrap());
    assert_ne!(x.secret_key_base, y.secret_key_base);
}

#[test]
fn starter_files() {
    for chart in Chart::ALL {
        let text = init::init(chart, Some(42)).unwrap();
        insta::assert_snapshot!(format!("init_{chart}"), text);
        let Node::Map(doc) = yaml::from_yaml(&yaml_serde::from_str(&text).unwrap()) else {
            panic!()
        };
        let secrets = generate(&mut rng(Some(42)).unwrap());
        for (env, value) in secrets.env() {
            match chart.mapping(env) {
                Some(m) => assert_eq!(
                    doc.get_path(m.path),
                    Some(&Node::Str(value.to_string())),
                    "{chart} {env}"
                ),
                None => assert!(!text.contains(value), "{chart} has {env}"),
            }
        }
    }
    // OTP_SECRET only where the chart still reads it.
    assert!(
        init::init(Chart::Classic, Some(1))
            .unwrap()
            .contains("otp_secret")
    );
    assert!(
        !init::init(Chart::Next, Some(1))
            .unwrap()
            .contains("OTP_SECRET")
    );
}
