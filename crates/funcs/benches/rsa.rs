//! RSA key generation, the cost of genCA / genSelfSignedCert /
//! genSignedCert (2048 bits) and genPrivateKey "rsa" (4096 bits):
//! `cargo bench -p tusk-funcs --bench rsa`. The prime search takes a random
//! time, so each sample averages many keys from one continuing generator;
//! rsa 0.9's own `RsaPrivateKey::new` (what tusk used before) is the
//! baseline. For medians over many keys: `--example rsa_keygen`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use rsa::rand_core::SeedableRng;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("rsa keygen");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    let mut rng = rand_chacha03::ChaCha20Rng::seed_from_u64(1);
    g.bench_function("2048 tusk generate_rsa_key", |b| {
        b.iter(|| tusk_funcs::certs::generate_rsa_key(&mut rng, black_box(2048)).unwrap())
    });
    g.bench_function("2048 rsa 0.9 RsaPrivateKey::new", |b| {
        b.iter(|| rsa::RsaPrivateKey::new(&mut rng, black_box(2048)).unwrap())
    });
    g.bench_function("4096 tusk generate_rsa_key", |b| {
        b.iter(|| tusk_funcs::certs::generate_rsa_key(&mut rng, black_box(4096)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
