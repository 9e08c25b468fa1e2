#pragma once
// A transaction and its stateless checks (DESIGN.md §4).
//
// What is signed: the signing hash codec::hash_of(alg, "formica/tx/v1", body), where alg is
// the network's hash (genesis). The transaction id is the same hash: it names the body, so a
// second signature over the same body cannot make a second transaction.
//
// Stateless checks (no state needed, done once per node and cached by id): size limits,
// chain id, scheme allowed by genesis, public key well-formed and matching the sender
// address, module and kind names, and the signature. Stateful checks (nonce, registration,
// roles, balances) belong to the executor and the modules.

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/codec/fields.h"
#include "formica/crypto/hash.h"
#include "formica/crypto/signature.h"
#include "formica/ledger/types.h"

namespace formica::ledger {

inline constexpr std::size_t kMaxTxBytes = 64 * 1024;
inline constexpr std::size_t kMaxPayloadBytes = 60 * 1024;
inline constexpr std::size_t kMaxNameLength = 32;  // module and kind names

struct TxBody {
  std::string chain_id;
  AddressBytes sender{};
  std::uint64_t nonce = 0;
  std::string module;
  std::string kind;
  Bytes payload;                    // the module's canonical encoding of the kind's payload struct
  std::uint64_t expiry_height = 0;  // the last height at which the transaction may be included
  std::uint8_t scheme = 0;          // crypto::Scheme id
  Bytes public_key;
  FORMICA_CODEC_FIELDS(chain_id, sender, nonce, module, kind, payload, expiry_height, scheme, public_key)
};

struct Transaction {
  TxBody body;
  Bytes signature;
  FORMICA_CODEC_FIELDS(body, signature)
};

// What a network accepts; set from genesis.
struct ChainRules {
  std::string chain_id;
  crypto::HashAlg hash_alg = crypto::HashAlg::kSha256;
  std::set<crypto::Scheme> schemes{crypto::Scheme::kEd25519, crypto::Scheme::kSm2,
                                   crypto::Scheme::kSecp256k1};
};

// Why a transaction was refused before execution. Drives behaviour: a peer gossiping
// kBadSignature is penalised; kWrongChain is not.
enum class TxReject : std::uint8_t {
  kMalformed = 1,
  kTooLarge,
  kWrongChain,
  kSchemeNotAllowed,
  kBadPublicKey,
  kSenderMismatch,
  kBadName,
  kBadSignature,
};
std::string_view tx_reject_name(TxReject r);

struct TxCheckError {
  TxReject reason;
  std::string message;
};

// The signing hash / transaction id.
Result<Hash> tx_id(const TxBody& body, crypto::HashAlg alg);

// Fills scheme, public_key and sender from `key`, then signs. The caller sets the rest.
Result<Transaction> sign_transaction(TxBody body, const crypto::PrivateKey& key, crypto::HashAlg alg);

// Stateless checks. On success returns the transaction id.
Result<Hash> check_stateless(const Transaction& tx, const ChainRules& rules, TxCheckError* why = nullptr);

// Decodes wire bytes (canonical encoding only) with the size limit applied first.
Result<Transaction> decode_transaction(ByteView wire);

}  // namespace formica::ledger

namespace formica::ledger {

// Stateless checks of many transactions, signatures verified in parallel on both cores with
// exactly the one-by-one rule (crypto::verify_parallel). results[i] is what
// check_stateless(txs[i], rules) would return.
std::vector<Result<Hash>> check_stateless_batch(const std::vector<Transaction>& txs, const ChainRules& rules);
// The same, except that a structurally valid transaction whose id satisfies `known` (one this
// node already verified, e.g. in its mempool) keeps its id as the result without its signature
// being checked again.
std::vector<Result<Hash>> check_stateless_batch(const std::vector<Transaction>& txs, const ChainRules& rules,
                                                const std::function<bool(const Hash&)>& known);

}  // namespace formica::ledger
