// EPCIS 2.0 and 1.2 XML into the EPCIS data model. The XML schema's <extension> and
// <baseExtension> wrappers (EPCIS 1.x forward-compatibility containers) carry no meaning of their
// own: their children are lifted into the parent, so 1.2 and 2.0 documents give the same tree.
#include "cbv.h"
#include "epcis_reader.h"
#include "formica/codec/xml.h"

namespace formica::gs1::detail {
namespace {

namespace xml = codec::xml;

std::string trim(std::string_view s) {
  const char* ws = " \t\r\n";
  std::size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return "";
  std::size_t e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

std::string qualified(const std::string& ns, const std::string& local) {
  return ns.empty() ? local : "{" + ns + "}" + local;
}

bool is_wrapper(const xml::Element& e) {
  return e.ns.empty() && (e.name == "extension" || e.name == "baseExtension");
}

void append_children(const xml::Element& e, std::vector<Field>& out);

Field to_field(const xml::Element& e) {
  Field f;
  f.name = qualified(e.ns, e.name);
  f.value = cbv::expand_curie(trim(e.text));
  append_children(e, f.children);
  return f;
}

void append_children(const xml::Element& e, std::vector<Field>& out) {
  for (const auto& a : e.attributes)
    out.push_back(Field{qualified(a.ns, a.name), cbv::expand_curie(trim(a.value)), {}});
  for (const auto& c : e.children) {
    if (is_wrapper(c)) {
      append_children(c, out);  // attributes of a wrapper are lifted too
    } else {
      out.push_back(to_field(c));
    }
  }
}

// The EventList of an EPCISDocument (EPCISBody/EventList) or an EPCISQueryDocument
// (EPCISBody/QueryResults/resultsBody/EventList, or resultsBody at the root as some producers
// write it). Searched breadth-first, never inside events.
const xml::Element* find_event_list(const xml::Element& root) {
  std::vector<const xml::Element*> level{&root};
  for (int depth = 0; depth < 5 && !level.empty(); ++depth) {
    std::vector<const xml::Element*> next;
    for (const auto* e : level) {
      for (const auto& c : e->children) {
        if (c.name == "EventList") return &c;
        if (c.name == "EPCISBody" || c.name == "QueryResults" || c.name == "resultsBody" || is_wrapper(c))
          next.push_back(&c);
      }
    }
    level = std::move(next);
  }
  return nullptr;
}

void collect_events(const xml::Element& list, std::vector<const xml::Element*>& out) {
  for (const auto& c : list.children) {
    if (is_wrapper(c))
      collect_events(c, out);  // EPCIS 1.x wraps TransformationEvent in <extension>
    else
      out.push_back(&c);
  }
}

}  // namespace

Result<Document> read_xml_document(std::string_view text, const ParseLimits& limits) {
  xml::Limits xl;
  xl.max_bytes = limits.max_bytes;
  xl.max_depth = limits.max_depth;
  auto parsed = xml::parse(text, xl);
  if (!parsed.ok()) {
    Error e = parsed.take_error();
    if (e.code == ErrorCode::kUnsupported) e.code = ErrorCode::kMalformed;  // DOCTYPE: refused input
    return e;
  }
  const xml::Element& root = *parsed;
  Document doc;
  doc.syntax = Syntax::kXml;
  doc.document_type = root.name;
  if (root.name != "EPCISDocument" && root.name != "EPCISQueryDocument")
    return make_error(ErrorCode::kUnsupported, "not an EPCIS document: root element is <" + root.name + ">");
  if (const auto* v = root.attribute("schemaVersion")) doc.schema_version = v->value;
  for (const auto& c : root.children) {
    if (c.name != "ignoreFields") continue;
    for (const auto& f : c.children) doc.ignored_fields.push_back(qualified(f.ns, f.name));
  }
  const xml::Element* list = find_event_list(root);
  if (list == nullptr) return make_error(ErrorCode::kUnsupported, "not an EPCIS document: no EventList");
  std::vector<const xml::Element*> events;
  collect_events(*list, events);
  if (events.size() > limits.max_events)
    return make_error(ErrorCode::kTooLarge, "more events than the limit");
  for (const auto* e : events) {
    EventEntry entry;
    entry.line = e->line;
    entry.tree.name = qualified(e->ns, e->name);
    append_children(*e, entry.tree.children);
    doc.events.push_back(std::move(entry));
  }
  return doc;
}

}  // namespace formica::gs1::detail
