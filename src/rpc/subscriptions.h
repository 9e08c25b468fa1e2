#pragma once
// WebSocket subscriptions without any socket: the per-connection Outbox (a bounded FIFO of
// messages waiting for the connection's writer) and the server-wide registry mapping topics
// to subscriptions. Internal to rpc.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "formica/codec/json.h"

namespace formica::rpc {

using codec::Json;

// Thread-safe. Responses to the connection's own calls are always queued (their number is
// bounded by the in-flight limit); notifications are refused once `max_notifications` of them
// wait, which marks the outbox overflowed (the connection is then dropped as a slow subscriber).
// `wake` is called (outside the lock) when the queue becomes non-empty or overflows; it must
// not block.
class Outbox {
 public:
  Outbox(std::size_t max_notifications, std::function<void()> wake);

  enum class Push { kQueued, kOverflow, kClosed };
  // kOverflow is returned once, by the push that overflowed; later pushes see kClosed.
  Push push_notification(std::string text);
  void push_response(std::string text);
  // The oldest queued message; false when none.
  bool pop(std::string& out);
  bool overflowed() const;
  // No more messages are accepted; queued ones are dropped.
  void close();

 private:
  Push push(std::string text, bool notification);

  mutable std::mutex mu_;
  std::deque<std::pair<std::string, bool>> queue_;  // (text, is notification)
  std::size_t notifications_ = 0;
  std::size_t max_notifications_;
  bool overflow_ = false;
  bool closed_ = false;
  std::function<void()> wake_;
};

// Thread-safe.
class SubscriptionRegistry {
 public:
  // A new subscription id (unique within this registry) for `topic`, delivering to `outbox`.
  std::string subscribe(std::string topic, std::shared_ptr<Outbox> outbox);
  // Removes `id` if it belongs to `owner`; false otherwise.
  bool unsubscribe(std::string_view id, const Outbox* owner);
  // Queues the message for every subscription of `topic`; returns how many were queued and
  // adds the number of outboxes this publish overflowed to `overflowed`.
  std::size_t publish(std::string_view topic, const Json& result, std::size_t& overflowed);
  void clear();
  std::size_t size() const;

  // {"jsonrpc":"2.0","method":"subscription","params":{"result":<result_text>,
  //  "subscription":"<id>","topic":<topic>}}
  static std::string notification_text(std::string_view id, std::string_view topic_json,
                                       std::string_view result_json);

 private:
  struct Sub {
    std::string topic;
    std::shared_ptr<Outbox> outbox;
  };
  mutable std::mutex mu_;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::string, Sub> by_id_;
  std::unordered_map<std::string, std::map<std::string, std::shared_ptr<Outbox>>> by_topic_;
};

}  // namespace formica::rpc
