#include "formica/gs1/digital_link.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ai_dictionary.h"
#include "formica/gs1/identifiers.h"

namespace formica::gs1 {
namespace {

TEST(CheckDigit, KnownKeys) {
  EXPECT_EQ(check_digit("0401234511111"), '8');  // GTIN 04012345111118
  EXPECT_TRUE(has_valid_check_digit("04012345111118"));
  EXPECT_FALSE(has_valid_check_digit("04012345111119"));
  EXPECT_TRUE(has_valid_check_digit("340123451111111111"));  // SSCC
  EXPECT_TRUE(has_valid_check_digit("4012345000054"));       // GLN
}

struct RoundTrip {
  const char* epc;
  std::size_t gcp;
  const char* dl;
};

// One per key type (GTIN/SGTIN, LGTIN, GTIN class, SSCC, GLN/SGLN with and without extension,
// GRAI, GIAI, GSRN, GSRNP, GDTI, GCN, CPID, GINC, GSIN, ITIP, UPUI, PGLN).
const RoundTrip kRoundTrips[] = {
    {"urn:epc:id:sgtin:4012345.011111.9876", 7, "https://id.gs1.org/01/04012345111118/21/9876"},
    {"urn:epc:class:lgtin:4012345.012345.Lot987", 7, "https://id.gs1.org/01/04012345123456/10/Lot987"},
    {"urn:epc:idpat:sgtin:4054739.099914.*", 7, "https://id.gs1.org/01/04054739999148"},
    {"urn:epc:id:sscc:4012345.3111111111", 7, "https://id.gs1.org/00/340123451111111111"},
    {"urn:epc:id:sgln:4012345.00005.122", 7, "https://id.gs1.org/414/4012345000054/254/122"},
    {"urn:epc:id:sgln:4012345.00005.0", 7, "https://id.gs1.org/414/4012345000054"},
    {"urn:epc:id:grai:4012345.00022.334455", 7, "https://id.gs1.org/8003/04012345000221334455"},
    {"urn:epc:id:giai:4012345.ABC345", 7, "https://id.gs1.org/8004/4012345ABC345"},
    {"urn:epc:id:gsrn:4012345.0000006765", 7, "https://id.gs1.org/8018/401234500000067657"},
    {"urn:epc:id:gsrnp:4012345.0000000007", 7, "https://id.gs1.org/8017/401234500000000074"},
    {"urn:epc:id:gdti:4012345.00009.PO-4711", 7, "https://id.gs1.org/253/4012345000092PO-4711"},
    {"urn:epc:id:sgcn:4012345.99999.44", 7, "https://id.gs1.org/255/401234599999044"},
    {"urn:epc:id:cpi:4012345.ABC.123", 7, "https://id.gs1.org/8010/4012345ABC/8011/123"},
    {"urn:epc:id:ginc:4012345.333", 7, "https://id.gs1.org/401/4012345333"},
    {"urn:epc:id:gsin:4012345.222333444", 7, "https://id.gs1.org/402/40123452223334442"},
    {"urn:epc:id:itip:4012345.011111.01.02.987", 7, "https://id.gs1.org/8006/040123451111180102/21/987"},
    {"urn:epc:id:upui:4012345.012345.AB12", 7, "https://id.gs1.org/01/04012345123456/235/AB12"},
    {"urn:epc:id:pgln:4000001.00000", 7, "https://id.gs1.org/417/4000001000005"},
    {"urn:epc:id:sgtin:4012345.011111.12.5", 7, "https://id.gs1.org/01/04012345111118/21/12.5"},  // fuzz find
    {"urn:epc:id:sgtin:0614141.812345.6789%2F", 7, "https://id.gs1.org/01/80614141123458/21/6789%2F"},
};

TEST(DigitalLink, RoundTripsWithEpcUrisForEveryKeyType) {
  for (const auto& rt : kRoundTrips) {
    SCOPED_TRACE(rt.epc);
    auto epc = parse_epc_uri(rt.epc);
    ASSERT_TRUE(epc.ok()) << epc.error().to_string();
    EXPECT_EQ(digital_link_uri(epc->id), rt.dl);
    auto dl = parse_digital_link(rt.dl);
    ASSERT_TRUE(dl.ok()) << dl.error().to_string();
    EXPECT_EQ(dl->id, epc->id);
    auto back = to_epc_uri(dl->id, rt.gcp);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(*back, rt.epc);
  }
}

TEST(DigitalLink, ParsesQualifiersAttributesAliasesAndCustomDomains) {
  auto dl = parse_digital_link(
      "https://brand.example.com/shop/01/9506000134352/10/AB%2F1/21/12345?17=261231&linkType=gs1:pip");
  ASSERT_TRUE(dl.ok()) << dl.error().to_string();
  EXPECT_EQ(dl->path_prefix, "/shop");
  EXPECT_EQ(*dl->id.find("01"), "09506000134352");
  EXPECT_EQ(*dl->id.find("10"), "AB/1");
  ASSERT_EQ(dl->attributes.size(), 1u);
  EXPECT_EQ(dl->attributes[0].ai, "17");
  EXPECT_EQ(canonical_uri(*dl), "https://id.gs1.org/01/09506000134352/10/AB%2F1/21/12345?17=261231");
  auto alias = parse_digital_link("https://id.gs1.org/gtin/09506000134352/ser/1");
  ASSERT_TRUE(alias.ok());
  EXPECT_EQ(alias->id.keys[1].ai, "21");
}

struct Bad {
  const char* uri;
  ErrorCode code;
  const char* reason;
};

const Bad kBad[] = {
    {"not a uri", ErrorCode::kMalformed, "not a URI"},
    {"01/09506000134352", ErrorCode::kMalformed, "not a URI"},
    {"https://", ErrorCode::kMalformed, "empty host"},
    {"https://id.gs1.org/01/0950600013435%", ErrorCode::kMalformed, "percent-escape"},
    {"ftp://id.gs1.org/01/09506000134352", ErrorCode::kVerificationFailed, "http or https"},
    {"https://example.com/about", ErrorCode::kVerificationFailed, "no GS1 primary key"},
    {"https://id.gs1.org/01/09506000134353", ErrorCode::kVerificationFailed, "wrong check digit"},
    {"https://id.gs1.org/00/340123451111111112", ErrorCode::kVerificationFailed, "wrong check digit"},
    {"https://id.gs1.org/01/0950600013435", ErrorCode::kVerificationFailed, "check digit"},
    {"https://id.gs1.org/01/09506000134352/21/1/10/A", ErrorCode::kVerificationFailed, "misplaced"},
    {"https://id.gs1.org/01/09506000134352/17/261231", ErrorCode::kVerificationFailed, "not a key qualifier"},
    {"https://id.gs1.org/01/09506000134352?21=1", ErrorCode::kVerificationFailed, "misplaced"},
    {"https://id.gs1.org/01/09506000134352?99999=1", ErrorCode::kVerificationFailed, "unknown AI"},
    {"https://id.gs1.org/01/09506000134352/23/x", ErrorCode::kVerificationFailed, "unknown AI"},
    {"https://id.gs1.org/01/09506000134352?17=261332", ErrorCode::kVerificationFailed, "not a valid date"},
    {"https://id.gs1.org/414/4012345000054/21/5", ErrorCode::kVerificationFailed, "not a key qualifier"},
    {"https://id.gs1.org/01/09506000134352/10/A/10/B", ErrorCode::kVerificationFailed, "misplaced"},
};

TEST(DigitalLink, RejectsWithTheReason) {
  for (const auto& b : kBad) {
    SCOPED_TRACE(b.uri);
    auto r = parse_digital_link(b.uri);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), b.code) << r.error().to_string();
    EXPECT_NE(r.error().message.find(b.reason), std::string::npos) << r.error().message;
  }
}

