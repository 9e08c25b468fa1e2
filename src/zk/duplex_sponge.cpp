#include "formica/zk/duplex_sponge.h"

#include <cstdlib>
#include <cstring>
#include <string_view>

namespace formica::zk {

DuplexSponge::DuplexSponge(const ByteArray<32>& session_id) {
  decaf_sha3_init(&ctx_, &DECAF_SHAKE128_params_s);
  std::uint8_t block[kRate] = {};
  std::memcpy(block, session_id.data(), session_id.size());
  if (decaf_sha3_update(&ctx_, block, sizeof(block)) != DECAF_SUCCESS) std::abort();
}

DuplexSponge::~DuplexSponge() {
  decaf_sha3_destroy(&ctx_);
  decaf_sha3_destroy(&reader_);
}
DuplexSponge::DuplexSponge(const DuplexSponge& o)
    : ctx_(o.ctx_), reader_(o.reader_), has_reader_(o.has_reader_) {}
DuplexSponge& DuplexSponge::operator=(const DuplexSponge& o) {
  ctx_ = o.ctx_;
  reader_ = o.reader_;
  has_reader_ = o.has_reader_;
  return *this;
}

void DuplexSponge::absorb(ByteView data) {
  if (data.empty()) return;
  // Updating an absorbing SHAKE context cannot fail; the reader is a separate copy.
  if (decaf_sha3_update(&ctx_, data.data(), data.size()) != DECAF_SUCCESS) std::abort();
  has_reader_ = false;
}

void DuplexSponge::squeeze(std::span<std::uint8_t> out) {
  if (!has_reader_) {
    reader_ = ctx_;
    has_reader_ = true;
  }
  if (out.empty()) return;
  if (decaf_sha3_output(&reader_, out.data(), out.size()) != DECAF_SUCCESS) std::abort();
}

Bytes DuplexSponge::squeeze(std::size_t n) {
  Bytes out(n);
  squeeze(std::span<std::uint8_t>(out));
  return out;
}

ByteArray<32> DuplexSponge::derive_session_id(ByteView tag) {
  constexpr std::string_view kDomain = "irtf-cfrg-fiat-shamir/session-id";
  static_assert(kDomain.size() == 32);
  ByteArray<32> domain;
  std::memcpy(domain.data(), kDomain.data(), 32);
  DuplexSponge s(domain);
  s.absorb(tag);
  ByteArray<32> out;
  s.squeeze(out);
  return out;
}

Draft02Sponge::Draft02Sponge(const ByteArray<64>& iv) {
  decaf_sha3_init(&ctx_, &DECAF_SHAKE128_params_s);
  std::uint8_t block[DuplexSponge::kRate] = {};
  std::memcpy(block, iv.data(), iv.size());
  if (decaf_sha3_update(&ctx_, block, sizeof(block)) != DECAF_SUCCESS) std::abort();
}

Draft02Sponge::~Draft02Sponge() { decaf_sha3_destroy(&ctx_); }

void Draft02Sponge::absorb(ByteView data) {
  if (!data.empty() && decaf_sha3_update(&ctx_, data.data(), data.size()) != DECAF_SUCCESS) std::abort();
}

Bytes Draft02Sponge::squeeze(std::size_t n) const {
  decaf_keccak_sponge_s copy = ctx_;
  Bytes out(n);
  if (n != 0 && decaf_sha3_output(&copy, out.data(), n) != DECAF_SUCCESS) std::abort();
  decaf_sha3_destroy(&copy);
  return out;
}

}  // namespace formica::zk
