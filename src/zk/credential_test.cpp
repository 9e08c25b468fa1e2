// Formica ID credentials: completeness, soundness (wrong age, below threshold, revoked,
// expired, other verifier, replayed nonce, other issuer, tampered bytes), unlinkability.
#include "formica/zk/credential.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <set>

namespace formica::zk::cred {
namespace {

struct Fixture {
  IssuerSecret issuer;
  IssuerSecret other;
  Fixture() {
    std::vector<AttrDef> schema = {{"name", AttrType::kString},
                                   {"id_number", AttrType::kString},
                                   {"birth_date", AttrType::kDate},
                                   {"property_value", AttrType::kInt},
                                   {"city", AttrType::kString}};
    issuer = *make_issuer("gov-id", schema);
    other = *make_issuer("gov-id", schema);  // same id and schema, another key
  }
};
const Fixture& fx() {
  static const Fixture f;
  return f;
}

const TokenInfo kTi{3, 20271231};

Wallet wallet_for(const std::string& birth, const std::string& property, std::size_t n = 4,
                  const IssuerSecret* iss = nullptr, TokenInfo ti = kTi) {
  auto w =
      issue_locally(iss ? *iss : fx().issuer, {"Alice Example", "X1234567", birth, property, "Lyon"}, ti, n);
  EXPECT_TRUE(w.ok()) << w.error().to_string();
  return std::move(w).value();
}

Challenge cafe(std::string nonce = "cafe-nonce-0001") {
  return Challenge{"internet-cafe-42", to_bytes(nonce), 20261125};
}

std::vector<Predicate> preds(std::initializer_list<const char*> ps) {
  std::vector<Predicate> out;
  for (auto p : ps) {
    auto r = parse_predicate(p);
    EXPECT_TRUE(r.ok()) << p;
    out.push_back(*r);
  }
  return out;
}

TEST(Credential, Dates) {
  EXPECT_EQ(*parse_date("2008-02-29"), 20080229u);
  EXPECT_FALSE(parse_date("2007-02-29").ok());
  EXPECT_FALSE(parse_date("2007-13-01").ok());
  EXPECT_FALSE(parse_date("20070101").ok());
  EXPECT_EQ(format_date(20080229), "2008-02-29");
}

TEST(Credential, PredicateParsing) {
  EXPECT_EQ(parse_predicate("age>=18")->to_string(), "age>=18");
  EXPECT_EQ(parse_predicate("age>=18")->attr, "birth_date");
  EXPECT_EQ(parse_predicate("property_value >= 500000")->a, 500000);
  EXPECT_EQ(parse_predicate("x in [3, 9]")->b, 9);
  EXPECT_EQ(parse_predicate("birth_date<=2000-01-01")->a, 20000101);
  // Bounds outside [0, 2^63) built through the API are refused by the prover.
  auto w = wallet_for("1990-01-01", "10", 1);
  Predicate neg{Predicate::Op::kAtLeast, "property_value", std::numeric_limits<std::int64_t>::min(), 0};
  EXPECT_EQ(present(w, {neg}, {}, cafe()).code(), ErrorCode::kInvalidArgument);
  for (auto bad :
       {"age", "age>18", "x in [9,3]", "x>=-1", "X>=1", "x in 3,4", "age<=3", "x>=99999999999999999999"})
    EXPECT_FALSE(parse_predicate(bad).ok()) << bad;
}

TEST(Credential, AgeCompletenessAndBoundary) {
  // Born 2008-11-25: 18 on 2026-11-25 exactly.
  auto w = wallet_for("2008-11-25", "100");
  auto p = present(w, preds({"age>=18"}), {}, cafe());
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  auto bytes = p->encode();
  EXPECT_LT(bytes.size(), 2048u);
  auto v = verify_presentation(fx().issuer.pub, preds({"age>=18"}), {}, cafe(), bytes);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_TRUE(v->disclosed.empty());
  EXPECT_EQ(w.tokens.size(), 3u);  // one token used

  // One day younger: 17, refused by the prover with no output.
  auto young = wallet_for("2008-11-26", "100");
  auto q = present(young, preds({"age>=18"}), {}, cafe());
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(young.tokens.size(), 4u);  // nothing consumed
}

TEST(Credential, SeventeenCannotForgeThroughAnyPath) {
  auto young = wallet_for("2009-06-01", "100");
  // Path 1: prove an honest but weaker statement (age>=17) and relabel it as age>=18.
  auto p = present(young, preds({"age>=17"}), {}, cafe());
  ASSERT_TRUE(p.ok());
  p->predicates = preds({"age>=18"});
  EXPECT_EQ(verify_presentation(fx().issuer.pub, preds({"age>=18"}), {}, cafe(), p->encode()).code(),
            ErrorCode::kVerificationFailed);
  // Path 2: a wallet whose stored birth date is edited after issuance: the token no longer
  // matches the attributes, so the U-Prove proof fails.
  auto edited = wallet_for("2009-06-01", "100");
  edited.values[2] = "2000-01-01";
  auto e = present(edited, preds({"age>=18"}), {}, cafe());
  ASSERT_TRUE(e.ok());
  auto r = verify_presentation(fx().issuer.pub, preds({"age>=18"}), {}, cafe(), e->encode());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kVerificationFailed);
  // Path 3: keep the proof, change the date the verifier sees.
  auto p3 =
      present(young, preds({"age>=18"}), {}, Challenge{"internet-cafe-42", to_bytes("n-12345678"), 20271201});
  ASSERT_TRUE(p3.ok());  // honest in December 2027
  EXPECT_FALSE(
      verify_presentation(fx().issuer.pub, preds({"age>=18"}), {}, cafe("n-12345678"), p3->encode()).ok());
}

// The prover's internals without the truth check: the false difference wraps (mod q, its bits
// mod 2^n), the range proof is made anyway, and verification refuses it.
TEST(Credential, ForgedRangeProofOfAFalseStatementFails) {
  auto young = wallet_for("2008-11-26", "499999");  // 17 on 2026-11-25
  auto p = detail::present_unchecked(young, preds({"age>=18"}), {}, cafe());
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  auto r = verify_presentation(fx().issuer.pub, preds({"age>=18"}), {}, cafe(), p->encode());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("age>=18 is not proven"), std::string::npos) << r.error().message;
  auto q = detail::present_unchecked(young, preds({"property_value>=500000"}), {}, cafe());
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(
      verify_presentation(fx().issuer.pub, preds({"property_value>=500000"}), {}, cafe(), q->encode()).ok());
  auto i = detail::present_unchecked(young, preds({"property_value in [0,400000]"}), {}, cafe());
  ASSERT_TRUE(i.ok());
  EXPECT_FALSE(
      verify_presentation(fx().issuer.pub, preds({"property_value in [0,400000]"}), {}, cafe(), i->encode())
          .ok());
  // The same hook on a true statement verifies (the hook itself is sound).
  auto t = detail::present_unchecked(young, preds({"age>=17"}), {}, cafe());
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(verify_presentation(fx().issuer.pub, preds({"age>=17"}), {}, cafe(), t->encode()).ok());
}

