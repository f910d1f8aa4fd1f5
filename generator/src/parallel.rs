//! Independent work (emitting a file, parsing a spec) spread over the
//! machine's cores with scoped threads; results keep the input order, so
//! output stays deterministic.

use std::num::NonZeroUsize;

/// The stack of each worker thread: that of the main thread on Linux, so
/// that how deep a spec may nest does not depend on whether there were
/// enough files to go parallel (spawned threads get 2 MiB by default). It
/// is address space, used only as deep as the work recurses.
const STACK_BYTES: usize = 8 * 1024 * 1024;

/// `items.iter().map(f).collect()`, on every available core.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    // Small inputs are not worth a thread.
    if threads == 1 || items.len() < 32 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let work = move || part.iter().map(f).collect::<Vec<R>>();
                // A thread that cannot be had (the process is at its limit)
                // leaves the work to this one.
                std::thread::Builder::new()
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, work)
                    .map_err(|_| part)
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| match handle {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(part) => part.iter().map(f).collect(),
            })
            .collect()
    })
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
