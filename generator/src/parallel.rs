//! Independent work (emitting a file, parsing a spec) spread over the
//! machine's cores with scoped threads; results keep the input order, so
//! output stays deterministic.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The stack of each worker thread: that of the main thread on Linux, so
/// that how deep a spec may nest does not depend on whether there were
/// enough files to go parallel (spawned threads get 2 MiB by default). It
/// is address space, used only as deep as the work recurses.
const STACK_BYTES: usize = 8 * 1024 * 1024;

/// `items.iter().map(f).collect()`, on every available core.
///
/// Each core takes the next item when it is done with one, so that a few
/// large items (the fluent tree of a version, an operation with hundreds of
/// properties) do not leave a core idle while the other works through its
/// share; items are best listed largest first.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    // Small inputs are not worth a thread.
    if threads == 1 || items.len() < 32 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut all = std::thread::scope(|scope| {
        // The work runs on threads with the main thread's stack, whatever
        // the stack of the caller; a thread that cannot be had (the process
        // is at its limit) leaves the work to the others, or to the caller.
        let workers: Vec<_> = (0..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        let mut all = if workers.is_empty() {
            work()
        } else {
            Vec::new()
        };
        for worker in workers {
            all.extend(
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        all
    });
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_of_the_input() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(
            super::map(&items, |x| x * 2),
            items.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
        assert_eq!(super::map(&[1, 2], |x| x + 1), [2, 3]);
    }

    #[test]
    fn workers_have_the_main_thread_stack() {
        // Recursion that needs more than the default 2 MiB of stack.
        fn deep(n: usize) -> usize {
            let pad = std::hint::black_box([0u8; 1024]);
            if n == 0 {
                pad[0] as usize
            } else {
                deep(n - 1) + pad[1] as usize
            }
        }
        let items = vec![2500usize; 64];
        assert_eq!(super::map(&items, |&n| deep(n)), vec![0; 64]);
    }
}
