#include "formica/apps/id.h"

#include <gtest/gtest.h>

#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/ledger/accounts.h"
#include "formica/zk/credential.h"

namespace formica::apps {
namespace {

using ledger::Receipt;
using ledger::TxStatus;
namespace cred = zk::cred;

crypto::PrivateKey key_of(std::uint8_t seed) {
  Bytes secret(32, seed);
  return std::move(crypto::PrivateKey::from_secret(crypto::Scheme::kEd25519, secret)).value();
}
std::string text_of(const crypto::PrivateKey& k) { return crypto::Address::of(k.public_key()).to_string(); }
ledger::AddressBytes addr_of(const crypto::PrivateKey& k) {
  return crypto::Address::of(k.public_key()).to_bytes();
}

struct IdModule : ::testing::Test {
  ledger::ChainRules rules{"id-test"};
  ledger::Executor exec{rules};
  ledger::MapState base;
  ledger::Overlay state{base};
  crypto::PrivateKey admin = key_of(1), authority = key_of(2), cafe = key_of(3), stranger = key_of(4);
  std::map<ledger::AddressBytes, std::uint64_t> nonces;
  cred::IssuerSecret issuer;
  Id module;

  void SetUp() override {
    exec.add_module(std::make_shared<Id>());
    std::string accounts = "{\"address\": \"" + text_of(admin) +
                           "\", \"org\": \"org0\", \"roles\": [\"admin\"]}," + "{\"address\": \"" +
                           text_of(authority) + "\", \"org\": \"org0\", \"roles\": [\"issuer\"]}," +
                           "{\"address\": \"" + text_of(cafe) + "\", \"org\": \"org0\"}," +
                           "{\"address\": \"" + text_of(stranger) + "\", \"org\": \"org0\"}";
    auto g = ledger::parse_genesis(R"({"chain_id": "id-test", "orgs": [{"name": "org0"}], "accounts": [)" +
                                   accounts + "]}");
    ASSERT_TRUE(g.ok()) << g.error().to_string();
    ASSERT_TRUE(exec.apply_genesis(state, *g).ok());
    issuer = *cred::make_issuer("gov-id", {{"name", cred::AttrType::kString},
                                           {"birth_date", cred::AttrType::kDate},
                                           {"property_value", cred::AttrType::kInt}});
  }

  template <class P>
  Receipt run(const crypto::PrivateKey& k, std::string kind, const P& payload) {
    ledger::TxBody b;
    b.chain_id = rules.chain_id;
    b.nonce = nonces[addr_of(k)]++;
    b.module = "id";
    b.kind = std::move(kind);
    b.payload = *codec::encode(payload);
    b.expiry_height = 100;
    auto tx = *ledger::sign_transaction(b, k, rules.hash_alg);
    return exec.execute_tx(state, 1, 0, tx, *ledger::check_stateless(tx, rules));
  }

  void register_all() {
    auto r =
        run(authority, "register_issuer", IdRegisterIssuer{"gov-id", "ID Authority", issuer.pub.encode()});
    ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
    r = run(cafe, "set_policy", IdSetPolicy{"cafe-18", "gov-id", {"age>=18"}, {}});
    ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  }

