#include "formica/ledger/executor.h"

#include <gtest/gtest.h>

#include "formica/codec/binary.h"

namespace formica::ledger {
namespace {

crypto::PrivateKey key_of(std::uint8_t seed) {
  Bytes secret(32, seed);
  return std::move(crypto::PrivateKey::from_secret(crypto::Scheme::kEd25519, secret)).value();
}
AddressBytes addr_of(const crypto::PrivateKey& k) { return crypto::Address::of(k.public_key()).to_bytes(); }

struct Fixture : ::testing::Test {
  ChainRules rules{"exec-test"};
  Executor exec{rules};
  MapState base;
  Overlay state{base};
  crypto::PrivateKey admin = key_of(1);
  crypto::PrivateKey user = key_of(2);
  crypto::PrivateKey stranger = key_of(3);
  std::map<AddressBytes, std::uint64_t> nonces;

  void SetUp() override {
    auto g = parse_genesis(R"({"chain_id": "exec-test", "orgs": [{"name": "org0"}, {"name": "org1"}],
      "accounts": [{"address": ")" +
                           crypto::Address::of(admin.public_key()).to_string() +
                           R"(", "org": "org0", "roles": ["admin"]}]})");
    ASSERT_TRUE(g.ok()) << g.error().to_string();
    ASSERT_TRUE(exec.apply_genesis(state, *g).ok());
  }

  template <class P>
  Receipt run(const crypto::PrivateKey& k, std::string module, std::string kind, const P& payload,
              std::uint64_t height = 1, std::optional<std::uint64_t> nonce = std::nullopt) {
    TxBody b;
    b.chain_id = rules.chain_id;
    b.nonce = nonce ? *nonce : nonces[addr_of(k)];
    b.module = std::move(module);
    b.kind = std::move(kind);
    b.payload = *codec::encode(payload);
    b.expiry_height = 10;
    auto tx = *sign_transaction(b, k, rules.hash_alg);
    auto id = check_stateless(tx, rules);
    EXPECT_TRUE(id.ok());
    auto r = exec.execute_tx(state, height, 0, tx, *id);
    if (r.status == TxStatus::kOk || r.error.find("nonce") == std::string::npos) {
      auto acct = Accounts::get_account(state, addr_of(k));
      if (acct.ok() && acct->has_value()) nonces[addr_of(k)] = (*acct)->nonce;
    }
    return r;
  }
};

TEST_F(Fixture, AdminRegistersAccountsAndGrantsRoles) {
  auto r = run(admin, "accounts", "register", RegisterAccount{addr_of(user), {"operator"}});
  ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].kind, "registered");
  EXPECT_TRUE(*Accounts::has_role(state, addr_of(user), "operator"));
  r = run(admin, "accounts", "grant_role", RoleChange{addr_of(user), "issuer"});
  ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  EXPECT_TRUE(*Accounts::has_role(state, addr_of(user), "issuer"));
  r = run(admin, "accounts", "revoke_role", RoleChange{addr_of(user), "issuer"});
  ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  EXPECT_FALSE(*Accounts::has_role(state, addr_of(user), "issuer"));
  // Registering twice is refused.
  r = run(admin, "accounts", "register", RegisterAccount{addr_of(user), {}});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("already"), std::string::npos);
}

TEST_F(Fixture, UnknownSendersAreRefusedWithAReason) {
  auto r = run(stranger, "accounts", "register", RegisterAccount{addr_of(user), {}});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("unknown sender"), std::string::npos);
  EXPECT_FALSE(Accounts::get_account(state, addr_of(user))->has_value());
}

TEST_F(Fixture, NonAdminsCannotRegister) {
  ASSERT_EQ(run(admin, "accounts", "register", RegisterAccount{addr_of(user), {}}).status, TxStatus::kOk);
  auto r = run(user, "accounts", "register", RegisterAccount{addr_of(stranger), {}});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("admin"), std::string::npos);
  // The failed transaction still used its nonce.
  EXPECT_EQ((*Accounts::get_account(state, addr_of(user)))->nonce, 1u);
}

TEST_F(Fixture, ReplayedNoncesAndExpiredTransactionsAreRefused) {
  ASSERT_EQ(run(admin, "accounts", "register", RegisterAccount{addr_of(user), {}}, 1, 0).status,
            TxStatus::kOk);
  auto replay = run(admin, "accounts", "register", RegisterAccount{addr_of(stranger), {}}, 1, 0);
  EXPECT_EQ(replay.status, TxStatus::kRejected);
  EXPECT_NE(replay.error.find("nonce"), std::string::npos);
  auto expired = run(admin, "accounts", "register", RegisterAccount{addr_of(stranger), {}}, 11);
  EXPECT_EQ(expired.status, TxStatus::kRejected);
  EXPECT_NE(expired.error.find("expired"), std::string::npos);
}

TEST_F(Fixture, UnknownModuleAndKindAreRejected) {
  auto r = run(admin, "nosuch", "x", RegisterAccount{});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  r = run(admin, "accounts", "nosuch", RegisterAccount{});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  r = run(admin, "accounts", "register", std::string("not a payload"));
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("payload"), std::string::npos);
}

TEST(Genesis, RefusesTyposAndUnknownOrgs) {
  EXPECT_FALSE(parse_genesis(R"({"chain_id": "x", "chainid": "y"})").ok());
  EXPECT_FALSE(parse_genesis(R"({"chain_id": "x", "accounts": [{"address": "fm1", "org": "o"}]})").ok());
  EXPECT_FALSE(parse_genesis(R"({"chain_id": "x", "hash_alg": "md5"})").ok());
  EXPECT_FALSE(parse_genesis(R"({"chain_id": "x", "schemes": ["rsa"]})").ok());
  EXPECT_FALSE(parse_genesis("not json").ok());
  auto g = parse_genesis(R"({"chain_id": "x", "hash_alg": "sm3", "schemes": ["sm2"]})");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->rules.hash_alg, crypto::HashAlg::kSm3);
  EXPECT_EQ(g->rules.schemes.size(), 1u);
}

}  // namespace
}  // namespace formica::ledger
