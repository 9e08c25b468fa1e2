#include "formica/iso20022/remittance.h"

#include <algorithm>

#include "formica/codec/xml.h"
#include "formica/iso20022/identifiers.h"
#include "formica/iso20022/validate.h"

namespace formica::iso20022 {
namespace {

using codec::xml::escape;

// ExternalStatusReason1Code values Formica may give when it rejects a payment (ISO 20022
// External Code Sets; the subset a remittance corridor produces).
constexpr std::string_view kRejectReasons[] = {
    "AC01",  // incorrect account number
    "AC03",  // invalid creditor account number
    "AC04",  // closed account number
    "AC06",  // blocked account
    "AG01",  // transaction forbidden on this account
    "AG02",  // invalid bank operation code
    "AM02",  // not allowed amount
    "AM04",  // insufficient funds
    "AM05",  // duplication
    "AM09",  // wrong amount
    "BE01",  // inconsistent with end customer
    "BE04",  // missing creditor address
    "CNOR",  // creditor bank is not registered
    "CURR",  // incorrect currency
    "DNOR",  // debtor bank is not registered
    "DUPL",  // duplicate payment
    "FF01",  // invalid file format
    "FOCR",  // following cancellation request
    "MS02",  // not specified reason by customer
    "MS03",  // not specified reason by agent
    "NARR",  // narrative, see additional information
    "RC01",  // bank identifier incorrect
    "RR01",  // missing debtor account or identification (regulatory)
    "RR02",  // missing debtor name or address (regulatory)
    "RR03",  // missing creditor name or address (regulatory)
    "RR04",  // regulatory reason
    "TM01",  // cut-off time
};

std::string agent_xml(std::string_view tag, std::string_view bic, std::string_view indent) {
  std::string i(indent);
  return i + "<" + std::string(tag) + ">\n" + i + "  <FinInstnId>\n" + i + "    <BICFI>" + escape(bic) +
         "</BICFI>\n" + i + "  </FinInstnId>\n" + i + "</" + std::string(tag) + ">\n";
}

std::string element(std::string_view indent, std::string_view tag, std::string_view value) {
  return std::string(indent) + "<" + std::string(tag) + ">" + escape(value) + "</" + std::string(tag) + ">\n";
}

}  // namespace

std::string_view status_code(RemittanceState state) {
  switch (state) {
    case RemittanceState::kAcceptedForSettlement: return "ACSP";
    case RemittanceState::kPending: return "PDNG";
    case RemittanceState::kSettled: return "ACSC";
    case RemittanceState::kRejected: return "RJCT";
  }
  return "PDNG";
}

Result<RemittanceState> state_from_status_code(std::string_view code) {
  if (code == "ACSP") return RemittanceState::kAcceptedForSettlement;
  if (code == "PDNG") return RemittanceState::kPending;
  if (code == "ACSC") return RemittanceState::kSettled;
  if (code == "RJCT") return RemittanceState::kRejected;
  return make_error(ErrorCode::kUnsupported, "status '" + std::string(code) + "' has no remittance state");
}

bool is_reject_reason(std::string_view code) {
  return std::find(std::begin(kRejectReasons), std::end(kRejectReasons), code) != std::end(kRejectReasons);
}

Result<RemittanceRequest> to_remittance_request(const Envelope& env) {
  if (env.kind != MessageKind::kPacs008)
    return make_error(ErrorCode::kUnsupported, "a remittance request comes from a pacs.008");
  FORMICA_ASSIGN_OR_RETURN(auto report, validate(env));
  if (!report.valid()) {
    const Finding& f = report.findings.front();
    return make_error(ErrorCode::kVerificationFailed, f.rule + ": " + f.text);
  }
  Pacs008 m = read_pacs008(env.document);
  const CreditTransferTransaction& tx = m.transactions.front();  // P008-SINGLE-TX holds
  if (tx.uetr.empty()) return make_error(ErrorCode::kFailedPrecondition, "pacs.008 has no UETR");
  RemittanceRequest r;
  r.uetr = tx.uetr;
  r.message_id = m.message_id;
  r.instruction_id = tx.instruction_id;
  r.end_to_end_id = tx.end_to_end_id;
  r.transaction_id = tx.transaction_id;
  FORMICA_ASSIGN_OR_RETURN(r.settlement,
                           to_money(tx.settlement_amount->amount, tx.settlement_amount->currency));
  r.settlement_date = tx.settlement_date;
  if (tx.instructed_amount) {
    FORMICA_ASSIGN_OR_RETURN(auto instructed,
                             to_money(tx.instructed_amount->amount, tx.instructed_amount->currency));
    r.instructed = instructed;
  }
  r.charge_bearer = tx.charge_bearer == "DEBT"   ? ChargeBearer::kDebtor
                    : tx.charge_bearer == "CRED" ? ChargeBearer::kCreditor
                                                 : ChargeBearer::kShared;
  r.instructing_agent_bic = tx.instructing_agent.bic;
  r.instructed_agent_bic = tx.instructed_agent.bic;
  r.debtor_agent_bic = tx.debtor_agent.bic;
  r.creditor_agent_bic = tx.creditor_agent.bic;
  r.debtor_name = tx.debtor.name;
  r.debtor_account = tx.debtor_account.iban.empty() ? tx.debtor_account.other_id : tx.debtor_account.iban;
  r.creditor_name = tx.creditor.name;
  r.creditor_account =
      tx.creditor_account.iban.empty() ? tx.creditor_account.other_id : tx.creditor_account.iban;
  return r;
}

Result<std::string> build_status_report(const RemittanceRequest& o, const StatusUpdate& u,
                                        const StatusReportHeader& h) {
  const bool rejected = u.state == RemittanceState::kRejected;
  if (rejected && !is_reject_reason(u.reason_code))
    return make_error(ErrorCode::kInvalidArgument,
                      "RJCT needs a known ISO reason code, not '" + u.reason_code + "'");
  if (!rejected && !u.reason_code.empty())
    return make_error(ErrorCode::kInvalidArgument, "only RJCT carries a reason code");
  if (h.message_id.empty() || h.message_id.size() > 35)
    return make_error(ErrorCode::kInvalidArgument, "message id must have 1 to 35 characters");
  if (!is_valid_iso_datetime(h.created, DateTimeZone::kRequired))
    return make_error(ErrorCode::kInvalidArgument,
                      "creation time '" + h.created + "' is not an ISO date-time with zone");
  if (u.state == RemittanceState::kSettled && !is_valid_iso_date(h.settled_date))
    return make_error(ErrorCode::kInvalidArgument, "ACSC needs the settlement date YYYY-MM-DD");
  if (u.additional_info.size() > 105)
    return make_error(ErrorCode::kInvalidArgument, "additional info over 105 characters");
  if (!is_valid_bic(o.instructing_agent_bic) || !is_valid_bic(o.instructed_agent_bic) ||
      !is_valid_uetr(o.uetr))
    return make_error(ErrorCode::kInvalidArgument, "the original payment lacks valid agent BICs or UETR");

  // The status report travels back: from the original instructed agent to the instructing one.
  const std::string& from = o.instructed_agent_bic;
  const std::string& to = o.instructing_agent_bic;
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Envelope>\n";
  x += "  <AppHdr xmlns=\"urn:iso:std:iso:20022:tech:xsd:head.001.001.02\">\n";
  x += "    <Fr>\n" + agent_xml("FIId", from, "      ") + "    </Fr>\n";
  x += "    <To>\n" + agent_xml("FIId", to, "      ") + "    </To>\n";
  x += element("    ", "BizMsgIdr", h.message_id);
  x += element("    ", "MsgDefIdr", kPacs002Id);
  x += element("    ", "BizSvc", "swift.cbprplus.03");
  x += element("    ", "CreDt", h.created);
  x += "  </AppHdr>\n";
  x += "  <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10\">\n    <FIToFIPmtStsRpt>\n";
  x += "      <GrpHdr>\n" + element("        ", "MsgId", h.message_id) +
       element("        ", "CreDtTm", h.created) + "      </GrpHdr>\n";
  x += "      <TxInfAndSts>\n";
  const std::string in = "        ";
  if (!o.message_id.empty())
    x += in + "<OrgnlGrpInf>\n" + element(in + "  ", "OrgnlMsgId", o.message_id) +
         element(in + "  ", "OrgnlMsgNmId", kPacs008Id) + in + "</OrgnlGrpInf>\n";
  if (!o.instruction_id.empty()) x += element(in, "OrgnlInstrId", o.instruction_id);
  if (!o.end_to_end_id.empty()) x += element(in, "OrgnlEndToEndId", o.end_to_end_id);
  if (!o.transaction_id.empty()) x += element(in, "OrgnlTxId", o.transaction_id);
  x += element(in, "OrgnlUETR", o.uetr);
  x += element(in, "TxSts", status_code(u.state));
  if (rejected || !u.additional_info.empty()) {
    x += in + "<StsRsnInf>\n";
    if (rejected) x += in + "  <Rsn>\n" + element(in + "    ", "Cd", u.reason_code) + in + "  </Rsn>\n";
    if (!u.additional_info.empty()) x += element(in + "  ", "AddtlInf", u.additional_info);
    x += in + "</StsRsnInf>\n";
  }
  if (u.state == RemittanceState::kSettled)
    x += in + "<FctvIntrBkSttlmDt>\n" + element(in + "  ", "Dt", h.settled_date) + in +
         "</FctvIntrBkSttlmDt>\n";
  x += agent_xml("InstgAgt", from, in);
  x += agent_xml("InstdAgt", to, in);
  x += in + "<OrgnlTxRef>\n" + in + "  <IntrBkSttlmAmt Ccy=\"" + escape(o.settlement.currency) + "\">" +
       format_money(o.settlement) + "</IntrBkSttlmAmt>\n";
  if (!o.settlement_date.empty()) x += element(in + "  ", "IntrBkSttlmDt", o.settlement_date);
  x += in + "</OrgnlTxRef>\n";
  x += "      </TxInfAndSts>\n    </FIToFIPmtStsRpt>\n  </Document>\n</Envelope>\n";
  return x;
}

}  // namespace formica::iso20022
