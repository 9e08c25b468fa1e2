#include "formica/consensus/types.h"

#include <mutex>
#include <set>

#include "formica/codec/binary.h"

// GCC 12 reports a false -Wmaybe-uninitialized when a decoded message holding an optional
// TimeoutCert (a vector inside an optional) is moved into the Message variant.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace formica::consensus {

Status QuorumCert::formica_codec_check() const {
  for (std::size_t i = 1; i < signatures.size(); ++i) {
    if (signatures[i - 1].signer >= signatures[i].signer) {
      return make_error(ErrorCode::kMalformed, "QC signers not strictly ascending");
    }
  }
  return ok_status();
}

Status TimeoutCert::formica_codec_check() const {
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (entries[i - 1].signer >= entries[i].signer) {
      return make_error(ErrorCode::kMalformed, "TC signers not strictly ascending");
    }
  }
  return ok_status();
}

Round TimeoutCert::max_high_qc_round() const {
  Round m = 0;
  for (const auto& e : entries) m = std::max(m, e.high_qc_round);
  return m;
}

BlockHeaderOnly header_of(const Proposal& p) {
  BlockHeaderOnly h;
  h.round = p.round;
  h.justify = p.justify;
  h.tc = p.tc;
  h.exec = p.exec;
  h.time_ms = p.time_ms;
  h.proposer = p.proposer;
  h.payload_hash = p.payload_hash;
  h.signature = p.signature;
  return h;
}

bool formica_codec_enum_valid(MessageKind k) {
  const auto v = static_cast<std::uint8_t>(k);
  return v >= 1 && v <= 8;
}

std::string_view message_kind_name(MessageKind k) {
  switch (k) {
    case MessageKind::kProposal: return "proposal";
    case MessageKind::kVote: return "vote";
    case MessageKind::kTimeout: return "timeout";
    case MessageKind::kFetchRequest: return "fetch_request";
    case MessageKind::kFetchResponse: return "fetch_response";
    case MessageKind::kSyncRequest: return "sync_request";
    case MessageKind::kSyncResponse: return "sync_response";
    case MessageKind::kSyncInfo: return "sync_info";
  }
  return "unknown";
}

MessageKind kind_of(const Message& m) { return static_cast<MessageKind>(m.index() + 1); }

namespace {

codec::Limits codec_limits(const MessageLimits& l) {
  codec::Limits c;
  c.max_input = l.max_message_bytes > 0 ? l.max_message_bytes - 1 : 0;
  c.max_length = l.max_payload_bytes;
  c.max_count = l.max_count;
  c.max_depth = 8;
  return c;
}

template <class T>
Result<Message> decode_as(ByteView body, const codec::Limits& limits, codec::Failure* failure) {
  FORMICA_ASSIGN_OR_RETURN(T value, codec::decode<T>(body, limits, failure));
  return Message(std::move(value));
}

}  // namespace

Result<Bytes> encode_message(const Message& m, const MessageLimits& limits) {
  const codec::Limits cl = codec_limits(limits);
  Result<Bytes> body = std::visit([&](const auto& v) { return codec::encode(v, cl); }, m);
  if (!body.ok()) {
    Error e = body.take_error();
    if (e.code != ErrorCode::kTooLarge) e.code = ErrorCode::kInvalidArgument;
    return e;
  }
  Bytes out;
  out.reserve(body->size() + 1);
  out.push_back(static_cast<std::uint8_t>(kind_of(m)));
  base::append(out, *body);
  if (out.size() > limits.max_message_bytes) {
    return make_error(ErrorCode::kTooLarge, "consensus message over max_message_bytes");
  }
  return out;
}

