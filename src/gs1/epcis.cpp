// The typed EPCIS event and its validation, shared by both syntaxes (epcis_json.cpp,
// epcis_xml.cpp build the data-model tree; this file reads and checks it).
#include "formica/gs1/epcis.h"

#include "cbv.h"
#include "epcis_reader.h"
#include "formica/gs1/digital_link.h"
#include "formica/gs1/identifiers.h"
#include "timestamp.h"

namespace formica::gs1 {
namespace {

Error invalid(std::string_view field, std::string why) {
  return make_error(ErrorCode::kVerificationFailed, std::string(field) + ": " + why);
}

std::string quoted(std::string_view v) { return "'" + std::string(v.substr(0, 200)) + "'"; }

bool is_uri(std::string_view v) {
  std::size_t colon = v.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(v[0])) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    char c = v[i];
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  for (char c : v)
    if (static_cast<unsigned char>(c) <= 0x20) return false;
  return colon + 1 < v.size();
}

// Identifier fields: any URI; EPC URIs and Digital Links are checked in depth.
Status check_identifier(std::string_view field, std::string_view v, bool class_level) {
  if (!is_uri(v)) return invalid(field, quoted(v) + " is not a URI");
  if (v.starts_with("urn:epc:")) {
    auto epc = parse_epc_uri(v);
    if (!epc.ok()) return invalid(field, epc.error().message);
    bool is_class = epc->form != EpcForm::kId;
    if (is_class != class_level)
      return invalid(field,
                     quoted(v) + (class_level ? " is an instance-level EPC, expected a class (lgtin or idpat)"
                                              : " is a class-level EPC URI, expected an instance"));
    return ok_status();
  }
  if (v.starts_with("https://") || v.starts_with("http://")) {
    auto dl = parse_digital_link(v);
    if (!dl.ok() && dl.error().message.find("no GS1 primary key") == std::string::npos)
      return invalid(field, dl.error().message);
  }
  return ok_status();
}

// Vocabulary fields: a URI; inside the CBV namespace it must be a standard term.
Result<std::string> vocab_value(std::string_view field, std::string_view raw, cbv::Vocab vocab) {
  std::string v = cbv::urn_to_web_uri(raw);
  if (auto full = cbv::expand_bare(vocab, v)) v = *full;
  if (!is_uri(v)) return invalid(field, quoted(raw) + " is neither a CBV term nor a URI");
  // CBV 2.0 vocabularies are closed lists; the GS1 Web Vocabulary (measurement and alert types)
  // grows between releases, so there only bare JSON-LD words are checked against the context.
  bool open_vocab = vocab == cbv::Vocab::kMeasurementType || vocab == cbv::Vocab::kAlertType;
  if (open_vocab && raw.find(':') == std::string_view::npos && !cbv::expand_bare(vocab, raw))
    return invalid(field, quoted(raw) + " is not a term of the GS1 vocabulary");
  if (auto standard = cbv::is_standard_uri(vocab, v); !open_vocab && standard && !*standard)
    return invalid(field, quoted(raw) + " is not a term of the CBV 2.0 vocabulary");
  if (v.starts_with("urn:epcglobal:cbv:"))
    return invalid(field, quoted(raw) + " is not a term of the CBV 2.0 vocabulary");
  return v;
}

bool is_decimal(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  std::size_t digits = 0, i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t e = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++e;
    if (e == 0) return false;
  }
  return digits > 0 && i == s.size();
}

Status check_time(std::string_view field, std::string_view v) {
  auto t = parse_date_time(v);
  if (!t) return invalid(field, quoted(v) + " is not an xsd:dateTime");
  if (!t->has_zone) return invalid(field, quoted(v) + " has no time zone (Z or +hh:mm required)");
  return ok_status();
}

Result<std::vector<std::string>> epc_list(const Field& list, std::string_view field) {
  std::vector<std::string> out;
  for (const auto& c : list.children) {
    if (c.name != "epc") return invalid(field, "unexpected element <" + c.name + ">");
    FORMICA_TRY(check_identifier(field, c.value, false));
    out.push_back(c.value);
  }
  return out;
}

