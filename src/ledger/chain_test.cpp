#include "formica/ledger/chain.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "formica/codec/binary.h"
#include "formica/storage/fault_injection_kv_store.h"
#include "formica/storage/mem_kv_store.h"
#include "formica/storage/rocksdb_kv_store.h"

namespace formica::ledger {
namespace {

crypto::PrivateKey key_of(std::uint8_t seed) {
  Bytes secret(32, seed);
  return std::move(crypto::PrivateKey::from_secret(crypto::Scheme::kEd25519, secret)).value();
}
AddressBytes addr_of(const crypto::PrivateKey& k) { return crypto::Address::of(k.public_key()).to_bytes(); }
std::string text_of(const crypto::PrivateKey& k) { return crypto::Address::of(k.public_key()).to_string(); }

struct ChainTest : ::testing::Test {
  crypto::PrivateKey admin = key_of(1);
  crypto::PrivateKey alice = key_of(2);
  Genesis genesis = *parse_genesis(R"({"chain_id": "chain-test", "orgs": [{"name": "org0"}],
     "accounts": [{"address": ")" + text_of(admin) +
                                   R"(", "org": "org0", "roles": ["admin"]}]})");
  Executor exec{genesis.rules};
  std::uint64_t nonce = 0;

  std::pair<Transaction, Hash> register_tx(const AddressBytes& who) {
    TxBody b;
    b.chain_id = genesis.rules.chain_id;
    b.nonce = nonce++;
    b.module = "accounts";
    b.kind = "register";
    b.payload = *codec::encode(RegisterAccount{who, {"operator"}});
    b.expiry_height = 1000;
    auto tx = *sign_transaction(b, admin, genesis.rules.hash_alg);
    auto id = *check_stateless(tx, genesis.rules);
    return {tx, id};
  }
  Status produce(Chain& c, std::vector<std::pair<Transaction, Hash>> txs) {
    std::vector<Transaction> t;
    std::vector<Hash> ids;
    for (auto& [tx, id] : txs) {
      t.push_back(tx);
      ids.push_back(id);
    }
    auto eb = c.execute(std::move(t), std::move(ids), addr_of(admin), 0, 1000);
    if (!eb.ok()) return eb.error();
    return c.commit(*eb);
  }
};

TEST_F(ChainTest, GenesisThenBlocksWithReceiptsIndexesAndProofs) {
  storage::MemKvStore kv({"chain", "state"});
  auto chain = Chain::open(kv, genesis, exec);
  ASSERT_TRUE(chain.ok()) << chain.error().to_string();
  Chain& c = **chain;
  EXPECT_EQ(c.height(), 0u);
  auto [tx, id] = register_tx(addr_of(alice));
  ASSERT_TRUE(produce(c, {{tx, id}}).ok());
  EXPECT_EQ(c.height(), 1u);
  auto loc = c.find_tx(id);
  ASSERT_TRUE(loc.ok() && loc->has_value());
  EXPECT_EQ((*loc)->height, 1u);
  auto r = c.receipt(1, 0);
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->status, TxStatus::kOk);
  EXPECT_EQ((*r)->tx_id, id);
  // Parent links and roots.
  auto b1 = *c.block(1);
  auto b0 = *c.block(0);
  EXPECT_EQ(b1->header.parent_hash, *header_hash(b0->header, c.hash_alg()));
  EXPECT_EQ(b1->header.tx_root, merkle_root(c.hash_alg(), {id}));
  EXPECT_EQ(*c.height_of(c.head_hash()), std::optional<std::uint64_t>(1));
  // Event index.
  auto ev = c.events("accounts.address=" + text_of(alice), 0, 10);
  ASSERT_TRUE(ev.ok());
  ASSERT_EQ(ev->size(), 1u);
  EXPECT_EQ((*ev)[0].event.kind, "registered");
  // A state proof of alice's account verifies against the header's state root; the same key
  // is provably absent at height 0.
  Bytes key = make_key("accounts/a/", addr_of(alice));
  auto read = c.state_get_with_proof(key, 1);
  ASSERT_TRUE(read.ok() && read->value.has_value());
  EXPECT_TRUE(storage::verify_state_proof(c.hash_alg(), b1->header.state_root, key, ByteView(*read->value),
                                          read->proof));
  auto absent = c.state_get_with_proof(key, 0);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->value.has_value());
  EXPECT_TRUE(
      storage::verify_state_proof(c.hash_alg(), b0->header.state_root, key, std::nullopt, absent->proof));
  EXPECT_FALSE(
      storage::verify_state_proof(c.hash_alg(), b1->header.state_root, key, std::nullopt, absent->proof));
}