Result<Message> decode_message(ByteView wire, const MessageLimits& limits, codec::Failure* failure) {
  if (wire.size() > limits.max_message_bytes) {
    if (failure != nullptr)
      *failure = codec::Failure{codec::CodecError::kInputLimit, "", 0, "message too large"};
    return make_error(ErrorCode::kTooLarge, "consensus message over max_message_bytes");
  }
  if (wire.empty()) {
    if (failure != nullptr) *failure = codec::Failure{codec::CodecError::kTruncated, "", 0, "empty message"};
    return make_error(ErrorCode::kMalformed, "empty consensus message");
  }
  const auto kind = static_cast<MessageKind>(wire[0]);
  if (!formica_codec_enum_valid(kind)) {
    if (failure != nullptr) *failure = codec::Failure{codec::CodecError::kInvalidEnum, "", 0, "unknown tag"};
    return make_error(ErrorCode::kUnsupported, "unknown consensus message tag " + std::to_string(wire[0]));
  }
  const codec::Limits cl = codec_limits(limits);
  ByteView body = wire.subspan(1);
  switch (kind) {
    case MessageKind::kProposal: return decode_as<Proposal>(body, cl, failure);
    case MessageKind::kVote: return decode_as<Vote>(body, cl, failure);
    case MessageKind::kTimeout: return decode_as<TimeoutMsg>(body, cl, failure);
    case MessageKind::kFetchRequest: return decode_as<FetchRequest>(body, cl, failure);
    case MessageKind::kFetchResponse: return decode_as<FetchResponse>(body, cl, failure);
    case MessageKind::kSyncRequest: return decode_as<SyncRequest>(body, cl, failure);
    case MessageKind::kSyncResponse: return decode_as<SyncResponse>(body, cl, failure);
    case MessageKind::kSyncInfo: return decode_as<SyncInfo>(body, cl, failure);
  }
  return make_error(ErrorCode::kUnsupported, "unknown consensus message tag");
}

Result<ValidatorSet> ValidatorSet::create(std::vector<Validator> validators) {
  if (validators.empty()) return make_error(ErrorCode::kInvalidArgument, "empty validator set");
  if (validators.size() > 1024) return make_error(ErrorCode::kInvalidArgument, "too many validators");
  ValidatorSet vs;
  std::set<std::string> names;
  std::set<Bytes> keys;
  for (const auto& v : validators) {
    auto key = crypto::PublicKey::from_bytes(v.scheme, v.public_key);
    if (!key.ok()) {
      return make_error(ErrorCode::kInvalidArgument,
                        "validator " + v.name + ": bad public key: " + key.error().message);
    }
    if (!names.insert(v.name).second) {
      return make_error(ErrorCode::kInvalidArgument, "duplicate validator name " + v.name);
    }
    if (!keys.insert(v.public_key).second) {
      return make_error(ErrorCode::kInvalidArgument, "duplicate validator key for " + v.name);
    }
    vs.keys_.push_back(std::move(key).value());
  }
  vs.validators_ = std::move(validators);
  vs.cache_ = std::make_shared<SigCache>();
  return vs;
}

struct ValidatorSet::SigCache {
  std::mutex mu;
  std::set<Bytes> ok;  // signer (4 bytes) || message || signature
};

bool ValidatorSet::verify(std::uint32_t signer, ByteView message, ByteView signature) const {
  if (signer >= keys_.size()) return false;
  Bytes k;
  k.reserve(4 + message.size() + signature.size());
  for (int i = 3; i >= 0; --i) k.push_back(static_cast<std::uint8_t>(signer >> (8 * i)));
  base::append(k, message);
  base::append(k, signature);
  if (cache_) {
    std::lock_guard<std::mutex> lock(cache_->mu);
    if (cache_->ok.count(k) != 0) return true;
  }
  if (!crypto::verify(keys_[signer], message, signature)) return false;
  if (cache_) {
    std::lock_guard<std::mutex> lock(cache_->mu);
    if (cache_->ok.size() >= 65536) cache_->ok.clear();
    cache_->ok.insert(std::move(k));
  }
  return true;
}

std::optional<std::uint32_t> ValidatorSet::index_of(const crypto::PublicKey& key) const {
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) return static_cast<std::uint32_t>(i);
  }
  return std::nullopt;
}

}  // namespace formica::consensus