TEST(Credential, PropertyThresholdAndDisclosure) {
  auto w = wallet_for("1980-03-04", "750000");
  Challenge embassy{"embassy-fr", to_bytes("embassy-nonce-77"), 20261125};
  auto ps = preds({"property_value>=500000"});
  auto p = present(w, ps, {"city"}, embassy);
  ASSERT_TRUE(p.ok());
  auto v = verify_presentation(fx().issuer.pub, ps, {"city"}, embassy, p->encode());
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  ASSERT_EQ(v->disclosed.size(), 1u);
  EXPECT_EQ(v->disclosed["city"], "Lyon");
  // Below threshold: the prover refuses.
  auto poor = wallet_for("1980-03-04", "499999");
  EXPECT_EQ(present(poor, ps, {}, embassy).code(), ErrorCode::kFailedPrecondition);
  // A relabelled lower threshold fails.
  auto lower = present(poor, preds({"property_value>=400000"}), {}, embassy);
  ASSERT_TRUE(lower.ok());
  lower->predicates = ps;
  EXPECT_FALSE(verify_presentation(fx().issuer.pub, ps, {}, embassy, lower->encode()).ok());
  // Intervals and upper bounds, several predicates at once.
  auto many = preds({"property_value in [700000,800000]", "birth_date<=1990-01-01", "age>=40"});
  auto m = present(w, many, {}, embassy);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_TRUE(verify_presentation(fx().issuer.pub, many, {}, embassy, m->encode()).ok());
  EXPECT_FALSE(present(w, preds({"property_value in [800000,900000]"}), {}, embassy).ok());
  EXPECT_FALSE(present(w, preds({"property_value<=700000"}), {}, embassy).ok());
}

