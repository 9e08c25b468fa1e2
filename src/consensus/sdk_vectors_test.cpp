// Shared light-client vectors for the TypeScript SDK (sdk/ts/src/consensus.ts): the C++ side
// writes tests/vectors/sdk/consensus.json, the SDK's vitest suite (sdk/ts/test/consensus.test.ts)
// checks that it decodes BlockHeaderOnly / QuorumCert, computes block ids and vote digests and
// accepts or refuses certificates exactly like consensus::block_id / verify_qc and the check of
// formica proof verify (src/cli/cmd_proof.cpp verify_certified).
//
// Per hash algorithm (SHA-256, SM3): a 4-validator set with fixed keys in all three schemes
// (Ed25519, SM2, secp256k1, Ed25519) and a second "wrong" set (same names, other keys); four
// ledger headers linked by parent hash; three consensus blocks (rounds 1, 2 and 4, the last
// with a timeout certificate of round 3) whose exec names those headers, each with a valid QC;
// and certificates with the C++ verdict: valid, too few signatures, a QC over another block,
// a vote signed for another chain, a QC round changed, a flipped signature byte, an unknown
// signer, a QC made by the wrong validator set, checked against the wrong set, and malformed
// encodings (duplicate signer, trailing byte, truncation).
//
// FORMICA_WRITE_VECTORS=1 (re)writes the file; otherwise the test rebuilds it in memory and
// requires the committed file to be identical byte for byte (as src/ledger/sdk_vectors_test.cpp).
// SM2 signatures are randomised: the committed ones are kept (by slot name) when they verify.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/codec/json.h"
#include "formica/consensus/types.h"
#include "formica/consensus/verify.h"
#include "formica/crypto/address.h"
#include "formica/ledger/block.h"

