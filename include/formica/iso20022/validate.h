#pragma once
// Validation of pacs.008.001.08 and pacs.002.001.10 messages: the structure (the ISO 20022
// schemas of the neighbouring versions .09/.11, whose content model the .08/.10 messages share
// for every element CBPR+ uses), the field formats (BIC, IBAN, LEI, UETR, ISO 4217 currency and
// its decimals, country, dates) and the CBPR+ usage rules a settlement system depends on. Every
// rule has a stable id; docs/iso20022.md lists them with their sources.
// Thread-safe: the embedded schemas are loaded once, on first use.

#include <string>
#include <string_view>
#include <vector>

#include "formica/base/status.h"
#include "formica/iso20022/finding.h"
#include "formica/iso20022/message.h"

namespace formica::iso20022 {

struct Report {
  MessageKind kind = MessageKind::kPacs008;
  std::string message_definition;  // "pacs.008.001.08" or "pacs.002.001.10"
  bool has_header = false;         // a head.001.001.02 AppHdr was present
  std::vector<Finding> findings;   // in document order per check family; empty when valid
  bool valid() const { return findings.empty(); }
};

// Judges a located message. Errors only for an internal failure (kInternal: an embedded
// schema that does not load), never for bad input: bad input gives findings.
Result<Report> validate(const Envelope& envelope);

// read_envelope + validate. Errors as read_envelope (kMalformed, kTooLarge, kUnsupported).
Result<Report> check_message(std::string_view xml);

}  // namespace formica::iso20022
