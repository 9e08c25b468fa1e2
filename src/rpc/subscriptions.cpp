#include "subscriptions.h"

#include <utility>
#include <vector>

namespace formica::rpc {

Outbox::Outbox(std::size_t max_notifications, std::function<void()> wake)
    : max_notifications_(max_notifications), wake_(std::move(wake)) {}

Outbox::Push Outbox::push(std::string text, bool notification) {
  bool wake = false;
  Push result = Push::kQueued;
  {
    std::lock_guard lock(mu_);
    if (closed_ || overflow_) return Push::kClosed;
    if (notification && notifications_ >= max_notifications_) {
      overflow_ = true;
      queue_.clear();
      notifications_ = 0;
      wake = true;
      result = Push::kOverflow;
    } else {
      wake = queue_.empty();
      queue_.emplace_back(std::move(text), notification);
      if (notification) ++notifications_;
    }
  }
  if (wake && wake_) wake_();
  return result;
}

Outbox::Push Outbox::push_notification(std::string text) { return push(std::move(text), true); }

void Outbox::push_response(std::string text) { (void)push(std::move(text), false); }

bool Outbox::pop(std::string& out) {
  std::lock_guard lock(mu_);
  if (queue_.empty() || closed_ || overflow_) return false;
  out = std::move(queue_.front().first);
  if (queue_.front().second) --notifications_;
  queue_.pop_front();
  return true;
}

bool Outbox::overflowed() const {
  std::lock_guard lock(mu_);
  return overflow_;
}

void Outbox::close() {
  std::deque<std::pair<std::string, bool>> dropped;
  std::lock_guard lock(mu_);
  closed_ = true;
  dropped.swap(queue_);
  notifications_ = 0;
}

std::string SubscriptionRegistry::subscribe(std::string topic, std::shared_ptr<Outbox> outbox) {
  std::lock_guard lock(mu_);
  std::string id = std::to_string(next_id_++);
  by_topic_[topic][id] = outbox;
  by_id_[id] = Sub{std::move(topic), std::move(outbox)};
  return id;
}

bool SubscriptionRegistry::unsubscribe(std::string_view id, const Outbox* owner) {
  std::lock_guard lock(mu_);
  auto it = by_id_.find(std::string(id));
  if (it == by_id_.end() || it->second.outbox.get() != owner) return false;
  auto t = by_topic_.find(it->second.topic);
  if (t != by_topic_.end()) {
    t->second.erase(it->first);
    if (t->second.empty()) by_topic_.erase(t);
  }
  by_id_.erase(it);
  return true;
}

std::size_t SubscriptionRegistry::publish(std::string_view topic, const Json& result,
                                          std::size_t& overflowed) {
  std::vector<std::pair<std::string, std::shared_ptr<Outbox>>> targets;
  {
    std::lock_guard lock(mu_);
    auto t = by_topic_.find(std::string(topic));
    if (t == by_topic_.end()) return 0;
    targets.reserve(t->second.size());
    for (const auto& [id, outbox] : t->second) targets.emplace_back(id, outbox);
  }
  const std::string topic_json =
      Json(std::string(topic)).dump(-1, ' ', false, Json::error_handler_t::replace);
  const std::string result_json = result.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::size_t queued = 0;
  for (const auto& [id, outbox] : targets) {
    switch (outbox->push_notification(notification_text(id, topic_json, result_json))) {
      case Outbox::Push::kQueued: ++queued; break;
      case Outbox::Push::kOverflow: ++overflowed; break;
      case Outbox::Push::kClosed: break;
    }
  }
  return queued;
}

void SubscriptionRegistry::clear() {
  std::unordered_map<std::string, Sub> by_id;
  std::unordered_map<std::string, std::map<std::string, std::shared_ptr<Outbox>>> by_topic;
  std::lock_guard lock(mu_);
  by_id.swap(by_id_);
  by_topic.swap(by_topic_);
}

std::size_t SubscriptionRegistry::size() const {
  std::lock_guard lock(mu_);
  return by_id_.size();
}

std::string SubscriptionRegistry::notification_text(std::string_view id, std::string_view topic_json,
                                                    std::string_view result_json) {
  std::string out;
  out.reserve(96 + id.size() + topic_json.size() + result_json.size());
  out += R"({"jsonrpc":"2.0","method":"subscription","params":{"result":)";
  out += result_json;
  out += R"(,"subscription":")";
  out += id;  // ids are decimal digits: no escaping needed
  out += R"(","topic":)";
  out += topic_json;
  out += "}}";
  return out;
}

}  // namespace formica::rpc