  Bytes presentation(cred::Wallet& w, const std::string& nonce, std::uint32_t today = 20261125,
                     const std::string& policy = "cafe-18") {
    auto p = cred::present(w, {*cred::parse_predicate("age>=18")}, {},
                           cred::Challenge{id_policy_verifier(policy), to_bytes(nonce), today});
    EXPECT_TRUE(p.ok()) << p.error().to_string();
    return p.ok() ? p->encode() : Bytes{};
  }
};

TEST_F(IdModule, RegisterIssuerNeedsRoleAndAValidKey) {
  auto r = run(stranger, "register_issuer", IdRegisterIssuer{"gov-id", "x", issuer.pub.encode()});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  r = run(authority, "register_issuer", IdRegisterIssuer{"gov-id", "x", Bytes{1, 2, 3}});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  r = run(authority, "register_issuer", IdRegisterIssuer{"other-id", "x", issuer.pub.encode()});
  EXPECT_EQ(r.status, TxStatus::kRejected);  // the key names gov-id
  register_all();
  r = run(authority, "register_issuer", IdRegisterIssuer{"gov-id", "x", issuer.pub.encode()});
  EXPECT_EQ(r.status, TxStatus::kRejected);  // exists
  auto q = module.query(state, "issuer", codec::Json{{"issuer_id", "gov-id"}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ((*q)["attrs"].size(), 3u);
  EXPECT_EQ((*q)["min_epoch"], 0);
  auto all = module.query(state, "issuers", codec::Json::object());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(IdModule, VerifyOnChainOncePerNonce) {
  register_all();
  auto w = *cred::issue_locally(issuer, {"Alice", "1990-02-03", "10"}, cred::TokenInfo{0, 20271231}, 3);
  IdVerify v{"cafe-18", to_bytes("nonce-000001"), 20261125, presentation(w, "nonce-000001")};
  auto r = run(cafe, "verify", v);
  ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  // Replay of the same nonce (even with a fresh presentation).
  v.presentation = presentation(w, "nonce-000001");
  r = run(cafe, "verify", v);
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("replayed"), std::string::npos) << r.error;
  // A presentation for another policy (verifier).
  ASSERT_EQ(run(cafe, "set_policy", IdSetPolicy{"bar-21", "gov-id", {"age>=18"}, {}}).status, TxStatus::kOk);
  v = IdVerify{"cafe-18", to_bytes("nonce-000002"), 20261125,
               presentation(w, "nonce-000002", 20261125, "bar-21")};
  r = run(cafe, "verify", v);
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("another verifier"), std::string::npos) << r.error;
}

TEST_F(IdModule, UnderageAndRevokedEpochRejected) {
  register_all();
  auto young = *cred::issue_locally(issuer, {"Kid", "2008-11-26", "0"}, cred::TokenInfo{0, 20271231}, 2);
  // A 17-year-old's wallet refuses, and a relabelled age>=17 proof is rejected on chain.
  EXPECT_FALSE(cred::present(young, {*cred::parse_predicate("age>=18")}, {},
                             cred::Challenge{id_policy_verifier("cafe-18"), to_bytes("nonce-0003"), 20261125})
                   .ok());
  auto p = cred::present(young, {*cred::parse_predicate("age>=17")}, {},
                         cred::Challenge{id_policy_verifier("cafe-18"), to_bytes("nonce-0003"), 20261125});
  ASSERT_TRUE(p.ok());
  p->predicates = {*cred::parse_predicate("age>=18")};
  auto r = run(cafe, "verify", IdVerify{"cafe-18", to_bytes("nonce-0003"), 20261125, p->encode()});
  EXPECT_EQ(r.status, TxStatus::kRejected);

  // Revocation: only the owner; the holder is listed; raising the epoch ends old tokens.
  auto adult = *cred::issue_locally(issuer, {"Eve", "1980-01-01", "0"}, cred::TokenInfo{0, 20271231}, 2);
  const auto h = id_holder_hash("citizen-eve");
  EXPECT_EQ(run(stranger, "revoke", IdRevoke{"gov-id", h, "stolen"}).status, TxStatus::kRejected);
  ASSERT_EQ(run(authority, "revoke", IdRevoke{"gov-id", h, "stolen"}).status, TxStatus::kOk);
  EXPECT_TRUE(*Id::revoked(state, "gov-id", h));
  auto q = module.query(state, "revoked", codec::Json{{"issuer_id", "gov-id"}, {"holder", "citizen-eve"}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ((*q)["revoked"], true);
  ASSERT_EQ(run(authority, "set_min_epoch", IdSetMinEpoch{"gov-id", 1}).status, TxStatus::kOk);
  EXPECT_EQ(run(authority, "set_min_epoch", IdSetMinEpoch{"gov-id", 1}).status, TxStatus::kRejected);
  r = run(cafe, "verify",
          IdVerify{"cafe-18", to_bytes("nonce-0004"), 20261125, presentation(adult, "nonce-0004")});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("revoked"), std::string::npos) << r.error;
  // A fresh batch of the new epoch works.
  auto fresh = *cred::issue_locally(issuer, {"Ann", "1980-01-01", "0"}, cred::TokenInfo{1, 20271231}, 1);
  r = run(cafe, "verify",
          IdVerify{"cafe-18", to_bytes("nonce-0005"), 20261125, presentation(fresh, "nonce-0005")});
  EXPECT_EQ(r.status, TxStatus::kOk) << r.error;
}

TEST_F(IdModule, PolicyChecksSchemaAndOwner) {
  register_all();
  EXPECT_EQ(run(cafe, "set_policy", IdSetPolicy{"p1", "gov-id", {"height>=3"}, {}}).status,
            TxStatus::kRejected);
  EXPECT_EQ(run(cafe, "set_policy", IdSetPolicy{"p1", "nobody", {"age>=18"}, {}}).status,
            TxStatus::kRejected);
  EXPECT_EQ(run(cafe, "set_policy", IdSetPolicy{"p1", "gov-id", {"age>=x"}, {}}).status, TxStatus::kRejected);
  EXPECT_EQ(run(stranger, "set_policy", IdSetPolicy{"cafe-18", "gov-id", {"age>=0"}, {}}).status,
            TxStatus::kRejected);
  auto q = module.query(state, "policy", codec::Json{{"policy_id", "cafe-18"}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ((*q)["predicates"][0], "age>=18");
  EXPECT_EQ((*q)["verifier_id"], "formica-chain-policy:cafe-18");
}

}  // namespace
}  // namespace formica::apps

namespace formica::apps {
namespace {

TEST_F(IdModule, CheckQueryForPages) {
  register_all();
  auto w = *cred::issue_locally(issuer, {"Alice", "1990-02-03", "10"}, cred::TokenInfo{0, 20271231}, 2);
  auto p = cred::present(w, {*cred::parse_predicate("age>=18")}, {"name"},
                         cred::Challenge{"cafe", to_bytes("nonce-xyz-1"), 20261125});
  ASSERT_TRUE(p.ok());
  codec::Json q{{"issuer_id", "gov-id"},
                {"predicates", {"age>=18"}},
                {"disclose", {"name"}},
                {"verifier", "cafe"},
                {"nonce", base::to_hex(to_bytes("nonce-xyz-1"))},
                {"today", "2026-11-25"},
                {"presentation", base::to_base64url(p->encode())}};
  auto r = module.query(state, "check", q);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)["valid"], true);
  EXPECT_EQ((*r)["disclosed"]["name"], "Alice");
  q["verifier"] = "embassy";
  r = module.query(state, "check", q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["valid"], false);
  EXPECT_NE((*r)["reason"].get<std::string>().find("another verifier"), std::string::npos);
}

}  // namespace
}  // namespace formica::apps
