// Shared vectors for the TypeScript SDK (sdk/ts): the C++ side writes them, the SDK's vitest
// suite checks that it encodes, hashes, signs and verifies byte for byte the same way.
//
//   tests/vectors/sdk/transactions.json   fixed keys of every scheme, addresses, transaction
//                                         bodies, encodings, ids (SHA-256 and SM3), signatures
//   tests/vectors/sdk/chain.json          a small in-memory chain per hash algorithm: headers,
//                                         header hashes, tx roots, state proofs (inclusion,
//                                         non-inclusion) and forged proofs with their verdicts
//   tests/vectors/sdk/sdk_signatures.json written ONCE by the SDK (sdk/ts/test/write-sdk-vectors.ts)
//                                         and committed: transactions the SDK signed, which
//                                         must pass check_stateless here
//
// FORMICA_WRITE_VECTORS=1 regenerates the first two files. Otherwise this test regenerates them
// in memory and requires the committed files to be identical byte for byte, so C++ and the SDK
// cannot drift apart silently. SM2 signatures are randomised (OpenSSL): the committed ones are
// kept (and verified) instead of being re-made, so the check stays byte-exact.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/codec/json.h"
#include "formica/crypto/address.h"
#include "formica/ledger/accounts.h"
#include "formica/ledger/block.h"
#include "formica/ledger/chain.h"
#include "formica/ledger/executor.h"
#include "formica/ledger/genesis.h"
#include "formica/ledger/state.h"
#include "formica/ledger/transaction.h"
#include "formica/storage/mem_kv_store.h"
#include "formica/storage/state_proof.h"

