// `formica remit iso-check FILE [--json]` (../shared/CLI.md, Remittance): validates a
// pacs.008.001.08 or pacs.002.001.10 message, bare or with a head.001.001.02 header.
// Exit 0 valid; 1 invalid, one line per finding `<rule>: <text>`; 2 not XML, hostile XML
// (DOCTYPE/entities, over the size or depth bounds) or an unsupported message.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "args.h"
#include "commands.h"
#include "formica/iso20022/message.h"
#include "formica/iso20022/validate.h"

namespace formica::cli {
namespace {

constexpr std::string_view kWhat = "remit iso-check";

int iso_check(const Words& words) {
  auto args = Args::parse(words, {{"json", false}});
  if (!args) return fail(kExitUsage, kWhat, args.error().message);
  if (args->positional().size() != 1)
    return fail(kExitUsage, kWhat, "usage: formica remit iso-check FILE [--json]");
  const bool json = args->has("json");
  auto refuse = [&](const Error& e) {
    if (json) std::cout << nlohmann::json{{"valid", false}, {"error", e.message}}.dump() << "\n";
    return fail(kExitUsage, kWhat,
                e.message.empty() ? std::string(base::error_code_name(e.code)) : e.message);
  };
  // One byte over the parser's bound is enough to refuse a huge body without reading it all.
  auto input = read_input(args->positional()[0], iso20022::message_limits().max_bytes + 1);
  if (!input) return refuse(input.error());
  std::string_view text(reinterpret_cast<const char*>(input->data()), input->size());
  auto report = iso20022::check_message(text);
  if (!report) return refuse(report.error());
  if (json) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : report->findings)
      findings.push_back({{"rule", f.rule}, {"text", f.text}, {"path", f.path}, {"line", f.line}});
    std::cout << nlohmann::json{{"valid", report->valid()},
                                {"message", report->message_definition},
                                {"header", report->has_header},
                                {"findings", findings}}
                     .dump()
              << "\n";
  } else if (report->valid()) {
    std::cout << "valid: " << report->message_definition
              << (report->has_header ? " with head.001.001.02" : "") << "\n";
  } else {
    for (const auto& f : report->findings)
      std::cout << f.rule << ": " << f.text << (f.line > 0 ? " (line " + std::to_string(f.line) + ")" : "")
                << "\n";
  }
  return report->valid() ? kExitOk : kExitCheckFailed;
}

}  // namespace

int cmd_remit(const Words& words) {
  if (words.empty() || words[0] == "--help")
    return fail(kExitUsage, "remit", "usage: formica remit iso-check FILE [--json]");
  if (words[0] == "iso-check") return iso_check(Words(words.begin() + 1, words.end()));
  return fail(kExitUsage, "remit", "unknown verb '" + words[0] + "' (try: iso-check)");
}

}  // namespace formica::cli
