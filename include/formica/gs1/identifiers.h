#pragma once
// GS1 identification keys (GTIN, SSCC, GLN, GRAI, GIAI, GSRN, GDTI, GCN, CPID, GINC, GSIN, ITIP,
// UPUI, PGLN) in their three spellings: GS1 element strings (AI + value), EPC URIs of the Tag
// Data Standard (`urn:epc:id:…`, `urn:epc:class:lgtin:…`, `urn:epc:idpat:…`) and GS1 Digital
// Link URIs (see digital_link.h).
//
// Values held in a Gs1Id are plain (never percent-encoded). An EPC URI carries the split between
// the GS1 Company Prefix and the rest of the key; a Digital Link does not, so converting a Digital
// Link into an EPC URI needs the company-prefix length (GS1 publishes it per prefix; the caller
// supplies it). All functions are pure and thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formica/base/status.h"

namespace formica::gs1 {

// GS1 mod-10 check digit over `digits` (all ASCII digits, any length); the digit that completes
// them. Precondition: digits are 0-9 (callers validate first).
char check_digit(std::string_view digits);
// True when `key` is all digits, at least two, and its last digit is the check digit of the rest.
bool has_valid_check_digit(std::string_view key);

struct AiValue {
  std::string ai;     // e.g. "01"
  std::string value;  // plain text, e.g. "04012345123456"
  bool operator==(const AiValue&) const = default;
};

// An identification: a primary key first, then its key qualifiers in canonical order.
struct Gs1Id {
  std::vector<AiValue> keys;
  const std::string* find(std::string_view ai) const;
  bool operator==(const Gs1Id&) const = default;
};

// Which Tag Data Standard form an EPC URI takes.
enum class EpcForm : unsigned char {
  kId,     // urn:epc:id:<scheme>:…  — one instance (SGTIN, SSCC, SGLN, …)
  kClass,  // urn:epc:class:lgtin:…  — a lot of a GTIN
  kIdPat,  // urn:epc:idpat:<scheme>:…* — every instance of a class (e.g. a GTIN)
};

struct EpcUri {
  EpcForm form = EpcForm::kId;
  std::string scheme;              // "sgtin", "sscc", "lgtin", …
  std::size_t gcp_length = 0;      // digits of the GS1 Company Prefix
  Gs1Id id;                        // the same identification as element strings
  std::vector<std::string> parts;  // the URI's dot-separated fields as written (escapes kept)
};

// Parses an EPC pure-identity, class or pattern URI of a GS1 key scheme, checking field lengths
// and character sets. Errors: kMalformed with the reason (unknown scheme, bad length, bad
// character). Check digits are computed, so an EPC URI cannot carry a wrong one.
Result<EpcUri> parse_epc_uri(std::string_view uri);

// Writes the EPC URI of an identification. `gcp_length` is the number of digits of the GS1
// Company Prefix (6..12). The form follows the keys: 01+21 -> sgtin, 01+10 -> lgtin class,
// 01 alone -> idpat sgtin, 00 -> sscc, 414[+254] -> sgln, 8003 -> grai, 8004 -> giai, 8017 ->
// gsrnp, 8018 -> gsrn, 253 -> gdti, 255 -> sgcn, 8010+8011 -> cpi, 401 -> ginc, 402 -> gsin,
// 8006+21 -> itip, 01+235 -> upui, 417 -> pgln. Errors: kInvalidArgument when the keys have no
// EPC form or the prefix length does not fit.
Result<std::string> to_epc_uri(const Gs1Id& id, std::size_t gcp_length);

// TDS percent-escaping of a component (", %, &, /, <, >, ? and anything outside the URI's
// allowed set), and its inverse. Unescape fails on a bad or truncated escape.
std::string epc_escape(std::string_view plain);
Result<std::string> epc_unescape(std::string_view escaped);

}  // namespace formica::gs1
