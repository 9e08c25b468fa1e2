// The business application header (head.001.001.02) against the Document it carries.
#include "rules.h"

namespace formica::iso20022::detail {
namespace {

using codec::xml::Element;

constexpr std::string_view kHdr = "/AppHdr";

// A BIC8 names the head office, the same institution as BIC11 "...XXX".
std::string bic11(std::string_view bic) {
  std::string b(bic);
  if (b.size() == 8) b += "XXX";
  return b;
}

bool known_business_service(std::string_view s, MessageKind kind) {
  // Published CBPR+ business services: swift.cbprplus.<release>, and for pacs.008 also the
  // STP variant swift.cbprplus.stp.<release>; releases 01 (2022), 02 (2023), 03 (2025).
  constexpr std::string_view kBase = "swift.cbprplus.";
  if (s.substr(0, kBase.size()) != kBase) return false;
  s.remove_prefix(kBase.size());
  if (kind == MessageKind::kPacs008 && s.substr(0, 4) == "stp.") s.remove_prefix(4);
  return s == "01" || s == "02" || s == "03";
}

void compare_agent(const Element& hdr, std::string_view hdr_path, const Element& tx,
                   const std::string& tx_path, std::string_view agent, std::string_view rule, Findings& out) {
  std::string h = text_at(hdr, std::string(hdr_path) + "/FIId/FinInstnId/BICFI");
  std::string a = text_at(tx, std::string(agent) + "/FinInstnId/BICFI");
  if (h.empty() || a.empty()) return;  // nothing to compare (AGT-BIC reports a missing agent BIC)
  if (bic11(h) != bic11(a)) {
    std::string path = tx_path + "/" + std::string(agent) + "/FinInstnId/BICFI";
    const Element* e = find_path(tx, std::string(agent) + "/FinInstnId/BICFI");
    out.add(
        rule,
        "AppHdr " + std::string(hdr_path) + " BIC " + h + " differs from " + std::string(agent) + " BIC " + a,
        path, e != nullptr ? e->line : 0);
  }
}

}  // namespace

void check_header(const Element& hdr, const Envelope& env, Findings& out) {
  std::string msg_def = text_at(hdr, "MsgDefIdr");
  if (!msg_def.empty() && msg_def != env.message_definition) {
    const Element* e = hdr.child("MsgDefIdr");
    out.add("HDR-MSGDEFIDR",
            "AppHdr MsgDefIdr '" + msg_def + "' does not match the Document's " + env.message_definition,
            std::string(kHdr) + "/MsgDefIdr", e->line);
  }
  // BizSvc is optional in head.001.001.02 and absent from the CBPR+ minimal examples; when
  // present it must name a CBPR+ service.
  if (const Element* svc = hdr.child("BizSvc");
      svc != nullptr && !known_business_service(text_at(hdr, "BizSvc"), env.kind))
    out.add("HDR-BIZSVC",
            "AppHdr BizSvc '" + text_at(hdr, "BizSvc").substr(0, 40) + "' is not a CBPR+ business service",
            std::string(kHdr) + "/BizSvc", svc->line);

  const bool pacs008 = env.kind == MessageKind::kPacs008;
  const Element* root = env.document.child(pacs008 ? "FIToFICstmrCdtTrf" : "FIToFIPmtStsRpt");
  if (root == nullptr) return;  // XSD-MISSING
  std::string msg_id = text_at(*root, "GrpHdr/MsgId");
  std::string biz_id = text_at(hdr, "BizMsgIdr");
  if (!msg_id.empty() && !biz_id.empty() && biz_id.find(msg_id) == std::string::npos)
    out.add("HDR-BIZMSGIDR",
            "AppHdr BizMsgIdr '" + biz_id + "' does not carry the group header MsgId '" + msg_id + "'",
            std::string(kHdr) + "/BizMsgIdr", hdr.child("BizMsgIdr")->line);

  std::string copy = text_at(hdr, "CpyDplct");
  const bool copy_or_duplicate = copy == "COPY" || copy == "CODU";
  const char* tx_name = pacs008 ? "CdtTrfTxInf" : "TxInfAndSts";
  std::string root_path = std::string("/Document/") + (pacs008 ? "FIToFICstmrCdtTrf" : "FIToFIPmtStsRpt");
  for (const Element* tx : root->children_named(tx_name)) {
    std::string tx_path = root_path + "/" + tx_name;
    if (!copy_or_duplicate) {
      compare_agent(hdr, "Fr", *tx, tx_path, "InstgAgt", "HDR-FR-INSTGAGT", out);
      compare_agent(hdr, "To", *tx, tx_path, "InstdAgt", "HDR-TO-INSTDAGT", out);
    }
    std::string prty = text_at(hdr, "Prty");
    std::string instr_prty = text_at(*tx, "PmtTpInf/InstrPrty");
    if (pacs008 && !prty.empty() && !instr_prty.empty() && prty != instr_prty)
      out.add("HDR-PRIORITY",
              "AppHdr Prty '" + prty + "' differs from PmtTpInf/InstrPrty '" + instr_prty + "'",
              std::string(kHdr) + "/Prty", hdr.child("Prty")->line);
  }
}

}  // namespace formica::iso20022::detail
