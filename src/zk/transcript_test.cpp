#include "formica/zk/transcript.h"

#include <gtest/gtest.h>

#include "formica/zk/pedersen.h"
#include "formica/zk/ristretto255.h"

namespace formica::zk {
namespace {

ByteArray<48> run(std::string_view protocol, std::string_view ctx, std::string_view label,
                  std::string_view data) {
  Transcript t(protocol, as_bytes(ctx));
  t.append(label, as_bytes(data));
  return t.challenge_bytes("c");
}

TEST(Transcript, DeterministicAndDomainSeparated) {
  const auto base = run("P", "ctx", "label", "data");
  EXPECT_EQ(base, run("P", "ctx", "label", "data"));
  EXPECT_NE(base, run("Q", "ctx", "label", "data"));   // protocol
  EXPECT_NE(base, run("P", "ctx2", "label", "data"));  // context
  EXPECT_NE(base, run("P", "ctx", "label2", "data"));  // label
  EXPECT_NE(base, run("P", "ctx", "label", "data2"));  // message
  // Length prefixes keep the label/data boundary: ("ab","c") differs from ("a","bc").
  EXPECT_NE(run("P", "ctx", "ab", "c"), run("P", "ctx", "a", "bc"));
  EXPECT_NE(run("P", "ctxl", "abel", "data"), base);
}

TEST(Transcript, ChallengesDependOnEverythingBefore) {
  Transcript a("P", {}), b("P", {});
  a.append_u64("n", 1);
  b.append_u64("n", 2);
  EXPECT_FALSE(a.challenge<Ristretto255>("x") == b.challenge<Ristretto255>("x"));
  Transcript c("P", {});
  const auto x1 = c.challenge<Ristretto255>("x");
  const auto x2 = c.challenge<Ristretto255>("x");  // the label is absorbed again: fresh value
  EXPECT_FALSE(x1 == x2);
}

TEST(Pedersen, HomomorphicAndBinding) {
  PedersenGens<Ristretto255> pc;
  using S = RistrettoScalar;
  const S v1 = S::from_u64(10), v2 = S::from_u64(32), r1 = S::random(), r2 = S::random();
  EXPECT_TRUE(pc.commit(v1, r1) + pc.commit(v2, r2) == pc.commit(v1 + v2, r1 + r2));
  EXPECT_FALSE(pc.commit(v1, r1) == pc.commit(v2, r1));
  EXPECT_TRUE(pc.commit(S(), r1) == pc.blinding() * r1);
  EXPECT_FALSE(pc.blinding() == pc.base());
  EXPECT_FALSE(pc.blinding().is_identity());
  // Fixed: the blinding generator is a published constant of the protocol.
  EXPECT_TRUE(PedersenGens<Ristretto255>().blinding() == pc.blinding());
}

}  // namespace
}  // namespace formica::zk
