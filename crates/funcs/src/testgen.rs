//! Generated test inputs: strings of pieces from an alphabet, from a fixed
//! seed, for tests that compare a fast scan with a reference one. Compiled
//! into the library's unit tests and, by path, into integration tests.

/// `count` strings, each `min_len..=max_len` pieces of `alphabet` chosen
/// by a 64-bit LCG started at `seed` (same seed, same strings).
pub fn strings(
    alphabet: &[&str],
    seed: u64,
    count: usize,
    min_len: usize,
    max_len: usize,
) -> Vec<String> {
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    (0..count)
        .map(|_| {
            let len = min_len + next() % (max_len - min_len + 1);
            (0..len)
                .map(|_| alphabet[next() % alphabet.len()])
                .collect()
        })
        .collect()
}
