#pragma once
// A fixed set of threads running queued tasks (method handlers and GET routes), so that no
// handler runs on an I/O thread. Internal to rpc.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace formica::rpc {

class WorkerPool {
 public:
  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();  // stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a task; false (task dropped, destroyed on this thread) after stop(). Thread-safe.
  bool submit(std::function<void()> task);
  // Lets running tasks finish, drops (destroys) queued ones, joins the threads. Idempotent.
  // Must not be called from a pool thread.
  void stop();
  // True when called on one of this pool's threads.
  bool on_pool_thread() const;

 private:
  void run();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
};

}  // namespace formica::rpc
