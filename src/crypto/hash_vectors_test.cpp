// Hash known answers from standard sources: OpenSSL's SM3 vectors (GB/T 32905 examples and
// SM2 Z-value inputs), and Keccak-256 (Ethereum's pre-standard padding, not SHA3-256).

#include <gtest/gtest.h>

#include "formica/crypto/hash.h"
#include "test_vectors.h"

namespace formica::crypto {
namespace {

using testing::parse_evp_stanzas;
using testing::read_vector_file;
using testing::unhex;

TEST(HashVectors, Sm3OpenSslVectors) {
  int n = 0;
  for (const auto& s : parse_evp_stanzas(read_vector_file("evpmd_sm3.txt"))) {
    if (!s.count("Digest") || s.at("Digest") != "SM3") continue;
    EXPECT_EQ(base::to_hex(sm3(unhex(s.at("Input")))), base::to_hex(unhex(s.at("Output")))) << s.at("Input");
    ++n;
  }
  EXPECT_GE(n, 7);
}

// Keccak-256 known answers. "" and "abc" are the Keccak team's (v3 submission, 0x01 padding)
// values as used by Ethereum; the transfer selector is the Solidity ABI's well-known
// keccak256("transfer(address,uint256)") = a9059cbb...
TEST(HashVectors, Keccak256KnownAnswers) {
  EXPECT_EQ(base::to_hex(keccak256(as_bytes(""))),
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(base::to_hex(keccak256(as_bytes("abc"))),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  EXPECT_EQ(base::to_hex(keccak256(as_bytes("The quick brown fox jumps over the lazy dog"))),
            "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
  EXPECT_EQ(base::to_hex(keccak256(as_bytes("transfer(address,uint256)"))).substr(0, 8), "a9059cbb");
  // Not SHA3-256 (whose "" digest is a7ffc6f8...).
  EXPECT_NE(base::to_hex(keccak256(as_bytes(""))).substr(0, 8), "a7ffc6f8");
}

}  // namespace
}  // namespace formica::crypto
