#pragma once
// Events and receipts: what executing a transaction produced, kept with the block.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "formica/codec/fields.h"
#include "formica/ledger/types.h"

namespace formica::ledger {

// An event a module emits. Attributes are indexed: an application can look up events by
// "<module>.<attribute>=<value>" (e.g. "bank.to=fm1…").
struct Event {
  std::string module;
  std::string kind;
  std::map<std::string, std::string> attributes;
  FORMICA_CODEC_FIELDS(module, kind, attributes)
};

enum class TxStatus : std::uint8_t {
  kOk = 0,
  kRejected = 1,  // a stateful check failed: nothing but the nonce changed
};
inline bool formica_codec_enum_valid(TxStatus s) { return s == TxStatus::kOk || s == TxStatus::kRejected; }

struct Receipt {
  Hash tx_id{};
  std::uint64_t height = 0;
  std::uint32_t index = 0;  // position in the block
  TxStatus status = TxStatus::kOk;
  std::string error;  // "<code>: <message>" when rejected
  std::vector<Event> events;
  FORMICA_CODEC_FIELDS(tx_id, height, index, status, error, events)
};

}  // namespace formica::ledger
