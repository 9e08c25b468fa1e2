#pragma once
// The safety data a validator must never forget (it is what prevents equivocation after a
// restart). The Core writes it through a SafetyStore BEFORE it returns any vote or timeout
// message; a Core constructed from stored data refuses to vote again in a round it already
// voted or timed out in.

#include <memory>
#include <optional>

#include "formica/base/status.h"
#include "formica/codec/fields.h"
#include "formica/consensus/types.h"
#include "formica/storage/kv_store.h"

namespace formica::consensus {

struct SafetyData {
  Round last_voted_round = 0;         // never vote in a round <= this
  Round preferred_round = 0;          // highest round of a QC this validator has seen (high_qc.round)
  Round highest_timeout_round = 0;    // never vote in a round <= this either
  std::optional<QuorumCert> high_qc;  // highest QC seen (so a restart does not regress it)
  FORMICA_CODEC_FIELDS(last_voted_round, preferred_round, highest_timeout_round, high_qc)
  friend bool operator==(const SafetyData&, const SafetyData&) = default;
};

class SafetyStore {
 public:
  virtual ~SafetyStore() = default;
  // nullopt for a validator that never stored anything.
  virtual Result<std::optional<SafetyData>> load() = 0;
  // Durable when it returns OK (fsync'd for the KvStore implementation).
  virtual Status store(const SafetyData& d) = 0;
};

// In memory (simulator, tests). `fail_writes` makes store() fail with kIo (fault tests).
class MemSafetyStore final : public SafetyStore {
 public:
  Result<std::optional<SafetyData>> load() override { return data_; }
  Status store(const SafetyData& d) override;
  void set_fail_writes(bool fail) { fail_writes_ = fail; }
  std::uint64_t writes() const { return writes_; }

 private:
  std::optional<SafetyData> data_;
  bool fail_writes_ = false;
  std::uint64_t writes_ = 0;
};

// On a KvStore: one key ("consensus/safety/v1" in the given column family), written with
// sync = true. The value is the canonical encoding of SafetyData.
class KvSafetyStore final : public SafetyStore {
 public:
  KvSafetyStore(storage::KvStore& kv, storage::ColumnFamily cf) : kv_(kv), cf_(cf) {}
  Result<std::optional<SafetyData>> load() override;
  Status store(const SafetyData& d) override;

 private:
  storage::KvStore& kv_;
  storage::ColumnFamily cf_;
};

}  // namespace formica::consensus
