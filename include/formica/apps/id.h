#pragma once
// `id`: the on-chain part of the Universal ID (docs/id.md).
//
// - Issuers: an account with the issuer role registers an issuer id with its U-Prove public
//   key (formica::zk::cred::IssuerPublic bytes: organisation's schema + key). Verifiers take
//   the key from here.
// - Revocation: the issuer lists a revoked holder by SHA-256 of its registration handle (the
//   handle the issuer knows the holder by; it never appears in a presentation, so the list
//   links nothing) - the issuer's tooling refuses a new batch to a listed holder - and raises
//   the issuer's minimum token epoch, which ends every token of older epochs at once (the
//   others fetch a fresh batch).
// - Verifier policies: a named request (issuer, predicates, disclosed attributes).
// - `verify`: checks a presentation against a policy on chain (one use per nonce), records the
//   verified statement and emits `id.verified` for applications that need it on chain.
//
// State ("id/…"): "i/<issuer>" IssuerRecord; "r/<issuer>/<holder hash>" Revocation;
// "p/<policy>" Policy; "n/<policy>/<nonce>" used nonce; "v/<tx id>" Verification.

#include <string>
#include <vector>

#include "formica/codec/fields.h"
#include "formica/ledger/executor.h"
#include "formica/ledger/module.h"

namespace formica::apps {

struct IdIssuerRecord {
  std::string issuer_id;
  std::string organisation;
  ledger::AddressBytes owner{};
  Bytes public_key;  // zk::cred::IssuerPublic::encode()
  std::uint64_t min_epoch = 0;
  std::uint64_t revoked = 0;  // count
  FORMICA_CODEC_FIELDS(issuer_id, organisation, owner, public_key, min_epoch, revoked)
};

struct IdRevocation {
  std::uint64_t height = 0;
  std::string reason;
  FORMICA_CODEC_FIELDS(height, reason)
};

struct IdPolicy {
  std::string policy_id;
  ledger::AddressBytes owner{};
  std::string issuer_id;
  std::vector<std::string> predicates;
  std::vector<std::string> disclose;
  FORMICA_CODEC_FIELDS(policy_id, owner, issuer_id, predicates, disclose)
};

struct IdVerification {
  std::string policy_id;
  std::string issuer_id;
  std::uint32_t today = 0;
  std::vector<std::string> predicates;
  std::map<std::string, std::string> disclosed;
  FORMICA_CODEC_FIELDS(policy_id, issuer_id, today, predicates, disclosed)
};

// Payloads.
struct IdRegisterIssuer {
  std::string issuer_id;
  std::string organisation;
  Bytes public_key;
  FORMICA_CODEC_FIELDS(issuer_id, organisation, public_key)
};
struct IdRevoke {
  std::string issuer_id;
  ByteArray<32> holder_hash{};
  std::string reason;
  FORMICA_CODEC_FIELDS(issuer_id, holder_hash, reason)
};
struct IdSetMinEpoch {
  std::string issuer_id;
  std::uint64_t min_epoch = 0;
  FORMICA_CODEC_FIELDS(issuer_id, min_epoch)
};
struct IdSetPolicy {
  std::string policy_id;
  std::string issuer_id;
  std::vector<std::string> predicates;
  std::vector<std::string> disclose;
  FORMICA_CODEC_FIELDS(policy_id, issuer_id, predicates, disclose)
};
struct IdVerify {
  std::string policy_id;
  Bytes nonce;
  std::uint32_t today = 0;  // YYYYMMDD: the date the statement is checked at
  Bytes presentation;
  FORMICA_CODEC_FIELDS(policy_id, nonce, today, presentation)
};

// The verifier id a policy's presentations are bound to.
std::string id_policy_verifier(std::string_view policy_id);
// SHA-256 of a holder's registration handle (the revocation list key).
ByteArray<32> id_holder_hash(std::string_view holder);

class Id final : public ledger::Module {
 public:
  static constexpr std::string_view kName = "id";
  std::string_view name() const override { return kName; }
  Status execute(ledger::TxContext& ctx, std::string_view kind, ByteView payload) override;
  // "issuer" {issuer_id}, "issuers", "revoked" {issuer_id, holder | holder_hash},
  // "policy" {policy_id}, "verification" {tx_id}.
  Result<codec::Json> query(const ledger::StateReader& state, std::string_view path,
                            const codec::Json& params) const override;

  static Result<std::optional<IdIssuerRecord>> issuer(const ledger::StateReader& state, std::string_view id);
  static Result<bool> revoked(const ledger::StateReader& state, std::string_view issuer_id,
                              const ByteArray<32>& holder_hash);
};

}  // namespace formica::apps
