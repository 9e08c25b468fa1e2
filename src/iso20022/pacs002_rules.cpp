// CBPR+ usage rules specific to pacs.002.001.10 (FIToFIPaymentStatusReportV10).
#include "rules.h"

namespace formica::iso20022::detail {
namespace {

using codec::xml::Element;

// pacs.008/.009/.004/.003 or pacs.010, any version: the messages a CBPR+ status report can be about.
bool reportable_message(std::string_view id) {
  if (id.size() != 15 || id.substr(0, 5) != "pacs." || id.substr(8, 5) != ".001.") return false;
  std::string_view type = id.substr(5, 3);
  bool known = type == "008" || type == "009" || type == "004" || type == "003" || type == "010";
  return known && id[13] >= '0' && id[13] <= '9' && id[14] >= '0' && id[14] <= '9';
}

}  // namespace

void check_pacs002(const Element& document, Findings& out) {
  const Element* root = document.child("FIToFIPmtStsRpt");
  if (root == nullptr) return;
  const std::string root_path = "/Document/FIToFIPmtStsRpt";
  auto txs = root->children_named("TxInfAndSts");
  if (txs.size() != 1)
    out.add(
        "P002-SINGLE-TX",
        "CBPR+ pacs.002 reports on exactly one transaction (" + std::to_string(txs.size()) + " TxInfAndSts)",
        root_path, root->line);
  for (const Element* tx : txs) {
    const std::string path = root_path + "/TxInfAndSts";
    std::string status = text_at(*tx, "TxSts");
    if (status == "RJCT" && find_path(*tx, "StsRsnInf/Rsn") == nullptr)
      out.add("STS-RJCT-REASON", path + ": TxSts RJCT needs StsRsnInf/Rsn with an ISO reason code", path,
              tx->line);
    if (status == "RJCT" && tx->child("FctvIntrBkSttlmDt") != nullptr)
      out.add("STS-RJCT-SETTLEMENT-DATE", path + ": a rejected transaction has no FctvIntrBkSttlmDt", path,
              tx->line);
    if (const Element* n = find_path(*tx, "OrgnlGrpInf/OrgnlMsgNmId")) {
      if (!reportable_message(n->text))
        out.add("ORGNL-MSGNMID",
                path + "/OrgnlGrpInf/OrgnlMsgNmId '" + n->text.substr(0, 40) +
                    "' is not a pacs.008, pacs.009, pacs.004, pacs.003 or pacs.010 definition",
                path + "/OrgnlGrpInf/OrgnlMsgNmId", n->line);
    }
    if (const Element* id = tx->child("OrgnlInstrId")) check_slashes(*id, path + "/OrgnlInstrId", out);
    check_mandatory_agents(*tx, path, out);
    check_parties(*tx, path, out);
  }
}

}  // namespace formica::iso20022::detail
