// Each rule, shown to fire: a valid fixture is changed in one place and exactly the rule(s)
// named must fire; exemptions and equivalences are shown not to fire. Spec-shaped: base file,
// the edit, the expected rule ids.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "formica/iso20022/validate.h"

namespace formica::iso20022 {
namespace {

const std::string kVectors = std::string(FORMICA_VECTORS_DIR) + "/iso20022/cbpr-plus-fixtures/";
const char* const kP008 = "pacs_008_stp_2026_valid.xml";
const char* const kP002 = "pacs_002_2026_valid.xml";

std::string read_file(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Edit {
  std::string from, to;
  int occurrence = 0;  // 1-based; 0 = every occurrence
};

struct Mutation {
  const char* name;
  const char* base;
  std::vector<Edit> edits;
  std::set<std::string> expected;  // empty: still valid
};

std::string apply(std::string text, const Edit& e) {
  int seen = 0;
  for (std::size_t at = text.find(e.from); at != std::string::npos; at = text.find(e.from, at)) {
    ++seen;
    if (e.occurrence == 0 || seen == e.occurrence) {
      text.replace(at, e.from.size(), e.to);
      at += e.to.size();
      if (e.occurrence != 0) return text;
    } else {
      at += e.from.size();
    }
  }
  EXPECT_GT(seen, 0) << "edit target not found: " << e.from;
  return text;
}

const std::string kTx = "<TxId>TX-0001</TxId>";
const std::string kAmt = R"(<IntrBkSttlmAmt Ccy="EUR">1000.00</IntrBkSttlmAmt>)";
const std::string kIfca = "</CdtrAcct>";

const Mutation kMutations[] = {
    {"unchanged_pacs008", kP008, {}, {}},
    {"unchanged_pacs002", kP002, {}, {}},
    // Currencies and amounts.
    {"commodity_currency", kP008, {{"Ccy=\"EUR\"", "Ccy=\"XAG\""}}, {"CCY-COMMODITY"}},
    {"unknown_currency", kP008, {{"Ccy=\"EUR\"", "Ccy=\"ABC\""}}, {"CCY-CODE"}},
    {"test_currency", kP008, {{"Ccy=\"EUR\"", "Ccy=\"XTS\""}}, {"CCY-NOT-CURRENCY"}},
    {"decimals_jpy",
     kP008,
     {{kAmt, R"(<IntrBkSttlmAmt Ccy="JPY">1000.50</IntrBkSttlmAmt>)"}},
     {"AMT-DECIMALS"}},
    {"zero_decimals_jpy_ok", kP008, {{kAmt, R"(<IntrBkSttlmAmt Ccy="JPY">1000</IntrBkSttlmAmt>)"}}, {}},
    {"decimals_kwd_ok", kP008, {{kAmt, R"(<IntrBkSttlmAmt Ccy="KWD">10.125</IntrBkSttlmAmt>)"}}, {}},
    {"decimals_eur", kP008, {{"1000.00</IntrBkSttlmAmt>", "1000.001</IntrBkSttlmAmt>"}}, {"AMT-DECIMALS"}},
    {"negative_amount", kP008, {{"1000.00</IntrBkSttlmAmt>", "-1000.00</IntrBkSttlmAmt>"}}, {"AMT-FORMAT"}},
    {"exponent_amount", kP008, {{"1000.00</IntrBkSttlmAmt>", "1E3</IntrBkSttlmAmt>"}}, {"AMT-FORMAT"}},
    {"nineteen_digits",
     kP008,
     {{"1000.00</IntrBkSttlmAmt>", "1234567890123456789</IntrBkSttlmAmt>"}},
     {"AMT-FORMAT"}},
    {"six_fraction_digits",
     kP008,
     {{"1000.00</IntrBkSttlmAmt>", "1.000001</IntrBkSttlmAmt>"}},
     {"AMT-FORMAT"}},
    {"missing_currency", kP008, {{" Ccy=\"EUR\"", ""}}, {"XSD-MISSING"}},
    // Identifiers.
    {"uetr_ok", kP008, {{kTx, kTx + "<UETR>e1b2c3d4-5678-4abc-9def-0123456789ab</UETR>"}}, {}},
    {"uetr_uppercase",
     kP008,
     {{kTx, kTx + "<UETR>E1B2C3D4-5678-4ABC-9DEF-0123456789AB</UETR>"}},
     {"UETR-FORMAT"}},
    {"uetr_version1",
     kP008,
     {{kTx, kTx + "<UETR>e1b2c3d4-5678-1abc-9def-0123456789ab</UETR>"}},
     {"UETR-FORMAT"}},
    {"lei_check", kP008, {{"529900T8BM49AURSDO55", "529900T8BM49AURSDO56"}}, {"LEI-CHECKSUM"}},
    {"iban_check", kP008, {{"DE89370400440532013000", "DE89370400440532013001"}}, {"IBAN-CHECKSUM"}},
    {"country", kP008, {{"<Ctry>DE</Ctry>", "<Ctry>QQ</Ctry>"}}, {"COUNTRY-CODE"}},
    {"bic_country", kP008, {{"AAAAGB2LXXX", "AAAAQQ2LXXX"}}, {"BIC-FORMAT"}},
    // Header against document.
    {"from_vs_instructing", kP008, {{"AAAAGB2LXXX", "AAAAGB2LXYZ", 2}}, {"HDR-FR-INSTGAGT"}},
    {"to_vs_instructed", kP008, {{"BBBBDEFFXXX", "BBBBDEFFXYZ", 2}}, {"HDR-TO-INSTDAGT"}},
    {"bic8_is_head_office", kP008, {{"AAAAGB2LXXX", "AAAAGB2L", 1}}, {}},
    {"copy_exempts_bics",
     kP008,
     {{"AAAAGB2LXXX", "AAAAGB2LXYZ", 2}, {"</CreDt>", "</CreDt><CpyDplct>COPY</CpyDplct>"}},
     {}},
    {"msgdefidr", kP008, {{"<MsgDefIdr>pacs.008.001.08", "<MsgDefIdr>pacs.008.001.09"}}, {"HDR-MSGDEFIDR"}},
    {"bizsvc", kP008, {{"swift.cbprplus.03", "swift.cbprplus.04"}}, {"HDR-BIZSVC"}},
    {"bizsvc_stp_ok", kP008, {{"swift.cbprplus.03", "swift.cbprplus.stp.03"}}, {}},
    {"bizmsgidr", kP008, {{"<BizMsgIdr>MSGID-0001", "<BizMsgIdr>OTHER-0001"}}, {"HDR-BIZMSGIDR"}},
    {"bizmsgidr_carries_ok", kP008, {{"<BizMsgIdr>MSGID-0001", "<BizMsgIdr>BAH/MSGID-0001"}}, {}},
    {"priority",
     kP008,
     {{"</CreDt>", "</CreDt><Prty>HIGH</Prty>"}, {"<SvcLvl>", "<InstrPrty>NORM</InstrPrty><SvcLvl>"}},
     {"HDR-PRIORITY"}},
    // Dates.
    {"datetime_without_zone",
     kP008,
     {{"<CreDtTm>2026-06-01T10:00:00Z", "<CreDtTm>2026-06-01T10:00:00"}},
     {"DATETIME-FORMAT"}},
    {"datetime_offset_ok",
     kP008,
     {{"<CreDtTm>2026-06-01T10:00:00Z", "<CreDtTm>2026-06-01T12:00:00.123+02:00"}},
     {}},
    {"datetime_bad_day", kP008, {{"<CreDt>2026-06-01", "<CreDt>2026-02-30"}}, {"DATETIME-FORMAT"}},
    {"date_not_leap", kP008, {{kAmt, kAmt + "<IntrBkSttlmDt>2026-02-29</IntrBkSttlmDt>"}}, {"DATE-FORMAT"}},
    {"date_leap_ok", kP008, {{kAmt, kAmt + "<IntrBkSttlmDt>2028-02-29</IntrBkSttlmDt>"}}, {}},
    // Charges.
    {"charge_bearer_slev", kP008, {{"<ChrgBr>SHAR", "<ChrgBr>SLEV"}}, {"CHRGBR-CODE"}},
    {"charge_bearer_unknown", kP008, {{"<ChrgBr>SHAR", "<ChrgBr>ABCD"}}, {"CHRGBR-CODE", "XSD-FORMAT"}},
    {"charge_bearer_cred", kP008, {{"<ChrgBr>SHAR", "<ChrgBr>CRED"}}, {"CHRGBR-CRED"}},
    {"charge_bearer_debt_twice",
     kP008,
     {{"<ChrgBr>SHAR</ChrgBr>",
       "<ChrgBr>DEBT</ChrgBr>"
       R"(<ChrgsInf><Amt Ccy="EUR">1.00</Amt><Agt><FinInstnId><BICFI>AAAAGB2LXXX</BICFI></FinInstnId></Agt></ChrgsInf>)"
       R"(<ChrgsInf><Amt Ccy="EUR">2.00</Amt><Agt><FinInstnId><BICFI>AAAAGB2LXXX</BICFI></FinInstnId></Agt></ChrgsInf>)"}},
     {"CHRGBR-DEBT"}},
    {"amounts_differ",
     kP008,
     {{kAmt, kAmt + R"(<InstdAmt Ccy="EUR">990.00</InstdAmt>)"}},
     {"CHRGS-AMOUNT-DIFF"}},
    {"amounts_equal_ok", kP008, {{kAmt, kAmt + R"(<InstdAmt Ccy="EUR">1000.0</InstdAmt>)"}}, {}},
    // Structure.
    {"missing_end_to_end", kP008, {{"<EndToEndId>E2E-0001</EndToEndId>", ""}}, {"XSD-MISSING"}},
    {"unexpected_element", kP008, {{kTx, kTx + "<Foo>1</Foo>"}}, {"XSD-UNEXPECTED"}},
    {"choice_twice", kP008, {{"<Cd>G001</Cd>", "<Cd>G001</Cd><Prtry>X</Prtry>"}}, {"XSD-CHOICE"}},
    {"name_too_long",
     kP008,
     {{"<Nm>Acme Debtor Ltd</Nm>", "<Nm>" + std::string(141, 'x') + "</Nm>"}},
     {"XSD-FORMAT"}},
    {"duplicate_debtor",
     kP008,
     {{"<DbtrAcct>", "<Dbtr><Nm>Twice</Nm></Dbtr><DbtrAcct>"}},
     {"XSD-CARDINALITY"}},
    {"text_in_complex", kP008, {{"<PmtId>", "<PmtId>stray"}}, {"XSD-UNEXPECTED"}},
    // pacs.008 usage rules.
    {"missing_instructed_agent",
     kP008,
     {{"<InstdAgt>\n          <FinInstnId>\n            <BICFI>BBBBDEFFXXX</BICFI>\n          </FinInstnId>\n"
       "        </InstdAgt>",
       ""}},
     {"AGT-MANDATORY"}},
    {"agent_without_bic",
     kP008,
     {{"<BICFI>BBBBDEFFXXX</BICFI>", "<LEI>529900T8BM49AURSDO55</LEI>", 2}},
     {"AGT-BIC"}},
    {"two_transactions", kP008, {{"<NbOfTxs>1", "<NbOfTxs>2"}}, {"P008-SINGLE-TX"}},
    {"clearing_settlement", kP008, {{"<SttlmMtd>INDA", "<SttlmMtd>CLRG"}}, {"P008-SETTLEMENT-METHOD"}},
    {"instruction_id_slash", kP008, {{"<InstrId>INSTR-0001", "<InstrId>INSTR//0001"}}, {"REF-SLASH"}},
    {"gpi_service_level", kP008, {{"<Cd>G001</Cd>", "<Cd>G004</Cd>"}}, {"SVCLVL-GPI"}},
    {"phob_telb",
     kP008,
     {{kIfca, kIfca + "<InstrForCdtrAgt><Cd>PHOB</Cd></InstrForCdtrAgt><InstrForCdtrAgt><Cd>TELB</Cd></"
                      "InstrForCdtrAgt>"}},
     {"IFCA-PHOB-TELB"}},
    {"ifca_duplicate",
     kP008,
     {{kIfca, kIfca + "<InstrForCdtrAgt><Cd>PHOB</Cd></InstrForCdtrAgt><InstrForCdtrAgt><Cd>PHOB</Cd></"
                      "InstrForCdtrAgt>"}},
     {"IFCA-DUPLICATE"}},
    {"remittance_both_forms",
     kP008,
     {{kIfca, kIfca + "<RmtInf><Ustrd>INV 1</Ustrd><Strd><AddtlRmtInf>x</AddtlRmtInf></Strd></RmtInf>"}},
     {"RMT-EXCLUSIVE"}},
    {"agent_name_without_address",
     kP008,
     {{"<LEI>529900T8BM49AURSDO55</LEI>", "<Nm>Bank A</Nm>"}},
     {"AGT-NAME-ADDRESS"}},
    {"creditor_without_name", kP008, {{"<Nm>Beta Creditor GmbH</Nm>", ""}}, {"PARTY-NAME"}},
    {"address_without_town",
     kP008,
     {{"<TwnNm>Berlin</TwnNm>", "<StrtNm>Unter den Linden</StrtNm>"}},
     {"ADDR-TOWN-COUNTRY"}},
    {"address_line_repeats_town",
     kP008,
     {{"<TwnNm>Berlin</TwnNm>", "<TwnNm>Berlin</TwnNm><AdrLine>10115 Berlin</AdrLine>"}},
     {"ADDR-DUPLICATION"}},
    // pacs.002 usage rules.
    {"reject_without_reason",
     kP002,
     {{"<TxSts>ACSP", "<TxSts>RJCT"}, {"<Rsn>\n            <Cd>G000</Cd>\n          </Rsn>", ""}},
     {"STS-RJCT-REASON"}},
    {"reject_with_settlement_date",
     kP002,
     {{"<TxSts>ACSP", "<TxSts>RJCT"},
      {"<InstgAgt>", "<FctvIntrBkSttlmDt><Dt>2026-06-01</Dt></FctvIntrBkSttlmDt><InstgAgt>"}},
     {"STS-RJCT-SETTLEMENT-DATE"}},
    {"original_message_name",
     kP002,
     {{"<OrgnlMsgNmId>pacs.008.001.08", "<OrgnlMsgNmId>camt.054.001.08"}},
     {"ORGNL-MSGNMID"}},
    {"original_uetr", kP002, {{"e1b2c3d4-5678-4abc", "E1B2C3D4-5678-4ABC"}}, {"UETR-FORMAT"}},
    {"two_statuses",
     kP002,
     {{"</TxInfAndSts>", "</TxInfAndSts><TxInfAndSts><TxSts>ACSP</TxSts></TxInfAndSts>"}},
     {"P002-SINGLE-TX", "AGT-MANDATORY"}},
};

class RuleTest : public ::testing::TestWithParam<Mutation> {};

TEST_P(RuleTest, FiresExactly) {
  const Mutation& m = GetParam();
  std::string text = read_file(kVectors + m.base);
  ASSERT_FALSE(text.empty());
  for (const auto& e : m.edits) text = apply(text, e);
  auto report = check_message(text);
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  std::set<std::string> fired;
  std::string listing;
  for (const auto& f : report->findings) {
    fired.insert(f.rule);
    listing += "\n  " + f.rule + ": " + f.text;
  }
  EXPECT_EQ(fired, m.expected) << listing;
}

INSTANTIATE_TEST_SUITE_P(Iso20022Rules, RuleTest, ::testing::ValuesIn(kMutations),
                         [](const ::testing::TestParamInfo<Mutation>& p) {
                           return std::string(p.param.name);
                         });

TEST(Envelope, BareDocumentIsAccepted) {
  std::string text = read_file(kVectors + kP008);
  auto start = text.find("<Document");
  auto end = text.find("</Document>") + std::string("</Document>").size();
  auto report = check_message(text.substr(start, end - start));
  ASSERT_TRUE(report.ok()) << report.error().to_string();
  EXPECT_FALSE(report->has_header);
  EXPECT_TRUE(report->valid());
}

TEST(Envelope, RefusesOtherMessagesAndHeaders) {
  std::string text = read_file(kVectors + kP008);
  EXPECT_EQ(check_message(apply(text, {"tech:xsd:pacs.008.001.08", "tech:xsd:pacs.009.001.08"})).code(),
            ErrorCode::kUnsupported);
  EXPECT_EQ(check_message(apply(text, {"head.001.001.02", "head.001.001.03"})).code(),
            ErrorCode::kUnsupported);
  EXPECT_EQ(check_message("<Envelope><AppHdr/></Envelope>").code(), ErrorCode::kUnsupported);
  EXPECT_EQ(check_message("not xml").code(), ErrorCode::kMalformed);
  EXPECT_EQ(check_message("<a><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\"/>"
                          "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\"/></a>")
                .code(),
            ErrorCode::kUnsupported);
}

TEST(Envelope, EmptyDocumentGivesFindingsNotACrash) {
  auto report = check_message("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10\"/>");
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report->valid());
  EXPECT_EQ(report->findings[0].rule, "XSD-MISSING");
}

}  // namespace
}  // namespace formica::iso20022
