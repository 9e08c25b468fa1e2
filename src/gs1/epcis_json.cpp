// EPCIS 2.0 JSON-LD into the EPCIS data model. Only what the standard context fixes is
// interpreted (term -> namespace prefixes from the document's @context objects, the CBV words of
// @vocab-typed fields); remote contexts are never fetched.
#include <map>

#include <nlohmann/json.hpp>

#include "cbv.h"
#include "epcis_reader.h"

namespace formica::gs1::detail {
namespace {

using nlohmann::json;

struct Context {
  std::map<std::string, std::string, std::less<>> prefixes;  // "example" -> "https://ns.example.com/epcis/"
  std::size_t max_depth = 64;
};

Error too_deep() { return make_error(ErrorCode::kTooLarge, "JSON nesting deeper than the limit"); }

// "example:myField" -> "{https://ns.example.com/epcis/}myField" when the prefix is declared.
std::string expand_key(const Context& ctx, std::string_view key) {
  std::size_t colon = key.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::string(key);
  auto it = ctx.prefixes.find(key.substr(0, colon));
  if (it == ctx.prefixes.end()) return std::string(key);
  return "{" + it->second + "}" + std::string(key.substr(colon + 1));
}

std::string scalar_text(const json& v) {
  switch (v.type()) {
    case json::value_t::string: return v.get_ref<const std::string&>();
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::number_integer: return std::to_string(v.get<std::int64_t>());
    case json::value_t::number_unsigned: return std::to_string(v.get<std::uint64_t>());
    case json::value_t::number_float: return v.dump();
    default: return "";
  }
}

// The CBV vocabulary of a field whose JSON-LD term is @vocab-typed, given its parent's name.
std::optional<cbv::Vocab> vocab_of(std::string_view parent, std::string_view name) {
  if (name == "bizStep") return cbv::Vocab::kBizStep;
  if (name == "disposition" || ((name == "set" || name == "unset") && parent == "persistentDisposition"))
    return cbv::Vocab::kDisposition;
  if (name == "reason" && parent == "errorDeclaration") return cbv::Vocab::kErrorReason;
  if (name == "type" && parent == "bizTransactionList") return cbv::Vocab::kBizTransType;
  if (name == "type" && (parent == "sourceList" || parent == "destinationList"))
    return cbv::Vocab::kSourceDestType;
  if (parent == "sensorReport") {
    if (name == "type") return cbv::Vocab::kMeasurementType;
    if (name == "exception") return cbv::Vocab::kAlertType;
    if (name == "component") return cbv::Vocab::kComponent;
  }
  return std::nullopt;
}

std::string value_text(std::string_view parent, std::string_view name, const json& v) {
  std::string text = scalar_text(v);
  if (auto vocab = vocab_of(parent, name)) {
    if (auto full = cbv::expand_bare(*vocab, text)) return *full;
  }
  return cbv::expand_curie(text);
}

bool skipped_key(std::string_view key) {
  return key.empty() || key[0] == '@' || key == "#text" || key == "rdfs:comment" || key == "comment";
}

Status convert_members(const Context& ctx, const json& obj, std::string_view self, std::size_t depth,
                       std::vector<Field>& out);

Result<Field> convert_value(const Context& ctx, std::string_view parent, const std::string& key,
                            const json& v, std::size_t depth) {
  if (depth > ctx.max_depth) return too_deep();
  Field f;
  f.name = expand_key(ctx, key);
  if (v.is_object()) {
    if (auto it = v.find("#text"); it != v.end()) f.value = scalar_text(*it);
    FORMICA_TRY(convert_members(ctx, v, key, depth + 1, f.children));
  } else if (!v.is_null()) {
    f.value = value_text(parent, key, v);
  }
  return f;
}

void fix_item(Field& f) {
  if (f.name == "quantity" && !f.children.empty()) f.name = "quantityElement";
  if (f.name == "bizTransaction" || f.name == "source" || f.name == "destination") {
    for (std::size_t i = 0; i < f.children.size(); ++i) {
      if (f.children[i].name == f.name) {
        f.value = std::move(f.children[i].value);
        f.children.erase(f.children.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
    }
  }
  if ((f.name == "readPoint" || f.name == "bizLocation") && f.children.empty() && !f.value.empty()) {
    f.children.push_back(Field{"id", std::move(f.value), {}});
    f.value.clear();
  }
}

// Brings JSON's shape to the XML data model: list members become one list element with named
// items; a JSON bizTransaction/source/destination object carries its identifier in a member of
// the same name, which XML puts in the element's text.
void restructure(std::vector<Field>& fields) {
  std::vector<Field> out;
  std::map<std::string, std::size_t, std::less<>> list_at;  // list name -> index in out
  for (auto& f : fields) {
    bool is_list = f.name.size() > 4 && f.name.ends_with("List");
    if (is_list || f.name == "childEPCs") {
      std::string item = is_list ? std::string(list_item_name(f.name)) : "epc";
      auto [it, fresh] = list_at.emplace(f.name, out.size());
      if (fresh) out.push_back(Field{f.name, "", {}});
      f.name = item;
      out[it->second].children.push_back(std::move(f));
    } else {
      out.push_back(std::move(f));
    }
  }
  for (auto& f : out) {
    fix_item(f);
    if (list_at.count(f.name) != 0)
      for (auto& item : f.children) fix_item(item);
  }
  fields = std::move(out);
}

Status convert_members(const Context& ctx, const json& obj, std::string_view self, std::size_t depth,
                       std::vector<Field>& out) {
  if (depth > ctx.max_depth) return too_deep();
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string& key = it.key();
    if (skipped_key(key) || (self.empty() && key == "type")) continue;  // the event's own type
    if (it->is_array()) {
      for (const auto& element : *it) {
        if (element.is_array())
          return make_error(ErrorCode::kMalformed, "nested JSON arrays in '" + key + "'");
        FORMICA_ASSIGN_OR_RETURN(Field f, convert_value(ctx, self, key, element, depth + 1));
        out.push_back(std::move(f));
      }
    } else {
      FORMICA_ASSIGN_OR_RETURN(Field f, convert_value(ctx, self, key, *it, depth + 1));
      out.push_back(std::move(f));
    }
  }
  restructure(out);
  return ok_status();
}

void collect_prefixes(const json& context, Context& ctx) {
  ctx.prefixes["gs1"] = std::string(cbv::kGs1Voc);
  ctx.prefixes["cbv"] = std::string(cbv::kCbv);
  ctx.prefixes["epcis"] = std::string(cbv::kEpcis);
  // The standard context binds cbvmda to "urn:epcglobal:cbv:mda:"; XML documents bind the
  // namespace "urn:epcglobal:cbv:mda". Both must name ILMD fields alike.
  ctx.prefixes["cbvmda"] = std::string(cbv::kCbvMda);
  auto add = [&](const json& obj) {
    for (auto it = obj.begin(); it != obj.end(); ++it)
      if (it->is_string() && !it.key().empty() && it.key()[0] != '@' && it.key() != "cbvmda")
        ctx.prefixes[it.key()] = it->get<std::string>();
  };
  if (context.is_object()) add(context);
  if (context.is_array())
    for (const auto& c : context)
      if (c.is_object()) add(c);
}

void collect_ignore_fields(const Context& ctx, const json& obj, std::vector<std::string>& out) {
  if (!obj.is_object()) return;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    std::string_view key = it.key();
    std::size_t colon = key.rfind(':');
    std::string_view local = colon == std::string_view::npos ? key : key.substr(colon + 1);
    if (local != "ignoreFields" || !it->is_array()) continue;
    for (const auto& name : *it)
      if (name.is_string()) out.push_back(expand_key(ctx, name.get<std::string>()));
  }
}

}  // namespace

Result<Document> read_json_document(std::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes)
    return make_error(ErrorCode::kTooLarge, "document larger than the limit");
  json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return make_error(ErrorCode::kMalformed, "not well-formed JSON");
  if (!root.is_object())
    return make_error(ErrorCode::kUnsupported, "not an EPCIS document: JSON root is not an object");
  Document doc;
  doc.syntax = Syntax::kJsonLd;
  auto type = root.find("type");
  if (type == root.end() || !type->is_string())
    return make_error(ErrorCode::kUnsupported, "not an EPCIS document: no \"type\"");
  doc.document_type = type->get<std::string>();
  if (doc.document_type != "EPCISDocument" && doc.document_type != "EPCISQueryDocument")
    return make_error(ErrorCode::kUnsupported, "not an EPCIS document: type is '" + doc.document_type + "'");
  if (auto v = root.find("schemaVersion"); v != root.end()) doc.schema_version = scalar_text(*v);
  auto body = root.find("epcisBody");
  if (body == root.end() || !body->is_object())
    return make_error(ErrorCode::kUnsupported, "not an EPCIS document: no \"epcisBody\" object");

