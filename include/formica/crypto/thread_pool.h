#pragma once
// A small fixed-size thread pool for data-parallel crypto work (parallel signature
// verification). Deliberately minimal: one operation, parallel_for, which blocks until every
// index has been processed. The calling thread takes part, so parallel_for may be called from
// inside a pool task (nested calls cannot deadlock: the caller alone can finish the work).
//
// Thread-safety: all member functions may be called from any thread concurrently.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace formica::crypto {

class ThreadPool {
 public:
  // threads == 0: one worker per hardware thread (at least 1), minus the caller's share.
  explicit ThreadPool(std::size_t threads = 0);
  ~ThreadPool();  // joins the workers; pending helpers finish first
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Calls fn(begin, end) on disjoint ranges covering [0, n), in chunks of at most `grain`
  // indices, on the workers and the calling thread. Returns when all ranges are done.
  // `fn` must not throw (std::terminate otherwise).
  void parallel_for(std::size_t n, std::size_t grain,
                    const std::function<void(std::size_t begin, std::size_t end)>& fn);

  // Number of threads that work in parallel_for (workers + the caller).
  std::size_t concurrency() const { return workers_.size() + 1; }

  // A process-wide pool with one thread per core, created on first use.
  static ThreadPool& shared();

 private:
  void worker_loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace formica::crypto