TEST(Credential, ReplayOtherVerifierDateIssuerExpiredRevoked) {
  auto w = wallet_for("1990-01-01", "10");
  auto ps = preds({"age>=18"});
  auto bytes = present(w, ps, {}, cafe())->encode();
  auto reason = [&](const IssuerPublic& ip, const Challenge& ch, std::uint64_t min_epoch = 0) {
    auto r = verify_presentation(ip, ps, {}, ch, bytes, min_epoch);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.error().message;
  };
  EXPECT_TRUE(verify_presentation(fx().issuer.pub, ps, {}, cafe(), bytes).ok());
  EXPECT_NE(reason(fx().issuer.pub, cafe("another-nonce-1")).find("replayed"), std::string::npos);
  EXPECT_NE(reason(fx().issuer.pub, Challenge{"embassy-fr", to_bytes("cafe-nonce-0001"), 20261125})
                .find("another verifier"),
            std::string::npos);
  EXPECT_NE(reason(fx().issuer.pub, Challenge{"internet-cafe-42", to_bytes("cafe-nonce-0001"), 20261126})
                .find("another date"),
            std::string::npos);
  // Another issuer with the same id and schema: the token signature fails.
  EXPECT_NE(reason(fx().other.pub, cafe()).find("signature"), std::string::npos);
  // Revoked: the chain raised the issuer's minimum epoch above the token's.
  EXPECT_NE(reason(fx().issuer.pub, cafe(), 4).find("revoked"), std::string::npos);
  // A prover who rewrites the verifier id inside the presentation breaks the proof.
  auto p = Presentation::decode(bytes);
  ASSERT_TRUE(p.ok());
  p->challenge.verifier_id = "embassy-fr";
  auto r = verify_presentation(fx().issuer.pub, ps, {},
                               Challenge{"embassy-fr", to_bytes("cafe-nonce-0001"), 20261125}, p->encode());
  EXPECT_FALSE(r.ok());
  // Expired tokens.
  auto old = wallet_for("1990-01-01", "10", 1, nullptr, TokenInfo{3, 20261124});
  EXPECT_EQ(present(old, ps, {}, cafe()).code(), ErrorCode::kFailedPrecondition);
  auto old2 = wallet_for("1990-01-01", "10", 1, nullptr, TokenInfo{3, 20261124});
  auto honest_then =
      present(old2, ps, {}, Challenge{"internet-cafe-42", to_bytes("cafe-nonce-0001"), 20261124});
  ASSERT_TRUE(honest_then.ok());
  auto ex = verify_presentation(fx().issuer.pub, ps, {},
                                Challenge{"internet-cafe-42", to_bytes("cafe-nonce-0001"), 20261124},
                                honest_then->encode());
  EXPECT_TRUE(ex.ok());
  auto ex2 = verify_presentation(fx().issuer.pub, ps, {}, cafe(), honest_then->encode());
  EXPECT_FALSE(ex2.ok());
}

TEST(Credential, DisclosedIntegersAreCanonical) {
  auto w = wallet_for("1990-01-01", "42");
  auto p = present(w, {}, {"birth_date", "property_value"}, cafe());
  ASSERT_TRUE(p.ok());
  auto v = verify_presentation(fx().issuer.pub, {}, {"birth_date", "property_value"}, cafe(), p->encode());
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(v->disclosed["birth_date"], "1990-01-01");
  EXPECT_EQ(v->disclosed["property_value"], "42");
  // The same integer with a leading zero byte would pass U-Prove (same x_i): refused.
  auto q = *p;
  q.proof.disclosed[1]->insert(q.proof.disclosed[1]->begin(), 0);
  auto r = verify_presentation(fx().issuer.pub, {}, {"birth_date", "property_value"}, cafe(), q.encode());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("canonical"), std::string::npos);
}

