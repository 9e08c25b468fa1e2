#include "formica/rpc/methods.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <utility>

#include "formica/base/log.h"

namespace formica::rpc {

struct Reply::State {
  explicit State(Sink s) : sink(std::move(s)) {}
  ~State() {
    // Every copy is gone: if nobody answered, answer for them so the caller does not hang.
    if (!fired.exchange(true) && sink) {
      sink(make_error(ErrorCode::kInternal, "method dropped its reply"));
    }
  }
  Sink sink;
  std::atomic<bool> fired{false};
};

Reply::Reply(Sink sink) : state_(std::make_shared<State>(std::move(sink))) {}

void Reply::operator()(Result<Json> result) const {
  if (state_->fired.exchange(true)) {
    base::log::debug("rpc: a reply was invoked more than once; ignored");
    return;
  }
  Sink sink = std::move(state_->sink);
  state_->sink = nullptr;
  if (sink) sink(std::move(result));
}

bool Reply::done() const { return state_->fired.load(); }

Status Methods::add(std::string name, SyncHandler handler) {
  if (!handler) return make_error(ErrorCode::kInvalidArgument, "empty handler for method " + name);
  return add_entry(std::move(name), Entry{std::move(handler), {}});
}

Status Methods::add_async(std::string name, AsyncHandler handler) {
  if (!handler) return make_error(ErrorCode::kInvalidArgument, "empty handler for method " + name);
  return add_entry(std::move(name), Entry{{}, std::move(handler)});
}

Status Methods::add_entry(std::string name, Entry entry) {
  if (name.empty()) return make_error(ErrorCode::kInvalidArgument, "empty method name");
  if (name.rfind("rpc.", 0) == 0 || name == "subscribe" || name == "unsubscribe") {
    return make_error(ErrorCode::kInvalidArgument, "reserved method name " + name);
  }
  std::unique_lock lock(mu_);
  if (!entries_.emplace(name, std::move(entry)).second) {
    return make_error(ErrorCode::kAlreadyExists, "method " + name + " already registered");
  }
  return ok_status();
}

bool Methods::contains(std::string_view name) const {
  std::shared_lock lock(mu_);
  return entries_.find(std::string(name)) != entries_.end();
}

std::vector<std::string> Methods::names() const {
  std::vector<std::string> out;
  {
    std::shared_lock lock(mu_);
    out.reserve(entries_.size());
    for (const auto& [name, entry] : entries_) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Methods::Entry Methods::find(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(std::string(name));
  if (it == entries_.end()) return {};
  return it->second;
}

}  // namespace formica::rpc