  Context ctx;
  ctx.max_depth = limits.max_depth;
  if (auto c = root.find("@context"); c != root.end()) collect_prefixes(*c, ctx);
  collect_ignore_fields(ctx, root, doc.ignored_fields);
  collect_ignore_fields(ctx, *body, doc.ignored_fields);

  std::vector<const json*> events;
  const json* list = nullptr;
  if (auto el = body->find("eventList"); el != body->end()) {
    list = &*el;
  } else if (auto qr = body->find("queryResults"); qr != body->end() && qr->is_object()) {
    collect_ignore_fields(ctx, *qr, doc.ignored_fields);
    if (auto rb = qr->find("resultsBody"); rb != qr->end() && rb->is_object())
      if (auto el2 = rb->find("eventList"); el2 != rb->end()) list = &*el2;
  } else if (auto ev = body->find("event"); ev != body->end() && ev->is_object()) {
    events.push_back(&*ev);
  }
  if (list != nullptr) {
    if (!list->is_array())
      return make_error(ErrorCode::kUnsupported, "not an EPCIS document: eventList is not an array");
    for (const auto& e : *list) events.push_back(&e);
  } else if (events.empty()) {
    return make_error(ErrorCode::kUnsupported, "not an EPCIS document: no eventList");
  }
  if (events.size() > limits.max_events)
    return make_error(ErrorCode::kTooLarge, "more events than the limit");
  for (const json* e : events) {
    EventEntry entry;
    if (!e->is_object()) {
      entry.error = "event: not a JSON object";
      doc.events.push_back(std::move(entry));
      continue;
    }
    auto t = e->find("type");
    entry.tree.name = t != e->end() && t->is_string() ? t->get<std::string>() : "";
    FORMICA_TRY(convert_members(ctx, *e, "", 1, entry.tree.children));
    doc.events.push_back(std::move(entry));
  }
  return doc;
}

}  // namespace formica::gs1::detail
