// pacs.008 -> RemittanceRequest, and RemittanceState -> pacs.002 that passes the same checks.
#include "formica/iso20022/remittance.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "formica/iso20022/validate.h"

namespace formica::iso20022 {
namespace {

std::string read_vector(const std::string& name) {
  std::ifstream in(std::string(FORMICA_VECTORS_DIR) + "/iso20022/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

RemittanceRequest sample_request() {
  auto env = read_envelope(read_vector("cbpr-plus-samples/2025_pacs008_credit_transfer_sample.xml"));
  EXPECT_TRUE(env.ok());
  auto r = to_remittance_request(*env);
  EXPECT_TRUE(r.ok()) << r.error().to_string();
  return *r;
}

TEST(Remittance, Pacs008BecomesARequest) {
  RemittanceRequest r = sample_request();
  EXPECT_EQ(r.uetr, "a1b2c3d4-e5f6-4890-abcd-ef1234567890");
  EXPECT_EQ(r.end_to_end_id, "E2E-04138234");
  EXPECT_EQ(r.instruction_id, "IN20260413-5017");
  EXPECT_EQ(r.message_id, "P008-20260413-5017");
  EXPECT_EQ(r.settlement, (Money{"EUR", 75000000, 2}));  // "750000" EUR in cents
  EXPECT_EQ(r.settlement_date, "2026-04-13");
  EXPECT_FALSE(r.instructed.has_value());
  EXPECT_EQ(r.charge_bearer, ChargeBearer::kDebtor);
  EXPECT_EQ(r.instructing_agent_bic, "FNTXDE2X");
  EXPECT_EQ(r.instructed_agent_bic, "GLPBES2X");
  EXPECT_EQ(r.debtor_agent_bic, "FNTXDE2X");
  EXPECT_EQ(r.creditor_agent_bic, "GLPBES2X");
  EXPECT_EQ(r.debtor_account, "74829163");
  EXPECT_EQ(r.creditor_account, "31597402");
}

TEST(Remittance, RefusesInvalidOrIdentityLessPayments) {
  auto bad = read_envelope(read_vector("cbpr-plus-fixtures/pacs008_invalid.xml"));
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(to_remittance_request(*bad).code(), ErrorCode::kVerificationFailed);
  auto no_uetr = read_envelope(read_vector("cbpr-plus-fixtures/pacs008_valid.xml"));
  ASSERT_TRUE(no_uetr.ok());
  EXPECT_EQ(to_remittance_request(*no_uetr).code(), ErrorCode::kFailedPrecondition);
  auto status = read_envelope(read_vector("cbpr-plus-samples/2026_pacs002_status_report_sample.xml"));
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(to_remittance_request(*status).code(), ErrorCode::kUnsupported);
}

TEST(Remittance, StatusCodesMapBothWays) {
  for (auto s : {RemittanceState::kAcceptedForSettlement, RemittanceState::kPending,
                 RemittanceState::kSettled, RemittanceState::kRejected})
    EXPECT_EQ(*state_from_status_code(status_code(s)), s);
  EXPECT_EQ(status_code(RemittanceState::kSettled), "ACSC");
  EXPECT_EQ(state_from_status_code("ACCC").code(), ErrorCode::kUnsupported);
  EXPECT_TRUE(is_reject_reason("AC04"));
  EXPECT_TRUE(is_reject_reason("AM04"));
  EXPECT_TRUE(is_reject_reason("FF01"));
  EXPECT_FALSE(is_reject_reason("G000"));
}

struct StatusCase {
  RemittanceState state;
  std::string reason;
};

class StatusReportTest : public ::testing::TestWithParam<StatusCase> {};

TEST_P(StatusReportTest, GeneratedPacs002IsValidAndCarriesTheStatus) {
  const StatusCase& c = GetParam();
  RemittanceRequest original = sample_request();
  StatusReportHeader h{"P002-FORMICA-0001", "2026-04-13T11:00:00+00:00",
                       c.state == RemittanceState::kSettled ? "2026-04-13" : ""};
  auto xml = build_status_report(original, {c.state, c.reason, "checked by <Formica> & co"}, h);
  ASSERT_TRUE(xml.ok()) << xml.error().to_string();
  auto env = read_envelope(*xml);
  ASSERT_TRUE(env.ok()) << env.error().to_string();
  auto report = validate(*env);
  ASSERT_TRUE(report.ok());
  std::string listing;
  for (const auto& f : report->findings) listing += "\n  " + f.rule + ": " + f.text;
  EXPECT_TRUE(report->valid()) << *xml << listing;
  EXPECT_TRUE(report->has_header);
  Pacs002 p = read_pacs002(env->document);
  ASSERT_EQ(p.statuses.size(), 1u);
  const TransactionStatus& s = p.statuses[0];
  EXPECT_EQ(s.status, status_code(c.state));
  EXPECT_EQ(s.original_uetr, original.uetr);
  EXPECT_EQ(s.original_end_to_end_id, original.end_to_end_id);
  EXPECT_EQ(s.original_message_name, "pacs.008.001.08");
  EXPECT_EQ(s.instructing_agent.bic, original.instructed_agent_bic);  // the report travels back
  EXPECT_EQ(s.instructed_agent.bic, original.instructing_agent_bic);
  ASSERT_TRUE(s.original_settlement_amount.has_value());
  EXPECT_EQ(to_money(s.original_settlement_amount->amount, s.original_settlement_amount->currency).value(),
            original.settlement);
  ASSERT_EQ(s.reasons.size(), 1u);
  EXPECT_EQ(s.reasons[0].code, c.reason);
  EXPECT_EQ(s.reasons[0].additional_info, std::vector<std::string>{"checked by <Formica> & co"});
  EXPECT_EQ(s.effective_settlement_date, c.state == RemittanceState::kSettled ? "2026-04-13" : "");
  BusinessHeader bh = read_header(*env->app_header);
  EXPECT_EQ(bh.message_definition, "pacs.002.001.10");
  EXPECT_EQ(bh.business_message_id, "P002-FORMICA-0001");
}

INSTANTIATE_TEST_SUITE_P(EachStatus, StatusReportTest,
                         ::testing::Values(StatusCase{RemittanceState::kAcceptedForSettlement, ""},
                                           StatusCase{RemittanceState::kPending, ""},
                                           StatusCase{RemittanceState::kSettled, ""},
                                           StatusCase{RemittanceState::kRejected, "AC04"},
                                           StatusCase{RemittanceState::kRejected, "AM04"},
                                           StatusCase{RemittanceState::kRejected, "FF01"}));

TEST(StatusReport, RefusesBadParameters) {
  RemittanceRequest o = sample_request();
  StatusReportHeader h{"P002-1", "2026-04-13T11:00:00Z", ""};
  EXPECT_EQ(build_status_report(o, {RemittanceState::kRejected, "", ""}, h).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(build_status_report(o, {RemittanceState::kRejected, "ZZ99", ""}, h).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(build_status_report(o, {RemittanceState::kPending, "AC04", ""}, h).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(build_status_report(o, {RemittanceState::kSettled, "", ""}, h).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(build_status_report(o, {RemittanceState::kPending, "", ""}, {"P002-1", "2026-04-13T11:00:00", ""})
                .code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(build_status_report(o, {RemittanceState::kPending, "", ""}, {std::string(36, 'M'), h.created, ""})
                .code(),
            ErrorCode::kInvalidArgument);
}

TEST(StatusReport, EscapesTextIntoWellFormedXml) {
  RemittanceRequest o = sample_request();
  o.end_to_end_id = "E2E<&>\"'";
  auto xml =
      build_status_report(o, {RemittanceState::kPending, "", ""}, {"M&<1>", "2026-04-13T11:00:00Z", ""});
  ASSERT_TRUE(xml.ok());
  auto env = read_envelope(*xml);
  ASSERT_TRUE(env.ok()) << env.error().to_string();
  EXPECT_EQ(read_pacs002(env->document).statuses[0].original_end_to_end_id, "E2E<&>\"'");
  EXPECT_EQ(read_pacs002(env->document).message_id, "M&<1>");
}

}  // namespace
}  // namespace formica::iso20022