namespace formica::ledger {

// A payload with the shape of bank's Transfer (apps/bank.h), declared here so that this test
// stays inside the ledger layer. The SDK encodes the same struct.
struct SdkVectorTransfer {
  AddressBytes to{};
  std::string asset;
  Amount amount = 0;
  FORMICA_CODEC_FIELDS(to, asset, amount)
};

namespace {

using codec::Json;
using crypto::HashAlg;
using crypto::Scheme;

const std::filesystem::path kDir = std::filesystem::path(FORMICA_SOURCE_DIR) / "tests" / "vectors" / "sdk";

bool write_mode() {
  const char* v = std::getenv("FORMICA_WRITE_VECTORS");
  return v != nullptr && std::string(v) == "1";
}

std::string hex(ByteView b) { return base::to_hex(b); }
Bytes unhex(const std::string& s) { return *base::from_hex(s); }

std::optional<std::string> read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string dump(const Json& j) { return j.dump(1) + "\n"; }

// Writes `text` in write mode; otherwise requires the committed file to be exactly `text`.
void write_or_check(const std::string& name, const std::string& text) {
  auto path = kDir / name;
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

// Fixed secrets: 32 bytes seed, seed+1, ... (well below both curve orders for small seeds).
Bytes secret_of(std::uint8_t seed) {
  Bytes s(32);
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<std::uint8_t>(seed + i);
  return s;
}
crypto::PrivateKey key_of(Scheme scheme, std::uint8_t seed) {
  return std::move(crypto::PrivateKey::from_secret(scheme, secret_of(seed))).value();
}
std::string address_of(const crypto::PrivateKey& k) {
  return crypto::Address::of(k.public_key()).to_string();
}
AddressBytes address_bytes_of(const crypto::PrivateKey& k) {
  return crypto::Address::of(k.public_key()).to_bytes();
}

struct NamedKey {
  std::string name;
  Scheme scheme;
  std::uint8_t seed;
};
const std::vector<NamedKey> kKeys = {
    {"ed25519-a", Scheme::kEd25519, 0x01},
    {"ed25519-b", Scheme::kEd25519, 0x41},
    {"sm2-a", Scheme::kSm2, 0x02},
    {"sm2-b", Scheme::kSm2, 0x42},
    {"secp256k1-a", Scheme::kSecp256k1, 0x03},
    {"secp256k1-b", Scheme::kSecp256k1, 0x43},
};

// SM2 signatures already committed, by vector name, so that a rerun keeps them.
std::map<std::string, std::string> committed_sm2_signatures(const std::string& file, const char* list) {
  std::map<std::string, std::string> out;
  auto text = read_text(kDir / file);
  if (!text) return out;
  auto j = codec::parse_json(*text);
  if (!j.ok() || !j->contains(list)) return out;
  for (const auto& t : (*j)[list])
    if (t.contains("name") && t.contains("signature") && t.contains("scheme") && t["scheme"] == "sm2")
      out[t["name"].get<std::string>()] = t["signature"].get<std::string>();
  return out;
}

// Signs like sign_transaction, except that an SM2 signature already committed for the same
// body (it is checked to verify) is reused.
Transaction sign_keeping(TxBody body, const crypto::PrivateKey& key, HashAlg alg, const std::string& name,
                         const std::map<std::string, std::string>& kept) {
  Transaction tx = *sign_transaction(std::move(body), key, alg);
  if (key.scheme() != Scheme::kSm2) return tx;
  auto it = kept.find(name);
  if (it == kept.end()) {
    EXPECT_TRUE(write_mode()) << "no committed SM2 signature for " << name
                              << ": run with FORMICA_WRITE_VECTORS=1";
    return tx;
  }
  Bytes sig = unhex(it->second);
  Hash id = *tx_id(tx.body, alg);
  if (crypto::verify(key.public_key(), id, sig)) {
    tx.signature = sig;
  } else {
    EXPECT_TRUE(write_mode()) << "the committed SM2 signature of " << name << " no longer verifies";
  }
  return tx;
}

ChainRules rules_for(const std::string& chain_id, HashAlg alg) {
  ChainRules r;
  r.chain_id = chain_id;
  r.hash_alg = alg;
  return r;
}

Json tx_vector(const std::string& name, const Transaction& tx, HashAlg alg) {
  Hash id = *tx_id(tx.body, alg);
  auto sch = crypto::scheme_from_id(tx.body.scheme);
  Json j;
  j["name"] = name;
  j["hash_alg"] = crypto::hash_alg_name(alg);
  j["scheme"] = crypto::scheme_name(*sch);
  j["body"] = *codec::to_json(tx.body);
  j["sender_address"] = address_text(tx.body.sender);
  j["body_encoded"] = hex(*codec::encode(tx.body));
  // What is hashed: uvarint(len("formica/tx/v1")) || "formica/tx/v1" || body
  j["tx_id"] = hex(id);
  j["signature"] = hex(tx.signature);
  j["tx_encoded"] = hex(*codec::encode(tx));
  j["deterministic_signature"] = tx.body.scheme != static_cast<std::uint8_t>(Scheme::kSm2);
  return j;
}

}  // namespace

TEST(SdkVectors, TransactionsKeysAndAddresses) {
  const std::string chain_id = "formica-sdk-vectors";
  auto kept = committed_sm2_signatures("transactions.json", "transactions");
  Json keys = Json::array();
  Json txs = Json::array();
  for (const auto& nk : kKeys) {
    auto k = key_of(nk.scheme, nk.seed);
    auto addr = crypto::Address::of(k.public_key());
    keys.push_back(Json{{"name", nk.name},
                        {"scheme", crypto::scheme_name(nk.scheme)},
                        {"secret", hex(secret_of(nk.seed))},
                        {"public_key", hex(k.public_key().bytes())},
                        {"address", addr.to_string()},
                        {"address_bytes", hex(addr.to_bytes())}});
  }
  // Several bodies per key: a bank-style transfer, an empty payload, extreme integers, and
  // non-ASCII text; each under SHA-256, and the first also under SM3.
  for (std::size_t ki = 0; ki < kKeys.size(); ++ki) {
    const auto& nk = kKeys[ki];
    auto k = key_of(nk.scheme, nk.seed);
    auto to =
        address_bytes_of(key_of(kKeys[(ki + 2) % kKeys.size()].scheme, kKeys[(ki + 2) % kKeys.size()].seed));
    SdkVectorTransfer transfer{to, "FMC", codec::make_u128(0, 25000 + ki)};
    struct Variant {
      std::string suffix;
      TxBody body;
      HashAlg alg;
    };
    std::vector<Variant> variants;
    TxBody b;
    b.chain_id = chain_id;
    b.nonce = ki;
    b.module = "bank";
    b.kind = "transfer";
    b.payload = *codec::encode(transfer);
    b.expiry_height = 1000;
    variants.push_back({"transfer", b, HashAlg::kSha256});
    variants.push_back({"transfer-sm3", b, HashAlg::kSm3});
    TxBody e = b;
    e.nonce = ~std::uint64_t{0};
    e.expiry_height = ~std::uint64_t{0};
    e.module = "accounts";
    e.kind = "noop";
    e.payload.clear();
    variants.push_back({"empty-payload-max-ints", e, HashAlg::kSha256});
    TxBody u = b;
    u.chain_id = "réseau-😀";
    u.nonce = 128;
    u.payload = Bytes(300, 0xab);  // a two-byte length prefix
    variants.push_back({"unicode-long-payload", u, HashAlg::kSha256});
    for (auto& v : variants) {
      std::string name = nk.name + "/" + v.suffix;
      Transaction tx = sign_keeping(v.body, k, v.alg, name, kept);
      Json j = tx_vector(name, tx, v.alg);
      if (v.suffix == "transfer" || v.suffix == "transfer-sm3") {
        j["payload_transfer"] = *codec::to_json(transfer);
        j["payload_transfer"]["to_address"] = address_text(transfer.to);
      }
      // Every vector passes the node's stateless checks.
      TxCheckError why{};
      auto checked = check_stateless(tx, rules_for(v.body.chain_id, v.alg), &why);
      EXPECT_TRUE(checked.ok()) << name << ": " << why.message;
      txs.push_back(j);
    }
  }
  Json doc;
  doc["about"] =
      "Written by src/ledger/sdk_vectors_test.cpp (FORMICA_WRITE_VECTORS=1); checked byte for byte by it "
      "and by sdk/ts/test/vectors.test.ts. Secrets are test-only.";
  doc["tx_domain"] = "formica/tx/v1";
  doc["header_domain"] = "formica/header/v1";
  doc["keys"] = keys;
  doc["transactions"] = txs;
  write_or_check("transactions.json", dump(doc));
}

namespace {

Json header_vector(const BlockHeader& h, HashAlg alg, const std::vector<Hash>& ids) {
  Json j;
  j["header"] = *codec::to_json(h);
  j["header_encoded"] = hex(*codec::encode(h));
  j["hash"] = hex(*header_hash(h, alg));
  Json jids = Json::array();
  for (const auto& id : ids) jids.push_back(hex(id));
  j["tx_ids"] = jids;
  return j;
}

Json proof_vector(const std::string& name, const Chain& c, const Bytes& key, std::uint64_t height) {
  auto read = *c.state_get_with_proof(key, height);
  auto block = **c.block(height);
  Json j;
  j["name"] = name;
  j["height"] = height;
  j["key"] = hex(key);
  j["value"] = read.value ? Json(hex(*read.value)) : Json(nullptr);
  j["proof"] = hex(storage::encode_state_proof(read.proof));
  j["state_root"] = hex(block.header.state_root);
  j["header_encoded"] = hex(*codec::encode(block.header));
  j["header_hash"] = hex(*header_hash(block.header, c.hash_alg()));
  std::optional<ByteView> v;
  if (read.value) v = ByteView(*read.value);
  bool ok = storage::verify_state_proof(c.hash_alg(), block.header.state_root, key, v, read.proof);
  EXPECT_TRUE(ok) << name;
  j["valid"] = ok;
  return j;
}

// What the C++ verifier says about a (possibly forged) proof: "valid", "invalid" (decodes but
// does not verify) or "malformed" (decode_state_proof refuses it).
std::string cpp_verdict(HashAlg alg, const std::string& root_hex, const std::string& key_hex,
                        const Json& value, const std::string& proof_hex) {
  auto decoded = storage::decode_state_proof(unhex(proof_hex));
  if (!decoded.ok()) return "malformed";
  Hash root{};
  Bytes r = unhex(root_hex);
  std::copy(r.begin(), r.end(), root.begin());
  Bytes key = unhex(key_hex);
  Bytes val;
  std::optional<ByteView> v;
  if (!value.is_null()) {
    val = unhex(value.get<std::string>());
    v = ByteView(val);
  }
  return storage::verify_state_proof(alg, root, key, v, *decoded) ? "valid" : "invalid";
}

std::string flip(const std::string& hex_text, std::size_t byte, std::uint8_t mask) {
  Bytes b = unhex(hex_text);
  b[byte] ^= mask;
  return hex(b);
}

}  // namespace

TEST(SdkVectors, ChainHeadersAndStateProofs) {
  Json chains = Json::array();
  for (HashAlg alg : {HashAlg::kSha256, HashAlg::kSm3}) {
    auto admin_ed = key_of(Scheme::kEd25519, 0x11);
    auto admin_sm2 = key_of(Scheme::kSm2, 0x12);
    auto admin_k1 = key_of(Scheme::kSecp256k1, 0x13);
    std::string alg_name(crypto::hash_alg_name(alg));
    std::string chain_id = "sdk-chain-" + alg_name;
    std::string genesis_text =
        R"({"chain_id": ")" + chain_id + R"(", "hash_alg": ")" + alg_name +
        R"(", "genesis_time": 1700000000000, "orgs": [{"name": "org0"}, {"name": "org1"}, {"name": "org2"}],
       "accounts": [{"address": ")" +
        address_of(admin_ed) + R"(", "org": "org0", "roles": ["admin"]},
                    {"address": ")" +
        address_of(admin_sm2) + R"(", "org": "org1", "roles": ["admin"]},
                    {"address": ")" +
        address_of(admin_k1) + R"(", "org": "org2", "roles": ["admin"]}]})";
    auto genesis = parse_genesis(genesis_text);
    ASSERT_TRUE(genesis.ok()) << genesis.error().to_string();
    Executor exec{genesis->rules};
    storage::MemKvStore kv({"chain", "state"});
    auto opened = Chain::open(kv, *genesis, exec);
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    Chain& c = **opened;

