// Independent units of work (chunks of rows, say) on several threads.
//
// run_chunks(n_chunks, threads, work, interrupt) calls work(chunk, slot) once
// for every chunk in 0..n_chunks-1, `slot` (0..threads-1) naming the thread,
// so that each thread keeps its own scratch state. With one thread every
// chunk runs on the calling thread, in order, and interrupt() is called
// before each. With more, `threads` workers take the chunks in turn while
// the calling thread only waits, calling interrupt() once for every chunk
// finished (so progress counts chunks whatever the thread count): the
// callback, which may talk to R, never runs on a worker. If interrupt() or
// a worker throws, the workers stop after their current chunk, are joined,
// and the exception is rethrown on the calling thread.
//
// The result of a chunk must depend on the chunk only (not on the slot or
// the order), so that the output is the same for every thread count.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace fastnma {

// The thread count asked for, at least 1 and at most the hardware's (when
// it is known) and the number of chunks.
inline int usable_threads(int asked, long n_chunks) {
  int t = std::max(1, asked);
  const unsigned hw = std::thread::hardware_concurrency();
  if (hw > 0) t = std::min<int>(t, static_cast<int>(hw));
  if (n_chunks < t) t = static_cast<int>(std::max<long>(1, n_chunks));
  return t;
}

template <class Work, class Interrupt>
void run_chunks(long n_chunks, int threads, Work work, Interrupt& interrupt) {
  threads = usable_threads(threads, n_chunks);
  if (threads <= 1) {
    for (long c = 0; c < n_chunks; ++c) {
      interrupt();
      work(c, 0);
    }
    return;
  }
  std::atomic<long> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;
  long finished = 0;  // guarded by mu
  std::exception_ptr failure;
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (int slot = 0; slot < threads; ++slot) {
    pool.emplace_back([&, slot] {
      for (;;) {
        if (stop.load()) return;
        const long c = next.fetch_add(1);
        if (c >= n_chunks) return;
        try {
          work(c, slot);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mu);
          if (!failure) failure = std::current_exception();
          stop.store(true);
        }
        {
          std::lock_guard<std::mutex> lock(mu);
          ++finished;
        }
        cv.notify_one();
      }
    });
  }
  long reported = 0;
  std::exception_ptr main_failure;
  try {
    for (;;) {
      long done;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait_for(lock, std::chrono::milliseconds(100),
                    [&] { return finished > reported || stop.load(); });
        done = finished;
      }
      for (; reported < done; ++reported) interrupt();
      if (done >= n_chunks || stop.load()) break;
    }
  } catch (...) {
    main_failure = std::current_exception();
  }
  stop.store(true);
  for (std::thread& t : pool) t.join();
  if (main_failure) std::rethrow_exception(main_failure);
  if (failure) std::rethrow_exception(failure);
}

}  // namespace fastnma
