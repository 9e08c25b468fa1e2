#pragma once
// The CBV 2.0 "EPCIS event hash ID" (CBV 2.0 §8.9), reproducing the reference implementation
// github.com/RalphTro/epcis-event-hash-generator byte for byte (its test vectors are in
// tests/vectors/gs1/event-hash). A JSON-LD and an XML rendering of one event give one hash.
//
// The pre-hash string is built from the event's data-model tree (epcis.h Field): the standard
// fields in the canonical property order, then everything else (ILMD, bizTransactionList,
// sourceList, destinationList, user extensions) sorted; values are canonicalised (UTC
// millisecond timestamps, numbers without trailing zeros, CBV web URIs, EPC URIs and Digital
// Links as constrained canonical Digital Links). Deterministic: no locale, no floating-point
// formatting outside std::to_chars, no unordered containers. Thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formica/gs1/epcis.h"

namespace formica::gs1 {

// The pre-hash string of one event. `ignored_fields` are top-level extension names
// ("{ns}local") to leave out (Document::ignored_fields).
std::string event_prehash(const Field& event, const std::vector<std::string>& ignored_fields = {});

// "ni:///sha-256;<lowercase hex>?ver=CBV2.0" of a pre-hash string (RFC 6920 'ni' URI).
std::string event_hash_id(std::string_view prehash);

// One value as it enters the pre-hash: CBV URNs to web URIs, numbers to their shortest form,
// EPC URIs and GS1 Digital Links to constrained canonical Digital Links; other text unchanged.
std::string canonical_value(std::string_view text);

// A GS1 identifier URI (EPC id/class/pattern URI or Digital Link on any domain) as a
// constrained canonical Digital Link on https://id.gs1.org (finest identification level, no
// query, no CPV); nullopt when `uri` is neither.
std::optional<std::string> canonical_digital_link(std::string_view uri);

// Hash IDs of every event of a document, in document order: the hash ID of each valid event, or
// the event's validation error.
std::vector<Result<std::string>> document_hash_ids(const Document& doc);

}  // namespace formica::gs1
