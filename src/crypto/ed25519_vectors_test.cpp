// Ed25519 against standard vectors: Wycheproof (which includes the RFC 8032 §7.1 known
// answers, flag "Ktv") and the C2SP CCTV edge cases, whose accepted subset is pinned so that
// the acceptance rule (a consensus rule) can never drift silently.

#include <gtest/gtest.h>

#include <set>

#include "formica/crypto/signature.h"
#include "test_vectors.h"

namespace formica::crypto {
namespace {

using testing::read_json;
using testing::unhex;

bool verify_raw(const Bytes& pub, const Bytes& msg, const Bytes& sig) {
  auto key = PublicKey::from_bytes(Scheme::kEd25519, pub);
  if (!key.ok()) return false;
  return verify(*key, msg, sig);
}

TEST(Ed25519Vectors, WycheproofEveryVectorGivesItsVerdict) {
  auto doc = read_json("wycheproof_ed25519_test.json");
  int count = 0, ktv = 0;
  for (const auto& group : doc["testGroups"]) {
    Bytes pub = unhex(group["publicKey"]["pk"].get<std::string>());
    for (const auto& t : group["tests"]) {
      std::string result = t["result"];
      ASSERT_NE(result, "acceptable") << "no 'acceptable' verdicts expected in this file";
      bool ok = verify_raw(pub, unhex(t["msg"].get<std::string>()), unhex(t["sig"].get<std::string>()));
      EXPECT_EQ(ok, result == "valid") << "tcId " << t["tcId"] << " " << t["comment"];
      for (const auto& f : t["flags"])
        if (f == "Ktv") ++ktv;
      ++count;
    }
  }
  EXPECT_EQ(count, doc["numberOfTests"].get<int>());
  EXPECT_GE(ktv, 5);  // the RFC 8032 §7.1 tests are among them
}

TEST(Ed25519Vectors, Rfc8032Test1SignsExactly) {
  // RFC 8032 §7.1 TEST 1: deterministic signature of the empty message.
  auto key = PrivateKey::from_secret(
      Scheme::kEd25519, unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->public_key().to_hex(), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(base::to_hex(sign(*key, {})),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
            "d25bf5f0595bbe2"
            "4655141438e7a100b");
}

// The CCTV vectors Formica accepts (libsodium's strict rule), by vector number. Produced by this
// test on libsodium 1.0.18; a change here changes which transactions are valid.
const std::set<int> kCctvAccepted = {7,   29,  50,  117, 139, 161, 182, 249, 305, 411, 425,
                                     438, 465, 473, 481, 489, 497, 511, 525, 538, 565, 573,
                                     581, 589, 597, 611, 625, 638, 665, 673, 681, 689, 697,
                                     711, 725, 738, 765, 773, 781, 789, 797, 832, 899};

TEST(Ed25519Vectors, CctvAcceptedSetIsPinned) {
  auto doc = read_json("cctv_ed25519vectors.json");
  std::set<int> accepted;
  for (const auto& v : doc) {
    bool ok = verify_raw(unhex(v["key"].get<std::string>()), to_bytes(v["msg"].get<std::string>()),
                         unhex(v["sig"].get<std::string>()));
    int number = v["number"].get<int>();
    if (ok) accepted.insert(number);
    // Whatever else, the strict rule never accepts a low-order or non-canonical A or R.
    for (const auto& f : v["flags"]) {
      std::string flag = f;
      if (flag == "low_order_A" || flag == "low_order_R" || flag == "non_canonical_A" ||
          flag == "non_canonical_R") {
        EXPECT_FALSE(ok) << "vector " << number << " flagged " << flag;
      }
    }
  }
  EXPECT_EQ(doc.size(), 914u);
  std::string list;
  for (int n : accepted) list += std::to_string(n) + ", ";
  EXPECT_EQ(accepted, kCctvAccepted) << "accepted now: {" << list << "}";
}

}  // namespace
}  // namespace formica::crypto
