#include "formica/consensus/safety.h"

#include "formica/codec/binary.h"

namespace formica::consensus {
namespace {
constexpr std::string_view kSafetyKey = "consensus/safety/v1";
}  // namespace

Status MemSafetyStore::store(const SafetyData& d) {
  if (fail_writes_) return make_error(ErrorCode::kIo, "safety store: injected write failure");
  data_ = d;
  ++writes_;
  return ok_status();
}

Result<std::optional<SafetyData>> KvSafetyStore::load() {
  FORMICA_ASSIGN_OR_RETURN(std::optional<Bytes> raw, kv_.get(cf_, as_bytes(kSafetyKey)));
  if (!raw) return std::optional<SafetyData>{};
  auto d = codec::decode<SafetyData>(*raw);
  if (!d.ok())
    return make_error(ErrorCode::kInternal,
                      "safety store: stored data does not decode: " + d.error().message);
  return std::optional<SafetyData>(std::move(d).value());
}

Status KvSafetyStore::store(const SafetyData& d) {
  FORMICA_ASSIGN_OR_RETURN(Bytes raw, codec::encode(d));
  return kv_.put(cf_, as_bytes(kSafetyKey), raw, storage::WriteOptions{.sync = true});
}

}  // namespace formica::consensus
