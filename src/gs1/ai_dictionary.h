#pragma once
// The GS1 Barcode Syntax Dictionary as a table: each AI's component formats and linters, the
// Digital Link primary keys with their qualifier paths, and the AIs allowed as Digital Link data
// attributes. Parsed once from the embedded dictionary text (ai_dictionary_data.cpp).

#include <string>
#include <string_view>
#include <vector>

#include "formica/base/status.h"

namespace formica::gs1::detail {

struct AiComponent {
  char type = 'N';  // N numeric, X CSET 82, Y CSET 39, Z base64url
  std::size_t min = 0, max = 0;
  bool optional = false;
  std::vector<std::string> linters;  // "csum", "yymmdd", ...
};

struct AiEntry {
  std::string ai;
  std::string title;
  bool dl_attribute = false;                               // '?' flag: may be a Digital Link data attribute
  bool dl_key = false;                                     // has dlpkey
  std::vector<std::vector<std::string>> qualifier_paths;   // dlpkey=22,10,21|235 -> {{22,10,21},{235}}
  std::vector<std::vector<std::vector<std::string>>> req;  // req=01,02 03+21 -> one group per attribute
  std::vector<std::string> ex;                             // mutually exclusive AIs (prefixes)
  std::vector<AiComponent> components;
};

std::string_view ai_dictionary_text();
// The entry of an AI, or nullptr. The table is built on first use (thread-safe).
const AiEntry* find_ai(std::string_view ai);
// Every entry (for tests and tools).
const std::vector<AiEntry>& all_ais();
// Validates a value against the entry's components. Errors: kVerificationFailed with the reason.
Status validate_value(const AiEntry& entry, std::string_view value);

}  // namespace formica::gs1::detail