TEST(EpcUri, RejectsMalformed) {
  for (const char* bad :
       {"urn:epc:id:sgtin:4012345.011111", "urn:epc:id:sgtin:40123.0111111.1",
        "urn:epc:id:sgtin:4012345.01111.1", "urn:epc:id:foo:1.2", "urn:epc:id:sgtin:4012345.011111.a%2",
        "urn:epc:id:sgtin:4012345.011111.a/b", "urn:epc:idpat:sgtin:4012345.011111.1"}) {
    EXPECT_FALSE(parse_epc_uri(bad).ok()) << bad;
  }
  EXPECT_FALSE(to_epc_uri(Gs1Id{{{"01", "04012345111118"}}}, 13).ok());
}

TEST(AiDictionary, EmbeddedCopyMatchesTheVectorFile) {
  std::ifstream in(std::string(FORMICA_VECTORS_DIR) + "/gs1/gs1-syntax-dictionary.txt");
  std::string expected, line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#' && line.find_first_not_of(" \t") != std::string::npos)
      expected += line + "\n";
  std::string embedded(detail::ai_dictionary_text());
  EXPECT_EQ(embedded, "\n" + expected);
  EXPECT_GT(detail::all_ais().size(), 400u);
  const auto* gtin = detail::find_ai("01");
  ASSERT_NE(gtin, nullptr);
  EXPECT_TRUE(gtin->dl_key);
  ASSERT_EQ(gtin->qualifier_paths.size(), 2u);
  EXPECT_EQ(gtin->qualifier_paths[0], (std::vector<std::string>{"22", "10", "21"}));
  EXPECT_EQ(ai_title("21"), "SERIAL");
}

}  // namespace
}  // namespace formica::gs1
