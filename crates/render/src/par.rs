//! Order-preserving parallel map for the pure, per-document steps of a
//! render (reading manifest heads). Threads pay off only on large charts:
//! each costs about 1 MiB of peak memory and a few dozen microseconds.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes of input below which [`map`] stays on the calling thread.
const PARALLEL_MIN: usize = 64 << 10;

/// Threads used at most.
const MAX_THREADS: usize = 4;

/// `items.iter().map(f).collect()`, on several threads when `bytes` (the
/// input's size, as the caller measures it) is large. Results keep the
/// items' order; the helm compatibility mode of the caller applies on
/// every thread. A worker that panics has its items redone on this thread.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    bytes: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
        .min(items.len());
    if threads < 2 || bytes < PARALLEL_MIN {
        return items.iter().map(f).collect();
    }
    let compat = tusk_chart::compat::current();
    let next = AtomicUsize::new(0);
    let work = || {
        tusk_chart::compat::scoped(compat, || {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else {
                    break out;
                };
                out.push((i, f(item)));
            }
        })
    };
    let mut slots: Vec<Option<R>> = items.iter().map(|_| None).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(s, work).ok())
            .collect();
        for (i, r) in work() {
            slots[i] = Some(r);
        }
        for h in handles {
            if let Ok(done) = h.join() {
                for (i, r) in done {
                    slots[i] = Some(r);
                }
            }
        }
    });
    slots
        .into_iter()
        .zip(items)
        .map(|(r, item)| r.unwrap_or_else(|| f(item)))
        .collect()
}

#[cfg(test)]
mod tests {
    use tusk_chart::compat::{self, HelmCompat};

    #[test]
    fn keeps_order_and_the_callers_compat_mode() {
        let items: Vec<usize> = (0..1000).collect();
        let want: Vec<(usize, bool)> = items.iter().map(|&i| (i * 3, true)).collect();
        for bytes in [0, 1 << 20] {
            let got = compat::scoped(HelmCompat::V4, || {
                super::map(&items, bytes, |&i| (i * 3, compat::current().is_v4()))
            });
            assert_eq!(got, want, "bytes {bytes}");
        }
    }
}
