#pragma once
// Formica Universal ID credentials: U-Prove tokens (uprove.h) on ristretto255, issued in
// batches, one fresh token per presentation, with predicates on hidden attributes proven by
// Bulletproofs over the token's committed attributes.
//
//   issuer      IssuerSecret (y0) / IssuerPublic (U-Prove issuer parameters + schema)
//   holder      Wallet: attribute values + a batch of tokens with their private keys
//   verifier    Challenge {verifier id, nonce, today} + the predicates it asks for
//
// A Presentation carries one unused token, the U-Prove proof (disclosed attributes, the
// undisclosed ones committed for each predicate), and one range proof per predicate. The
// U-Prove message m binds issuer, verifier id, nonce, date, predicates and disclosed names;
// the range proofs' transcripts bind m and the token id. Predicates:
//
//   age>=N            birth_date <= (today's year - N, today's month and day), 32-bit range
//   ATTR>=N, ATTR<=N  on a date or integer attribute (dates as YYYYMMDD, 32-bit; integers
//   ATTR in [A,B]     are 0 <= v < 2^63 and use 64-bit ranges)
//
// Unlinkability: apart from the issuer parameters and TI (issuer-wide: epoch and expiry),
// nothing in two presentations of two tokens repeats (test: credential_test.cpp).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/zk/ristretto255.h"
#include "formica/zk/uprove.h"

namespace formica::zk::cred {

using G = Ristretto255;
using Scalar = RistrettoScalar;
using Point = RistrettoPoint;

inline constexpr std::size_t kMaxAttributes = 16;
inline constexpr std::size_t kMaxPredicates = 8;
inline constexpr std::size_t kMaxBatch = 256;
inline constexpr std::size_t kMaxPresentationBytes = 8192;

// kAuto ("int or string", the CLI's default for untyped attributes): each value is an integer
// when its text is a canonical decimal below 2^63, otherwise a UTF-8 string of at most 30 bytes
// (no NUL) encoded as the 31-byte integer 0x01 || text || zero padding, which is >= 2^240, so
// no integer predicate can ever hold for a string value.
enum class AttrType : std::uint8_t { kDate = 1, kInt = 2, kString = 3, kAuto = 4 };
std::string_view attr_type_name(AttrType t);

struct AttrDef {
  std::string name;
  AttrType type = AttrType::kString;
};

// "YYYY-MM-DD" -> YYYYMMDD (a real calendar date, years 1000..9999).
Result<std::uint32_t> parse_date(std::string_view s);
std::string format_date(std::uint32_t yyyymmdd);

// TI, the token information field: issuer-wide, so it does not link holders.
struct TokenInfo {
  std::uint64_t epoch = 0;    // revocation epoch (the chain's issuer record has a minimum)
  std::uint32_t expires = 0;  // YYYYMMDD, last valid day
  Bytes encode() const;
  static Result<TokenInfo> decode(ByteView b);
};

struct IssuerPublic {
  std::string issuer_id;
  std::vector<AttrDef> attrs;
  uprove::IssuerParams<G> params;  // n = attrs.size(); UIDp and S bind the id and the schema

  std::optional<std::size_t> index_of(std::string_view name) const;  // 1-based
  Bytes encode() const;
  static Result<IssuerPublic> decode(ByteView b);
  // 32-byte fingerprint: SHA-256 of encode().
  ByteArray<32> fingerprint() const;
};

struct IssuerSecret {
  IssuerPublic pub;
  Scalar y0;
  Bytes encode() const;  // secret: store with care
  static Result<IssuerSecret> decode(ByteView b);
};

// A new issuer with fresh y0. The attribute generators are hashed to the group (shared by
// every Formica issuer, nobody knows a relation between them).
Result<IssuerSecret> make_issuer(std::string issuer_id, std::vector<AttrDef> attrs);

// Attribute values in the schema's order, as text: dates "YYYY-MM-DD", integers decimal,
// strings UTF-8. Encodes to U-Prove attribute bytes (dates/integers as integers, e = 0;
// strings hashed, e = 1).
Result<std::vector<std::optional<Bytes>>> encode_attributes(const IssuerPublic& ip,
                                                            const std::vector<std::string>& values);

struct Wallet {
  IssuerPublic issuer;
  std::vector<std::string> values;  // secret
  TokenInfo ti;
  std::vector<uprove::IssuedToken<G>> tokens;  // unused tokens, secret keys included

