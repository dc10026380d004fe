#pragma once
/// \file
/// A tiny deterministic work splitter: items 0..n-1 are handed out in fixed contiguous chunks (in
/// ascending order, to whichever worker is free), so results written per item (or merged per chunk
/// in chunk order) do not depend on the thread count or on which worker ran which chunk.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

#include "core/interrupt.hpp"

namespace gridplan::core {

/// The number of worker threads to use: `requested` when > 0, else the hardware concurrency.
[[nodiscard]] inline unsigned worker_count(int requested) {
    if (requested > 0) {
        return static_cast<unsigned>(requested);
    }
    return std::max(1U, std::thread::hardware_concurrency());
}

/// Runs body(w) on `workers` threads w = 0..workers-1 and waits for all of them; worker 0 is the
/// calling thread (so it may report progress). The first exception (by worker index) is
/// rethrown on the calling thread; `on_error` runs on the failing worker right after its
/// exception is caught (e.g. to tell the others to stop).
template <class Body, class OnError>
void run_workers(unsigned workers, Body&& body, OnError&& on_error) {
    std::vector<std::exception_ptr> errors(workers);
    const auto run = [&](unsigned w) {
        try {
            body(w);
        } catch (...) {
            errors[w] = std::current_exception();
            on_error();
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(workers);
    for (unsigned w = 1; w < workers; ++w) {
        pool.emplace_back(run, w);
    }
    run(0U);
    for (auto& t : pool) {
        t.join();
    }
    for (auto& e : errors) {
        if (e) {
            std::rethrow_exception(e);
        }
    }
}

/// Calls fn(i, worker) once for every item i in [0, n), items handed out one at a time in
/// ascending order to whichever worker is free (for items of very uneven cost). Deterministic
/// when fn writes only item i's own result. The first exception thrown by any worker is
/// rethrown on the calling thread after all workers stopped. An interrupt (Ctrl-C) stops the
/// work before the next item (Errc::interrupted, core/interrupt.hpp).
template <class Fn>
void parallel_items(std::size_t n, int threads, Fn&& fn) {
    if (n == 0) {
        return;
    }
    const unsigned workers = static_cast<unsigned>(std::min<std::size_t>(worker_count(threads), n));
    if (workers <= 1) {
        for (std::size_t i = 0; i < n; ++i) {
            throw_if_interrupted();
            fn(i, 0U);
        }
        return;
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    run_workers(
        workers,
        [&](unsigned w) {
            for (std::size_t i = next++; i < n && !failed; i = next++) {
                throw_if_interrupted();
                fn(i, w);
            }
        },
        [&] { failed = true; });
}

/// Calls fn(begin, end, worker) on chunks covering [0, n), using `threads` workers (0 = hardware).
/// Chunk i is [i*chunk, min(n,(i+1)*chunk)); chunks are handed out in ascending order to whichever
/// worker is free (a worker slowed down by another process does not hold up the rest), so which
/// worker runs a chunk varies: write results per item or per chunk, and use `worker` only to pick
/// scratch memory. Exceptions as in parallel_items.
template <class Fn>
void parallel_chunks(std::size_t n, int threads, std::size_t chunk, Fn&& fn) {
    if (n == 0) {
        return;
    }
    chunk = std::max<std::size_t>(1, chunk);
    const std::size_t n_chunks = (n + chunk - 1) / chunk;
    const unsigned workers =
        static_cast<unsigned>(std::min<std::size_t>(worker_count(threads), n_chunks));
    if (workers <= 1) {
        fn(std::size_t{0}, n, 0U);
        return;
    }
    parallel_items(n_chunks, threads, [&](std::size_t c, unsigned w) {
        fn(c * chunk, std::min(n, (c + 1) * chunk), w);
    });
}

}  // namespace gridplan::core
