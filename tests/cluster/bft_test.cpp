// Multi-process BFT clusters on 127.0.0.1: four validators of four organisations, each a real
// `formica node` process with its own RocksDB, talking TLS 1.3 with certificates from their
// organisations' CAs.
//
// - one validator SIGKILLed under load: the other three keep finalising; it comes back and
//   catches up;
// - every validator SIGKILLed and restarted in turn under load: no acknowledged transfer is
//   lost and all four agree on every balance;
// - a validator cut off by a TCP proxy while the others make hundreds of blocks catches up
//   after the heal (block sync with quorum-certificate checks);
// - two of four validators cut off by TCP proxies: nothing is finalised; after the heal the
//   pending transfer is finalised within a bound;
// - a validator whose certificate comes from an unknown CA is refused by the others.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "formica/apps/bank.h"
#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/crypto/address.h"
#include "formica/ledger/accounts.h"
#include "formica/net/tcp_proxy.h"
#include "formica/net/tls_identity.h"
#include "formica/rpc/client.h"
#include "process.h"

namespace formica::testing {
namespace {

using codec::Json;
namespace fs = std::filesystem;

std::string sign_hex(const crypto::PrivateKey& k, std::uint64_t nonce, const std::string& module,
                     const std::string& kind, const Bytes& payload, std::string* id_out = nullptr) {
  ledger::TxBody b;
  b.chain_id = "formica-local";
  b.nonce = nonce;
  b.module = module;
  b.kind = kind;
  b.payload = payload;
  b.expiry_height = 10'000'000;
  auto tx = *ledger::sign_transaction(b, k, crypto::HashAlg::kSha256);
  if (id_out) *id_out = base::to_hex(*ledger::tx_id(tx.body, crypto::HashAlg::kSha256));
  return base::to_hex(*codec::encode(tx));
}

Json read_json(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return Json::parse(ss.str());
}

std::uint64_t height_of(const std::string& url) {
  rpc::Client c(url);
  auto r = c.call("status", Json::object(), 2000);
  return r.ok() ? (*r)["height"].get<std::uint64_t>() : 0;
}

// Waits until every url reports at least `h`; false after `seconds`.
bool wait_height(const std::vector<std::string>& urls, std::uint64_t h, int seconds) {
  for (int i = 0; i < seconds * 10; ++i) {
    bool all = true;
    for (const auto& u : urls) all = all && height_of(u) >= h;
    if (all) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::string block_hash(const std::string& url, std::uint64_t h) {
  rpc::Client c(url);
  auto r = c.call("get_block", Json{{"height", h}}, 5000);
  return r.ok() ? (*r)["hash"].get<std::string>() : "";
}

// A four-validator network with funded test accounts.
struct Cluster {
  TempNet t;
  std::vector<std::unique_ptr<NodeProcess>> nodes;
  std::vector<crypto::PrivateKey> keys;
  std::vector<crypto::Address> addrs;

  explicit Cluster(const std::string& name) : t(name, 4, 4) {
    for (const auto& n : t.net.nodes) nodes.push_back(std::make_unique<NodeProcess>(n.config));
  }
  std::string url(std::size_t i) const { return t.rpc_of(i); }
  std::vector<std::string> urls() const {
    std::vector<std::string> u;
    for (std::size_t i = 0; i < nodes.size(); ++i) u.push_back(url(i));
    return u;
  }
  bool start_all() {
    for (auto& n : nodes)
      if (!n->start()) return false;
    return true;
  }
  // Registers and funds `count` accounts with 10,000 FMC each, through node 0.
  void fund(std::size_t count) {
    rpc::Client c(url(0));
    auto admin = node::load_key(t.dir / "orgs/org0/admin.key").value();
    auto treasury = node::load_key(t.dir / "orgs/org0/treasury.key").value();
    Json setup = Json::array();
    for (std::size_t i = 0; i < count; ++i) {
      keys.push_back(crypto::PrivateKey::generate(crypto::Scheme::kEd25519));
      addrs.push_back(crypto::Address::of(keys.back().public_key()));
      setup.push_back(sign_hex(admin, i, "accounts", "register",
                               *codec::encode(ledger::RegisterAccount{addrs[i].to_bytes(), {}})));
    }
    auto r1 = c.call("submit_batch", Json{{"txs", setup}, {"wait", true}}, 60'000);
    ASSERT_TRUE(r1.ok()) << r1.error().to_string();
    Json fund = Json::array();
    for (std::size_t i = 0; i < count; ++i)
      fund.push_back(sign_hex(treasury, i, "bank", "transfer",
                              *codec::encode(apps::Transfer{addrs[i].to_bytes(), "FMC", 10'000})));
    auto r2 = c.call("submit_batch", Json{{"txs", fund}, {"wait", true}}, 60'000);
    ASSERT_TRUE(r2.ok()) << r2.error().to_string();
  }
  codec::U128 balance(std::size_t node, std::size_t account) {
    rpc::Client c(url(node));
    auto r = c.call("query", Json{{"module", "bank"},
                                  {"path", "balance"},
                                  {"params", {{"address", addrs[account].to_string()}, {"asset", "FMC"}}}});
    if (!r.ok()) return 0;
    return *codec::u128_from_decimal((*r)["result"]["balances"]["FMC"].get<std::string>());
  }
};

struct Sent {
  std::string id;
  std::size_t from, to;
  codec::U128 amount;
  bool acknowledged = false;
};

// Transfers from every funded account, each waiting for its receipt, spread over the nodes
// that `up` says are up. A submission whose node dies is resubmitted to another node.
class Load {
 public:
  Load(Cluster& c, std::vector<std::atomic<bool>>& up) : c_(c), up_(up) {}
  ~Load() { stop(); }

  void start() {
    for (std::size_t i = 0; i < c_.keys.size(); ++i) threads_.emplace_back([this, i] { run(i); });
  }
  void stop() {
    stop_ = true;
    for (auto& th : threads_)
      if (th.joinable()) th.join();
  }
  std::size_t acknowledged() {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (const auto& s : sent_) n += s.acknowledged;
    return n;
  }
  bool wait_acknowledged(std::size_t n, int seconds) {
    for (int i = 0; i < seconds * 10; ++i) {
      if (acknowledged() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  std::vector<Sent> sent() {
    std::lock_guard lock(mu_);
    return sent_;
  }

 private:
  void run(std::size_t i) {
    const std::size_t n = c_.keys.size();
    std::mt19937 rng(static_cast<unsigned>(i + 1));
    std::size_t node = i % up_.size();
    for (std::uint64_t nonce = 0; !stop_; ++nonce) {
      const std::size_t to = (i + 1 + rng() % (n - 1)) % n;
      const codec::U128 amount = 1 + rng() % 5;
      std::string id;
      const std::string hex =
          sign_hex(c_.keys[i], nonce, "bank", "transfer",
                   *codec::encode(apps::Transfer{c_.addrs[to].to_bytes(), "FMC", amount}), &id);
      std::size_t slot;
      {
        std::lock_guard lock(mu_);
        slot = sent_.size();
        sent_.push_back({id, i, to, amount, false});
      }
      // Until some node acknowledges it (or we are told to stop).
      bool done = false;
      while (!done && !stop_) {
        for (std::size_t k = 0; k < up_.size() && !up_[node]; ++k) node = (node + 1) % up_.size();
        rpc::Client client(c_.url(node));
        auto r = client.call("submit_tx", Json{{"tx", hex}, {"wait", true}}, 8000);
        if (r.ok() && r->contains("receipt") && (*r)["receipt"].is_object()) {
          std::lock_guard lock(mu_);
          sent_[slot].acknowledged = (*r)["receipt"]["status"] == "ok";
          done = true;
          break;
        }
        // Maybe it is already committed (a resubmission is refused as a used nonce).
        auto g = client.call("get_tx", Json{{"tx_id", id}}, 2000);
        if (g.ok() && (*g).value("status", "") == "committed") {
          std::lock_guard lock(mu_);
          sent_[slot].acknowledged = (*g)["receipt"]["status"] == "ok";
          done = true;
          break;
        }
        node = (node + 1) % up_.size();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (!done) return;
    }
  }

  Cluster& c_;
  std::vector<std::atomic<bool>>& up_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<Sent> sent_;
  std::vector<std::thread> threads_;
};

// Every acknowledged transfer is committed on every node, and every node's balances are the
// ones the committed transfers imply.
void check_agreement(Cluster& c, const std::vector<Sent>& sent) {
  std::vector<codec::U128> expect(c.keys.size(), 10'000);
  rpc::Client c0(c.url(0));
  for (const auto& s : sent) {
    auto r = c0.call("get_tx", Json{{"tx_id", s.id}}, 5000);
    const bool found = r.ok() && (*r).value("status", "") == "committed";
    if (s.acknowledged) {
      EXPECT_TRUE(found) << "acknowledged transfer " << s.id << " was lost";
    }
    if (found && (*r)["receipt"]["status"] == "ok") {
      expect[s.from] -= s.amount;
      expect[s.to] += s.amount;
    }
  }
  const std::uint64_t h = height_of(c.url(0));
  ASSERT_TRUE(wait_height(c.urls(), h, 60)) << "a node did not catch up to height " << h;
  const std::string hash = block_hash(c.url(0), h);
  for (std::size_t n = 0; n < c.nodes.size(); ++n) {
    EXPECT_EQ(block_hash(c.url(n), h), hash) << "node " << n << " has another block at height " << h;
    for (std::size_t a = 0; a < c.keys.size(); ++a)
      EXPECT_EQ(c.balance(n, a), expect[a]) << "node " << n << " account " << a;
  }
}

TEST(Bft, OneValidatorDownTheOthersKeepFinalising) {
  Cluster c("bft-one-down");
  ASSERT_TRUE(c.start_all());
  c.fund(4);
  std::vector<std::atomic<bool>> up(4);
  for (auto& u : up) u = true;
  Load load(c, up);
  load.start();
  ASSERT_TRUE(load.wait_acknowledged(20, 30));
  up[3] = false;
  c.nodes[3]->kill_hard();
  const std::size_t before = load.acknowledged();
  EXPECT_TRUE(load.wait_acknowledged(before + 40, 60)) << "no progress with one of four validators down";
  ASSERT_TRUE(c.nodes[3]->start());
  up[3] = true;
  EXPECT_TRUE(load.wait_acknowledged(before + 60, 60));
  load.stop();
  check_agreement(c, load.sent());
}

TEST(Bft, EveryValidatorKilledAndRestartedInTurnLosesNothing) {
  Cluster c("bft-rolling");
  ASSERT_TRUE(c.start_all());
  c.fund(4);
  std::vector<std::atomic<bool>> up(4);
  for (auto& u : up) u = true;
  Load load(c, up);
  load.start();
  ASSERT_TRUE(load.wait_acknowledged(10, 30));
  for (std::size_t n = 0; n < 4; ++n) {
    up[n] = false;
    c.nodes[n]->kill_hard();
    const std::size_t before = load.acknowledged();
    EXPECT_TRUE(load.wait_acknowledged(before + 10, 60)) << "stalled with node " << n << " down";
    ASSERT_TRUE(c.nodes[n]->start()) << "node " << n << " did not restart";
    up[n] = true;
    // Let it rejoin before the next one goes down (three of four must be up for progress).
    ASSERT_TRUE(wait_height({c.url(n)}, height_of(c.url((n + 1) % 4)), 60)) << "node " << n << " lagging";
  }
  load.stop();
  check_agreement(c, load.sent());
}

TEST(Bft, PartitionedValidatorCatchesUpAfterHeal) {
  Cluster c("bft-partition");
  // Node 3 has the highest index, so every link to it is dialled by the others: a proxy in
  // front of its p2p port carries all of its traffic.
  auto proxy = net::TcpProxy::start({.target_port = c.t.net.nodes[3].p2p_port}).value();
  for (std::size_t i = 0; i < 3; ++i) {
    auto cfg = read_json(c.t.net.nodes[i].config);
    for (auto& p : cfg["p2p"]["peers"])
      if (p["name"] == "node3") p["port"] = proxy->port();
    std::ofstream(c.t.net.nodes[i].config, std::ios::trunc) << cfg.dump(2);
  }
  ASSERT_TRUE(c.start_all());
  c.fund(2);
  const std::uint64_t start = height_of(c.url(0));
  ASSERT_TRUE(wait_height({c.url(3)}, start, 30));
  proxy->partition(true);

  // Blocks made one at a time while node 3 is cut off.
  const char* env = std::getenv("FORMICA_CATCHUP_BLOCKS");
  const int blocks = env ? std::atoi(env) : 40;
  rpc::Client c0(c.url(0));
  for (int b = 0; b < blocks; ++b) {
    const std::string hex =
        sign_hex(c.keys[b % 2], static_cast<std::uint64_t>(b / 2), "bank", "transfer",
                 *codec::encode(apps::Transfer{c.addrs[(b + 1) % 2].to_bytes(), "FMC", 1}));
    auto r = c0.call("submit_tx", Json{{"tx", hex}, {"wait", true}}, 10'000);
    ASSERT_TRUE(r.ok()) << "block " << b << ": " << r.error().to_string();
  }
  const std::uint64_t target = height_of(c.url(0));
  EXPECT_GE(target, start + static_cast<std::uint64_t>(blocks));
  EXPECT_LE(height_of(c.url(3)), start + 1) << "a partitioned validator finalised blocks alone";

  proxy->partition(false);
  EXPECT_TRUE(wait_height({c.url(3)}, target, 90)) << "node 3 did not catch up after the heal";
  EXPECT_EQ(block_hash(c.url(3), target), block_hash(c.url(0), target));
}

TEST(Bft, TwoOfFourPartitionedNothingFinalisesUntilHeal) {
  Cluster c("bft-two-cut");
  // Every link is dialled by its lower-index node, so proxies in front of nodes 2 and 3 carry
  // all their links (0->2, 1->2, 0->3, 1->3 and 2->3): partitioning both leaves {0, 1}, {2} and
  // {3}, and no group holds a quorum of three.
  std::vector<std::unique_ptr<net::TcpProxy>> proxies;
  for (std::size_t k : {2, 3})
    proxies.push_back(net::TcpProxy::start({.target_port = c.t.net.nodes[k].p2p_port}).value());
  for (std::size_t i = 0; i < 3; ++i) {
    auto cfg = read_json(c.t.net.nodes[i].config);
    for (auto& p : cfg["p2p"]["peers"]) {
      if (p["name"] == "node2") p["port"] = proxies[0]->port();
      if (p["name"] == "node3") p["port"] = proxies[1]->port();
    }
    std::ofstream(c.t.net.nodes[i].config, std::ios::trunc) << cfg.dump(2);
  }
  ASSERT_TRUE(c.start_all());
  c.fund(2);
  const std::uint64_t start = height_of(c.url(0));
  ASSERT_TRUE(wait_height(c.urls(), start, 30));
  for (auto& p : proxies) p->partition(true);

  // A transfer reaches node 0 (and node 1 by gossip), but no quorum can certify it.
  std::string id;
  const std::string hex = sign_hex(c.keys[0], 0, "bank", "transfer",
                                   *codec::encode(apps::Transfer{c.addrs[1].to_bytes(), "FMC", 7}), &id);
  rpc::Client c0(c.url(0));
  auto r = c0.call("submit_tx", Json{{"tx", hex}, {"wait", false}}, 5000);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  std::this_thread::sleep_for(std::chrono::seconds(4));
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(height_of(c.url(i)), start) << "node " << i << " finalised a block without a quorum";
  }

  // Heal: the transfer is finalised on every node within the bound.
  for (auto& p : proxies) p->partition(false);
  const auto healed = std::chrono::steady_clock::now();
  constexpr int kBoundSeconds = 30;
  EXPECT_TRUE(wait_height(c.urls(), start + 1, kBoundSeconds))
      << "no progress within " << kBoundSeconds << " s of the heal";
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - healed)
          .count();
  std::printf("[bft] two of four partitioned for 4 s: first block %lld ms after the heal\n",
              static_cast<long long>(ms));
  for (std::size_t i = 0; i < 4; ++i) {
    rpc::Client ci(c.url(i));
    auto g = ci.call("get_tx", Json{{"tx_id", id}}, 5000);
    EXPECT_TRUE(g.ok() && (*g).value("status", "") == "committed") << "node " << i;
  }
  EXPECT_EQ(c.balance(3, 1), 10'007u);
}

TEST(Bft, ValidatorWithCertificateFromUnknownCaIsRefused) {
  Cluster c("bft-rogue-ca");
  // Node 3 gets a certificate with the right name and organisation, from a CA nobody trusts.
  auto rogue_ca = net::create_org_ca("org3").value();
  auto cert = net::issue_node_cert(rogue_ca, "node3", "org3").value();
  const fs::path dir = c.t.net.nodes[3].config.parent_path() / "tls";
  ASSERT_TRUE(net::write_identity(cert, (dir / "node.crt").string(), (dir / "node.key").string()).ok());
  ASSERT_TRUE(c.start_all());
  c.fund(1);  // three honest validators finalise without it
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(height_of(c.url(3)), 0u) << "the rogue validator got blocks";
  rpc::Client c0(c.url(0));
  auto st = c0.call("status", Json::object());
  ASSERT_TRUE(st.ok());
  for (const auto& p : (*st)["consensus"]["peers"]) {
    if (p["name"] == "node3") {
      EXPECT_FALSE(p["connected"].get<bool>());
    }
  }
}

}  // namespace
}  // namespace formica::testing
