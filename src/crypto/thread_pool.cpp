#include "formica/crypto/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <memory>

namespace formica::crypto {

ThreadPool::ThreadPool(std::size_t threads) {
  if (threads == 0) {
    std::size_t hw = std::thread::hardware_concurrency();
    threads = hw > 1 ? hw - 1 : 0;  // the caller of parallel_for is the last thread
  }
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

ThreadPool& ThreadPool::shared() {
  static ThreadPool pool;
  return pool;
}

void ThreadPool::worker_loop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

namespace {
// Shared by the caller and the helpers of one parallel_for. Helpers hold it by shared_ptr, so
// a helper that starts after the caller has returned finds no chunk left and does nothing.
struct ForState {
  std::size_t n = 0;
  std::size_t grain = 1;
  std::size_t chunks = 0;
  const std::function<void(std::size_t, std::size_t)>* fn = nullptr;
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::mutex mu;
  std::condition_variable cv;

  // Runs chunks until none is left to take; returns after the last one it took.
  void run() {
    for (;;) {
      std::size_t c = next.fetch_add(1, std::memory_order_relaxed);
      if (c >= chunks) return;
      std::size_t begin = c * grain;
      (*fn)(begin, std::min(n, begin + grain));
      if (done.fetch_add(1, std::memory_order_acq_rel) + 1 == chunks) {
        std::lock_guard lock(mu);
        cv.notify_all();
      }
    }
  }
};
}  // namespace

void ThreadPool::parallel_for(std::size_t n, std::size_t grain,
                              const std::function<void(std::size_t, std::size_t)>& fn) {
  if (n == 0) return;
  grain = std::max<std::size_t>(grain, 1);
  auto state = std::make_shared<ForState>();
  state->n = n;
  state->grain = grain;
  state->chunks = (n + grain - 1) / grain;
  state->fn = &fn;
  std::size_t helpers = std::min(workers_.size(), state->chunks - 1);
  if (helpers > 0) {
    {
      std::lock_guard lock(mu_);
      for (std::size_t i = 0; i < helpers; ++i) queue_.emplace_back([state] { state->run(); });
    }
    cv_.notify_all();
  }
  state->run();
  // `fn` is only dereferenced while chunks remain, and the caller returns only after every
  // chunk is done, so late helpers never touch a dead `fn`.
  std::unique_lock lock(state->mu);
  state->cv.wait(lock, [&] { return state->done.load(std::memory_order_acquire) == state->chunks; });
}

}  // namespace formica::crypto
