// Hostile XML is refused quickly and without expansion: billion laughs, external entities,
// 100k-deep nesting, a 100 MB body, element floods. Library level; the CLI test checks exit
// codes for the same inputs.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "formica/iso20022/validate.h"

namespace formica::iso20022 {
namespace {

constexpr auto kQuick = std::chrono::seconds(3);  // generous for sanitizer builds

template <typename F>
auto timed(F&& f) {
  auto start = std::chrono::steady_clock::now();
  auto r = f();
  EXPECT_LT(std::chrono::steady_clock::now() - start, kQuick);
  return r;
}

const std::string kNs = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08";

TEST(Hostile, BillionLaughsIsRefused) {
  std::string doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i)
    doc += "<!ENTITY lol" + std::to_string(i) + " \"" + std::string(10, '&') + "\">\n";
  doc += "]>\n<Document xmlns=\"" + kNs + "\"><FIToFICstmrCdtTrf>&lol9;</FIToFICstmrCdtTrf></Document>";
  auto r = timed([&] { return check_message(doc); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kUnsupported);
}

TEST(Hostile, ExternalEntityIsRefused) {
  std::string doc =
      "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
      "<Document xmlns=\"" +
      kNs +
      "\"><FIToFICstmrCdtTrf><GrpHdr><MsgId>&xxe;</MsgId></GrpHdr>"
      "</FIToFICstmrCdtTrf></Document>";
  auto r = timed([&] { return check_message(doc); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kUnsupported);
  EXPECT_EQ(r.error().message.find("root:"), std::string::npos);
}

TEST(Hostile, DeepNestingIsRefused) {
  std::string doc;
  for (int i = 0; i < 100'000; ++i) doc += "<a>";
  for (int i = 0; i < 100'000; ++i) doc += "</a>";
  auto r = timed([&] { return check_message(doc); });
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.code() == ErrorCode::kTooLarge || r.code() == ErrorCode::kMalformed) << r.error().to_string();
}

TEST(Hostile, HundredMegabyteBodyIsRefusedUnparsed) {
  std::string doc = "<Document xmlns=\"" + kNs + "\"><FIToFICstmrCdtTrf><GrpHdr><MsgId>";
  doc.append(100u << 20, 'A');
  doc += "</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>";
  auto r = timed([&] { return check_message(doc); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kTooLarge);
}

TEST(Hostile, ElementFloodIsRefused) {
  std::string doc = "<Document xmlns=\"" + kNs + "\"><FIToFICstmrCdtTrf>";
  for (int i = 0; i < 50'000; ++i) doc += "<x/>";
  doc += "</FIToFICstmrCdtTrf></Document>";
  auto r = timed([&] { return check_message(doc); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kTooLarge);
}

TEST(Hostile, LongValuesAreJudgedWithoutRegexBlowUp) {
  // 1.5 MB in a pattern-checked field (Max15NumericText) and in a BIC: findings, quickly.
  std::string big(3u << 19, '1');
  std::string doc = "<Document xmlns=\"" + kNs +
                    "\"><FIToFICstmrCdtTrf><GrpHdr><MsgId>M</MsgId>"
                    "<CreDtTm>2026-01-01T00:00:00Z</CreDtTm><NbOfTxs>" +
                    big +
                    "</NbOfTxs>"
                    "<SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf><InstgAgt><FinInstnId><BICFI>" +
                    big + "</BICFI></FinInstnId></InstgAgt></GrpHdr></FIToFICstmrCdtTrf></Document>";
  auto r = timed([&] { return check_message(doc); });
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_FALSE(r->valid());
}

}  // namespace
}  // namespace formica::iso20022
