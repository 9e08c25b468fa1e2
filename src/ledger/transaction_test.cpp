#include "formica/ledger/transaction.h"

#include <gtest/gtest.h>

#include "formica/codec/binary.h"

namespace formica::ledger {
namespace {

crypto::PrivateKey key_of(crypto::Scheme s, std::uint8_t seed) {
  Bytes secret(32, seed);
  return std::move(crypto::PrivateKey::from_secret(s, secret)).value();
}

ChainRules rules() {
  ChainRules r;
  r.chain_id = "test-chain";
  return r;
}

Transaction signed_tx(const crypto::PrivateKey& key, const ChainRules& r = rules()) {
  TxBody b;
  b.chain_id = r.chain_id;
  b.nonce = 7;
  b.module = "bank";
  b.kind = "transfer";
  b.payload = {1, 2, 3};
  b.expiry_height = 100;
  return std::move(sign_transaction(b, key, r.hash_alg)).value();
}

TEST(Transaction, SignedTransactionsPassForEveryScheme) {
  for (auto s : crypto::kAllSchemes) {
    auto key = key_of(s, 5);
    auto tx = signed_tx(key);
    auto id = check_stateless(tx, rules());
    ASSERT_TRUE(id.ok()) << crypto::scheme_name(s) << ": " << id.error().to_string();
    EXPECT_EQ(*id, *tx_id(tx.body, crypto::HashAlg::kSha256));
    // Wire round trip.
    auto wire = codec::encode(tx);
    ASSERT_TRUE(wire.ok());
    auto back = decode_transaction(*wire);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*codec::encode(*back), *wire);
  }
}

TEST(Transaction, SmNetworkHashesWithSm3) {
  ChainRules r = rules();
  r.hash_alg = crypto::HashAlg::kSm3;
  r.schemes = {crypto::Scheme::kSm2};
  auto key = key_of(crypto::Scheme::kSm2, 9);
  auto tx = signed_tx(key, r);
  ASSERT_TRUE(check_stateless(tx, r).ok());
  EXPECT_NE(*tx_id(tx.body, crypto::HashAlg::kSm3), *tx_id(tx.body, crypto::HashAlg::kSha256));
  // An Ed25519 transaction is refused on an SM2-only network.
  auto ed = signed_tx(key_of(crypto::Scheme::kEd25519, 1), r);
  TxCheckError why{};
  EXPECT_FALSE(check_stateless(ed, r, &why).ok());
  EXPECT_EQ(why.reason, TxReject::kSchemeNotAllowed);
}

TEST(Transaction, EachStatelessFaultHasItsReason) {
  auto key = key_of(crypto::Scheme::kEd25519, 3);
  auto expect_reason = [](const Transaction& tx, TxReject reason) {
    TxCheckError why{};
    auto r = check_stateless(tx, rules(), &why);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(why.reason, reason) << r.error().to_string();
  };
  {
    auto tx = signed_tx(key);
    tx.body.chain_id = "other";
    expect_reason(tx, TxReject::kWrongChain);
  }
  {
    auto tx = signed_tx(key);
    tx.body.nonce += 1;  // signature no longer covers the body
    expect_reason(tx, TxReject::kBadSignature);
  }
  {
    auto tx = signed_tx(key);
    tx.signature[0] ^= 1;
    expect_reason(tx, TxReject::kBadSignature);
  }
  {
    auto tx = signed_tx(key);
    tx.body.sender[5] ^= 1;
    expect_reason(tx, TxReject::kSenderMismatch);
  }
  {
    auto tx = signed_tx(key);
    tx.body.public_key.pop_back();
    expect_reason(tx, TxReject::kBadPublicKey);
  }
  {
    auto tx = signed_tx(key);
    tx.body.module = "Bank!";
    expect_reason(tx, TxReject::kBadName);
  }
  {
    auto tx = signed_tx(key);
    tx.body.payload.assign(kMaxPayloadBytes + 1, 0);
    expect_reason(tx, TxReject::kTooLarge);
  }
  {
    auto tx = signed_tx(key);
    tx.body.scheme = 42;
    expect_reason(tx, TxReject::kBadPublicKey);
  }
}

TEST(Transaction, BatchCheckSkipsOnlyKnownIdsSignatures) {
  auto key = key_of(crypto::Scheme::kEd25519, 5);
  Transaction good = signed_tx(key);
  Transaction forged = good;
  forged.body.nonce = 8;  // the signature no longer matches
  Transaction malformed = good;
  malformed.body.chain_id = "other-chain";
  const Hash forged_id = *tx_id(forged.body, crypto::HashAlg::kSha256);
  std::vector<Transaction> txs{good, forged, malformed};
  auto plain = check_stateless_batch(txs, rules());
  ASSERT_TRUE(plain[0].ok());
  EXPECT_FALSE(plain[1].ok());
  EXPECT_FALSE(plain[2].ok());
  // An id the caller already verified keeps its id unchecked; structure is still checked.
  auto skipping = check_stateless_batch(txs, rules(), [&](const Hash& id) { return id == forged_id; });
  ASSERT_TRUE(skipping[0].ok());
  ASSERT_TRUE(skipping[1].ok());
  EXPECT_EQ(*skipping[1], forged_id);
  EXPECT_FALSE(skipping[2].ok());
  auto none = check_stateless_batch(txs, rules(), [](const Hash&) { return false; });
  EXPECT_FALSE(none[1].ok());
}

TEST(Transaction, GarbageBytesAreMalformedNotFatal) {
  Bytes junk{0xff, 0x00, 0x13, 0x37};
  EXPECT_FALSE(decode_transaction(junk).ok());
  EXPECT_FALSE(decode_transaction(Bytes{}).ok());
  Bytes huge(kMaxTxBytes + 1, 0);
  EXPECT_EQ(decode_transaction(huge).code(), ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace formica::ledger
