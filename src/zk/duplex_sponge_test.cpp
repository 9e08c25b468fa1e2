#include "formica/zk/duplex_sponge.h"

#include <gtest/gtest.h>

#include "formica/zk/p256.h"
#include "test_util.h"

namespace formica::zk {
namespace {

using testing::hex;
using testing::hex_of;

// draft-irtf-cfrg-fiat-shamir-03, SHAKE128 vectors: every operation list reproduces Output.
TEST(DuplexSponge, Shake128VectorsDraft03) {
  auto v = testing::load_vectors("sigma-draft-03/fiatShamirShake128Vectors.json");
  int checked = 0;
  for (auto& t : v) {
    if (t["Function"] != "DuplexSponge" && t["Function"] != "DeriveSessionID") continue;
    Bytes out;
    if (t["Function"] == "DeriveSessionID") {
      auto sid = DuplexSponge::derive_session_id(hex(t["Tag"].get<std::string>()));
      out.assign(sid.begin(), sid.end());
    } else {
      Bytes sid = hex(t["SessionId"].get<std::string>());
      ASSERT_EQ(sid.size(), 32u);
      ByteArray<32> id;
      std::copy(sid.begin(), sid.end(), id.begin());
      DuplexSponge s(id);
      for (auto& op : t["Operations"]) {
        if (op["type"] == "absorb") {
          s.absorb(hex(op["data"].get<std::string>()));
        } else {
          base::append(out, s.squeeze(op["length"].get<std::size_t>()));
        }
      }
    }
    EXPECT_EQ(hex_of(out), t["Output"].get<std::string>()) << t["Id"];
    ++checked;
  }
  EXPECT_GE(checked, 9);
}

// DecodeUint: 48 squeezed bytes, little-endian, reduced mod the P-256 order.
TEST(DuplexSponge, DecodeUintP256Challenge) {
  auto v = testing::load_vectors("sigma-draft-03/fiatShamirShake128Vectors.json");
  int checked = 0;
  for (auto& t : v) {
    if (t["Function"] != "DecodeUint") continue;
    Bytes sid = hex(t["SessionId"].get<std::string>());
    ByteArray<32> id;
    std::copy(sid.begin(), sid.end(), id.begin());
    DuplexSponge s(id);
    Bytes out;
    for (auto& op : t["Operations"]) {
      if (op["type"] == "absorb")
        s.absorb(hex(op["data"].get<std::string>()));
      else
        base::append(out, s.squeeze(op["length"].get<std::size_t>()));
    }
    EXPECT_EQ(hex_of(out), t["Output"].get<std::string>());
    EXPECT_EQ("0x" + hex_of(P256Scalar::from_uniform_bytes(out).encode()), t["Challenge"].get<std::string>());
    ++checked;
  }
  EXPECT_EQ(checked, 1);
}

// draft-irtf-cfrg-fiat-shamir-02 SHAKE128 vectors (the ARC revision): Expected is the output
// of the last squeeze.
TEST(Draft02Sponge, Shake128Vectors) {
  auto v = testing::load_vectors("sigma-draft-02/duplexSpongeVectors.json");
  int checked = 0;
  for (auto& [name, t] : v.items()) {
    Bytes iv = hex(t["IV"].get<std::string>());
    ASSERT_EQ(iv.size(), 64u);
    ByteArray<64> iv64;
    std::copy(iv.begin(), iv.end(), iv64.begin());
    Draft02Sponge s(iv64);
    Bytes out;
    for (auto& op : t["Operations"]) {
      if (op["type"] == "absorb")
        s.absorb(hex(op["data"].get<std::string>()));
      else
        out = s.squeeze(op["length"].get<std::size_t>());
    }
    EXPECT_EQ(hex_of(out), t["Expected"].get<std::string>()) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

}  // namespace
}  // namespace formica::zk
