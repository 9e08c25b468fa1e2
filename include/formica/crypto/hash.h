#pragma once
// Hash functions, each from a well-kept library: SHA-256 and SM3 (OpenSSL 3), Keccak-256
// (Crypto++; Ethereum's pre-standard Keccak, not SHA3-256), BLAKE2b-256 (libsodium).
// All functions are thread-safe and never fail on any input.

#include <memory>
#include <string_view>

#include "formica/base/bytes.h"
#include "formica/base/status.h"

namespace formica::crypto {

inline constexpr std::size_t kHashBytes = 32;
using Hash32 = ByteArray<kHashBytes>;

enum class HashAlg : std::uint8_t { kSha256 = 1, kSm3 = 2, kKeccak256 = 3, kBlake2b256 = 4 };

Hash32 sha256(ByteView data);
Hash32 sm3(ByteView data);
Hash32 keccak256(ByteView data);
Hash32 blake2b256(ByteView data);
Hash32 hash(HashAlg alg, ByteView data);

// "sha256", "sm3", "keccak256", "blake2b-256"
std::string_view hash_alg_name(HashAlg alg);
Result<HashAlg> parse_hash_alg(std::string_view name);

// Incremental hashing for large or streamed inputs.
class Hasher {
 public:
  explicit Hasher(HashAlg alg);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  void update(ByteView data);
  Hash32 finish();  // the hasher is spent afterwards

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace formica::crypto
