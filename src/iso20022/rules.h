#pragma once
// Internal: the rule families validate() runs, each in its own file, and what they share.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "formica/codec/xml.h"
#include "formica/iso20022/finding.h"
#include "formica/iso20022/message.h"
#include "schema.h"

namespace formica::iso20022::detail {

class Findings {
 public:
  explicit Findings(std::vector<Finding>& out) : out_(out) {}
  void add(std::string_view rule, std::string text, std::string path, int line) {
    out_.push_back({std::string(rule), std::move(text), std::move(path), line});
  }

 private:
  std::vector<Finding>& out_;
};

// Calls fn(element, path) for every element named `name` below `root` (inclusive), in
// document order; `root_path` is the path of `root`.
void for_each_named(const codec::xml::Element& root, const std::string& root_path, std::string_view name,
                    const std::function<void(const codec::xml::Element&, const std::string&)>& fn);

// The embedded schema for "pacs.008.001.09", "pacs.002.001.11" or "head.001.001.02".
Result<const Schema*> embedded_schema(std::string_view definition);

// field_rules.cpp: BIC, IBAN, LEI, UETR, country, dates, currencies and amounts.
void check_typed_values(const std::vector<TypedValue>& values, Findings& out);
// header_rules.cpp: the AppHdr against the Document.
void check_header(const codec::xml::Element& app_hdr, const Envelope& env, Findings& out);
// party_rules.cpp: agents, parties and postal addresses (both messages).
void check_parties(const codec::xml::Element& tx, const std::string& tx_path, Findings& out);
void check_addresses(const codec::xml::Element& document, Findings& out);
// pacs008_rules.cpp / pacs002_rules.cpp
void check_pacs008(const codec::xml::Element& document, Findings& out);
void check_pacs002(const codec::xml::Element& document, Findings& out);
// Shared: InstrId-like references must not start or end with '/' nor contain "//".
void check_slashes(const codec::xml::Element& e, const std::string& path, Findings& out);
void check_mandatory_agents(const codec::xml::Element& tx, const std::string& tx_path, Findings& out);

}  // namespace formica::iso20022::detail
