#pragma once
// EPCIS documents (GS1 EPCIS 2.0 JSON-LD and XML, EPCIS 1.2 XML) read into one event model.
//
// Reading happens in two steps. First each event is brought into the syntax-neutral EPCIS data
// model as a Field tree (the XML shape: JSON-LD lists are expanded into list/element pairs, CURIEs
// and bare CBV words into full URIs, extension element names into "{namespace}local"). Then the
// tree is read into a typed Event and validated: required fields, CBV vocabulary, identifier
// syntax (EPC URIs and GS1 Digital Links with check digits) and time zones. An invalid event
// does not make the document unreadable: it is kept with its reason, so that a caller can report
// every event of a document.
//
// XML is read with codec::xml (no DOCTYPE, no entities, bounded depth and size); JSON with
// nlohmann_json under the same size bound. Thread-safe; no global state.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formica/base/status.h"

namespace formica::gs1 {

// One node of an event in the EPCIS data model: an element or attribute name ("{ns}local" for
// namespaced extensions), its trimmed text and its children in document order.
struct Field {
  std::string name;
  std::string value;
  std::vector<Field> children;
  const Field* child(std::string_view child_name) const;
  bool operator==(const Field&) const = default;
};

enum class Syntax : unsigned char { kJsonLd, kXml };
enum class EventType : unsigned char { kObject, kAggregation, kTransaction, kTransformation, kAssociation };
enum class Action : unsigned char { kAdd, kObserve, kDelete };

std::string_view event_type_name(EventType type);  // "ObjectEvent", ...
std::optional<EventType> parse_event_type(std::string_view name);

struct QuantityElement {
  std::string epc_class;
  std::string quantity;  // decimal text as given; empty when absent
  std::string uom;       // UN/CEFACT Rec. 20 code; empty when absent
};

// A bizTransaction, source or destination: an identifier with an optional type.
struct TypedId {
  std::string type;  // full URI, empty when absent
  std::string id;
};

struct SensorElement {
  std::vector<std::pair<std::string, std::string>> metadata;              // name -> value
  std::vector<std::vector<std::pair<std::string, std::string>>> reports;  // each report's fields
};

struct ErrorDeclaration {
  std::string declaration_time;
  std::string reason;  // full URI when given
  std::vector<std::string> corrective_event_ids;
};

// The typed event. Vocabulary values are full URIs whatever the syntax (bare JSON-LD words,
// CURIEs and urn:epcglobal:cbv URNs are expanded); identifiers are kept as written.
struct Event {
  EventType type = EventType::kObject;
  std::string event_time;              // as written (xsd:dateTime with a time zone)
  std::string event_time_zone_offset;  // "+01:00"
  std::string record_time;
  std::string event_id;
  std::string certification_info;
  std::optional<ErrorDeclaration> error_declaration;
  std::vector<std::string> epc_list;
  std::string parent_id;
  std::vector<std::string> child_epcs;
  std::vector<std::string> input_epc_list;
  std::vector<std::string> output_epc_list;
  std::vector<QuantityElement> quantity_list;
  std::vector<QuantityElement> child_quantity_list;
  std::vector<QuantityElement> input_quantity_list;
  std::vector<QuantityElement> output_quantity_list;
  std::optional<Action> action;
  std::string transformation_id;
  std::string biz_step;
  std::string disposition;
  std::vector<std::string> persistent_disposition_set;
  std::vector<std::string> persistent_disposition_unset;
  std::string read_point;
  std::string biz_location;
  std::vector<TypedId> biz_transactions;
  std::vector<TypedId> sources;
  std::vector<TypedId> destinations;
  std::vector<SensorElement> sensor_elements;
  std::size_t ilmd_fields = 0;       // top-level ILMD elements
  std::size_t extension_fields = 0;  // top-level user extension elements
};

struct EventEntry {
  Field tree;                  // the event in the data model (input of the event hash)
  std::optional<Event> event;  // set when the event is valid
  std::string error;           // when invalid: "<field>: <reason>"
  int line = 0;                // XML: line of the event element; 0 for JSON
};

struct Document {
  Syntax syntax = Syntax::kJsonLd;
  std::string document_type;   // "EPCISDocument" or "EPCISQueryDocument"
  std::string schema_version;  // "2.0", "1.2", ...
  std::vector<EventEntry> events;
  // Extension fields the document asks hash generators to leave out (the "ignoreFields"
  // element of the reference event-hash generator), as "{namespace}local".
  std::vector<std::string> ignored_fields;
};

struct ParseLimits {
  std::size_t max_bytes = 16u << 20;
  std::size_t max_depth = 64;
  std::size_t max_events = 100'000;
};

// Reads an EPCIS document; the syntax is recognised from the first non-blank character.
// Errors (the document as a whole is unusable): kMalformed when the text is not well-formed JSON
// or XML, kUnsupported when it is not an EPCIS document (wrong root, no event list), kTooLarge
// over the limits. Invalid events are not errors here: see EventEntry::error.
Result<Document> parse_epcis(std::string_view text, const ParseLimits& limits = {});

// Validates one data-model event tree into a typed Event (used by parse_epcis; exposed for
// callers that build trees themselves). Errors: kVerificationFailed with "<field>: <reason>".
Result<Event> read_event(const Field& tree);

}  // namespace formica::gs1