// "int or string" attributes (the CLI's default): integers take predicates, strings are
// disclosed as text, and a string value never satisfies an integer predicate.
TEST(Credential, IntOrStringAttributes) {
  auto iss = *make_issuer("registry", {{"owner", AttrType::kAuto}, {"property", AttrType::kAuto}});
  auto rich = *issue_locally(iss, {"Amira Haddad", "750000"}, kTi, 3);
  auto p = present(rich, preds({"property>=500000"}), {"owner"}, cafe());
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  auto v = verify_presentation(iss.pub, preds({"property>=500000"}), {"owner"}, cafe(), p->encode());
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(v->disclosed["owner"], "Amira Haddad");
  // A string value (or a non-canonical number, which is a string) is refused by the prover and
  // its forced proof does not verify.
  for (const char* value : {"a lot", "0750000"}) {
    auto odd = *issue_locally(iss, {"Jon", value}, kTi, 2);
    auto q = present(odd, preds({"property>=0"}), {}, cafe());
    EXPECT_EQ(q.code(), ErrorCode::kFailedPrecondition) << value;
    auto f = detail::present_unchecked(odd, preds({"property<=99999999"}), {}, cafe());
    if (f.ok()) {
      EXPECT_FALSE(verify_presentation(iss.pub, preds({"property<=99999999"}), {}, cafe(), f->encode()).ok());
    }
    auto d = present(odd, {}, {"property"}, cafe());
    ASSERT_TRUE(d.ok());
    auto dv = verify_presentation(iss.pub, {}, {"property"}, cafe(), d->encode());
    ASSERT_TRUE(dv.ok()) << dv.error().to_string();
    EXPECT_EQ(dv->disclosed["property"], value);
  }
  // Too long for the inline form.
  EXPECT_FALSE(issue_locally(iss, {std::string(31, 'x'), "1"}, kTi, 1).ok());
}

TEST(Credential, EveryByteFlipIsRejected) {
  auto w = wallet_for("1990-01-01", "10");
  auto ps = preds({"age>=18"});
  auto bytes = present(w, ps, {"city"}, cafe())->encode();
  ASSERT_TRUE(verify_presentation(fx().issuer.pub, ps, {"city"}, cafe(), bytes).ok());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto b = bytes;
    b[i] ^= 0x01;
    EXPECT_FALSE(verify_presentation(fx().issuer.pub, ps, {"city"}, cafe(), b).ok()) << "byte " << i;
  }
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, bytes.size() / 2, bytes.size() - 1}) {
    Bytes b(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(verify_presentation(fx().issuer.pub, ps, {"city"}, cafe(), b).code(), ErrorCode::kMalformed);
  }
  auto longer = bytes;
  longer.push_back(0);
  EXPECT_EQ(verify_presentation(fx().issuer.pub, ps, {"city"}, cafe(), longer).code(), ErrorCode::kMalformed);
}

