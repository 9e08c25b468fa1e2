#include "formica/iso20022/message.h"

namespace formica::iso20022 {
namespace {

using codec::xml::Element;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Finds every AppHdr and Document element without descending into either.
void locate(Element& e, std::vector<Element*>& headers, std::vector<Element*>& documents) {
  if (e.name == "AppHdr") {
    headers.push_back(&e);
    return;
  }
  if (e.name == "Document") {
    documents.push_back(&e);
    return;
  }
  for (auto& c : e.children) locate(c, headers, documents);
}

std::optional<CurrencyAmount> amount_at(const Element& from, std::string_view path) {
  const Element* e = find_path(from, path);
  if (e == nullptr) return std::nullopt;
  CurrencyAmount a;
  if (const auto* ccy = e->attribute("Ccy")) a.currency = ccy->value;
  auto d = parse_amount(trim(e->text));
  if (d.ok()) a.amount = *d;
  return a;
}

Agent read_agent(const Element* e) {
  Agent a;
  if (e == nullptr) return a;
  a.present = true;
  a.bic = text_at(*e, "FinInstnId/BICFI");
  a.lei = text_at(*e, "FinInstnId/LEI");
  a.name = text_at(*e, "FinInstnId/Nm");
  a.clearing_member_id = text_at(*e, "FinInstnId/ClrSysMmbId/MmbId");
  return a;
}

PostalAddress read_address(const Element& e) {
  PostalAddress p;
  p.street = e.child_text("StrtNm");
  p.building_number = e.child_text("BldgNb");
  p.post_code = e.child_text("PstCd");
  p.town = e.child_text("TwnNm");
  p.country_subdivision = e.child_text("CtrySubDvsn");
  p.country = e.child_text("Ctry");
  for (const auto* l : e.children_named("AdrLine")) p.address_lines.push_back(l->text);
  return p;
}

Party read_party(const Element* e) {
  Party p;
  if (e == nullptr) return p;
  p.present = true;
  p.name = e->child_text("Nm");
  p.any_bic = text_at(*e, "Id/OrgId/AnyBIC");
  p.lei = text_at(*e, "Id/OrgId/LEI");
  p.country_of_residence = e->child_text("CtryOfRes");
  if (const Element* a = e->child("PstlAdr")) p.address = read_address(*a);
  return p;
}

Account read_account(const Element* e) {
  Account a;
  if (e == nullptr) return a;
  a.present = true;
  a.iban = text_at(*e, "Id/IBAN");
  a.other_id = text_at(*e, "Id/Othr/Id");
  a.currency = e->child_text("Ccy");
  return a;
}

}  // namespace

codec::xml::Limits message_limits() {
  codec::xml::Limits l;
  l.max_bytes = 4u << 20;  // CBPR+ messages are far below; a 100 MB body is refused unread
  l.max_depth = 40;        // pacs.008 nests about 12 deep inside a wrapper
  l.max_elements = 20'000;
  return l;
}

const Element* find_path(const Element& from, std::string_view path) {
  const Element* e = &from;
  while (e != nullptr && !path.empty()) {
    auto slash = path.find('/');
    e = e->child(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return e;
}

std::string text_at(const Element& from, std::string_view path) {
  const Element* e = find_path(from, path);
  return e == nullptr ? std::string() : std::string(trim(e->text));
}

Result<Envelope> read_envelope(std::string_view xml) {
  FORMICA_ASSIGN_OR_RETURN(auto root, codec::xml::parse(xml, message_limits()));
  std::vector<Element*> headers, documents;
  locate(root, headers, documents);
  if (documents.empty()) return make_error(ErrorCode::kUnsupported, "no ISO 20022 Document element");
  if (documents.size() > 1 || headers.size() > 1)
    return make_error(ErrorCode::kUnsupported, "more than one Document or AppHdr; one message per file");
  Envelope env;
  const std::string& ns = documents[0]->ns;
  if (ns.rfind(kNamespacePrefix, 0) != 0)
    return make_error(ErrorCode::kUnsupported, "Document namespace '" + ns + "' is not ISO 20022");
  env.message_definition = ns.substr(kNamespacePrefix.size());
  if (env.message_definition == kPacs008Id)
    env.kind = MessageKind::kPacs008;
  else if (env.message_definition == kPacs002Id)
    env.kind = MessageKind::kPacs002;
  else
    return make_error(ErrorCode::kUnsupported, "unsupported message " + env.message_definition +
                                                   " (supported: pacs.008.001.08, pacs.002.001.10)");
  if (!headers.empty()) {
    std::string hns = headers[0]->ns;
    if (hns != std::string(kNamespacePrefix) + std::string(kHead001Id))
      return make_error(ErrorCode::kUnsupported,
                        "unsupported business application header '" + hns + "' (supported: head.001.001.02)");
    env.app_header = std::move(*headers[0]);
  }
  env.document = std::move(*documents[0]);
  return env;
}

BusinessHeader read_header(const Element& h) {
  BusinessHeader b;
  b.from_bic = text_at(h, "Fr/FIId/FinInstnId/BICFI");
  b.to_bic = text_at(h, "To/FIId/FinInstnId/BICFI");
  b.business_message_id = text_at(h, "BizMsgIdr");
  b.message_definition = text_at(h, "MsgDefIdr");
  b.business_service = text_at(h, "BizSvc");
  b.created = text_at(h, "CreDt");
  b.copy_duplicate = text_at(h, "CpyDplct");
  b.priority = text_at(h, "Prty");
  return b;
}

Pacs008 read_pacs008(const Element& document) {
  Pacs008 m;
  const Element* root = document.child("FIToFICstmrCdtTrf");
  if (root == nullptr) return m;
  m.message_id = text_at(*root, "GrpHdr/MsgId");
  m.created = text_at(*root, "GrpHdr/CreDtTm");
  m.number_of_transactions = text_at(*root, "GrpHdr/NbOfTxs");
  m.settlement_method = text_at(*root, "GrpHdr/SttlmInf/SttlmMtd");
  for (const Element* tx : root->children_named("CdtTrfTxInf")) {
    CreditTransferTransaction t;
    t.instruction_id = text_at(*tx, "PmtId/InstrId");
    t.end_to_end_id = text_at(*tx, "PmtId/EndToEndId");
    t.transaction_id = text_at(*tx, "PmtId/TxId");
    t.uetr = text_at(*tx, "PmtId/UETR");
    t.service_level = text_at(*tx, "PmtTpInf/SvcLvl/Cd");
    t.settlement_amount = amount_at(*tx, "IntrBkSttlmAmt");
    t.settlement_date = text_at(*tx, "IntrBkSttlmDt");
    t.instructed_amount = amount_at(*tx, "InstdAmt");
    t.charge_bearer = text_at(*tx, "ChrgBr");
    for (const Element* c : tx->children_named("ChrgsInf"))
      if (auto a = amount_at(*c, "Amt")) t.charges.push_back(*a);
    t.instructing_agent = read_agent(tx->child("InstgAgt"));
    t.instructed_agent = read_agent(tx->child("InstdAgt"));
    for (const char* name : {"IntrmyAgt1", "IntrmyAgt2", "IntrmyAgt3"})
      if (const Element* a = tx->child(name)) t.intermediary_agents.push_back(read_agent(a));
    t.debtor_agent = read_agent(tx->child("DbtrAgt"));
    t.creditor_agent = read_agent(tx->child("CdtrAgt"));
    t.debtor = read_party(tx->child("Dbtr"));
    t.creditor = read_party(tx->child("Cdtr"));
    t.ultimate_debtor = read_party(tx->child("UltmtDbtr"));
    t.ultimate_creditor = read_party(tx->child("UltmtCdtr"));
    t.debtor_account = read_account(tx->child("DbtrAcct"));
    t.creditor_account = read_account(tx->child("CdtrAcct"));
    if (const Element* r = tx->child("RmtInf"))
      for (const Element* u : r->children_named("Ustrd")) t.remittance_unstructured.push_back(u->text);
    m.transactions.push_back(std::move(t));
  }
  return m;
}

Pacs002 read_pacs002(const Element& document) {
  Pacs002 m;
  const Element* root = document.child("FIToFIPmtStsRpt");
  if (root == nullptr) return m;
  m.message_id = text_at(*root, "GrpHdr/MsgId");
  m.created = text_at(*root, "GrpHdr/CreDtTm");
  for (const Element* tx : root->children_named("TxInfAndSts")) {
    TransactionStatus s;
    s.original_message_id = text_at(*tx, "OrgnlGrpInf/OrgnlMsgId");
    s.original_message_name = text_at(*tx, "OrgnlGrpInf/OrgnlMsgNmId");
    s.original_instruction_id = text_at(*tx, "OrgnlInstrId");
    s.original_end_to_end_id = text_at(*tx, "OrgnlEndToEndId");
    s.original_transaction_id = text_at(*tx, "OrgnlTxId");
    s.original_uetr = text_at(*tx, "OrgnlUETR");
    s.status = text_at(*tx, "TxSts");
    for (const Element* r : tx->children_named("StsRsnInf")) {
      StatusReason reason;
      reason.code = text_at(*r, "Rsn/Cd");
      reason.proprietary = text_at(*r, "Rsn/Prtry");
      for (const Element* a : r->children_named("AddtlInf")) reason.additional_info.push_back(a->text);
      reason.originator_name = text_at(*r, "Orgtr/Nm");
      reason.originator_bic = text_at(*r, "Orgtr/Id/OrgId/AnyBIC");
      s.reasons.push_back(std::move(reason));
    }
    s.effective_settlement_date = text_at(*tx, "FctvIntrBkSttlmDt/Dt");
    s.instructing_agent = read_agent(tx->child("InstgAgt"));
    s.instructed_agent = read_agent(tx->child("InstdAgt"));
    s.original_settlement_amount = amount_at(*tx, "OrgnlTxRef/IntrBkSttlmAmt");
    m.statuses.push_back(std::move(s));
  }
  return m;
}

}  // namespace formica::iso20022
