#pragma once
// Mapping between ISO 20022 and Formica's remittance corridor: a validated pacs.008 becomes a
// RemittanceRequest identified by its UETR; a remittance's state is reported back as a
// pacs.002.001.10 (ACSP accepted for settlement, PDNG pending, ACSC settled - final, RJCT
// rejected with an ISO 20022 ExternalStatusReason1Code).

#include <optional>
#include <string>
#include <string_view>

#include "formica/base/status.h"
#include "formica/iso20022/amount.h"
#include "formica/iso20022/message.h"

namespace formica::iso20022 {

enum class ChargeBearer { kDebtor, kCreditor, kShared };  // DEBT, CRED, SHAR

struct RemittanceRequest {
  std::string uetr;  // the payment's identity end to end (lowercase UUID v4)
  std::string message_id, instruction_id, end_to_end_id, transaction_id;
  Money settlement;                 // IntrBkSttlmAmt, integer minor units
  std::string settlement_date;      // IntrBkSttlmDt, may be empty
  std::optional<Money> instructed;  // InstdAmt
  ChargeBearer charge_bearer = ChargeBearer::kShared;
  std::string instructing_agent_bic, instructed_agent_bic, debtor_agent_bic, creditor_agent_bic;
  std::string debtor_name, debtor_account;  // account: IBAN, else the other identification
  std::string creditor_name, creditor_account;
};

// Validates the message and maps its single transaction. Errors: kUnsupported (not a
// pacs.008), kVerificationFailed (a finding; the message names the first), kFailedPrecondition
// (no UETR: without it the payment has no identity in Formica).
Result<RemittanceRequest> to_remittance_request(const Envelope& envelope);

enum class RemittanceState { kAcceptedForSettlement, kPending, kSettled, kRejected };

std::string_view status_code(RemittanceState state);                    // "ACSP", "PDNG", "ACSC", "RJCT"
Result<RemittanceState> state_from_status_code(std::string_view code);  // kUnsupported otherwise
// Reject reasons Formica emits (ExternalStatusReason1Code), e.g. AC04 closed account, AM04
// insufficient funds, FF01 invalid file format, RC01 bank identifier incorrect.
bool is_reject_reason(std::string_view code);

struct StatusUpdate {
  RemittanceState state = RemittanceState::kPending;
  std::string reason_code;      // required for kRejected (is_reject_reason), else empty
  std::string additional_info;  // optional, up to 105 characters
};

struct StatusReportHeader {
  std::string message_id;    // MsgId and BizMsgIdr, 1..35 characters
  std::string created;       // ISO date-time with zone, e.g. "2026-04-13T08:10:00+00:00"
  std::string settled_date;  // ACSC: FctvIntrBkSttlmDt (YYYY-MM-DD); empty otherwise
};

// Builds a CBPR+ pacs.002.001.10 inside an <Envelope> with a head.001.001.02 AppHdr, from the
// instructed agent of `original` (AppHdr Fr, InstgAgt) to its instructing agent. All text is
// escaped. Errors: kInvalidArgument (a missing reason for RJCT, an unknown reason code, a
// reason on another status, a bad message id, date-time or settlement date).
Result<std::string> build_status_report(const RemittanceRequest& original, const StatusUpdate& update,
                                        const StatusReportHeader& header);

}  // namespace formica::iso20022
