//! Median and mean time of RSA key generation over many keys (the prime
//! search takes a random time):
//! `cargo run --release -p tusk-funcs --example rsa_keygen -- [BITS] [N] [old]`;
//! `old` times rsa 0.9's `RsaPrivateKey::new`, which tusk used before.
use rsa::rand_core::SeedableRng;

fn main() {
    let mut args = std::env::args().skip(1);
    let bits: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2048);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let old = args.next().is_some_and(|a| a == "old");
    let mut rng = rand_chacha03::ChaCha20Rng::seed_from_u64(1);
    let mut ms: Vec<f64> = (0..n)
        .map(|_| {
            let t = std::time::Instant::now();
            if old {
                rsa::RsaPrivateKey::new(&mut rng, bits).expect("key");
            } else {
                tusk_funcs::certs::generate_rsa_key(&mut rng, bits).expect("key");
            }
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    let mean = ms.iter().sum::<f64>() / n.max(1) as f64;
    println!(
        "{} {bits}-bit keys ({}): median {:.1} ms, mean {mean:.1} ms",
        n,
        if old { "rsa 0.9" } else { "tusk" },
        ms.get(n / 2).copied().unwrap_or(0.0)
    );
}
