#include "formica/apps/bank.h"

#include <gtest/gtest.h>

#include <random>

#include "formica/codec/binary.h"
#include "formica/ledger/accounts.h"

namespace formica::apps {
namespace {

using ledger::Receipt;
using ledger::TxStatus;

crypto::PrivateKey key_of(std::uint8_t seed) {
  Bytes secret(32, seed);
  return std::move(crypto::PrivateKey::from_secret(crypto::Scheme::kEd25519, secret)).value();
}
AddressBytes addr_of(const crypto::PrivateKey& k) { return crypto::Address::of(k.public_key()).to_bytes(); }
std::string text_of(const crypto::PrivateKey& k) { return crypto::Address::of(k.public_key()).to_string(); }

// pre: genesis with an issuer, a regulator and users; tx: signed bank transactions; expect:
// receipts and balances.
struct Bank : ::testing::Test {
  ledger::ChainRules rules{"bank-test"};
  ledger::Executor exec{rules};
  ledger::MapState base;
  ledger::Overlay state{base};
  crypto::PrivateKey admin = key_of(1), issuer = key_of(2), regulator = key_of(3);
  std::vector<crypto::PrivateKey> users;
  std::map<AddressBytes, std::uint64_t> nonces;

  void SetUp() override {
    auto bank = std::make_shared<apps::Bank>();
    exec.add_module(bank, bank);
    std::string accounts =
        "{\"address\": \"" + text_of(admin) + "\", \"org\": \"org0\", \"roles\": [\"admin\"]}," +
        "{\"address\": \"" + text_of(issuer) + "\", \"org\": \"org0\", \"roles\": [\"issuer\"]}," +
        "{\"address\": \"" + text_of(regulator) + "\", \"org\": \"org0\", \"roles\": [\"regulator\"]}";
    for (int i = 0; i < 5; ++i) {
      users.push_back(key_of(static_cast<std::uint8_t>(10 + i)));
      accounts += ",{\"address\": \"" + text_of(users.back()) + "\", \"org\": \"org0\"}";
    }
    auto g = ledger::parse_genesis(R"({"chain_id": "bank-test", "orgs": [{"name": "org0"}], "accounts": [)" +
                                   accounts + R"(], "assets": [{"code": "HKD", "decimals": 2, "issuer": ")" +
                                   text_of(issuer) + R"("}], "balances": [{"address": ")" +
                                   text_of(users[0]) + R"(", "asset": "HKD", "amount": "1000"}]})");
    ASSERT_TRUE(g.ok()) << g.error().to_string();
    ASSERT_TRUE(exec.apply_genesis(state, *g).ok());
  }

  template <class P>
  Receipt run(const crypto::PrivateKey& k, std::string kind, const P& payload) {
    ledger::TxBody b;
    b.chain_id = rules.chain_id;
    b.nonce = nonces[addr_of(k)]++;
    b.module = "bank";
    b.kind = std::move(kind);
    b.payload = *codec::encode(payload);
    b.expiry_height = 100;
    auto tx = *ledger::sign_transaction(b, k, rules.hash_alg);
    return exec.execute_tx(state, 1, 0, tx, *ledger::check_stateless(tx, rules));
  }
  Amount bal(const crypto::PrivateKey& k, const char* asset = "HKD") {
    return *apps::Bank::balance(state, addr_of(k), asset);
  }
  Amount supply(const char* asset = "HKD") { return (*apps::Bank::asset(state, asset))->supply; }
};

TEST_F(Bank, GenesisFundsAndSupplyAgree) {
  EXPECT_EQ(bal(users[0]), 1000u);
  EXPECT_EQ(supply(), 1000u);
}

TEST_F(Bank, IssuerCreatesMintsAndBurns) {
  auto r = run(issuer, "create_asset", CreateAsset{"PHP", 2});
  ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  r = run(issuer, "mint", Mint{"PHP", addr_of(users[1]), 500});
  ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  EXPECT_EQ(bal(users[1], "PHP"), 500u);
  r = run(issuer, "mint", Mint{"PHP", addr_of(issuer), 70});
  ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  r = run(issuer, "burn", Burn{"PHP", 20});
  ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  EXPECT_EQ(supply("PHP"), 550u);
  EXPECT_EQ(run(issuer, "burn", Burn{"PHP", 51}).status, TxStatus::kRejected);
  // Only an issuer creates, only the asset's issuer mints.
  EXPECT_EQ(run(users[0], "create_asset", CreateAsset{"USD", 2}).status, TxStatus::kRejected);
  EXPECT_EQ(run(users[0], "mint", Mint{"PHP", addr_of(users[0]), 1}).status, TxStatus::kRejected);
  EXPECT_EQ(run(issuer, "create_asset", CreateAsset{"PHP", 2}).status, TxStatus::kRejected);
  EXPECT_EQ(run(issuer, "create_asset", CreateAsset{"bad code", 2}).status, TxStatus::kRejected);
}