    auto kept = committed_sm2_signatures("chain.json", "sm2_transactions");
    Json sm2_txs = Json::array();
    std::map<int, std::uint64_t> nonces;
    std::vector<std::pair<std::string, AddressBytes>> members;
    std::vector<std::vector<Hash>> ids_by_height = {{}};
    const crypto::PrivateKey* admins[] = {&admin_ed, &admin_sm2, &admin_k1};
    // Three blocks; in each, every admin registers one new member of its org.
    for (std::uint64_t height = 1; height <= 3; ++height) {
      std::vector<Transaction> txs;
      std::vector<Hash> ids;
      for (int a = 0; a < 3; ++a) {
        auto member = key_of(Scheme::kEd25519, static_cast<std::uint8_t>(0x60 + 3 * height + a));
        TxBody b;
        b.chain_id = chain_id;
        b.nonce = nonces[a]++;
        b.module = "accounts";
        b.kind = "register";
        b.payload = *codec::encode(RegisterAccount{address_bytes_of(member), {"operator"}});
        b.expiry_height = 100;
        std::string name = alg_name + "/h" + std::to_string(height) + "/admin" + std::to_string(a);
        Transaction tx = sign_keeping(b, *admins[a], alg, name, kept);
        if (admins[a]->scheme() == Scheme::kSm2) {
          Json t = tx_vector(name, tx, alg);
          sm2_txs.push_back(Json{{"name", name}, {"scheme", "sm2"}, {"signature", t["signature"]}});
        }
        auto id = check_stateless(tx, genesis->rules);
        ASSERT_TRUE(id.ok()) << id.error().to_string();
        txs.push_back(tx);
        ids.push_back(*id);
        members.emplace_back("h" + std::to_string(height) + "-member" + std::to_string(a),
                             address_bytes_of(member));
      }
      auto eb = c.execute(txs, ids, address_bytes_of(admin_ed), 0, 1700000000000 + 1000 * height);
      ASSERT_TRUE(eb.ok()) << eb.error().to_string();
      ASSERT_TRUE(c.commit(*eb).ok());
      ids_by_height.push_back(ids);
    }

