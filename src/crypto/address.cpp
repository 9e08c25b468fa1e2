#include "formica/crypto/address.h"

#include <algorithm>

#include "formica/base/encoding.h"
#include "formica/crypto/hash.h"

namespace formica::crypto {
namespace {

constexpr std::string_view kHashDomain = "formica/address/v1";
constexpr std::string_view kChecksumDomain = "formica/address-checksum/v1";

std::array<std::uint8_t, 4> checksum(const ByteArray<kAddressBytes>& binary) {
  Hasher h(HashAlg::kSha256);
  h.update(as_bytes(kChecksumDomain));
  h.update(binary);
  Hash32 d = h.finish();
  return {d[0], d[1], d[2], d[3]};
}

}  // namespace

Address Address::of(const PublicKey& key) {
  Hasher h(HashAlg::kBlake2b256);
  std::uint8_t id = static_cast<std::uint8_t>(key.scheme());
  h.update(as_bytes(kHashDomain));
  h.update(ByteView(&id, 1));
  h.update(key.bytes());
  Hash32 d = h.finish();
  ByteArray<kAddressHashBytes> out{};
  std::copy_n(d.begin(), out.size(), out.begin());
  return Address(key.scheme(), out);
}

Result<Address> Address::from_bytes(ByteView bytes) {
  if (bytes.size() != kAddressBytes)
    return make_error(ErrorCode::kMalformed, "address must be " + std::to_string(kAddressBytes) + " bytes");
  FORMICA_ASSIGN_OR_RETURN(Scheme scheme, scheme_from_id(bytes[0]));
  ByteArray<kAddressHashBytes> h{};
  std::copy(bytes.begin() + 1, bytes.end(), h.begin());
  return Address(scheme, h);
}

ByteArray<kAddressBytes> Address::to_bytes() const {
  ByteArray<kAddressBytes> out{};
  out[0] = static_cast<std::uint8_t>(scheme_);
  std::copy(hash_.begin(), hash_.end(), out.begin() + 1);
  return out;
}

std::string Address::to_string() const {
  auto binary = to_bytes();
  std::string out = "fm";
  out += static_cast<char>('0' + static_cast<int>(scheme_));
  out += base::to_hex(hash_);
  out += base::to_hex(checksum(binary));
  return out;
}

Result<Address> Address::parse(std::string_view text) {
  if (text.size() != kAddressTextLength || text.substr(0, 2) != "fm")
    return make_error(ErrorCode::kMalformed, "address must be 'fm' followed by 49 characters");
  if (text[2] < '0' || text[2] > '9')
    return make_error(ErrorCode::kMalformed, "address scheme digit expected");
  FORMICA_ASSIGN_OR_RETURN(Scheme scheme, scheme_from_id(static_cast<std::uint8_t>(text[2] - '0')));
  std::string_view body = text.substr(3);
  // Lowercase only, so that an address has exactly one text form.
  if (!std::all_of(body.begin(), body.end(),
                   [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
    return make_error(ErrorCode::kMalformed, "address must be lowercase hex after its prefix");
  FORMICA_ASSIGN_OR_RETURN(Bytes raw, base::from_hex(body));
  ByteArray<kAddressHashBytes> h{};
  std::copy_n(raw.begin(), h.size(), h.begin());
  Address addr(scheme, h);
  auto sum = checksum(addr.to_bytes());
  if (!std::equal(sum.begin(), sum.end(), raw.begin() + kAddressHashBytes))
    return make_error(ErrorCode::kMalformed, "address checksum does not match (mistyped?)");
  return addr;
}

}  // namespace formica::crypto
