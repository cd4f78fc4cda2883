//! Order-preserving parallel map for the pure steps of loading and
//! rendering a chart (loading subcharts, reading manifest heads). Threads
//! pay off only on large charts: each costs about 1 MiB of peak memory and
//! a few dozen microseconds.

/// Bytes of input below which [`map`] stays on the calling thread.
const PARALLEL_MIN: usize = 64 << 10;

/// Threads used at most.
const MAX_THREADS: usize = 4;

/// A worker's stack: the YAML decoder's nesting bound is sized for the
/// main thread's 8 MiB, not a spawned thread's default 2 MiB (address
/// space only; untouched pages cost nothing).
const WORKER_STACK: usize = 16 << 20;

/// `items.into_iter().map(f).collect()`, on several threads when `bytes`
/// (the input's size, as the caller measures it) is large
/// ([`tusk_template::parallel_map`]: order kept, panics resumed), with the
/// caller's helm compatibility mode on every thread.
pub fn map<T: Send, R: Send>(items: Vec<T>, bytes: usize, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
        .min(items.len());
    if threads < 2 || bytes < PARALLEL_MIN {
        return items.into_iter().map(f).collect();
    }
    let compat = crate::compat::current();
    tusk_template::parallel_map(items, threads, WORKER_STACK, |item| {
        crate::compat::scoped(compat, || f(item))
    })
}

#[cfg(test)]
mod tests {
    use crate::compat::{self, HelmCompat};

    #[test]
    fn keeps_order_and_the_callers_compat_mode() {
        let items: Vec<usize> = (0..1000).collect();
        let want: Vec<(usize, bool)> = items.iter().map(|&i| (i * 3, true)).collect();
        for bytes in [0, 1 << 20] {
            let got = compat::scoped(HelmCompat::V4, || {
                super::map(items.clone(), bytes, |i| (i * 3, compat::current().is_v4()))
            });
            assert_eq!(got, want, "bytes {bytes}");
        }
    }
}