    Json headers = Json::array();
    for (std::uint64_t h = 0; h <= c.height(); ++h) {
      auto block = **c.block(h);
      Json hv = header_vector(block.header, alg, ids_by_height[h]);
      EXPECT_EQ(hv["header"]["tx_root"].get<std::string>(), hex(merkle_root(alg, ids_by_height[h])));
      headers.push_back(hv);
    }

    Json proofs = Json::array();
    // Inclusion: admins (genesis) and members at the latest height; a member at the height it
    // was registered. Non-inclusion: a member before its registration, an unknown key, and the
    // empty key.
    proofs.push_back(
        proof_vector("admin0-account-latest", c, make_key("accounts/a/", address_bytes_of(admin_ed)), 3));
    proofs.push_back(
        proof_vector("admin1-account-genesis", c, make_key("accounts/a/", address_bytes_of(admin_sm2)), 0));
    proofs.push_back(
        proof_vector("member-at-registration", c, make_key("accounts/a/", members[4].second), 2));
    proofs.push_back(
        proof_vector("member-before-registration", c, make_key("accounts/a/", members[4].second), 1));
    proofs.push_back(
        proof_vector("last-member-latest", c, make_key("accounts/a/", members.back().second), 3));
    proofs.push_back(proof_vector("unknown-key-latest", c, make_key("nothing/here"), 3));
    proofs.push_back(proof_vector("unknown-key-genesis", c, make_key("accounts/a/zzz"), 0));
    proofs.push_back(proof_vector("org-record", c, make_key("accounts/o/", {}, "org1"), 3));

