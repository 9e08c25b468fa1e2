#include "formica/ledger/transaction.h"

#include "formica/codec/binary.h"
#include "formica/codec/hash.h"
#include "formica/crypto/address.h"
#include "formica/crypto/batch_verify.h"

namespace formica::ledger {
namespace {

bool valid_ident(std::string_view s) {
  if (s.empty() || s.size() > kMaxNameLength) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

Error reject(TxCheckError* why, TxReject reason, std::string message) {
  if (why != nullptr) *why = TxCheckError{reason, message};
  ErrorCode code = ErrorCode::kVerificationFailed;
  if (reason == TxReject::kMalformed || reason == TxReject::kBadName || reason == TxReject::kBadPublicKey)
    code = ErrorCode::kMalformed;
  if (reason == TxReject::kTooLarge) code = ErrorCode::kTooLarge;
  if (reason == TxReject::kSchemeNotAllowed) code = ErrorCode::kUnsupported;
  return make_error(code, std::string(tx_reject_name(reason)) + ": " + message);
}

}  // namespace

std::string_view tx_reject_name(TxReject r) {
  switch (r) {
    case TxReject::kMalformed: return "malformed";
    case TxReject::kTooLarge: return "too_large";
    case TxReject::kWrongChain: return "wrong_chain";
    case TxReject::kSchemeNotAllowed: return "scheme_not_allowed";
    case TxReject::kBadPublicKey: return "bad_public_key";
    case TxReject::kSenderMismatch: return "sender_mismatch";
    case TxReject::kBadName: return "bad_name";
    case TxReject::kBadSignature: return "bad_signature";
  }
  return "unknown";
}

Result<Hash> tx_id(const TxBody& body, crypto::HashAlg alg) {
  return codec::hash_of(alg, "formica/tx/v1", body);
}

Result<Transaction> sign_transaction(TxBody body, const crypto::PrivateKey& key, crypto::HashAlg alg) {
  body.scheme = static_cast<std::uint8_t>(key.scheme());
  auto pk = key.public_key().bytes();
  body.public_key.assign(pk.begin(), pk.end());
  body.sender = crypto::Address::of(key.public_key()).to_bytes();
  FORMICA_ASSIGN_OR_RETURN(Hash id, tx_id(body, alg));
  Transaction tx;
  tx.signature = crypto::sign(key, id);
  tx.body = std::move(body);
  return tx;
}

namespace {

// Everything but the signature; on success returns the id and the parsed public key.
Result<std::pair<Hash, crypto::PublicKey>> check_structure(const Transaction& tx, const ChainRules& rules,
                                                           TxCheckError* why) {
  const TxBody& b = tx.body;
  if (b.payload.size() > kMaxPayloadBytes) return reject(why, TxReject::kTooLarge, "payload over 60 KiB");
  if (b.chain_id != rules.chain_id)
    return reject(why, TxReject::kWrongChain,
                  "chain id '" + b.chain_id + "' is not '" + rules.chain_id + "'");
  if (!valid_ident(b.module) || !valid_ident(b.kind))
    return reject(why, TxReject::kBadName, "module and kind are 1..32 characters of [a-z0-9_]");
  auto scheme = crypto::scheme_from_id(b.scheme);
  if (!scheme.ok())
    return reject(why, TxReject::kBadPublicKey, "unknown scheme id " + std::to_string(b.scheme));
  if (rules.schemes.count(*scheme) == 0)
    return reject(why, TxReject::kSchemeNotAllowed,
                  std::string(crypto::scheme_name(*scheme)) + " is not allowed on this network");
  auto pk = crypto::PublicKey::from_bytes(*scheme, b.public_key);
  if (!pk.ok()) return reject(why, TxReject::kBadPublicKey, pk.error().message);
  if (crypto::Address::of(*pk).to_bytes() != b.sender)
    return reject(why, TxReject::kSenderMismatch, "sender is not the address of the public key");
  auto encoded = codec::encode(tx);
  if (!encoded.ok()) return reject(why, TxReject::kMalformed, encoded.error().message);
  if (encoded->size() > kMaxTxBytes) return reject(why, TxReject::kTooLarge, "transaction over 64 KiB");
  auto id = tx_id(b, rules.hash_alg);
  if (!id.ok()) return reject(why, TxReject::kMalformed, id.error().message);
  return std::make_pair(*id, *pk);
}

}  // namespace

Result<Hash> check_stateless(const Transaction& tx, const ChainRules& rules, TxCheckError* why) {
  FORMICA_ASSIGN_OR_RETURN(auto checked, check_structure(tx, rules, why));
  if (!crypto::verify(checked.second, checked.first, tx.signature))
    return reject(why, TxReject::kBadSignature, "signature does not verify");
  return checked.first;
}

std::vector<Result<Hash>> check_stateless_batch(const std::vector<Transaction>& txs,
                                                const ChainRules& rules) {
  return check_stateless_batch(txs, rules, nullptr);
}

std::vector<Result<Hash>> check_stateless_batch(const std::vector<Transaction>& txs, const ChainRules& rules,
                                                const std::function<bool(const Hash&)>& known) {
  std::vector<Result<Hash>> out;
  out.reserve(txs.size());
  std::vector<std::optional<std::pair<Hash, crypto::PublicKey>>> parsed(txs.size());
  std::vector<crypto::VerifyItem> items;
  std::vector<std::size_t> where;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    auto s = check_structure(txs[i], rules, nullptr);
    if (s.ok()) {
      parsed[i].emplace(std::move(*s));
      out.emplace_back(parsed[i]->first);
    } else {
      out.emplace_back(s.take_error());
    }
  }
  for (std::size_t i = 0; i < txs.size(); ++i) {
    if (!parsed[i]) continue;
    if (known && known(parsed[i]->first)) continue;
    items.push_back(crypto::VerifyItem{&parsed[i]->second, parsed[i]->first, txs[i].signature});
    where.push_back(i);
  }
  auto verdicts = crypto::verify_parallel(items);
  for (std::size_t k = 0; k < where.size(); ++k)
    if (verdicts[k] == 0)
      out[where[k]] = reject(nullptr, TxReject::kBadSignature, "signature does not verify");
  return out;
}

Result<Transaction> decode_transaction(ByteView wire) {
  if (wire.size() > kMaxTxBytes) return make_error(ErrorCode::kTooLarge, "transaction over 64 KiB");
  return codec::decode<Transaction>(wire);
}

}  // namespace formica::ledger
