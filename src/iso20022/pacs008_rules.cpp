// CBPR+ usage rules specific to pacs.008.001.08 (FIToFICustomerCreditTransferV08).
#include <algorithm>
#include <set>

#include "formica/iso20022/amount.h"
#include "rules.h"

namespace formica::iso20022::detail {
namespace {

using codec::xml::Element;

std::vector<std::string> codes(const Element& tx) {
  std::vector<std::string> out;
  for (const Element* i : tx.children_named("InstrForCdtrAgt")) out.push_back(text_at(*i, "Cd"));
  return out;
}

bool has(const std::vector<std::string>& v, std::string_view code) {
  return std::find(v.begin(), v.end(), code) != v.end();
}

void check_charges(const Element& tx, const std::string& path, Findings& out) {
  std::string bearer = text_at(tx, "ChrgBr");
  std::size_t charges = tx.children_named("ChrgsInf").size();
  const Element* cb = tx.child("ChrgBr");
  if (cb != nullptr && bearer != "DEBT" && bearer != "CRED" && bearer != "SHAR")
    out.add("CHRGBR-CODE",
            path + "/ChrgBr '" + bearer + "' is not DEBT, CRED or SHAR (SLEV is not used in CBPR+)",
            path + "/ChrgBr", cb->line);
  if (bearer == "CRED" && charges == 0)
    out.add("CHRGBR-CRED", path + ": ChrgBr CRED needs ChrgsInf (zero amount when no charge is taken)", path,
            tx.line);
  if (bearer == "DEBT" && charges > 1)
    out.add("CHRGBR-DEBT", path + ": ChrgBr DEBT allows only one ChrgsInf", path, tx.line);
  const Element* instd = tx.child("InstdAmt");
  const Element* sttl = tx.child("IntrBkSttlmAmt");
  if (instd == nullptr || sttl == nullptr || charges > 0) return;
  const auto* ic = instd->attribute("Ccy");
  const auto* sc = sttl->attribute("Ccy");
  if (ic == nullptr || sc == nullptr || ic->value != sc->value) return;
  auto a = parse_amount(text_at(tx, "InstdAmt"));
  auto b = parse_amount(text_at(tx, "IntrBkSttlmAmt"));
  if (a.ok() && b.ok() && !(*a == *b))
    out.add("CHRGS-AMOUNT-DIFF",
            path + ": InstdAmt " + a->to_string() + " and IntrBkSttlmAmt " + b->to_string() + " " +
                sc->value + " differ, so ChrgsInf is mandatory",
            path, tx.line);
}

}  // namespace

void check_pacs008(const Element& document, Findings& out) {
  const Element* root = document.child("FIToFICstmrCdtTrf");
  if (root == nullptr) return;
  const std::string root_path = "/Document/FIToFICstmrCdtTrf";
  auto txs = root->children_named("CdtTrfTxInf");
  std::string nb = text_at(*root, "GrpHdr/NbOfTxs");
  if (txs.size() != 1 || (!nb.empty() && nb != "1"))
    out.add("P008-SINGLE-TX",
            "CBPR+ pacs.008 carries exactly one transaction (NbOfTxs '" + nb + "', " +
                std::to_string(txs.size()) + " CdtTrfTxInf)",
            root_path, root->line);
  std::string method = text_at(*root, "GrpHdr/SttlmInf/SttlmMtd");
  if (!method.empty() && method != "INDA" && method != "INGA" && method != "COVE")
    out.add("P008-SETTLEMENT-METHOD",
            "SttlmMtd '" + method + "' is not INDA, INGA or COVE (CLRG is not used in CBPR+)",
            root_path + "/GrpHdr/SttlmInf/SttlmMtd", root->line);
  for (const Element* tx : txs) {
    const std::string path = root_path + "/CdtTrfTxInf";
    if (const Element* id = find_path(*tx, "PmtId/InstrId")) check_slashes(*id, path + "/PmtId/InstrId", out);
    std::string svc = text_at(*tx, "PmtTpInf/SvcLvl/Cd");
    if (svc.size() == 4 && svc[0] == 'G' && svc != "G001" && svc.substr(1, 2) == "00")
      out.add("SVCLVL-GPI",
              path + "/PmtTpInf/SvcLvl/Cd '" + svc + "': the only gpi service level in pacs.008 is G001",
              path + "/PmtTpInf/SvcLvl/Cd", find_path(*tx, "PmtTpInf/SvcLvl/Cd")->line);
    check_charges(*tx, path, out);
    check_mandatory_agents(*tx, path, out);
    check_parties(*tx, path, out);
    auto c = codes(*tx);
    if (has(c, "CHQB") && has(c, "HOLD"))
      out.add("IFCA-HOLD-CHQB", path + ": InstrForCdtrAgt HOLD is not allowed with CHQB", path, tx->line);
    if (has(c, "PHOB") && has(c, "TELB"))
      out.add("IFCA-PHOB-TELB", path + ": InstrForCdtrAgt TELB is not allowed with PHOB", path, tx->line);
    if (std::set<std::string>(c.begin(), c.end()).size() != c.size())
      out.add("IFCA-DUPLICATE", path + ": each InstrForCdtrAgt code may be used once", path, tx->line);
    if (tx->child("RltdRmtInf") != nullptr && tx->child("RmtInf") != nullptr)
      out.add("RMT-EXCLUSIVE", path + ": RltdRmtInf and RmtInf are mutually exclusive", path, tx->line);
    if (const Element* r = tx->child("RmtInf"))
      if (r->child("Ustrd") != nullptr && r->child("Strd") != nullptr)
        out.add("RMT-EXCLUSIVE", path + "/RmtInf: Ustrd and Strd are mutually exclusive", path + "/RmtInf",
                r->line);
  }
}

}  // namespace formica::iso20022::detail