    // Forged: every proof above tampered in several ways, with the C++ verdict.
    Json forged = Json::array();
    for (const auto& p : proofs) {
      std::string name = p["name"].get<std::string>();
      std::string proof = p["proof"].get<std::string>();
      std::string root = p["state_root"].get<std::string>();
      std::string key = p["key"].get<std::string>();
      Json value = p["value"];
      auto add = [&](const std::string& how, const std::string& r, const std::string& k, const Json& v,
                     const std::string& pr) {
        forged.push_back(Json{{"name", name + "/" + how},
                              {"state_root", r},
                              {"key", k},
                              {"value", v},
                              {"proof", pr},
                              {"cpp", cpp_verdict(alg, r, k, v, pr)}});
      };
      add("wrong-root", flip(root, 31, 0x01), key, value, proof);
      add("other-key", root, key + "00", value, proof);
      if (value.is_null()) {
        add("claims-a-value", root, key, Json(hex(as_bytes(std::string_view("forged")))), proof);
      } else {
        add("flipped-value", root, key, Json(flip(value.get<std::string>(), 0, 0x01)), proof);
        add("claims-absent", root, key, Json(nullptr), proof);
      }
      // A byte in the last sibling (or leaf) and a bit in the kind byte.
      std::size_t bytes = proof.size() / 2;
      add("flipped-last-byte", root, key, value, flip(proof, bytes - 1, 0x80));
      add("flipped-kind", root, key, value, flip(proof, 0, 0x01));
      add("truncated", root, key, value, proof.substr(0, proof.size() - 2));
      add("trailing-byte", root, key, value, proof + "00");
    }
    for (const auto& f : forged) EXPECT_NE(f["cpp"], "valid") << f["name"];

