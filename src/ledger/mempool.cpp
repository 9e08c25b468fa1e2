#include "formica/ledger/mempool.h"

#include <algorithm>

namespace formica::ledger {

Status Mempool::add(Transaction tx, const Hash& id, std::size_t wire_size, std::uint64_t next_nonce) {
  std::lock_guard lock(mu_);
  if (by_id_.count(id) > 0) return ok_status();
  const AddressBytes sender = tx.body.sender;
  const std::uint64_t nonce = tx.body.nonce;
  if (nonce < next_nonce)
    return make_error(
        ErrorCode::kFailedPrecondition,
        "nonce " + std::to_string(nonce) + " already used (next is " + std::to_string(next_nonce) + ")");
  auto& mine = by_sender_[sender];
  if (mine.count(nonce) > 0) {
    return make_error(ErrorCode::kAlreadyExists, "another transaction with nonce " + std::to_string(nonce) +
                                                     " is pending for this sender");
  }
  if (by_id_.size() >= options_.max_txs || bytes_ + wire_size > options_.max_bytes) {
    if (mine.empty()) by_sender_.erase(sender);
    return make_error(ErrorCode::kUnavailable, "mempool full, retry later");
  }
  if (mine.size() >= options_.max_per_sender)
    return make_error(ErrorCode::kUnavailable, "too many pending transactions for this sender");
  mine.emplace(nonce, Entry{std::move(tx), id, wire_size, seq_++});
  by_id_.emplace(id, std::make_pair(sender, nonce));
  bytes_ += wire_size;
  return ok_status();
}

std::vector<std::pair<Transaction, Hash>> Mempool::ready(
    std::size_t max, const std::function<std::uint64_t(const AddressBytes&)>& next_nonce) const {
  std::lock_guard lock(mu_);
  // Each sender's ready run, then merge by the arrival order of each run's first entry.
  struct Run {
    std::uint64_t first_seq;
    std::vector<const Entry*> entries;
  };
  std::vector<Run> runs;
  for (const auto& [sender, txs] : by_sender_) {
    std::uint64_t want = next_nonce(sender);
    Run run{0, {}};
    for (auto it = txs.find(want); it != txs.end() && it->first == want; ++it, ++want)
      run.entries.push_back(&it->second);
    if (run.entries.empty()) continue;
    run.first_seq = run.entries.front()->seq;
    runs.push_back(std::move(run));
  }
  std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.first_seq < b.first_seq; });
  // Round-robin over senders so one busy sender cannot starve the others.
  std::vector<std::pair<Transaction, Hash>> out;
  for (std::size_t depth = 0; out.size() < max; ++depth) {
    bool any = false;
    for (const auto& r : runs) {
      if (depth < r.entries.size()) {
        any = true;
        out.emplace_back(r.entries[depth]->tx, r.entries[depth]->id);
        if (out.size() >= max) break;
      }
    }
    if (!any) break;
  }
  return out;
}

void Mempool::erase_locked(const AddressBytes& sender, std::uint64_t nonce) {
  auto s = by_sender_.find(sender);
  if (s == by_sender_.end()) return;
  auto e = s->second.find(nonce);
  if (e == s->second.end()) return;
  bytes_ -= e->second.size;
  by_id_.erase(e->second.id);
  s->second.erase(e);
  if (s->second.empty()) by_sender_.erase(s);
}

void Mempool::remove_committed(const std::vector<Hash>& ids, std::uint64_t height,
                               const std::function<std::uint64_t(const AddressBytes&)>& next_nonce) {
  std::lock_guard lock(mu_);
  std::vector<AddressBytes> touched;
  for (const auto& id : ids) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) continue;
    auto [sender, nonce] = it->second;
    touched.push_back(sender);
    erase_locked(sender, nonce);
  }
  // Stale nonces of the senders just served, and expired transactions everywhere.
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (const auto& sender : touched) {
    auto s = by_sender_.find(sender);
    if (s == by_sender_.end()) continue;
    const std::uint64_t next = next_nonce(sender);
    std::vector<std::uint64_t> stale;
    for (const auto& [nonce, e] : s->second)
      if (nonce < next) stale.push_back(nonce);
    for (auto n : stale) erase_locked(sender, n);
  }
  std::vector<std::pair<AddressBytes, std::uint64_t>> expired;
  for (const auto& [sender, txs] : by_sender_)
    for (const auto& [nonce, e] : txs)
      if (e.tx.body.expiry_height <= height) expired.emplace_back(sender, nonce);
  for (const auto& [sender, nonce] : expired) erase_locked(sender, nonce);
}

bool Mempool::contains(const Hash& id) const {
  std::lock_guard lock(mu_);
  return by_id_.count(id) > 0;
}
std::size_t Mempool::size() const {
  std::lock_guard lock(mu_);
  return by_id_.size();
}
std::size_t Mempool::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace formica::ledger
