#pragma once
// Helpers for the net tests: a consortium of organisations and nodes with certificates, and a
// recorder for transport events.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "formica/net/tls_identity.h"
#include "formica/net/transport.h"

namespace formica::net::testing {

inline TlsIdentity must(Result<TlsIdentity> r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
  return r.ok() ? std::move(r).value() : TlsIdentity{};
}

// Waits until pred() holds (polling), at most `timeout`.
inline bool eventually(const std::function<bool()>& pred,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

struct Message {
  std::uint32_t peer;
  std::uint8_t channel;
  Bytes payload;
};

// Records what a transport reports. Thread-safe.
class Recorder {
 public:
  TransportHandlers handlers() {
    TransportHandlers h;
    h.on_message = [this](std::uint32_t peer, std::uint8_t channel, Bytes payload) {
      std::lock_guard lock(mu_);
      messages_.push_back(Message{peer, channel, std::move(payload)});
    };
    h.on_peer_up = [this](std::uint32_t peer) {
      std::lock_guard lock(mu_);
      ++ups_[peer];
      up_[peer] = true;
    };
    h.on_peer_down = [this](std::uint32_t peer) {
      std::lock_guard lock(mu_);
      ++downs_[peer];
      up_[peer] = false;
    };
    return h;
  }
  bool is_up(std::uint32_t peer) const {
    std::lock_guard lock(mu_);
    auto it = up_.find(peer);
    return it != up_.end() && it->second;
  }
  int ups(std::uint32_t peer) const {
    std::lock_guard lock(mu_);
    auto it = ups_.find(peer);
    return it == ups_.end() ? 0 : it->second;
  }
  int downs(std::uint32_t peer) const {
    std::lock_guard lock(mu_);
    auto it = downs_.find(peer);
    return it == downs_.end() ? 0 : it->second;
  }
  int total_ups() const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& [p, c] : ups_) n += c;
    return n;
  }
  std::vector<Message> messages() const {
    std::lock_guard lock(mu_);
    return messages_;
  }
  std::size_t message_count() const {
    std::lock_guard lock(mu_);
    return messages_.size();
  }

 private:
  mutable std::mutex mu_;
  std::vector<Message> messages_;
  std::map<std::uint32_t, int> ups_, downs_;
  std::map<std::uint32_t, bool> up_;
};

// Organisations "org0".."orgN-1", each with a CA and one node "node<i>" (index i).
struct Consortium {
  explicit Consortium(int n) {
    for (int i = 0; i < n; ++i) {
      const std::string org = "org" + std::to_string(i);
      cas.push_back(must(create_org_ca(org)));
      nodes.push_back(must(issue_node_cert(cas.back(), "node" + std::to_string(i), org)));
      roots[org] = cas.back().cert_pem;
    }
  }
  std::string org(int i) const { return "org" + std::to_string(i); }
  std::string name(int i) const { return "node" + std::to_string(i); }

  // Options for node i with every other node as a peer; ports[j] is node j's port (only those
  // of higher indexes matter: a node dials only them).
  TransportOptions options(int i, const std::vector<std::uint16_t>& ports) const {
    TransportOptions o;
    o.my_index = static_cast<std::uint32_t>(i);
    o.my_name = name(i);
    o.ca_roots_pem = roots;
    o.cert_pem = nodes[static_cast<std::size_t>(i)].cert_pem;
    o.key_pem = nodes[static_cast<std::size_t>(i)].key_pem;
    o.network_tag = Bytes{0xf0, 0x41, 0x1c, 0xa0};
    o.backoff_min_ms = 20;
    o.backoff_max_ms = 200;
    o.handshake_timeout_ms = 2000;
    o.ping_interval_ms = 200;
    o.idle_timeout_ms = 3000;
    for (int j = 0; j < static_cast<int>(ports.size()); ++j) {
      if (j == i) continue;
      o.peers.push_back(PeerSpec{static_cast<std::uint32_t>(j), name(j), org(j), "127.0.0.1",
                                 ports[static_cast<std::size_t>(j)]});
    }
    return o;
  }

  std::vector<TlsIdentity> cas;
  std::vector<TlsIdentity> nodes;
  std::map<std::string, std::string> roots;
};

}  // namespace formica::net::testing