    chains.push_back(Json{{"hash_alg", alg_name},
                          {"chain_id", chain_id},
                          {"genesis", *codec::parse_json(genesis_text)},
                          {"headers", headers},
                          {"proofs", proofs},
                          {"forged_proofs", forged},
                          {"sm2_transactions", sm2_txs}});
  }
  // Known answers from docs/storage.md, for a two-key tree, both algorithms.
  Json doc;
  doc["about"] =
      "Written by src/ledger/sdk_vectors_test.cpp (FORMICA_WRITE_VECTORS=1); checked byte for byte by it "
      "and by sdk/ts/test/vectors.test.ts. Each chain has 4 blocks (0..3).";
  doc["chains"] = chains;
  // Keep the SM2 signatures of both chains under one list for committed_sm2_signatures().
  Json all_sm2 = Json::array();
  for (const auto& ch : chains)
    for (const auto& t : ch["sm2_transactions"]) all_sm2.push_back(t);
  doc["sm2_transactions"] = all_sm2;
  write_or_check("chain.json", dump(doc));
}

// Transactions signed by the TypeScript SDK (committed once, never rewritten by this test):
// every one must pass the node's stateless checks, and a tampered copy must not.
TEST(SdkVectors, SdkSignaturesVerifyInCpp) {
  auto text = read_text(kDir / "sdk_signatures.json");
  if (!text) GTEST_SKIP() << "no sdk_signatures.json yet (written by sdk/ts npm run write-vectors)";
  auto doc = codec::parse_json(*text);
  ASSERT_TRUE(doc.ok());
  ASSERT_TRUE(doc->contains("transactions"));
  std::map<std::string, int> per_scheme;
  for (const auto& t : (*doc)["transactions"]) {
    std::string name = t["name"].get<std::string>();
    auto alg = crypto::parse_hash_alg(t["hash_alg"].get<std::string>());
    ASSERT_TRUE(alg.ok()) << name;
    auto tx = decode_transaction(unhex(t["tx_encoded"].get<std::string>()));
    ASSERT_TRUE(tx.ok()) << name << ": " << tx.error().to_string();
    TxCheckError why{};
    auto id = check_stateless(*tx, rules_for(tx->body.chain_id, *alg), &why);
    ASSERT_TRUE(id.ok()) << name << ": " << why.message;
    EXPECT_EQ(hex(*id), t["tx_id"].get<std::string>()) << name;
    EXPECT_EQ(address_text(tx->body.sender), t["sender_address"].get<std::string>()) << name;
    per_scheme[t["scheme"].get<std::string>()]++;
    // Deterministic schemes: the SDK's signature is exactly the one C++ makes from the same
    // secret (RFC 8032; RFC 6979 for secp256k1).
    if (t.contains("secret") && t["scheme"] != "sm2") {
      auto s = crypto::parse_scheme(t["scheme"].get<std::string>());
      auto k = crypto::PrivateKey::from_secret(*s, unhex(t["secret"].get<std::string>()));
      ASSERT_TRUE(k.ok());
      auto again = sign_transaction(tx->body, *k, *alg);
      ASSERT_TRUE(again.ok());
      EXPECT_EQ(hex(again->signature), hex(tx->signature)) << name;
    }
    // One flipped signature bit: refused.
    Transaction bad = *tx;
    bad.signature[bad.signature.size() / 2] ^= 0x01;
    EXPECT_FALSE(check_stateless(bad, rules_for(tx->body.chain_id, *alg)).ok()) << name;
  }
  EXPECT_GE(per_scheme["ed25519"], 2);
  EXPECT_GE(per_scheme["sm2"], 2);
  EXPECT_GE(per_scheme["secp256k1"], 2);
}

}  // namespace formica::ledger
