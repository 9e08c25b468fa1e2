#pragma once
// A finding: one broken rule at one place in a message. `rule` is a stable identifier
// (docs/iso20022.md lists every rule with its source); `text` is for people.

#include <string>

namespace formica::iso20022 {

struct Finding {
  std::string rule;  // e.g. "CCY-COMMODITY", "HDR-MSGDEFIDR", "XSD-CARDINALITY"
  std::string text;  // one line, no newline
  std::string path;  // element path, e.g. "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt"
  int line = 0;      // 1-based source line, 0 when unknown
};

}  // namespace formica::iso20022