// Two presentations of one holder (one wallet, two tokens) to two verifiers: apart from
// issuer-wide constants and each verifier's own challenge, no 8-byte window of one occurs in
// the other.
TEST(Credential, TwoPresentationsShareNoValue) {
  auto w = wallet_for("1990-01-01", "900000");
  auto a = present(w, preds({"age>=18"}), {}, cafe())->encode();
  auto b = present(w, preds({"age>=18"}), {}, cafe("cafe-nonce-0002"))->encode();
  auto c = present(w, preds({"property_value>=500000"}), {},
                   Challenge{"embassy-fr", to_bytes("emb-n-0003"), 20261125});
  ASSERT_TRUE(c.ok());
  auto pa = *Presentation::decode(a);
  auto pb = *Presentation::decode(b);
  // The per-presentation values, field by field.
  auto fields = [](const Presentation& p) {
    std::vector<Bytes> f;
    auto add = [&](auto arr) { f.push_back(Bytes(arr.begin(), arr.end())); };
    add(p.token.h.encode());
    add(p.token.sigma_z.encode());
    add(p.token.sigma_c.encode());
    add(p.token.sigma_r.encode());
    f.push_back(p.proof.a);
    add(p.proof.r0.encode());
    for (const auto& r : p.proof.r) add(r.encode());
    for (const auto& t : p.proof.tilde_c) add(t.encode());
    for (const auto& t : p.proof.tilde_a) f.push_back(t);
    for (const auto& t : p.proof.tilde_r) add(t.encode());
    for (const auto& r : p.range_proofs) f.push_back(r);
    f.push_back(uprove::token_id(p.token));
    return f;
  };
  std::set<Bytes> windows;
  for (const auto& f : fields(pa))
    for (std::size_t i = 0; i + 8 <= f.size(); ++i) windows.insert(Bytes(f.begin() + i, f.begin() + i + 8));
  for (const auto& f : fields(pb))
    for (std::size_t i = 0; i + 8 <= f.size(); ++i)
      EXPECT_EQ(windows.count(Bytes(f.begin() + i, f.begin() + i + 8)), 0u) << "shared window";
  // The only common bytes are the issuer id, TI, the predicate and the verifier's own id.
  EXPECT_EQ(pa.token.ti, pb.token.ti);
  EXPECT_EQ(pa.issuer_id, pb.issuer_id);
  // And across the whole encodings from the token on (what follows the issuer id, the
  // challenge, the predicates and TI): no 16-byte window in common.
  auto tail = [](const Bytes& enc, const Presentation& p) {
    auto h = p.token.h.encode();
    auto it = std::search(enc.begin(), enc.end(), h.begin(), h.end());
    EXPECT_NE(it, enc.end());
    return Bytes(it, enc.end());
  };
  const Bytes ta = tail(a, pa), tb = tail(b, pb);
  std::set<Bytes> wa;
  for (std::size_t i = 0; i + 16 <= ta.size(); ++i) wa.insert(Bytes(ta.begin() + i, ta.begin() + i + 16));
  std::size_t shared = 0;
  for (std::size_t i = 0; i + 16 <= tb.size(); ++i)
    shared += wa.count(Bytes(tb.begin() + i, tb.begin() + i + 16));
  EXPECT_EQ(shared, 0u);
}

TEST(Credential, IssuanceMessagesOverTheWire) {
  const auto& iss = fx().issuer;
  IssuanceRequest rq{"gov-id", "citizen-1", {"Bob", "Y7", "2001-05-05", "5", "Paris"}, 3};
  auto rq2 = IssuanceRequest::decode(rq.encode());
  ASSERT_TRUE(rq2.ok());
  auto attrs = encode_attributes(iss.pub, rq2->values);
  ASSERT_TRUE(attrs.ok());
  const Bytes ti = kTi.encode();
  auto is =
      uprove::IssuerSession<G>::start(uprove::IssuerKey<G>{iss.pub.params, iss.y0}, *attrs, ti, rq2->count);
  ASSERT_TRUE(is.ok());
  auto offer = IssuanceOffer::decode(IssuanceOffer{kTi, is->first()}.encode());
  ASSERT_TRUE(offer.ok());
  auto ps = uprove::ProverSession<G>::start(iss.pub.params, *attrs, offer->ti.encode(), {});
  ASSERT_TRUE(ps.ok());
  auto m2 = decode_second(encode_second(*ps->second(offer->m1)));
  ASSERT_TRUE(m2.ok());
  auto m3 = decode_third(encode_third(*is->respond(*m2)));
  ASSERT_TRUE(m3.ok());
  auto toks = ps->finish(*m3);
  ASSERT_TRUE(toks.ok());
  Wallet w;
  w.issuer = iss.pub;
  w.values = rq.values;
  w.ti = kTi;
  w.tokens = *toks;
  auto w2 = Wallet::decode(w.encode());
  ASSERT_TRUE(w2.ok()) << w2.error().to_string();
  EXPECT_EQ(w2->encode(), w.encode());
  auto p = present(*w2, preds({"age>=18"}), {"name"}, cafe());
  ASSERT_TRUE(p.ok());
  auto v = verify_presentation(iss.pub, preds({"age>=18"}), {"name"}, cafe(), p->encode());
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(v->disclosed["name"], "Bob");
  // Keys round-trip.
  auto sk = IssuerSecret::decode(iss.encode());
  ASSERT_TRUE(sk.ok());
  EXPECT_EQ(sk->pub.encode(), iss.pub.encode());
  EXPECT_FALSE(IssuerPublic::decode(Bytes{1, 2, 3}).ok());
}

}  // namespace
}  // namespace formica::zk::cred
