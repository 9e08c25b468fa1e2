#pragma once
// Reading ISO 20022 payment messages: pacs.008.001.08 (FIToFICustomerCreditTransferV08) and
// pacs.002.001.10 (FIToFIPaymentStatusReportV10), bare or with a head.001.001.02 business
// application header in any wrapper (<Envelope>, <RequestPayload>, SWIFT's SAA wrappers).
//
// read_envelope() only locates and classifies: it refuses what is not XML or not a supported
// message. validate() (validate.h) judges the content; the typed views below extract the
// fields a settlement system uses, tolerantly (a missing element gives an empty field), so
// call them on a message that validate() accepted. Safe for hostile input: parsing is done by
// codec::xml with DOCTYPE refused and size, depth and element count bounded.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formica/base/status.h"
#include "formica/codec/xml.h"
#include "formica/iso20022/amount.h"

namespace formica::iso20022 {

inline constexpr std::string_view kPacs008Id = "pacs.008.001.08";
inline constexpr std::string_view kPacs002Id = "pacs.002.001.10";
inline constexpr std::string_view kHead001Id = "head.001.001.02";
inline constexpr std::string_view kNamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:";

enum class MessageKind { kPacs008, kPacs002 };

// Bounds for message parsing; a CBPR+ message is a few tens of kilobytes.
codec::xml::Limits message_limits();

struct Envelope {
  MessageKind kind = MessageKind::kPacs008;
  std::string message_definition;                 // "pacs.008.001.08", from the Document namespace
  std::optional<codec::xml::Element> app_header;  // the AppHdr element, when present
  codec::xml::Element document;                   // the Document element
};

// Errors: kMalformed (not well-formed XML), kTooLarge (over message_limits()), kUnsupported
// (DOCTYPE/entities, no ISO 20022 Document, another message or version, another header
// version, more than one Document or AppHdr).
Result<Envelope> read_envelope(std::string_view xml);

// ---- Typed views -------------------------------------------------------------------------

struct BusinessHeader {
  std::string from_bic, to_bic;     // Fr/FIId/FinInstnId/BICFI, To/...
  std::string business_message_id;  // BizMsgIdr
  std::string message_definition;   // MsgDefIdr
  std::string business_service;     // BizSvc
  std::string created;              // CreDt
  std::string copy_duplicate;       // CpyDplct
  std::string priority;             // Prty
};

struct Agent {  // BranchAndFinancialInstitutionIdentification6, as CBPR+ uses it
  std::string bic, lei, name, clearing_member_id;
  bool present = false;
};

struct PostalAddress {
  std::string street, building_number, post_code, town, country_subdivision, country;
  std::vector<std::string> address_lines;
};

struct Party {  // PartyIdentification135
  std::string name, any_bic, lei, country_of_residence;
  std::optional<PostalAddress> address;
  bool present = false;
};

struct Account {
  std::string iban, other_id, currency;
  bool present = false;
};

struct CurrencyAmount {
  std::string currency;
  Decimal amount;
};

struct CreditTransferTransaction {
  std::string instruction_id, end_to_end_id, transaction_id, uetr;
  std::string service_level;
  std::optional<CurrencyAmount> settlement_amount;  // IntrBkSttlmAmt
  std::string settlement_date;                      // IntrBkSttlmDt
  std::optional<CurrencyAmount> instructed_amount;  // InstdAmt
  std::string charge_bearer;                        // DEBT, CRED, SHAR
  std::vector<CurrencyAmount> charges;              // ChrgsInf/Amt
  Agent instructing_agent, instructed_agent, debtor_agent, creditor_agent;
  std::vector<Agent> intermediary_agents;  // IntrmyAgt1..3 in order
  Party debtor, creditor, ultimate_debtor, ultimate_creditor;
  Account debtor_account, creditor_account;
  std::vector<std::string> remittance_unstructured;
};

struct Pacs008 {
  std::string message_id, created, settlement_method;
  std::string number_of_transactions;
  std::vector<CreditTransferTransaction> transactions;
};

struct StatusReason {
  std::string code, proprietary;
  std::vector<std::string> additional_info;
  std::string originator_name, originator_bic;
};

struct TransactionStatus {
  std::string original_message_id, original_message_name;
  std::string original_instruction_id, original_end_to_end_id, original_transaction_id, original_uetr;
  std::string status;  // TxSts
  std::vector<StatusReason> reasons;
  std::string effective_settlement_date;  // FctvIntrBkSttlmDt (date form)
  Agent instructing_agent, instructed_agent;
  std::optional<CurrencyAmount> original_settlement_amount;  // OrgnlTxRef/IntrBkSttlmAmt
};

struct Pacs002 {
  std::string message_id, created;
  std::vector<TransactionStatus> statuses;
};

BusinessHeader read_header(const codec::xml::Element& app_hdr);
Pacs008 read_pacs008(const codec::xml::Element& document);
Pacs002 read_pacs002(const codec::xml::Element& document);

// Helpers shared by the rules: follow a path of local names ("CdtTrfTxInf/PmtId/UETR") from
// an element; nullptr or "" when any step is missing.
const codec::xml::Element* find_path(const codec::xml::Element& from, std::string_view path);
std::string text_at(const codec::xml::Element& from, std::string_view path);

}  // namespace formica::iso20022
