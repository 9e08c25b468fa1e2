// fuzz-deps: formica_crypto formica_base
// Key-file and address decoding. Oracles: a key file that parses re-serialises to text that
// parses to the same content and serialises identically (one text per content); an address
// that parses prints back to exactly the input. Decryption is not fuzzed here (each attempt
// costs an Argon2id run); parse_key_file is everything in front of it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "formica/crypto/address.h"
#include "formica/crypto/keyfile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace formica::crypto;
  formica::ByteView input(data, size);
  if (auto f = parse_key_file(input); f.ok()) {
    std::string text = serialize_key_file(*f);
    auto again = parse_key_file(formica::as_bytes(text));
    if (!again.ok() || !(*again == *f) || serialize_key_file(*again) != text) std::abort();
  }
  std::string_view s(reinterpret_cast<const char*>(data), size);
  if (auto a = Address::parse(s); a.ok()) {
    if (a->to_string() != s) std::abort();
    auto b = Address::from_bytes(a->to_bytes());
    if (!b.ok() || !(*b == *a)) std::abort();
  }
  return 0;
}