Result<std::vector<QuantityElement>> quantity_list(const Field& list, std::string_view field) {
  std::vector<QuantityElement> out;
  for (const auto& q : list.children) {
    if (q.name != "quantityElement") return invalid(field, "unexpected element <" + q.name + ">");
    QuantityElement e;
    if (const Field* c = q.child("epcClass")) e.epc_class = c->value;
    const Field* qty = q.child("quantity");
    if (qty != nullptr) {
      const Field* nil = qty->child("{http://www.w3.org/2001/XMLSchema-instance}nil");
      if (nil != nullptr && nil->value == "true") qty = nullptr;  // xsi:nil: no quantity given
    }
    if (qty != nullptr) e.quantity = qty->value;
    if (const Field* c = q.child("uom")) e.uom = c->value;
    if (e.epc_class.empty()) return invalid(field, "quantityElement without epcClass");
    FORMICA_TRY(check_identifier(field, e.epc_class, true));
    if (qty != nullptr && (!is_decimal(e.quantity) || e.quantity[0] == '-'))
      return invalid(field, "quantity " + quoted(e.quantity) + " is not a non-negative decimal");
    if (!e.uom.empty() && e.quantity.empty()) return invalid(field, "uom without quantity");
    if (!e.uom.empty()) {
      bool ok = e.uom.size() >= 2 && e.uom.size() <= 3;
      for (char c : e.uom) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
      if (!ok) return invalid(field, "uom " + quoted(e.uom) + " is not a UN/CEFACT Rec. 20 code");
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<TypedId>> typed_list(const Field& list, std::string_view field, std::string_view item,
                                        cbv::Vocab vocab) {
  std::vector<TypedId> out;
  for (const auto& c : list.children) {
    if (c.name != item) return invalid(field, "unexpected element <" + c.name + ">");
    TypedId t;
    t.id = c.value;
    if (!is_uri(t.id)) return invalid(field, quoted(t.id) + " is not a URI");
    if (const Field* ty = c.child("type")) {
      FORMICA_ASSIGN_OR_RETURN(t.type, vocab_value(std::string(field) + ".type", ty->value, vocab));
    }
    out.push_back(std::move(t));
  }
  return out;
}

constexpr std::string_view kNumericSensorFields[] = {"value", "minValue", "maxValue", "meanValue",
                                                     "sDev",  "percRank", "percValue"};

Result<SensorElement> sensor_element(const Field& se) {
  SensorElement out;
  for (const auto& part : se.children) {
    if (part.name == "sensorMetadata") {
      for (const auto& f : part.children) {
        if (f.name == "time" || f.name == "startTime" || f.name == "endTime")
          FORMICA_TRY(check_time("sensorMetadata." + f.name, f.value));
        out.metadata.emplace_back(f.name, f.value);
      }
    } else if (part.name == "sensorReport") {
      std::vector<std::pair<std::string, std::string>> report;
      for (const auto& f : part.children) {
        std::string value = f.value;
        if (f.name == "time") FORMICA_TRY(check_time("sensorReport.time", f.value));
        for (auto n : kNumericSensorFields)
          if (f.name == n && !is_decimal(f.value))
            return invalid("sensorReport." + f.name, quoted(f.value) + " is not a number");
        if (f.name == "booleanValue" && f.value != "true" && f.value != "false")
          return invalid("sensorReport.booleanValue", quoted(f.value) + " is not true or false");
        if (f.name == "type") {
          FORMICA_ASSIGN_OR_RETURN(value,
                                   vocab_value("sensorReport.type", f.value, cbv::Vocab::kMeasurementType));
        }
        report.emplace_back(f.name, std::move(value));
      }
      out.reports.push_back(std::move(report));
    }
  }
  return out;
}

}  // namespace

const Field* Field::child(std::string_view child_name) const {
  for (const auto& c : children)
    if (c.name == child_name) return &c;
  return nullptr;
}

std::string_view event_type_name(EventType type) {
  switch (type) {
    case EventType::kObject: return "ObjectEvent";
    case EventType::kAggregation: return "AggregationEvent";
    case EventType::kTransaction: return "TransactionEvent";
    case EventType::kTransformation: return "TransformationEvent";
    case EventType::kAssociation: return "AssociationEvent";
  }
  return "";
}

std::optional<EventType> parse_event_type(std::string_view name) {
  for (auto t : {EventType::kObject, EventType::kAggregation, EventType::kTransaction,
                 EventType::kTransformation, EventType::kAssociation})
    if (event_type_name(t) == name) return t;
  return std::nullopt;
}

namespace detail {
std::string_view list_item_name(std::string_view list) {
  static constexpr std::pair<std::string_view, std::string_view> kLists[] = {
      {"epcList", "epc"},
      {"inputEPCList", "epc"},
      {"outputEPCList", "epc"},
      {"quantityList", "quantityElement"},
      {"childQuantityList", "quantityElement"},
      {"inputQuantityList", "quantityElement"},
      {"outputQuantityList", "quantityElement"},
      {"bizTransactionList", "bizTransaction"},
      {"sourceList", "source"},
      {"destinationList", "destination"},
      {"sensorElementList", "sensorElement"},
      {"correctiveEventIDs", "correctiveEventID"},
  };
  for (auto [l, item] : kLists)
    if (l == list) return item;
  return list.substr(0, list.size() - 4);  // user lists: "{ns}resourceList" -> "{ns}resource"
}
}  // namespace detail

Result<Event> read_event(const Field& tree) {
  Event ev;
  auto type = parse_event_type(tree.name);
  if (!type) {
    if (tree.name.empty()) return invalid("type", "missing event type");
    return invalid("type", quoted(tree.name) + " is not an EPCIS 2.0 event type");
  }
  ev.type = *type;
  const Field* time = tree.child("eventTime");
  if (time == nullptr) return invalid("eventTime", "missing");
  FORMICA_TRY(check_time("eventTime", time->value));
  ev.event_time = time->value;
  const Field* tz = tree.child("eventTimeZoneOffset");
  if (tz == nullptr) return invalid("eventTimeZoneOffset", "missing");
  if (!is_time_zone_offset(tz->value))
    return invalid("eventTimeZoneOffset",
                   quoted(tz->value) + " is not a time-zone offset (+hh:mm, at most 14:00)");
  ev.event_time_zone_offset = tz->value;

  for (const auto& f : tree.children) {
    const std::string& n = f.name;
    if (n == "eventTime" || n == "eventTimeZoneOffset") continue;
    if (n == "recordTime") {
      FORMICA_TRY(check_time("recordTime", f.value));
      ev.record_time = f.value;
    } else if (n == "eventID") {
      if (!is_uri(f.value)) return invalid("eventID", quoted(f.value) + " is not a URI");
      ev.event_id = f.value;
    } else if (n == "certificationInfo") {
      ev.certification_info = f.value;
    } else if (n == "errorDeclaration") {
      ErrorDeclaration d;
      const Field* dt = f.child("declarationTime");
      if (dt == nullptr) return invalid("errorDeclaration.declarationTime", "missing");
      FORMICA_TRY(check_time("errorDeclaration.declarationTime", dt->value));
      d.declaration_time = dt->value;
      if (const Field* r = f.child("reason")) {
        FORMICA_ASSIGN_OR_RETURN(d.reason,
                                 vocab_value("errorDeclaration.reason", r->value, cbv::Vocab::kErrorReason));
      }
      if (const Field* ids = f.child("correctiveEventIDs"))
        for (const auto& id : ids->children) d.corrective_event_ids.push_back(id.value);
      ev.error_declaration = std::move(d);
    } else if (n == "epcList") {
      FORMICA_ASSIGN_OR_RETURN(ev.epc_list, epc_list(f, n));
    } else if (n == "childEPCs") {
      FORMICA_ASSIGN_OR_RETURN(ev.child_epcs, epc_list(f, n));
    } else if (n == "inputEPCList") {
      FORMICA_ASSIGN_OR_RETURN(ev.input_epc_list, epc_list(f, n));
    } else if (n == "outputEPCList") {
      FORMICA_ASSIGN_OR_RETURN(ev.output_epc_list, epc_list(f, n));
    } else if (n == "parentID") {
      FORMICA_TRY(check_identifier(n, f.value, false));
      ev.parent_id = f.value;
    } else if (n == "quantityList") {
      FORMICA_ASSIGN_OR_RETURN(ev.quantity_list, quantity_list(f, n));
    } else if (n == "childQuantityList") {
      FORMICA_ASSIGN_OR_RETURN(ev.child_quantity_list, quantity_list(f, n));
    } else if (n == "inputQuantityList") {
      FORMICA_ASSIGN_OR_RETURN(ev.input_quantity_list, quantity_list(f, n));
    } else if (n == "outputQuantityList") {
      FORMICA_ASSIGN_OR_RETURN(ev.output_quantity_list, quantity_list(f, n));
    } else if (n == "action") {
      if (f.value == "ADD")
        ev.action = Action::kAdd;
      else if (f.value == "OBSERVE")
        ev.action = Action::kObserve;
      else if (f.value == "DELETE")
        ev.action = Action::kDelete;
      else
        return invalid("action", quoted(f.value) + " is not ADD, OBSERVE or DELETE");
    } else if (n == "transformationID") {
      if (!is_uri(f.value)) return invalid(n, quoted(f.value) + " is not a URI");
      ev.transformation_id = f.value;
    } else if (n == "bizStep") {
      FORMICA_ASSIGN_OR_RETURN(ev.biz_step, vocab_value(n, f.value, cbv::Vocab::kBizStep));
    } else if (n == "disposition") {
      FORMICA_ASSIGN_OR_RETURN(ev.disposition, vocab_value(n, f.value, cbv::Vocab::kDisposition));
    } else if (n == "persistentDisposition") {
      for (const auto& s : f.children) {
        if (s.name != "set" && s.name != "unset") continue;
        FORMICA_ASSIGN_OR_RETURN(
            std::string v, vocab_value("persistentDisposition." + s.name, s.value, cbv::Vocab::kDisposition));
        (s.name == "set" ? ev.persistent_disposition_set : ev.persistent_disposition_unset)
            .push_back(std::move(v));
      }
    } else if (n == "readPoint" || n == "bizLocation") {
      const Field* id = f.child("id");
      if (id == nullptr) return invalid(n + ".id", "missing");
      FORMICA_TRY(check_identifier(n + ".id", id->value, false));
      (n == "readPoint" ? ev.read_point : ev.biz_location) = id->value;
    } else if (n == "bizTransactionList") {
      FORMICA_ASSIGN_OR_RETURN(ev.biz_transactions,
                               typed_list(f, n, "bizTransaction", cbv::Vocab::kBizTransType));
    } else if (n == "sourceList") {
      FORMICA_ASSIGN_OR_RETURN(ev.sources, typed_list(f, n, "source", cbv::Vocab::kSourceDestType));
    } else if (n == "destinationList") {
      FORMICA_ASSIGN_OR_RETURN(ev.destinations, typed_list(f, n, "destination", cbv::Vocab::kSourceDestType));
    } else if (n == "sensorElementList") {
      for (const auto& se : f.children) {
        FORMICA_ASSIGN_OR_RETURN(SensorElement s, sensor_element(se));
        ev.sensor_elements.push_back(std::move(s));
      }
    } else if (n == "ilmd") {
      ev.ilmd_fields = f.children.size();
    } else if (!n.empty() && n[0] == '{') {
      ++ev.extension_fields;
    }
    // Other unqualified names (e.g. EPCIS 1.x leftovers) are kept in the tree, not typed.
  }

  bool needs_action = ev.type != EventType::kTransformation;
  if (needs_action && !ev.action) return invalid("action", "missing");
  if (!needs_action && ev.action) return invalid("action", "a TransformationEvent has no action");
  if (ev.type == EventType::kAggregation && ev.parent_id.empty() && ev.action != Action::kObserve)
    return invalid("parentID", "required for an AggregationEvent with action ADD or DELETE");
  if (ev.type == EventType::kAssociation && ev.parent_id.empty())
    return invalid("parentID", "required for an AssociationEvent");
  if (ev.type == EventType::kTransaction && ev.biz_transactions.empty())
    return invalid("bizTransactionList", "a TransactionEvent needs at least one business transaction");
  if (ev.type == EventType::kTransformation && ev.input_epc_list.empty() && ev.input_quantity_list.empty() &&
      ev.output_epc_list.empty() && ev.output_quantity_list.empty() && ev.transformation_id.empty())
    return invalid("inputEPCList", "a TransformationEvent needs inputs, outputs or a transformationID");
  return ev;
}

Result<Document> parse_epcis(std::string_view text, const ParseLimits& limits) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return make_error(ErrorCode::kMalformed, "empty document");
  Result<Document> doc = text[first] == '{' ? detail::read_json_document(text, limits)
                         : text[first] == '<'
                             ? detail::read_xml_document(text, limits)
                             : Result<Document>(make_error(ErrorCode::kMalformed, "neither JSON nor XML"));
  if (!doc.ok()) return doc;
  for (auto& e : doc->events) {
    if (!e.error.empty()) continue;
    auto ev = read_event(e.tree);
    if (ev.ok())
      e.event = std::move(ev).value();
    else
      e.error = ev.error().message;
  }
  return doc;
}

}  // namespace formica::gs1
