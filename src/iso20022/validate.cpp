#include "formica/iso20022/validate.h"

#include "embedded_xsd.h"
#include "rules.h"
#include "schema.h"

namespace formica::iso20022 {
namespace detail {
namespace {

struct LoadedSchemas {
  Result<Schema> pacs008 = load("pacs.008.001.09.xsd");
  Result<Schema> pacs002 = load("pacs.002.001.11.xsd");
  Result<Schema> head = load("head.001.001.02.xsd");

  static Result<Schema> load(std::string_view file) {
    std::string_view text = embedded_xsd(file);
    if (text.empty())
      return make_error(ErrorCode::kInternal, "schema " + std::string(file) + " is not embedded");
    auto s = Schema::load(text);
    if (!s.ok()) return make_error(ErrorCode::kInternal, std::string(file) + ": " + s.error().message);
    return s;
  }
};

const LoadedSchemas& schemas() {
  static const LoadedSchemas loaded;  // thread-safe initialisation, loaded once
  return loaded;
}

}  // namespace

Result<const Schema*> embedded_schema(std::string_view definition) {
  const LoadedSchemas& s = schemas();
  const Result<Schema>* r = definition == "pacs.008.001.09"   ? &s.pacs008
                            : definition == "pacs.002.001.11" ? &s.pacs002
                            : definition == "head.001.001.02" ? &s.head
                                                              : nullptr;
  if (r == nullptr)
    return make_error(ErrorCode::kInternal, "no embedded schema for " + std::string(definition));
  if (!r->ok()) return r->error();
  return &r->value();
}

}  // namespace detail

Result<Report> validate(const Envelope& env) {
  using namespace detail;
  Report report;
  report.kind = env.kind;
  report.message_definition = env.message_definition;
  report.has_header = env.app_header.has_value();
  // The .08/.10 messages are checked against the .09/.11 content model: every element CBPR+
  // uses is declared identically in both (the CBPR+ max examples of .08/.10 validate clean).
  FORMICA_ASSIGN_OR_RETURN(
      const Schema* doc_schema,
      embedded_schema(env.kind == MessageKind::kPacs008 ? "pacs.008.001.09" : "pacs.002.001.11"));
  std::vector<TypedValue> values;
  if (env.app_header) {
    FORMICA_ASSIGN_OR_RETURN(const Schema* head, embedded_schema("head.001.001.02"));
    check_structure(*head, env.app_header->ns, *env.app_header, head->root_type(), "/AppHdr", report.findings,
                    values);
  }
  check_structure(*doc_schema, env.document.ns, env.document, doc_schema->root_type(), "/Document",
                  report.findings, values);
  Findings out(report.findings);
  check_typed_values(values, out);
  if (env.app_header) check_header(*env.app_header, env, out);
  if (env.kind == MessageKind::kPacs008)
    check_pacs008(env.document, out);
  else
    check_pacs002(env.document, out);
  check_addresses(env.document, out);
  return report;
}

Result<Report> check_message(std::string_view xml) {
  FORMICA_ASSIGN_OR_RETURN(auto env, read_envelope(xml));
  return validate(env);
}

}  // namespace formica::iso20022
