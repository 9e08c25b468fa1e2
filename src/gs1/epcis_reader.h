#pragma once
// The two syntax front ends of parse_epcis (epcis.h): each turns a document into event trees of
// the EPCIS data model; read_event() then types and validates them.

#include <string_view>

#include "formica/gs1/epcis.h"

namespace formica::gs1::detail {

// Both fill Document::syntax, document_type, schema_version, ignored_fields and, per event,
// EventEntry::tree (and line); EventEntry::event/error are left to the caller.
Result<Document> read_json_document(std::string_view text, const ParseLimits& limits);
Result<Document> read_xml_document(std::string_view text, const ParseLimits& limits);

// Names of the standard list fields and the element name of their items ("epcList" -> "epc").
std::string_view list_item_name(std::string_view list_name);

}  // namespace formica::gs1::detail
