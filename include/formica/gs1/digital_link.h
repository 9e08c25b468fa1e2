#pragma once
// GS1 Digital Link URI syntax 1.2 (uncompressed): parse a Digital Link into its primary key,
// key qualifiers and data attributes, validated against the GS1 Barcode Syntax Dictionary (AI
// formats, check digits, which qualifiers each key admits and in which order, which AIs may be
// data attributes); and write the canonical form (https://id.gs1.org, numeric AIs).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formica/base/status.h"
#include "formica/gs1/identifiers.h"

namespace formica::gs1 {

struct DigitalLink {
  std::string scheme;               // "https" or "http"
  std::string host;                 // as written, e.g. "id.gs1.org" or "example.com"
  std::string path_prefix;          // custom path before the primary key ("" or "/foo")
  Gs1Id id;                         // primary key then qualifiers (plain values)
  std::vector<AiValue> attributes;  // AI data attributes from the query string
  std::vector<std::pair<std::string, std::string>> other_params;  // non-AI query parameters
  std::string fragment;
};

// Parses and validates. Errors:
//  - kMalformed: not an absolute http(s) URI at all (no scheme, no host, control characters,
//    bad percent-escape) — the caller's input is not a URI;
//  - kVerificationFailed: a URI that is not a valid Digital Link, with the reason: no primary
//    key, unknown AI, wrong check digit, bad format or length, qualifier not allowed for the key
//    or out of order ("misplaced"), key qualifier in the query string, AI that may not be a data
//    attribute, repeated AI.
Result<DigitalLink> parse_digital_link(std::string_view uri);

// The canonical URI: https://id.gs1.org + numeric AIs, values percent-encoded, data attributes
// in the order given; other parameters are dropped.
std::string canonical_uri(const DigitalLink& dl);
// The canonical Digital Link of an identification alone.
std::string digital_link_uri(const Gs1Id& id);

// Name of an AI's data title in the dictionary ("GTIN", "SERIAL", "BATCH/LOT", ...), or "".
std::string_view ai_title(std::string_view ai);

// Validates one AI value against the dictionary (format, length, check digit). Errors:
// kVerificationFailed with the reason, kNotFound for an unknown AI.
Status validate_ai_value(std::string_view ai, std::string_view value);

}  // namespace formica::gs1
