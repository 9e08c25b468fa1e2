// Wire types, the message codec, certificate verification and sync-response verification.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "formica/codec/binary.h"
#include "formica/consensus/types.h"
#include "formica/consensus/verify.h"
#include "test_util.h"

namespace formica::consensus {
namespace {

using testing::id_of;
using testing::make_block;
using testing::make_keys;
using testing::make_qc;
using testing::make_set;
using testing::make_tc;

class ConsensusTypes : public ::testing::Test {
 protected:
  ConsensusTypes() : ks(make_keys(4)), vs(make_set(ks)) {
    root = *genesis_root(c, ExecRef{0, crypto::sha256(as_bytes("genesis"))});
  }
  ChainParams c{"formica-test", crypto::HashAlg::kSha256};
  std::vector<crypto::PrivateKey> ks;
  ValidatorSet vs;
  Root root;
};

TEST_F(ConsensusTypes, ValidatorSetQuorum) {
  EXPECT_EQ(vs.size(), 4u);
  EXPECT_EQ(vs.f(), 1u);
  EXPECT_EQ(vs.quorum(), 3u);
  EXPECT_EQ(vs.leader(5), 1u);
  auto ks7 = make_keys(7);
  EXPECT_EQ(make_set(ks7).quorum(), 5u);
  EXPECT_FALSE(ValidatorSet::create({}).ok());
  std::vector<Validator> dup = vs.validators();
  dup.push_back(dup[0]);
  dup.back().name = "other";
  EXPECT_FALSE(ValidatorSet::create(dup).ok());  // same key twice
}

TEST_F(ConsensusTypes, MessageRoundTripEveryKind) {
  const Proposal b1 = make_block(c, ks, 1, root.qc, to_bytes("payload"));
  const QuorumCert qc1 = make_qc(c, ks, id_of(c, b1), 1, {0, 1, 2});
  const Proposal b3 = make_block(c, ks, 3, qc1, {}, make_tc(c, ks, 2, 1, {0, 2, 3}));
  std::vector<Message> msgs = {
      Message(b1),
      Message(b3),
      Message(*make_vote(c, id_of(c, b1), 1, 2, ks[2])),
      Message(*make_timeout(c, 2, qc1, make_tc(c, ks, 1, 0, {1, 2, 3}), 3, ks[3])),
      Message(FetchRequest{id_of(c, b1), 4}),
      Message(FetchResponse{{b3, b1}}),
      Message(SyncRequest{root.qc.block_id, 0, 10}),
      Message(SyncResponse{root.qc.block_id, {b1}, header_of(b3), qc1}),
      Message(SyncInfo{qc1, std::nullopt}),
  };
  // FORMICA_CONSENSUS_CORPUS_DIR=fuzz/corpus/consensus_message_fuzz regenerates the fuzz seeds.
  const char* corpus = std::getenv("FORMICA_CONSENSUS_CORPUS_DIR");
  int index = 0;
  for (const Message& m : msgs) {
    auto wire = encode_message(m);
    ASSERT_TRUE(wire.ok()) << wire.error().to_string();
    if (corpus != nullptr) {
      std::ofstream f(std::string(corpus) + "/seed_" + std::to_string(index++) + "_" +
                          std::string(message_kind_name(kind_of(m))),
                      std::ios::binary);
      f.write(reinterpret_cast<const char*>(wire->data()), static_cast<std::streamsize>(wire->size()));
    }
    EXPECT_EQ((*wire)[0], static_cast<std::uint8_t>(kind_of(m)));
    auto back = decode_message(*wire);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(back->index(), m.index());
    EXPECT_EQ(*encode_message(*back), *wire);
    // Any trailing byte is refused, and so is any truncation.
    Bytes longer = *wire;
    longer.push_back(0);
    EXPECT_EQ(decode_message(longer).code(), ErrorCode::kMalformed);
    Bytes shorter(wire->begin(), wire->end() - 1);
    EXPECT_FALSE(decode_message(shorter).ok());
  }
}

TEST_F(ConsensusTypes, DecodeRejectsBadTagsAndSizes) {
  EXPECT_EQ(decode_message(Bytes{}).code(), ErrorCode::kMalformed);
  EXPECT_EQ(decode_message(Bytes{0}).code(), ErrorCode::kUnsupported);
  EXPECT_EQ(decode_message(Bytes{9, 0, 0}).code(), ErrorCode::kUnsupported);
  const Proposal big = make_block(c, ks, 1, root.qc, Bytes(5000, 7));
  auto wire = encode_message(Message(big));
  ASSERT_TRUE(wire.ok());
  MessageLimits small;
  small.max_message_bytes = 1000;
  codec::Failure failure;
  EXPECT_EQ(decode_message(*wire, small, &failure).code(), ErrorCode::kTooLarge);
  MessageLimits small_payload;
  small_payload.max_payload_bytes = 1000;
  EXPECT_EQ(decode_message(*wire, small_payload, &failure).code(), ErrorCode::kTooLarge);
  EXPECT_EQ(failure.kind, codec::CodecError::kLengthLimit);
  EXPECT_EQ(encode_message(Message(big), small).code(), ErrorCode::kTooLarge);
}

// Same layout as QuorumCert but without its ordering check: lets a test produce bytes that
// the real type must refuse.
struct RawQc {
  BlockId block_id{};
  Round round = 0;
  std::vector<QcSignature> signatures;
  FORMICA_CODEC_FIELDS(block_id, round, signatures)
};
struct RawSyncInfo {
  RawQc high_qc;
  std::optional<TimeoutCert> high_tc;
  FORMICA_CODEC_FIELDS(high_qc, high_tc)
};

TEST_F(ConsensusTypes, DecodeRejectsUnsortedOrDuplicateSigners) {
  for (const auto& signers : {std::vector<std::uint32_t>{2, 1, 0}, std::vector<std::uint32_t>{0, 1, 1}}) {
    RawSyncInfo raw;
    raw.high_qc.round = 3;
    for (std::uint32_t s : signers) raw.high_qc.signatures.push_back(QcSignature{s, Bytes(64, 1)});
    Bytes wire{static_cast<std::uint8_t>(MessageKind::kSyncInfo)};
    base::append(wire, *codec::encode(raw));
    codec::Failure failure;
    EXPECT_EQ(decode_message(wire, {}, &failure).code(), ErrorCode::kMalformed);
    EXPECT_EQ(failure.kind, codec::CodecError::kInvalidValue);
  }
}

TEST_F(ConsensusTypes, VerifyQc) {
  const BlockId id = root.qc.block_id;
  EXPECT_TRUE(verify_qc(vs, make_qc(c, ks, id, 1, {0, 1, 2}), c.chain_id, c.alg).ok());
  EXPECT_TRUE(verify_qc(vs, make_qc(c, ks, id, 1, {0, 1, 2, 3}), c).ok());
  // Too few signatures.
  EXPECT_EQ(verify_qc(vs, make_qc(c, ks, id, 1, {0, 1}), c).code(), ErrorCode::kVerificationFailed);
  EXPECT_FALSE(verify_qc(vs, root.qc, c).ok());  // the empty genesis QC is trusted, never verified
  // Duplicate signer (three entries, two distinct validators).
  EXPECT_FALSE(verify_qc(vs, make_qc(c, ks, id, 1, {0, 1, 1}), c).ok());
  // Unknown signer.
  QuorumCert unknown = make_qc(c, ks, id, 1, {0, 1, 2});
  unknown.signatures[2].signer = 7;
  EXPECT_FALSE(verify_qc(vs, unknown, c).ok());
  // Wrong chain id: signatures never cross networks.
  QuorumCert other = make_qc(ChainParams{"other-chain", c.alg}, ks, id, 1, {0, 1, 2});
  EXPECT_FALSE(verify_qc(vs, other, c).ok());
  // Wrong hash alg, wrong round, wrong block.
  EXPECT_FALSE(
      verify_qc(vs, make_qc(ChainParams{c.chain_id, crypto::HashAlg::kSm3}, ks, id, 1, {0, 1, 2}), c).ok());
  QuorumCert moved = make_qc(c, ks, id, 1, {0, 1, 2});
  moved.round = 2;
  EXPECT_FALSE(verify_qc(vs, moved, c).ok());
  // A signature by the wrong key.
  QuorumCert swapped = make_qc(c, ks, id, 1, {0, 1, 2});
  std::swap(swapped.signatures[0].signature, swapped.signatures[1].signature);
  EXPECT_FALSE(verify_qc(vs, swapped, c).ok());
}

TEST_F(ConsensusTypes, VerifyQcSm2AndSm3) {
  auto sm2 = make_keys(4, crypto::Scheme::kSm2);
  ValidatorSet vs2 = make_set(sm2);
  ChainParams c2{"formica-gm", crypto::HashAlg::kSm3};
  EXPECT_TRUE(verify_qc(vs2, make_qc(c2, sm2, BlockId{}, 5, {1, 2, 3}), c2).ok());
  EXPECT_FALSE(verify_qc(vs2, make_qc(c2, sm2, BlockId{}, 5, {1, 2, 3}), c).ok());
}

TEST_F(ConsensusTypes, VerifyTc) {
  EXPECT_TRUE(verify_tc(vs, make_tc(c, ks, 4, 2, {0, 1, 3}), c).ok());
  EXPECT_FALSE(verify_tc(vs, make_tc(c, ks, 4, 2, {0, 1}), c).ok());
  TimeoutCert bad = make_tc(c, ks, 4, 2, {0, 1, 3});
  bad.entries[1].high_qc_round = 3;  // not what was signed
  EXPECT_FALSE(verify_tc(vs, bad, c).ok());
  EXPECT_FALSE(verify_tc(vs, make_tc(c, ks, 4, 4, {0, 1, 3}), c).ok());  // high_qc_round >= round
}

class ConsensusSyncVerify : public ConsensusTypes {
 protected:
  ConsensusSyncVerify() {
    b1 = make_block(c, ks, 1, root.qc, to_bytes("one"));
    qc1 = make_qc(c, ks, id_of(c, b1), 1, {0, 1, 2});
    b2 = make_block(c, ks, 2, qc1, to_bytes("two"));
    qc2 = make_qc(c, ks, id_of(c, b2), 2, {1, 2, 3});
    b3 = make_block(c, ks, 3, qc2);
    qc3 = make_qc(c, ks, id_of(c, b3), 3, {0, 2, 3});
    resp = SyncResponse{root.qc.block_id, {b1, b2}, header_of(b3), qc3};
  }
  Proposal b1, b2, b3;
  QuorumCert qc1, qc2, qc3;
  SyncResponse resp;
};

TEST_F(ConsensusSyncVerify, AcceptsAValidRange) {
  auto ids = verify_sync_response(vs, c, root.qc.block_id, resp, &root.qc);
  ASSERT_TRUE(ids.ok()) << ids.error().to_string();
  ASSERT_EQ(ids->size(), 2u);
  EXPECT_EQ((*ids)[1], id_of(c, b2));
  EXPECT_TRUE(verify_sync_response(vs, c, root.qc.block_id, SyncResponse{}, &root.qc).ok());
}

TEST_F(ConsensusSyncVerify, RejectsForgedLinks) {
  // A block that does not link to the previous one.
  SyncResponse forged = resp;
  forged.blocks[1] = make_block(c, ks, 2, make_qc(c, ks, BlockId{}, 1, {0, 1, 2}), to_bytes("two"));
  EXPECT_FALSE(verify_sync_response(vs, c, root.qc.block_id, forged, &root.qc).ok());
  // Starting from a block the requester does not know.
  EXPECT_FALSE(verify_sync_response(vs, c, id_of(c, b1), resp, &root.qc).ok());
  // Payload swapped after signing.
  SyncResponse payload = resp;
  payload.blocks[0].payload = to_bytes("evil");
  EXPECT_FALSE(verify_sync_response(vs, c, root.qc.block_id, payload, &root.qc).ok());
  // Commit proof: child not of round last + 1, QC over something else, missing.
  SyncResponse far = resp;
  far.commit_child = header_of(make_block(c, ks, 4, qc2, {}, make_tc(c, ks, 3, 2, {0, 1, 2})));
  far.commit_qc = make_qc(c, ks, *block_id(c, *far.commit_child), 4, {0, 1, 2});
  EXPECT_FALSE(verify_sync_response(vs, c, root.qc.block_id, far, &root.qc).ok());
  SyncResponse wrong_qc = resp;
  wrong_qc.commit_qc = qc2;
  EXPECT_FALSE(verify_sync_response(vs, c, root.qc.block_id, wrong_qc, &root.qc).ok());
  SyncResponse no_proof = resp;
  no_proof.commit_qc.reset();
  EXPECT_FALSE(verify_sync_response(vs, c, root.qc.block_id, no_proof, &root.qc).ok());
  // A QC with too few signatures inside the range.
  SyncResponse weak = resp;
  weak.blocks[1] = make_block(c, ks, 2, make_qc(c, ks, id_of(c, b1), 1, {0, 1}), to_bytes("two"));
  EXPECT_FALSE(verify_sync_response(vs, c, root.qc.block_id, weak, &root.qc).ok());
  // Another chain id.
  EXPECT_FALSE(verify_sync_response(vs, ChainParams{"other", c.alg}, root.qc.block_id, resp, &root.qc).ok());
}

}  // namespace
}  // namespace formica::consensus
