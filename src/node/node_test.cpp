#include "formica/node/node.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "formica/apps/bank.h"
#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/node/local_net.h"
#include "formica/rpc/client.h"
#include "formica/storage/state_proof.h"

namespace formica::node {
namespace {

namespace fs = std::filesystem;
using codec::Json;

struct NodeTest : ::testing::Test {
  fs::path dir;
  LocalNet net;
  void SetUp() override {
    dir = fs::temp_directory_path() / ("formica-node-test-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    LocalNetOptions o;
    o.dir = dir;
    o.kdf = crypto::KdfParams::minimum();
    auto n = init_local_net(o);
    ASSERT_TRUE(n.ok()) << n.error().to_string();
    net = *n;
  }
  void TearDown() override { fs::remove_all(dir); }

  std::unique_ptr<Node> start_node() {
    auto cfg = load_node_config(net.nodes[0].config);
    EXPECT_TRUE(cfg.ok());
    cfg->rpc_port = 0;  // ephemeral, so tests run in parallel
    cfg->log_file.clear();
    auto node = Node::open(*cfg);
    EXPECT_TRUE(node.ok()) << node.error().to_string();
    EXPECT_TRUE((*node)->start().ok());
    return std::move(node).value();
  }

  std::string signed_transfer(const crypto::PrivateKey& from, const crypto::Address& to, codec::U128 amount,
                              std::uint64_t nonce, std::string chain_id = "formica-local") {
    ledger::TxBody b;
    b.chain_id = std::move(chain_id);
    b.nonce = nonce;
    b.module = "bank";
    b.kind = "transfer";
    b.payload = *codec::encode(apps::Transfer{to.to_bytes(), "FMC", amount});
    b.expiry_height = 1000;
    auto tx = *ledger::sign_transaction(b, from, crypto::HashAlg::kSha256);
    return base::to_hex(*codec::encode(tx));
  }
};

TEST_F(NodeTest, TransfersOverRpcWithReceiptsProofsAndTypedErrors) {
  auto node = start_node();
  rpc::Client client("http://127.0.0.1:" + std::to_string(node->rpc_port()));
  auto treasury = load_key(dir / "orgs/org0/treasury.key").value();
  auto admin = load_key(dir / "orgs/org0/admin.key").value();
  auto to = crypto::Address::of(admin.public_key());

  auto status = client.call("status", Json::object());
  ASSERT_TRUE(status.ok()) << status.error().to_string();
  EXPECT_EQ((*status)["height"], 0);

  auto r = client.call("submit_tx", Json{{"tx", signed_transfer(treasury, to, 250, 0)}, {"wait", true}});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ((*r)["receipt"]["status"], "ok");
  EXPECT_EQ(node->chain().height(), 1u);

  auto bal = client.call(
      "query", Json{{"module", "bank"}, {"path", "balance"}, {"params", {{"address", to.to_string()}}}});
  ASSERT_TRUE(bal.ok()) << bal.error().to_string();
  EXPECT_EQ((*bal)["result"]["balances"]["FMC"], "250");

  // A replayed nonce, a wrong chain, garbage bytes and an unknown sender: typed errors.
  auto replay = client.call("submit_tx", Json{{"tx", signed_transfer(treasury, to, 1, 0)}});
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.code(), ErrorCode::kFailedPrecondition);
  auto wrong = client.call("submit_tx", Json{{"tx", signed_transfer(treasury, to, 1, 1, "other")}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.code(), ErrorCode::kVerificationFailed);
  auto junk = client.call("submit_tx", Json{{"tx", "00ff13"}});
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.code(), ErrorCode::kMalformed);
  auto stranger = crypto::PrivateKey::generate(crypto::Scheme::kEd25519);
  auto unknown = client.call("submit_tx", Json{{"tx", signed_transfer(stranger, to, 1, 0)}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.code(), ErrorCode::kPermissionDenied);
  EXPECT_FALSE(client.call("no_such_method", Json::object()).ok());

  // The receipt is findable, and the balance has a proof against block 1's state root.
  auto tx = client.call("get_tx", Json{{"tx_id", (*r)["tx_id"]}});
  ASSERT_TRUE(tx.ok()) << tx.error().to_string();
  EXPECT_EQ((*tx)["height"], 1);
  Bytes key = ledger::make_key("bank/b/", to.to_bytes(), "FMC");
  auto st = client.call("get_state", Json{{"key", base::to_hex(key)}, {"height", 1}});
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  auto proof = storage::decode_state_proof(*base::from_hex((*st)["proof"].get<std::string>()));
  ASSERT_TRUE(proof.ok());
  auto root = *base::from_hex((*st)["header"]["state_root"].get<std::string>());
  crypto::Hash32 root32{};
  std::copy(root.begin(), root.end(), root32.begin());
  auto value = *base::from_hex((*st)["value"].get<std::string>());
  EXPECT_TRUE(storage::verify_state_proof(crypto::HashAlg::kSha256, root32, key, ByteView(value), *proof));

  // Events by key.
  auto ev = client.call("events", Json{{"key", "bank.to=" + to.to_string()}});
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ((*ev)["events"].size(), 1u);
  // The node still serves after all of that.
  EXPECT_TRUE(client.call("status", Json::object()).ok());
}

TEST_F(NodeTest, BatchesCommitAndSurviveRestart) {
  auto treasury = load_key(dir / "orgs/org0/treasury.key").value();
  auto to = crypto::Address::of(load_key(dir / "orgs/org0/admin.key")->public_key());
  {
    auto node = start_node();
    rpc::Client client("http://127.0.0.1:" + std::to_string(node->rpc_port()));
    Json txs = Json::array();
    for (std::uint64_t n = 0; n < 50; ++n) txs.push_back(signed_transfer(treasury, to, 1, n));
    auto r = client.call("submit_batch", Json{{"txs", txs}, {"wait", true}}, 30'000);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ((*r)["receipts"].size(), 50u);
    node->stop();
  }
  auto node = start_node();
  rpc::Client client("http://127.0.0.1:" + std::to_string(node->rpc_port()));
  auto bal = client.call(
      "query", Json{{"module", "bank"}, {"path", "balance"}, {"params", {{"address", to.to_string()}}}});
  ASSERT_TRUE(bal.ok());
  EXPECT_EQ((*bal)["result"]["balances"]["FMC"], "50");
  EXPECT_GE(node->chain().height(), 1u);
}

}  // namespace
}  // namespace formica::node