namespace formica::consensus {
namespace {

using codec::Json;
using crypto::HashAlg;
using crypto::Scheme;

const std::filesystem::path kDir = std::filesystem::path(FORMICA_SOURCE_DIR) / "tests" / "vectors" / "sdk";
const char* kFile = "consensus.json";

bool write_mode() {
  const char* v = std::getenv("FORMICA_WRITE_VECTORS");
  return v != nullptr && std::string(v) == "1";
}

std::string hex(ByteView b) { return base::to_hex(b); }

std::optional<std::string> read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Bytes secret_of(std::uint8_t seed) {
  Bytes s(32);
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<std::uint8_t>(seed + i);
  return s;
}

crypto::Hash32 fill(std::uint8_t b) {
  crypto::Hash32 h{};
  h.fill(b);
  return h;
}

struct Member {
  std::string name;
  std::string org;
  Scheme scheme;
  std::uint8_t seed;
};
// The genesis set: all three schemes, and the 4th validator Ed25519 again.
const std::vector<Member> kGenesis = {
    {"val0", "org0", Scheme::kEd25519, 0x11},
    {"val1", "org1", Scheme::kSm2, 0x12},
    {"val2", "org2", Scheme::kSecp256k1, 0x13},
    {"val3", "org3", Scheme::kEd25519, 0x14},
};
// A wrong set: same names, orgs and schemes, other keys.
const std::vector<Member> kOther = {
    {"val0", "org0", Scheme::kEd25519, 0x51},
    {"val1", "org1", Scheme::kSm2, 0x52},
    {"val2", "org2", Scheme::kSecp256k1, 0x53},
    {"val3", "org3", Scheme::kEd25519, 0x54},
};

struct Keyring {
  std::vector<crypto::PrivateKey> keys;
  ValidatorSet set;
};

Keyring keyring(const std::vector<Member>& ms) {
  std::vector<crypto::PrivateKey> keys;
  std::vector<Validator> vals;
  for (const auto& m : ms) {
    auto k = std::move(crypto::PrivateKey::from_secret(m.scheme, secret_of(m.seed))).value();
    auto pk = k.public_key();
    vals.push_back({m.name, m.org, m.scheme, Bytes(pk.bytes().begin(), pk.bytes().end()),
                    crypto::Address::of(pk).to_bytes()});
    keys.push_back(std::move(k));
  }
  auto vs = ValidatorSet::create(std::move(vals));
  EXPECT_TRUE(vs.ok());
  return Keyring{std::move(keys), std::move(*vs)};
}

Json set_json(const std::vector<Member>& ms, const ValidatorSet& vs) {
  Json arr = Json::array();
  for (std::uint32_t i = 0; i < vs.size(); ++i) {
    const auto& v = vs.at(i);
    arr.push_back(Json{{"index", i},
                       {"name", v.name},
                       {"org", v.org},
                       {"scheme", crypto::scheme_name(v.scheme)},
                       {"secret", hex(secret_of(ms[i].seed))},
                       {"public_key", hex(v.public_key)},
                       {"address", crypto::Address::of(vs.key(i)).to_string()}});
  }
  return Json{{"quorum", vs.quorum()}, {"validators", arr}};
}

// SM2 signatures by slot, from the committed file; slots used in this run are collected.
std::map<std::string, std::string> g_kept;
Json g_sm2 = Json::object();

void load_kept() {
  g_kept.clear();
  g_sm2 = Json::object();
  auto text = read_text(kDir / kFile);
  if (!text) return;
  auto j = codec::parse_json(*text);
  if (!j.ok() || !j->contains("sm2_signatures")) return;
  for (const auto& [k, v] : (*j)["sm2_signatures"].items()) g_kept[k] = v.get<std::string>();
}

// Signs `digest`; an SM2 signature already committed for the slot is reused when it verifies.
Bytes sign_slot(const crypto::PrivateKey& key, const crypto::Hash32& digest, const std::string& slot) {
  if (key.scheme() != Scheme::kSm2) return crypto::sign(key, digest);
  auto it = g_kept.find(slot);
  Bytes sig;
  if (it != g_kept.end()) {
    auto b = base::from_hex(it->second);
    if (b.ok() && crypto::verify(key.public_key(), digest, *b)) sig = *b;
  }
  if (sig.empty()) {
    EXPECT_TRUE(write_mode()) << "no committed SM2 signature for slot " << slot
                              << ": run with FORMICA_WRITE_VECTORS=1";
    sig = crypto::sign(key, digest);
    g_kept[slot] = hex(sig);  // the same slot signed again in this run reuses it
  }
  g_sm2[slot] = hex(sig);
  return sig;
}

QuorumCert make_qc(const Keyring& kr, const ChainParams& c, const BlockId& id, Round round,
                   const std::vector<std::uint32_t>& signers, const std::string& slot) {
  QuorumCert qc{id, round, {}};
  auto d = *vote_digest(c, id, round);
  for (auto s : signers)
    qc.signatures.push_back({s, sign_slot(kr.keys[s], d, slot + "/vote/" + std::to_string(s))});
  return qc;
}

BlockHeaderOnly make_block(const Keyring& kr, const ChainParams& c, Round round, QuorumCert justify,
                           std::optional<TimeoutCert> tc, ExecRef exec, const std::string& payload,
                           const std::string& slot) {
  BlockHeaderOnly b;
  b.round = round;
  b.justify = std::move(justify);
  b.tc = std::move(tc);
  b.exec = exec;
  b.time_ms = 1767225600000ull + round * 1000;
  b.proposer = kr.set.leader(round);
  Bytes pl(payload.begin(), payload.end());
  b.payload_hash = payload_hash(c, pl);
  auto id = *block_id(c, b);
  b.signature = sign_slot(kr.keys[b.proposer], *proposal_digest(c, id), slot + "/proposal");
  EXPECT_TRUE(verify_header_signature(kr.set, b, c).ok());
  return b;
}

// What formica proof verify does with a certificate, minus the header walk.
std::pair<std::string, std::string> cpp_verdict(const ValidatorSet& vs, const ChainParams& c,
                                                ByteView block_bytes, ByteView qc_bytes) {
  auto block = codec::decode<BlockHeaderOnly>(block_bytes);
  if (!block.ok()) return {"malformed", "block: " + block.error().message};
  auto qc = codec::decode<QuorumCert>(qc_bytes);
  if (!qc.ok()) return {"malformed", "qc: " + qc.error().message};
  auto id = block_id(c, *block);
  if (!id.ok()) return {"malformed", id.error().message};
  if (qc->block_id != *id) return {"invalid", "the QC certifies another block"};
  if (auto s = verify_qc(vs, *qc, c); !s.ok()) return {"invalid", s.error().message};
  return {"valid", ""};
}

// A QC encoded by hand (no ascending-signer check), to make malformed ones.
Bytes encode_qc_raw(const QuorumCert& qc) {
  Bytes out = *codec::encode(qc.block_id);
  Bytes r = *codec::encode(qc.round);
  out.insert(out.end(), r.begin(), r.end());
  // list<T> = uvarint(count) || items (docs/codec.md)
  std::size_t count = qc.signatures.size();
  do {
    std::uint8_t b = count & 0x7f;
    count >>= 7;
    out.push_back(count ? static_cast<std::uint8_t>(b | 0x80) : b);
  } while (count);
  for (const auto& s : qc.signatures) {
    Bytes e = *codec::encode(s);
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

Json chain_vectors(HashAlg alg) {
  const ChainParams c{"formica-sdk-vectors", alg};
  const ChainParams foreign{"formica-other-chain", alg};
  const std::string tag = std::string(crypto::hash_alg_name(alg));
  Keyring g = keyring(kGenesis);
  Keyring o = keyring(kOther);

  // Ledger headers 0..3, linked by parent hash.
  Json headers = Json::array();
  std::vector<crypto::Hash32> hh;
  crypto::Hash32 parent{};
  for (std::uint64_t h = 0; h <= 3; ++h) {
    ledger::BlockHeader hdr;
    hdr.chain_id = c.chain_id;
    hdr.height = h;
    hdr.parent_hash = parent;
    hdr.state_root = fill(static_cast<std::uint8_t>(0x10 + h));
    hdr.tx_root = fill(0);
    hdr.receipts_root = fill(0);
    hdr.tx_count = 0;
    hdr.round = h == 0 ? 0 : h;
    hdr.time_ms = h == 0 ? 0 : 1767225600000ull + h * 1000;
    hdr.proposer = crypto::Address::of(g.keys[h % 4].public_key()).to_bytes();
    auto hash = *ledger::header_hash(hdr, alg);
    headers.push_back(Json{{"height", h}, {"header_encoded", hex(*codec::encode(hdr))}, {"hash", hex(hash)}});
    hh.push_back(hash);
    parent = hash;
  }

  auto root = *genesis_root(c, ExecRef{0, hh[0]});
  auto root_id = *block_id(c, root.block);
  // Round 1 (leader 1, SM2), justified by the genesis root's empty QC.
  auto b1 = make_block(g, c, 1, root.qc, std::nullopt, ExecRef{1, hh[1]}, "payload-1", tag + "/b1");
  auto id1 = *block_id(c, b1);
  auto qc1 = make_qc(g, c, id1, 1, {0, 1, 2}, tag + "/b1");
  // Round 2 (leader 2, secp256k1).
  auto b2 = make_block(g, c, 2, qc1, std::nullopt, ExecRef{2, hh[2]}, "", tag + "/b2");
  auto id2 = *block_id(c, b2);
  auto qc2 = make_qc(g, c, id2, 2, {0, 1, 2, 3}, tag + "/b2");
  // Round 3 timed out; round 4 (leader 0) carries the TC and justifies with qc2.
  TimeoutCert tc{3, {}};
  for (std::uint32_t s : {1u, 2u, 3u})
    tc.entries.push_back(
        {s, 2, sign_slot(g.keys[s], *timeout_digest(c, 3, 2), tag + "/tc3/" + std::to_string(s))});
  EXPECT_TRUE(verify_tc(g.set, tc, c).ok());
  auto b3 = make_block(g, c, 4, qc2, tc, ExecRef{3, hh[3]}, "payload-4", tag + "/b3");
  auto id3 = *block_id(c, b3);
  auto qc3 = make_qc(g, c, id3, 4, {1, 2, 3}, tag + "/b3");

  Json blocks = Json::array();
  auto add_block = [&](const std::string& name, const BlockHeaderOnly& b, const BlockId& id,
                       const QuorumCert& qc) {
    blocks.push_back(Json{{"name", name},
                          {"block", *codec::to_json(b)},
                          {"block_encoded", hex(*codec::encode(b))},
                          {"block_id", hex(id)},
                          {"proposal_digest", hex(*proposal_digest(c, id))},
                          {"vote_digest", hex(*vote_digest(c, id, b.round))},
                          {"qc", *codec::to_json(qc)},
                          {"qc_encoded", hex(*codec::encode(qc))}});
  };
  add_block("genesis-root", root.block, root_id, root.qc);
  add_block("b1", b1, id1, qc1);
  add_block("b2", b2, id2, qc2);
  add_block("b3-with-tc", b3, id3, qc3);

  Json certs = Json::array();
  auto add_cert = [&](const std::string& name, const BlockHeaderOnly& b, ByteView qc_bytes, const char* set,
                      const std::string& expect) {
    Bytes bb = *codec::encode(b);
    const ValidatorSet& vs = std::string(set) == "genesis" ? g.set : o.set;
    auto [verdict, reason] = cpp_verdict(vs, c, bb, qc_bytes);
    EXPECT_EQ(verdict, expect) << tag << " " << name << ": " << reason;
    certs.push_back(Json{{"name", name},
                         {"validator_set", set},
                         {"block_encoded", hex(bb)},
                         {"qc_encoded", hex(qc_bytes)},
                         {"certified_height", b.exec.height},
                         {"certified_header_hash", hex(b.exec.header_hash)},
                         {"verdict", verdict},
                         {"reason", reason}});
  };
  auto enc = [](const QuorumCert& q) { return *codec::encode(q); };

  add_cert("b1: 3 of 4 signatures", b1, enc(qc1), "genesis", "valid");
  add_cert("b2: 4 of 4 signatures", b2, enc(qc2), "genesis", "valid");
  add_cert("b3: block with a timeout certificate", b3, enc(qc3), "genesis", "valid");
  QuorumCert few = qc1;
  few.signatures.pop_back();
  add_cert("too few signatures (2 of 4)", b1, enc(few), "genesis", "invalid");
  QuorumCert none = qc1;
  none.signatures.clear();
  add_cert("no signatures", b1, enc(none), "genesis", "invalid");
  add_cert("QC over another block (b1's QC with b2)", b2, enc(qc1), "genesis", "invalid");
  add_cert("root QC (empty) with the genesis block", root.block, enc(root.qc), "genesis", "invalid");
  add_cert("votes signed for another chain", b1,
           enc(make_qc(g, foreign, id1, 1, {0, 1, 2}, tag + "/foreign")), "genesis", "invalid");
  QuorumCert rnd = qc1;
  rnd.round = 2;
  add_cert("QC round changed", b1, enc(rnd), "genesis", "invalid");
  for (std::uint32_t s = 0; s < 3; ++s) {
    QuorumCert flip = qc1;
    flip.signatures[s].signature[flip.signatures[s].signature.size() / 2] ^= 0x01;
    add_cert("flipped signature byte of validator " + std::to_string(s) + " (" +
                 std::string(crypto::scheme_name(g.set.at(s).scheme)) + ")",
             b1, enc(flip), "genesis", "invalid");
  }
  QuorumCert unknown = qc1;
  unknown.signatures.push_back({7, qc1.signatures[0].signature});
  add_cert("unknown signer index 7", b1, enc(unknown), "genesis", "invalid");
  QuorumCert swapped = qc1;  // signer 3 claims validator 2's signature
  swapped.signatures[2].signer = 3;
  add_cert("signature attributed to another validator", b1, enc(swapped), "genesis", "invalid");
  add_cert("valid QC checked against a wrong validator set", b1, enc(qc1), "other", "invalid");
  add_cert("QC made by a wrong validator set", b1, enc(make_qc(o, c, id1, 1, {0, 1, 2, 3}, tag + "/other")),
           "genesis", "invalid");
  add_cert("QC made by a wrong validator set, checked against it", b1,
           enc(make_qc(o, c, id1, 1, {0, 1, 2, 3}, tag + "/other")), "other", "valid");
  // Malformed encodings.
  QuorumCert dup = qc1;
  dup.signatures[2] = dup.signatures[1];
  add_cert("duplicate signer (not strictly ascending)", b1, encode_qc_raw(dup), "genesis", "malformed");
  QuorumCert desc = qc1;
  std::swap(desc.signatures[0], desc.signatures[2]);
  add_cert("signers out of order", b1, encode_qc_raw(desc), "genesis", "malformed");
  Bytes trailing = enc(qc1);
  trailing.push_back(0);
  add_cert("QC with a trailing byte", b1, trailing, "genesis", "malformed");
  Bytes trunc = enc(qc1);
  trunc.pop_back();
  add_cert("QC truncated", b1, trunc, "genesis", "malformed");
  // The hand encoder agrees with the codec on a canonical QC.
  EXPECT_EQ(encode_qc_raw(qc1), enc(qc1));

  return Json{{"hash_alg", tag},
              {"chain_id", c.chain_id},
              {"genesis_set", set_json(kGenesis, g.set)},
              {"other_set", set_json(kOther, o.set)},
              {"headers", headers},
              {"blocks", blocks},
              {"certificates", certs}};
}

}  // namespace

TEST(SdkVectors, ConsensusCertificates) {
  load_kept();
  Json chains = Json::array();
  chains.push_back(chain_vectors(HashAlg::kSha256));
  chains.push_back(chain_vectors(HashAlg::kSm3));
  Json doc{{"about",
            "Light-client vectors written by src/consensus/sdk_vectors_test.cpp: block ids, vote digests "
            "and quorum-certificate verdicts (verify_qc) for sdk/ts; see docs/web.md"},
           {"domains", Json{{"block", "formica/consensus/block/v1"},
                            {"proposal", "formica/consensus/proposal/v1"},
                            {"vote", "formica/consensus/vote/v1"},
                            {"timeout", "formica/consensus/timeout/v1"},
                            {"payload", "formica/consensus/payload/v1"}}},
           {"chains", chains},
           {"sm2_signatures", g_sm2}};
  std::string text = doc.dump(1) + "\n";
  auto path = kDir / kFile;
  if (write_mode()) {
    std::filesystem::create_directories(kDir);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
    return;
  }
  auto committed = read_text(path);
  ASSERT_TRUE(committed.has_value()) << path << " is missing: run with FORMICA_WRITE_VECTORS=1";
  EXPECT_TRUE(*committed == text)
      << path
      << " differs from what the C++ code produces now; if the change is "
         "intended, regenerate with FORMICA_WRITE_VECTORS=1 and rerun the SDK tests";
}

}  // namespace formica::consensus
