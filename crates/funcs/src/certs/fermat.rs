//! A quick Fermat test to base 2 that rejects most prime candidates before
//! crypto-primes' full test: that test spends nearly all of its time on
//! the composites the sieve lets through, one base-2 Miller-Rabin
//! exponentiation each, in constant-time generic arithmetic. Here the
//! modulus has a fixed number of 64-bit words, multiplying by the base 2 is
//! a doubling, and time may depend on the candidate (as in Go's math/big).
//! Every prime passes, and any composite this passes fails the stronger
//! Miller-Rabin test behind it, so keys do not depend on this filter.

/// Whether `2^(n-1) ≡ 1 (mod n)` may hold: `false` only when it surely does
/// not. `words` is n, little-endian; sizes other than 1024 and 2048 bits
/// with the top bit set are not tested here (`true`).
pub(super) fn may_be_prime(words: &[u64]) -> bool {
    match words.len() {
        16 => fermat2::<16>(words),
        32 => fermat2::<32>(words),
        _ => true,
    }
}

fn fermat2<const N: usize>(words: &[u64]) -> bool {
    let Ok(n) = <[u64; N]>::try_from(words) else {
        return true;
    };
    // Needs an odd n with the top bit set, so that R mod n = R - n
    // (R = 2^(64N)) and the doubling below overflows at most once.
    if n[0] & 1 == 0 || n[N - 1] >> 63 == 0 {
        return true;
    }
    let n_inv = neg_inverse(n[0]);
    // 1 in Montgomery form.
    let one = wrapping_neg(&n);
    let mut x = one;
    // e = n - 1 differs from n only in bit 0, which is 1 in n.
    for i in (0..N * 64).rev() {
        x = mont_mul(&x, &x, &n, n_inv);
        let bit = if i == 0 {
            0
        } else {
            (n[i / 64] >> (i % 64)) & 1
        };
        if bit == 1 {
            x = double(&x, &n);
        }
    }
    x == one
}

/// -n⁻¹ mod 2^64 for odd n (Newton's iteration doubles the correct bits).
fn neg_inverse(n0: u64) -> u64 {
    let mut inv = 1u64;
    for _ in 0..6 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(n0.wrapping_mul(inv)));
    }
    inv.wrapping_neg()
}

fn wrapping_neg<const N: usize>(a: &[u64; N]) -> [u64; N] {
    let mut out = [0u64; N];
    let mut borrow = 0u64;
    for i in 0..N {
        let (d, b1) = 0u64.overflowing_sub(a[i]);
        let (d, b2) = d.overflowing_sub(borrow);
        out[i] = d;
        borrow = u64::from(b1 | b2);
    }
    out
}

#[inline(always)]
fn mac(acc: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = u128::from(acc) + u128::from(a) * u128::from(b) + u128::from(carry);
    (t as u64, (t >> 64) as u64)
}

/// (hi·R + t) reduced below n by one subtraction of n, enough when it is
/// below 2n.
fn reduce<const N: usize>(mut t: [u64; N], hi: u64, n: &[u64; N]) -> [u64; N] {
    if hi != 0 || !less(&t, n) {
        let mut borrow = 0u64;
        for i in 0..N {
            let (d, b1) = t[i].overflowing_sub(n[i]);
            let (d, b2) = d.overflowing_sub(borrow);
            t[i] = d;
            borrow = u64::from(b1 | b2);
        }
    }
    t
}

fn less<const N: usize>(a: &[u64; N], b: &[u64; N]) -> bool {
    for i in (0..N).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

/// 2x mod n for x < n.
fn double<const N: usize>(x: &[u64; N], n: &[u64; N]) -> [u64; N] {
    let mut t = [0u64; N];
    let mut carry = 0u64;
    for i in 0..N {
        t[i] = (x[i] << 1) | carry;
        carry = x[i] >> 63;
    }
    reduce(t, carry, n)
}

/// Montgomery product a·b·R⁻¹ mod n (CIOS) for a, b < n.
fn mont_mul<const N: usize>(a: &[u64; N], b: &[u64; N], n: &[u64; N], n_inv: u64) -> [u64; N] {
    let mut t = [0u64; N];
    let mut hi = 0u64;
    for &bi in b {
        let mut c = 0u64;
        for j in 0..N {
            (t[j], c) = mac(t[j], a[j], bi, c);
        }
        let (s, over) = hi.overflowing_add(c);
        let top = u64::from(over);
        let m = t[0].wrapping_mul(n_inv);
        let (_, mut c) = mac(t[0], m, n[0], 0);
        for j in 1..N {
            (t[j - 1], c) = mac(t[j], m, n[j], c);
        }
        let (s, over) = s.overflowing_add(c);
        t[N - 1] = s;
        hi = top + u64::from(over);
    }
    reduce(t, hi, n)
}

#[cfg(test)]
mod tests {
    use super::may_be_prime;
    use rsa::BigUint;
    use rsa::rand_core::{RngCore, SeedableRng};

    fn words(x: &BigUint, n: usize) -> Vec<u64> {
        let mut b = x.to_bytes_le();
        b.resize(n * 8, 0);
        b.chunks(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    }

    fn reference(x: &BigUint) -> bool {
        BigUint::from(2u32).modpow(&(x - 1u32), x) == BigUint::from(1u32)
    }

    /// Agrees with a plain modpow on random odd numbers (nearly all
    /// composite) and on primes, at both sizes.
    #[test]
    fn agrees_with_modpow() {
        let mut rng = rand_chacha03::ChaCha20Rng::seed_from_u64(5);
        for (n, count) in [(16usize, 24), (32, 8)] {
            let mut seen_prime = false;
            for i in 0..count {
                let x = if i % 4 == 0 {
                    // A prime with the top bit set.
                    super::super::rsa_prime_with(&mut rng, n as u32 * 64, false).unwrap()
                } else {
                    let mut b = vec![0u8; n * 8];
                    rng.fill_bytes(&mut b);
                    b[0] |= 1;
                    b[n * 8 - 1] |= 0x80;
                    BigUint::from_bytes_le(&b)
                };
                let want = reference(&x);
                seen_prime |= want;
                assert_eq!(may_be_prime(&words(&x, n)), want, "{x}");
            }
            assert!(seen_prime);
        }
    }

    /// The filter only skips composites: the same generator state gives
    /// the same prime with it and without.
    #[test]
    fn filter_does_not_change_the_prime() {
        for seed in 0..2 {
            let prime = |filter| {
                let mut rng = rand_chacha03::ChaCha20Rng::seed_from_u64(seed);
                super::super::rsa_prime_with(&mut rng, 1024, filter).unwrap()
            };
            assert_eq!(prime(true), prime(false));
        }
    }

    #[test]
    fn other_shapes_are_left_to_the_full_test() {
        assert!(may_be_prime(&[4, 1 << 63]));
        assert!(may_be_prime(&[4; 16]));
        let mut even = [u64::MAX; 16];
        even[0] = 2;
        assert!(may_be_prime(&even));
    }
}