TEST_F(ChainTest, CommitRefusesABlockThatDoesNotExtendTheHead) {
  storage::MemKvStore kv({"chain", "state"});
  auto opened = Chain::open(kv, genesis, exec);
  ASSERT_TRUE(opened.ok());
  Chain& c = **opened;
  auto eb = c.execute({}, {}, addr_of(admin), 0, 0);
  ASSERT_TRUE(eb.ok());
  ASSERT_TRUE(c.commit(*eb).ok());
  EXPECT_FALSE(c.commit(*eb).ok());
}

TEST_F(ChainTest, ReopensFromRocksDbAndRefusesAnotherGenesis) {
  auto dir = std::filesystem::temp_directory_path() / ("formica-chain-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Hash head;
  {
    auto kv = storage::RocksDbKvStore::open({dir.string(), {"chain", "state"}});
    ASSERT_TRUE(kv.ok()) << kv.error().to_string();
    auto opened = Chain::open(**kv, genesis, exec);
    ASSERT_TRUE(opened.ok());
    Chain& c = **opened;
    ASSERT_TRUE(produce(c, {register_tx(addr_of(alice))}).ok());
    head = c.head_hash();
  }
  {
    auto kv = storage::RocksDbKvStore::open({dir.string(), {"chain", "state"}});
    ASSERT_TRUE(kv.ok());
    auto c = Chain::open(**kv, genesis, exec);
    ASSERT_TRUE(c.ok()) << c.error().to_string();
    EXPECT_EQ((*c)->height(), 1u);
    EXPECT_EQ((*c)->head_hash(), head);
    Genesis other = *parse_genesis(R"({"chain_id": "another"})");
    Executor exec2(other.rules);
    EXPECT_EQ(Chain::open(**kv, other, exec2).code(), ErrorCode::kFailedPrecondition);
  }
  std::filesystem::remove_all(dir);
}

// Nothing acknowledged is lost: every commit returned before a simulated power loss is there
// after it; unsynced writes do not exist because commit always syncs.
TEST_F(ChainTest, CommittedBlocksSurviveACrash) {
  storage::MemKvStore inner({"chain", "state"});
  storage::FaultInjectionKvStore kv(inner);
  std::vector<Hash> acknowledged;
  {
    auto opened = Chain::open(kv, genesis, exec);
    ASSERT_TRUE(opened.ok());
    Chain& c = **opened;
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(produce(c, {register_tx(addr_of(key_of(static_cast<std::uint8_t>(50 + i))))}).ok());
      acknowledged.push_back(c.head_hash());
    }
    // A write that fails part-way (disk error) changes nothing.
    kv.set_fail_writes(true);
    EXPECT_FALSE(produce(c, {register_tx(addr_of(key_of(99)))}).ok());
    kv.set_fail_writes(false);
  }
  ASSERT_TRUE(kv.crash().ok());
  auto c = Chain::open(kv, genesis, exec);
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ((*c)->height(), 5u);
  for (std::size_t h = 1; h <= 5; ++h) {
    auto b = *(*c)->block(h);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(*header_hash(b->header, (*c)->hash_alg()), acknowledged[h - 1]);
  }
}

}  // namespace
}  // namespace formica::ledger