TEST_F(Bank, TransfersNeverOverdraw) {
  auto r = run(users[0], "transfer", Transfer{addr_of(users[1]), "HKD", 400});
  ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  EXPECT_EQ(bal(users[0]), 600u);
  EXPECT_EQ(bal(users[1]), 400u);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].attributes.at("amount"), "400");
  r = run(users[0], "transfer", Transfer{addr_of(users[1]), "HKD", 601});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("insufficient"), std::string::npos);
  EXPECT_EQ(bal(users[0]), 600u);
  EXPECT_EQ(run(users[0], "transfer", Transfer{addr_of(users[1]), "HKD", 0}).status, TxStatus::kRejected);
  EXPECT_EQ(run(users[0], "transfer", Transfer{addr_of(users[1]), "XYZ", 1}).status, TxStatus::kRejected);
  // To an unregistered account: refused.
  EXPECT_EQ(run(users[0], "transfer", Transfer{addr_of(key_of(99)), "HKD", 1}).status, TxStatus::kRejected);
}

TEST_F(Bank, RegulatorFreezesBothDirections) {
  EXPECT_EQ(run(users[1], "freeze", Freeze{addr_of(users[0]), "x"}).status, TxStatus::kRejected);
  ASSERT_EQ(run(regulator, "freeze", Freeze{addr_of(users[0]), "court order"}).status, TxStatus::kOk);
  EXPECT_EQ(run(users[0], "transfer", Transfer{addr_of(users[1]), "HKD", 1}).status, TxStatus::kRejected);
  ASSERT_EQ(run(regulator, "unfreeze", Unfreeze{addr_of(users[0])}).status, TxStatus::kOk);
  ASSERT_EQ(run(users[0], "transfer", Transfer{addr_of(users[1]), "HKD", 1}).status, TxStatus::kOk);
  ASSERT_EQ(run(regulator, "freeze", Freeze{addr_of(users[1]), ""}).status, TxStatus::kOk);
  EXPECT_EQ(run(users[0], "transfer", Transfer{addr_of(users[1]), "HKD", 1}).status, TxStatus::kRejected);
}

TEST_F(Bank, ArithmeticIsChecked) {
  ASSERT_EQ(run(issuer, "create_asset", CreateAsset{"BIG", 0}).status, TxStatus::kOk);
  ASSERT_EQ(run(issuer, "mint", Mint{"BIG", addr_of(users[1]), codec::kU128Max}).status, TxStatus::kOk);
  auto r = run(issuer, "mint", Mint{"BIG", addr_of(users[2]), 1});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("overflow"), std::string::npos);
  EXPECT_EQ(supply("BIG"), codec::kU128Max);
}

// Property: random transfer sequences (valid or not) conserve supply and never make a
// balance negative; the sum of balances equals supply after every step.
TEST_F(Bank, RandomTransfersConserveSupply) {
  std::mt19937_64 rng(42);
  ASSERT_EQ(run(issuer, "mint", Mint{"HKD", addr_of(users[2]), 5000}).status, TxStatus::kOk);
  int ok = 0;
  for (int step = 0; step < 400; ++step) {
    auto& from = users[rng() % users.size()];
    auto& to = users[rng() % users.size()];
    Amount amount = rng() % 1500;
    auto r = run(from, "transfer", Transfer{addr_of(to), "HKD", amount});
    ok += r.status == TxStatus::kOk;
    Amount sum = 0;
    for (auto& u : users) sum += bal(u);
    ASSERT_EQ(sum, supply()) << "step " << step;
  }
  EXPECT_GT(ok, 100);
}

TEST_F(Bank, QueriesAnswerInJson) {
  auto q = exec.module("bank")->query(state, "balance", codec::Json{{"address", text_of(users[0])}});
  ASSERT_TRUE(q.ok()) << q.error().to_string();
  EXPECT_EQ((*q)["balances"]["HKD"], "1000");
  EXPECT_FALSE(exec.module("bank")->query(state, "balance", codec::Json::object()).ok());
  auto a = exec.module("bank")->query(state, "asset", codec::Json{{"code", "HKD"}});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)["supply"], "1000");
}

}  // namespace
}  // namespace formica::apps
