// CBPR+ rules on agents, parties and postal addresses, shared by pacs.008 and pacs.002.
#include <algorithm>

#include "rules.h"

namespace formica::iso20022::detail {
namespace {

using codec::xml::Element;

// Structured PostalAddress24 components (everything but AdrLine and AdrTp).
constexpr std::string_view kAddressComponents[] = {"Dept",      "SubDept",  "StrtNm",      "BldgNb", "BldgNm",
                                                   "Flr",       "PstBx",    "Room",        "PstCd",  "TwnNm",
                                                   "TwnLctnNm", "DstrctNm", "CtrySubDvsn", "Ctry"};

bool word_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// `value` appears in `line` as whole words (not inside a longer word).
bool contains_words(std::string_view line, std::string_view value) {
  for (std::size_t at = line.find(value); at != std::string_view::npos; at = line.find(value, at + 1)) {
    bool left = at == 0 || !word_char(line[at - 1]);
    std::size_t end = at + value.size();
    bool right = end == line.size() || !word_char(line[end]);
    if (left && right) return true;
  }
  return false;
}

void party_name(const Element& tx, const std::string& tx_path, std::string_view party, bool any_bic_rules,
                Findings& out) {
  const Element* p = find_path(tx, party);
  if (p == nullptr) return;
  std::string path = tx_path + "/" + std::string(party);
  bool has_bic = find_path(*p, "Id/OrgId/AnyBIC") != nullptr;
  bool has_name = p->child("Nm") != nullptr;
  bool has_address = p->child("PstlAdr") != nullptr;
  if (has_address && !has_name)
    out.add("PARTY-NAME", path + " has a PstlAdr but no Nm", path, p->line);
  else if (any_bic_rules && !has_bic && !has_name)
    out.add("PARTY-NAME", path + " has neither AnyBIC nor Nm", path, p->line);
  if (any_bic_rules && has_bic && (has_name || has_address))
    out.add("PARTY-ANYBIC", path + " has AnyBIC, so Nm and PstlAdr are not allowed", path, p->line);
}

}  // namespace

void for_each_named(const Element& root, const std::string& root_path, std::string_view name,
                    const std::function<void(const Element&, const std::string&)>& fn) {
  if (root.name == name) fn(root, root_path);
  for (const auto& c : root.children) for_each_named(c, root_path + "/" + c.name, name, fn);
}

void check_parties(const Element& tx, const std::string& tx_path, Findings& out) {
  for (std::string_view party : {"Dbtr", "Cdtr"}) party_name(tx, tx_path, party, true, out);
  for (std::string_view party : {"UltmtDbtr", "InitgPty", "UltmtCdtr", "StsRsnInf/Orgtr"})
    party_name(tx, tx_path, party, false, out);
}

void check_addresses(const Element& document, Findings& out) {
  for_each_named(document, "/Document", "FinInstnId", [&](const Element& fi, const std::string& path) {
    if ((fi.child("Nm") != nullptr) != (fi.child("PstlAdr") != nullptr))
      out.add("AGT-NAME-ADDRESS", path + ": Nm and PstlAdr must be present together", path, fi.line);
  });
  for_each_named(document, "/Document", "PstlAdr", [&](const Element& adr, const std::string& path) {
    auto lines = adr.children_named("AdrLine");
    bool structured = std::any_of(std::begin(kAddressComponents), std::end(kAddressComponents),
                                  [&](std::string_view c) { return adr.child(c) != nullptr; });
    if (structured && (adr.child("TwnNm") == nullptr || adr.child("Ctry") == nullptr))
      out.add("ADDR-TOWN-COUNTRY", path + ": a structured address needs TwnNm and Ctry", path, adr.line);
    for (std::string_view comp : kAddressComponents) {
      for (const Element* c : adr.children_named(comp)) {
        if (c->text.size() < 3) continue;  // "GB" in a line is not a repetition worth refusing
        for (const Element* l : lines)
          if (contains_words(l->text, c->text))
            out.add("ADDR-DUPLICATION", path + "/AdrLine repeats " + std::string(comp) + " '" + c->text + "'",
                    path, l->line);
      }
    }
  });
}

void check_slashes(const Element& e, const std::string& path, Findings& out) {
  std::string_view v = e.text;
  if (v.empty()) return;
  if (v.front() == '/' || v.back() == '/' || v.find("//") != std::string_view::npos)
    out.add("REF-SLASH",
            path + " '" + std::string(v.substr(0, 40)) + "' must not start or end with '/' or contain '//'",
            path, e.line);
}

void check_mandatory_agents(const Element& tx, const std::string& tx_path, Findings& out) {
  for (std::string_view agent : {"InstgAgt", "InstdAgt"}) {
    const Element* a = tx.child(agent);
    std::string path = tx_path + "/" + std::string(agent);
    if (a == nullptr)
      out.add("AGT-MANDATORY", path + " is mandatory in CBPR+", tx_path, tx.line);
    else if (find_path(*a, "FinInstnId/BICFI") == nullptr)
      out.add("AGT-BIC", path + " must be identified by BICFI in CBPR+", path, a->line);
  }
}

}  // namespace formica::iso20022::detail