  ~Wallet();
  Wallet() = default;
  Wallet(const Wallet&) = default;
  Wallet(Wallet&&) = default;
  Wallet& operator=(const Wallet&) = default;
  Wallet& operator=(Wallet&&) = default;

  Bytes encode() const;
  static Result<Wallet> decode(ByteView b);
};

// ---- issuance: three messages (U-Prove blind issuance) over a request naming the values ----

struct IssuanceRequest {  // holder -> issuer: what to certify, how many tokens
  std::string issuer_id;
  std::string holder;  // the holder's registration handle at the issuer (revocation list key)
  std::vector<std::string> values;
  std::uint32_t count = 0;
  Bytes encode() const;
  static Result<IssuanceRequest> decode(ByteView b);
};
struct IssuanceOffer {  // issuer -> holder: the first message
  TokenInfo ti;
  uprove::FirstMessage<G> m1;
  Bytes encode() const;
  static Result<IssuanceOffer> decode(ByteView b);
};
Bytes encode_second(const uprove::SecondMessage<G>& m);
Result<uprove::SecondMessage<G>> decode_second(ByteView b);
Bytes encode_third(const uprove::ThirdMessage<G>& m);
Result<uprove::ThirdMessage<G>> decode_third(ByteView b);

// Both sides locally (tests, demos, the `formica id issue` command).
Result<Wallet> issue_locally(const IssuerSecret& issuer, const std::vector<std::string>& values, TokenInfo ti,
                             std::size_t count);

// ---- presentation ----

struct Predicate {
  enum class Op : std::uint8_t { kAgeAtLeast = 1, kAtLeast = 2, kAtMost = 3, kInRange = 4 };
  Op op = Op::kAtLeast;
  std::string attr;  // "birth_date" for kAgeAtLeast
  std::int64_t a = 0, b = 0;
  std::string to_string() const;
  bool operator==(const Predicate&) const = default;
};
// "age>=18", "ATTR>=N", "ATTR<=N", "ATTR in [A,B]" (N, A, B integers or YYYY-MM-DD).
Result<Predicate> parse_predicate(std::string_view text);

struct Challenge {
  std::string verifier_id;
  Bytes nonce;              // 16..64 bytes, fresh per presentation
  std::uint32_t today = 0;  // YYYYMMDD, the verifier's date
  bool operator==(const Challenge&) const = default;
};

struct Presentation {
  std::string issuer_id;
  Challenge challenge;
  std::vector<Predicate> predicates;
  std::vector<std::uint32_t> disclosed;  // attribute indices, 1-based ascending
  uprove::Token<G> token;
  uprove::Proof<G> proof;
  std::vector<Bytes> range_proofs;  // one per predicate

  Bytes encode() const;
  static Result<Presentation> decode(ByteView b);  // strict, bounded
};

// Uses (and removes) the wallet's first unused token. kFailedPrecondition when a statement
// is false for the wallet or no token is left; nothing is produced then.
Result<Presentation> present(Wallet& wallet, const std::vector<Predicate>& predicates,
                             const std::vector<std::string>& disclose, const Challenge& challenge);

namespace detail {
// Test hook: `present` without the truth check, running the range prover's core on the wrapped
// difference (see credential_test.cpp: such a presentation never verifies). Not for callers.
Result<Presentation> present_unchecked(Wallet& wallet, const std::vector<Predicate>& predicates,
                                       const std::vector<std::string>& disclose, const Challenge& challenge);
}  // namespace detail

struct Verified {
  std::map<std::string, std::string> disclosed;  // name -> value text
  TokenInfo ti;
};

// The verifier's own request (predicates, disclosed names, challenge) against the bytes.
// kMalformed for bytes that do not decode; kVerificationFailed with the reason otherwise:
// other issuer, replay (other verifier / nonce / date), other statements, expired,
// revoked epoch, bad token signature, bad proof, predicate false.
Result<Verified> verify_presentation(const IssuerPublic& issuer, const std::vector<Predicate>& predicates,
                                     const std::vector<std::string>& disclose, const Challenge& challenge,
                                     ByteView presentation, std::uint64_t min_epoch = 0);

}  // namespace formica::zk::cred
