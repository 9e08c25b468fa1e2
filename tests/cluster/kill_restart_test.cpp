// SIGKILL under load: a real node process takes transfers over RPC, is killed mid-stream,
// restarted, and must still hold every transfer whose receipt it handed out — with balances
// exactly those implied by the transfers it committed.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "formica/apps/bank.h"
#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/crypto/address.h"
#include "formica/ledger/accounts.h"
#include "formica/rpc/client.h"
#include "process.h"

namespace formica::testing {
namespace {

using codec::Json;

struct Sent {
  std::string id;
  std::size_t from, to;
  codec::U128 amount;
  bool acknowledged = false;
};

std::string sign_hex(const crypto::PrivateKey& k, std::uint64_t nonce, const std::string& module,
                     const std::string& kind, const Bytes& payload, std::string* id_out = nullptr) {
  ledger::TxBody b;
  b.chain_id = "formica-local";
  b.nonce = nonce;
  b.module = module;
  b.kind = kind;
  b.payload = payload;
  b.expiry_height = 1'000'000;
  auto tx = *ledger::sign_transaction(b, k, crypto::HashAlg::kSha256);
  if (id_out) *id_out = base::to_hex(*ledger::tx_id(tx.body, crypto::HashAlg::kSha256));
  return base::to_hex(*codec::encode(tx));
}

codec::U128 balance_of(rpc::Client& c, const crypto::Address& a) {
  auto r = c.call("query", Json{{"module", "bank"},
                                {"path", "balance"},
                                {"params", {{"address", a.to_string()}, {"asset", "FMC"}}}});
  EXPECT_TRUE(r.ok());
  return *codec::u128_from_decimal((*r)["result"]["balances"]["FMC"].get<std::string>());
}

TEST(Cluster, AcknowledgedTransfersSurviveSigkill) {
  TempNet t("kill-restart");
  NodeProcess node(t.net.nodes[0].config);
  ASSERT_TRUE(node.start());
  rpc::Client c(t.rpc_url);
  auto admin = node::load_key(t.dir / "orgs/org0/admin.key").value();
  auto treasury = node::load_key(t.dir / "orgs/org0/treasury.key").value();

  // Eight accounts, registered and funded with 10,000 each.
  constexpr std::size_t kAccounts = 8;
  std::vector<crypto::PrivateKey> keys;
  std::vector<crypto::Address> addrs;
  Json setup = Json::array();
  for (std::size_t i = 0; i < kAccounts; ++i) {
    keys.push_back(crypto::PrivateKey::generate(crypto::Scheme::kEd25519));
    addrs.push_back(crypto::Address::of(keys.back().public_key()));
    setup.push_back(sign_hex(admin, i, "accounts", "register",
                             *codec::encode(ledger::RegisterAccount{addrs[i].to_bytes(), {}})));
  }
  ASSERT_TRUE(c.call("submit_batch", Json{{"txs", setup}, {"wait", true}}, 60'000).ok());
  Json fund = Json::array();
  for (std::size_t i = 0; i < kAccounts; ++i)
    fund.push_back(sign_hex(treasury, i, "bank", "transfer",
                            *codec::encode(apps::Transfer{addrs[i].to_bytes(), "FMC", 10'000})));
  ASSERT_TRUE(c.call("submit_batch", Json{{"txs", fund}, {"wait", true}}, 60'000).ok());

  // Load: one thread per account, each waiting for its receipt before the next transfer.
  std::mutex mu;
  std::vector<Sent> sent;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < kAccounts; ++i) {
    threads.emplace_back([&, i] {
      rpc::Client mine(t.rpc_url);
      std::mt19937 rng(static_cast<unsigned>(i));
      for (std::uint64_t nonce = 0; !stop; ++nonce) {
        std::size_t to = (i + 1 + rng() % (kAccounts - 1)) % kAccounts;
        codec::U128 amount = 1 + rng() % 5;
        std::string id;
        std::string hex = sign_hex(keys[i], nonce, "bank", "transfer",
                                   *codec::encode(apps::Transfer{addrs[to].to_bytes(), "FMC", amount}), &id);
        std::size_t slot;
        {
          std::lock_guard lock(mu);
          slot = sent.size();
          sent.push_back({id, i, to, amount, false});
        }
        auto r = mine.call("submit_tx", Json{{"tx", hex}, {"wait", true}}, 5000);
        if (!r.ok()) return;  // the node is gone
        std::lock_guard lock(mu);
        sent[slot].acknowledged = r->contains("receipt") && (*r)["receipt"]["status"] == "ok";
      }
    });
  }
  // Kill once the load is well under way (at least 40 acknowledged transfers, or 20 s).
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::lock_guard lock(mu);
    std::size_t acked = 0;
    for (const auto& s : sent) acked += s.acknowledged;
    if (acked >= 40) break;
  }
  node.kill_hard();
  stop = true;
  for (auto& th : threads) th.join();

  std::size_t acknowledged = 0;
  for (const auto& s : sent) acknowledged += s.acknowledged;
  ASSERT_GT(acknowledged, 20u) << "the load did not get going before the kill";

  ASSERT_TRUE(node.start());
  // Blocks certified before the kill but not yet committed commit right after the restart:
  // let them land before reading what is on chain.
  for (int i = 0; i < 100; ++i) {
    auto st = c.call("status", Json::object());
    if (st.ok() && (*st)["consensus"]["pending_blocks"] == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Every acknowledged transfer is there; the balances are exactly what the committed ones imply.
  std::vector<codec::U128> expect(kAccounts, 10'000);
  std::size_t committed = 0;
  for (const auto& s : sent) {
    auto r = c.call("get_tx", Json{{"tx_id", s.id}});
    bool found = r.ok() && (*r).value("status", "") == "committed";
    if (s.acknowledged) {
      EXPECT_TRUE(found) << "acknowledged transfer " << s.id << " was lost";
    }
    if (found && (*r)["receipt"]["status"] == "ok") {
      ++committed;
      expect[s.from] -= s.amount;
      expect[s.to] += s.amount;
    }
  }
  EXPECT_GE(committed, acknowledged);
  for (std::size_t i = 0; i < kAccounts; ++i)
    EXPECT_EQ(balance_of(c, addrs[i]), expect[i]) << "account " << i;
  EXPECT_TRUE(node.stop());
}

}  // namespace
}  // namespace formica::testing
