// U-Prove: the specification's P-256 test vectors byte for byte (issuance, token, presentation,
// committed attributes, scope pseudonym), hash formatting, and soundness on both groups.
#include "formica/zk/uprove.h"

#include <gtest/gtest.h>

#include <deque>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "formica/base/encoding.h"

namespace formica::zk::uprove {
namespace {

using Vec = std::map<std::string, std::string>;
using base::to_hex;

std::string path(const std::string& f) { return std::string(FORMICA_VECTORS_DIR) + "/uprove/" + f; }

Vec load_json(const std::string& f) {
  std::ifstream in(path(f));
  auto j = nlohmann::json::parse(in);
  Vec v;
  for (auto& [k, val] : j.items())
    if (val.is_string()) v[k] = val.get<std::string>();
  return v;
}

Vec load_txt(const std::string& f) {
  std::ifstream in(path(f));
  Vec v;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    std::string k = line.substr(0, eq);
    for (auto& ch : k)
      if (ch == '.') ch = '_';
    v[k] = line.substr(eq + 3);
  }
  return v;
}

Bytes hx(const std::string& s) {
  auto r = base::from_hex(s.size() % 2 ? "0" + s : s);
  EXPECT_TRUE(r.ok()) << s;
  return r.ok() ? *r : Bytes{};
}
Bytes pad32(const std::string& s) {
  Bytes b = hx(s);
  Bytes out(32 - std::min<std::size_t>(32, b.size()), 0);
  base::append(out, b);
  return out;
}
P256Scalar sc(const std::string& s) {
  auto r = P256Scalar::decode(pad32(s));
  EXPECT_TRUE(r.ok()) << s;
  return r.ok() ? *r : P256Scalar();
}
P256Point pt(const std::string& x, const std::string& y) {
  Bytes yb = pad32(y);
  Bytes enc{static_cast<std::uint8_t>(2 + (yb[31] & 1))};
  base::append(enc, pad32(x));
  auto r = P256Point::decode(enc);
  EXPECT_TRUE(r.ok()) << x;
  if (!r.ok()) return P256Point();
  EXPECT_EQ(to_hex(r->affine().second), to_hex(yb));
  return *r;
}
P256Point pt(const Vec& v, const std::string& name) { return pt(v.at(name + "_x"), v.at(name + "_y")); }

std::string sh(const P256Scalar& s) { return to_hex(s.encode()); }
std::string ph(const P256Point& p) { return to_hex(GroupProfile<P256>::point_bytes(p)); }
std::string ph(const Vec& v, const std::string& name) {
  return "04" + to_hex(pad32(v.at(name + "_x"))) + to_hex(pad32(v.at(name + "_y")));
}

// The recommended parameters profile's P-256 issuer generators g1..g5 and gt.
const char* kRec[][2] = {
    {"f1b986d5d11f43483ae736e886af750e870d7f0c2312aad8db5c8a3e34f5391e",
     "64347b7f493187a53b370894b8f8e38fd22cb99302393d79dce225918eba61ee"},
    {"1554cf983e0b060c78705ed7d14a4941b02e608cdb78f6a75a52345978141fd3",
     "62540e690c8fa9fe107e2141dfc6907f74f5feebdf5b12d7153b4635a2df6a76"},
    {"32791a779e9aa475ba2666a0e47a928b21ab1905faaf48bb8062bae9009eb27d",
     "1874ba86ea194fb14dcce9fa22366f4735caea2119beb63f2baec19a9e93a545"},
    {"c0efadb5c3015e42c1d71ac390c4d22a6f5d552f63bbcc59190aea6aee16354a",
     "53f0133ea44da20c509a4e5be9b027dbe13e3a60439dbe72084b0c75a049723f"},
    {"bd5f29df6640493ff96c6cbc49cb8e5f61462792db75f20ef49bf86e260dc955",
     "204c440ef8c6eb2bec0c343ace9c6d64e188c8b4f0613d64846adbdc3d8fdfad"},
};
const char* kGt[2] = {"e2ab81def593e999c975a8a48668b9a07e5594cfd68fac29f17a811cb26b3e10",
                      "756311f896c503ecdb2f608a1ccbfa378a95eb4578e65f190f1a8b544d20b082"};

std::vector<std::size_t> indices(const Vec& v, const std::string& k) {
  std::vector<std::size_t> out;
  auto it = v.find(k);
  if (it == v.end()) return out;
  std::stringstream ss(it->second);
  std::string tok;
  while (std::getline(ss, tok, ','))
    if (!tok.empty()) out.push_back(std::stoul(tok));
  return out;
}

RandomScalar<P256> queue(std::deque<P256Scalar> q) {
  auto shared = std::make_shared<std::deque<P256Scalar>>(std::move(q));
  return [shared]() {
    EXPECT_FALSE(shared->empty()) << "vector randomness exhausted";
    if (shared->empty()) return P256Scalar::random();
    auto s = shared->front();
    shared->pop_front();
    return s;
  };
}

void run_vector(const Vec& v) {
  IssuerKey<P256> key;
  auto& ip = key.params;
  ip.uid_p = hx(v.at("UIDp"));
  key.y0 = sc(v.at("y0"));
  ip.g.push_back(pt(v, "g0"));
  EXPECT_EQ(ph(P256Point::mul_base(key.y0)), ph(ip.g[0]));
  std::vector<std::optional<Bytes>> attrs;
  for (int i = 1; i <= 5; ++i) {
    ip.g.push_back(pt(kRec[i - 1][0], kRec[i - 1][1]));
    ip.e.push_back(hx(v.at("e" + std::to_string(i)))[0]);
    attrs.push_back(hx(v.at("A" + std::to_string(i))));
  }
  ip.gt = pt(kGt[0], kGt[1]);
  ip.spec = hx(v.at("S"));
  ASSERT_TRUE(ip.validate().ok());
  EXPECT_EQ(to_hex(ip.digest()), v.at("P"));
  const Bytes ti = hx(v.at("TI")), pi = hx(v.at("PI"));
  EXPECT_EQ(sh(compute_xt(ip, ti)), to_hex(pad32(v.at("xt"))));
  for (int i = 1; i <= 5; ++i) {
    auto x = compute_xi(ip, i, attrs[i - 1]);
    ASSERT_TRUE(x.ok());
    EXPECT_EQ(sh(*x), to_hex(pad32(v.at("x" + std::to_string(i))))) << i;
  }

  // Issuance.
  auto issuer = IssuerSession<P256>::start(key, attrs, ti, 1, queue({sc(v.at("w"))}));
  ASSERT_TRUE(issuer.ok()) << issuer.error().to_string();
  const auto& m1 = issuer->first();
  EXPECT_EQ(ph(m1.sigma_z), ph(v, "sigmaZ"));
  EXPECT_EQ(ph(m1.sigma_a[0]), ph(v, "sigmaA"));
  EXPECT_EQ(ph(m1.sigma_b[0]), ph(v, "sigmaB"));
  auto prover = ProverSession<P256>::start(ip, attrs, ti, pi,
                                           queue({sc(v.at("alpha")), sc(v.at("beta1")), sc(v.at("beta2"))}));
  ASSERT_TRUE(prover.ok());
  EXPECT_EQ(ph(prover->gamma()), ph(v, "gamma"));
  auto m2 = prover->second(m1);
  ASSERT_TRUE(m2.ok());
  EXPECT_EQ(sh(m2->sigma_c[0]), to_hex(pad32(v.at("sigmaC"))));
  EXPECT_EQ(ph(prover->pending()[0].h), ph(v, "h"));
  EXPECT_EQ(ph(prover->pending()[0].sigma_z), ph(v, "sigmaZPrime"));
  EXPECT_EQ(sh(prover->pending()[0].sigma_c), to_hex(pad32(v.at("sigmaCPrime"))));
  auto m3 = issuer->respond(*m2);
  ASSERT_TRUE(m3.ok());
  EXPECT_EQ(sh(m3->sigma_r[0]), to_hex(pad32(v.at("sigmaR"))));
  EXPECT_FALSE(issuer->respond(*m2).ok());  // w is gone
  auto toks = prover->finish(*m3);
  ASSERT_TRUE(toks.ok()) << toks.error().to_string();
  const auto& tok = (*toks)[0];
  EXPECT_EQ(sh(tok.token.sigma_r), to_hex(pad32(v.at("sigmaRPrime"))));
  EXPECT_EQ(sh(tok.alpha_inv), to_hex(pad32(v.at("alphaInverse"))));
  EXPECT_EQ(to_hex(token_id(tok.token)), v.at("UIDt"));

  // Presentation.
  ProofRequest<P256> req;
  req.disclosed = indices(v, "D");
  req.committed = indices(v, "C");
  req.m = hx(v.at("m"));
  req.md = v.count("md") ? hx(v.at("md")) : Bytes{};
  req.commit_base = ip.g[1];
  std::deque<P256Scalar> rnd = {sc(v.at("w0"))};
  for (auto i : indices(v, "U")) rnd.push_back(sc(v.at("w" + std::to_string(i))));
  for (auto i : req.committed) {
    rnd.push_back(sc(v.at("tildeO" + std::to_string(i))));
    rnd.push_back(sc(v.at("tildeW" + std::to_string(i))));
  }
  if (v.count("p") && v.count("gs_x")) req.pseudonym = Pseudonym<P256>{std::stoul(v.at("p")), pt(v, "gs")};
  auto pres = prove(ip, tok, attrs, req, queue(rnd));
  ASSERT_TRUE(pres.ok()) << pres.error().to_string();
  const auto& pf = pres->proof;
  EXPECT_EQ(to_hex(pf.a), to_hex(pad32(v.at("a"))));
  EXPECT_EQ(sh(pf.r0), to_hex(pad32(v.at("r0"))));
  auto u = indices(v, "U");
  ASSERT_EQ(pf.r.size(), u.size());
  for (std::size_t j = 0; j < u.size(); ++j)
    EXPECT_EQ(sh(pf.r[j]), to_hex(pad32(v.at("r" + std::to_string(u[j])))));
  for (std::size_t j = 0; j < req.committed.size(); ++j) {
    const std::string i = std::to_string(req.committed[j]);
    EXPECT_EQ(ph(pf.tilde_c[j]), ph(v, "tildeC" + i));
    EXPECT_EQ(to_hex(pf.tilde_a[j]), to_hex(pad32(v.at("tildeA" + i))));
    EXPECT_EQ(sh(pf.tilde_r[j]), to_hex(pad32(v.at("tildeR" + i))));
  }
  if (req.pseudonym) {
    EXPECT_EQ(to_hex(pf.ap), to_hex(pad32(v.at("ap"))));
    EXPECT_EQ(ph(*pf.ps), ph(v, "Ps"));
  }
  EXPECT_TRUE(verify(ip, tok.token, req, pf).ok());
  // Any change to the message, the proof or the token fails.
  auto req2 = req;
  req2.m.push_back(0);
  EXPECT_FALSE(verify(ip, tok.token, req2, pf).ok());
  auto pf2 = pf;
  pf2.r0 = pf2.r0 + P256Scalar::from_u64(1);
  EXPECT_FALSE(verify(ip, tok.token, req, pf2).ok());
  auto t2 = tok.token;
  t2.sigma_r = t2.sigma_r + P256Scalar::from_u64(1);
  EXPECT_FALSE(verify(ip, t2, req, pf).ok());
}

TEST(UProve, HashFormattingVectors) {
  auto v = load_json("testvectors_hashing.json");
  EXPECT_EQ(to_hex(Hasher(HashId::kSha256).byte(1).digest()), v.at("hash_byte_digest"));
  EXPECT_EQ(to_hex(Hasher(HashId::kSha256).octets(hx("0102030405")).digest()),
            v.at("hash_octectstring_digest"));
  EXPECT_EQ(to_hex(Hasher(HashId::kSha256).null().digest()), v.at("hash_null_digest"));
  EXPECT_EQ(to_hex(Hasher(HashId::kSha256).u32(3).byte(1).octets(hx("0102030405")).null().digest()),
            v.at("hash_list_digest"));
  Hasher g(HashId::kSha256);
  GroupProfile<P256>::hash_desc(g);
  EXPECT_EQ(to_hex(g.digest()), v.at("hash_group_EC_digest"));
}

TEST(UProve, SpecVectorsLiteD0) { run_vector(load_json("testvectors_EC_D0_lite_doc.json")); }
TEST(UProve, SpecVectorsLiteD2) { run_vector(load_json("testvectors_EC_D2_lite_doc.json")); }
TEST(UProve, SpecVectorsLiteD5) { run_vector(load_json("testvectors_EC_D5_lite_doc.json")); }
TEST(UProve, SpecVectorsCommittedAndPseudonymD2) { run_vector(load_txt("testvectors_EC_D2_doc.txt")); }

// Ristretto255 profile: a batch, committed attributes, and rejections.
TEST(UProve, RistrettoBatchAndSoundness) {
  using G = Ristretto255;
  IssuerKey<G> key;
  key.y0 = RistrettoScalar::random();
  key.params.uid_p = to_bytes("test-issuer");
  key.params.g.push_back(RistrettoPoint::mul_base(key.y0));
  for (int i = 1; i <= 3; ++i)
    key.params.g.push_back(
        RistrettoPoint::hash_to_group(as_bytes(std::to_string(i)), as_bytes("uprove-test")));
  key.params.gt = RistrettoPoint::hash_to_group(as_bytes("t"), as_bytes("uprove-test"));
  key.params.e = {1, 0, 0};
  std::vector<std::optional<Bytes>> attrs = {to_bytes("Alice"), Bytes{0x01, 0x35, 0x3c, 0x0d}, Bytes{0x07}};
  auto iss = IssuerSession<G>::start(key, attrs, as_bytes("ti"), 5);
  ASSERT_TRUE(iss.ok());
  auto pr = ProverSession<G>::start(key.params, attrs, as_bytes("ti"), {});
  ASSERT_TRUE(pr.ok());
  auto m2 = pr->second(iss->first());
  ASSERT_TRUE(m2.ok());
  auto m3 = iss->respond(*m2);
  ASSERT_TRUE(m3.ok());
  auto toks = pr->finish(*m3);
  ASSERT_TRUE(toks.ok()) << toks.error().to_string();
  ASSERT_EQ(toks->size(), 5u);
  ProofRequest<G> req;
  req.disclosed = {1};
  req.committed = {2};
  req.m = to_bytes("verifier A nonce 1");
  req.commit_base = RistrettoPoint::hash_to_group(as_bytes("B"), as_bytes("uprove-test"));
  for (const auto& t : *toks) {
    auto p = prove(key.params, t, attrs, req);
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(verify(key.params, t.token, req, p->proof).ok());
    // The commitment opens to the attribute.
    EXPECT_TRUE(p->proof.tilde_c[0] == RistrettoPoint::mul_base(RistrettoScalar::from_u64(0x01353c0d)) +
                                           req.commit_base * p->tilde_o[0]);
    auto bad = p->proof;
    bad.disclosed[0] = to_bytes("Mallory");
    EXPECT_FALSE(verify(key.params, t.token, req, bad).ok());
  }
  // A tampered first message yields no token.
  auto pr2 = ProverSession<G>::start(key.params, attrs, as_bytes("ti"), {});
  auto m1 = iss->first();
  m1.sigma_b[0] = m1.sigma_b[0] + RistrettoPoint::generator();
  auto m2b = pr2->second(m1);
  ASSERT_TRUE(m2b.ok());
  ThirdMessage<G> fake{std::vector<RistrettoScalar>(5)};
  EXPECT_FALSE(pr2->finish(fake).ok());
}

}  // namespace
}  // namespace formica::zk::uprove
