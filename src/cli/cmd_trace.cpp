// formica trace hash | dl-parse | qr | scan (../shared/CLI.md, "Traceability").
//
// `capture` (anchoring an EPCIS document on chain) and the verified trace printed by `scan` need
// the ledger and the trace module; until they land, `scan` decodes the QR code and prints the
// Digital Link it carries.

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "args.h"
#include "commands.h"
#include "formica/gs1/digital_link.h"
#include "formica/gs1/epcis.h"
#include "formica/gs1/event_hash.h"
#include "formica/gs1/identifiers.h"
#include "formica/gs1/qr.h"

namespace formica::cli {
namespace {

constexpr const char* kUsage =
    "usage: formica trace <verb> [options]\n"
    "\n"
    "  hash FILE [--prehash] [--json]   CBV 2.0 event hash ID of every event of an EPCIS document\n"
    "                                   (2.0 JSON-LD or XML, 1.2 XML), one line per event;\n"
    "                                   --prehash prints the pre-hash strings instead\n"
    "  dl-parse URI [--gcp-length N] [--json]\n"
    "                                   parse and check a GS1 Digital Link; N is the GS1 Company\n"
    "                                   Prefix length used for epc_uri (default 7)\n"
    "  qr URI --out FILE.png|FILE.svg [--scale N]\n"
    "                                   write a QR code (error correction M)\n"
    "  scan FILE.png|FILE.jpg [--gcp-length N] [--json]\n"
    "                                   read the QR codes of a photo and print their Digital Links\n"
    "                                   (the on-chain verified trace comes with the trace module)\n";

std::string lower_ext(const std::string& path) {
  auto dot = path.rfind('.');
  std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

Result<std::size_t> gcp_length(const Args& args) {
  auto text = args.get("gcp-length");
  if (!text) return std::size_t{7};
  auto n = parse_u64(*text);
  if (!n.ok() || *n < 6 || *n > 12)
    return make_error(ErrorCode::kInvalidArgument, "--gcp-length must be 6..12");
  return static_cast<std::size_t>(*n);
}

nlohmann::json dl_json(const gs1::DigitalLink& dl, std::size_t gcp) {
  nlohmann::json j = nlohmann::json::object();
  const auto& pk = dl.id.keys[0];
  auto value_or_null = [&](std::string_view ai) -> nlohmann::json {
    const std::string* v = dl.id.find(ai);
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  j["primary_key"] = pk.ai;
  j["primary_key_name"] = std::string(gs1::ai_title(pk.ai));
  j["primary_key_value"] = pk.value;
  j["gtin"] = value_or_null("01");
  j["lot"] = value_or_null("10");
  j["serial"] = value_or_null("21");
  auto epc = gs1::to_epc_uri(dl.id, gcp);
  j["epc_uri"] = epc.ok() ? nlohmann::json(*epc) : nlohmann::json(nullptr);
  j["gcp_length"] = gcp;
  nlohmann::json q = nlohmann::json::object(), a = nlohmann::json::object();
  for (std::size_t i = 1; i < dl.id.keys.size(); ++i) q[dl.id.keys[i].ai] = dl.id.keys[i].value;
  for (const auto& attr : dl.attributes) a[attr.ai] = attr.value;
  j["qualifiers"] = q;
  j["attributes"] = a;
  j["canonical_uri"] = gs1::canonical_uri(dl);
  j["host"] = dl.host;
  return j;
}

void print_dl_text(const nlohmann::json& j) {
  for (const char* key : {"primary_key", "primary_key_name", "primary_key_value", "gtin", "lot", "serial",
                          "epc_uri", "canonical_uri"}) {
    const auto& v = j.at(key);
    if (!v.is_null()) std::cout << key << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << "\n";
  }
  for (const char* group : {"qualifiers", "attributes"})
    for (auto it = j.at(group).begin(); it != j.at(group).end(); ++it)
      std::cout << "ai_" << it.key() << ": " << it->get<std::string>() << "\n";
}

int trace_hash(const Words& w) {
  auto args = Args::parse(w, {{"prehash", false}, {"json", false}});
  if (!args.ok()) return fail("trace hash", args.error());
  if (args->positional().size() != 1) return fail(kExitUsage, "trace hash", "expected one FILE");
  auto bytes = read_input(args->positional()[0], 64u << 20);
  if (!bytes.ok()) return fail(kExitUsage, "trace hash", bytes.error().message);
  auto doc = gs1::parse_epcis(as_chars(*bytes));
  if (!doc.ok()) return fail(kExitUsage, "trace hash", doc.error().message);
  bool prehash = args->has("prehash");
  bool any_invalid = false;
  nlohmann::json events = nlohmann::json::array();
  for (std::size_t i = 0; i < doc->events.size(); ++i) {
    const auto& e = doc->events[i];
    nlohmann::json je = {{"index", i}, {"event_type", e.tree.name}};
    std::string line;
    if (!e.event) {
      any_invalid = true;
      line = "error: " + e.error;
      je["error"] = e.error;
    } else {
      std::string pre = gs1::event_prehash(e.tree, doc->ignored_fields);
      std::string id = gs1::event_hash_id(pre);
      line = prehash ? pre : id;
      je["hash_id"] = id;
      if (prehash) je["prehash"] = pre;
    }
    if (!args->has("json")) std::cout << line << "\n";
    events.push_back(std::move(je));
  }
  if (args->has("json")) {
    nlohmann::json out = {{"syntax", doc->syntax == gs1::Syntax::kXml ? "xml" : "json-ld"},
                          {"schema_version", doc->schema_version},
                          {"events", events}};
    std::cout << out.dump() << "\n";
  }
  return any_invalid ? kExitCheckFailed : kExitOk;
}

int trace_dl_parse(const Words& w) {
  auto args = Args::parse(w, {{"gcp-length"}, {"json", false}});
  if (!args.ok()) return fail("trace dl-parse", args.error());
  if (args->positional().size() != 1) return fail(kExitUsage, "trace dl-parse", "expected one URI");
  auto gcp = gcp_length(*args);
  if (!gcp.ok()) return fail("trace dl-parse", gcp.error());
  auto dl = gs1::parse_digital_link(args->positional()[0]);
  if (!dl.ok()) return fail("trace dl-parse", dl.error());
  nlohmann::json j = dl_json(*dl, *gcp);
  if (args->has("json"))
    std::cout << j.dump() << "\n";
  else
    print_dl_text(j);
  return kExitOk;
}

int trace_qr(const Words& w) {
  auto args = Args::parse(w, {{"out"}, {"scale"}});
  if (!args.ok()) return fail("trace qr", args.error());
  if (args->positional().size() != 1) return fail(kExitUsage, "trace qr", "expected one URI");
  auto out = args->get("out");
  if (!out) return fail(kExitUsage, "trace qr", "--out FILE.png|FILE.svg is required");
  const std::string& uri = args->positional()[0];
  auto dl = gs1::parse_digital_link(uri);
  if (!dl.ok() && dl.code() == ErrorCode::kMalformed) return fail("trace qr", dl.error());
  std::string ext = lower_ext(*out);
  if (ext != "png" && ext != "svg") return fail(kExitUsage, "trace qr", "--out must end in .png or .svg");
  int scale = 8;
  if (auto s = args->get("scale")) {
    auto n = parse_u64(*s);
    if (!n.ok() || *n < 1 || *n > 64) return fail(kExitUsage, "trace qr", "--scale must be 1..64");
    scale = static_cast<int>(*n);
  }
  auto matrix = gs1::qr_encode(uri);
  if (!matrix.ok()) return fail("trace qr", matrix.error());
  Bytes data;
  if (ext == "png") {
    auto png = gs1::qr_png(*matrix, scale);
    if (!png.ok()) return fail("trace qr", png.error());
    data = std::move(*png);
  } else {
    data = to_bytes(gs1::qr_svg(*matrix));
  }
  auto st = write_file_atomic(*out, data);
  if (!st.ok()) return fail(kExitUsage, "trace qr", st.error().message);
  return kExitOk;
}

int trace_scan(const Words& w) {
  auto args = Args::parse(w, {{"gcp-length"}, {"json", false}});
  if (!args.ok()) return fail("trace scan", args.error());
  if (args->positional().size() != 1) return fail(kExitUsage, "trace scan", "expected one image FILE");
  auto gcp = gcp_length(*args);
  if (!gcp.ok()) return fail("trace scan", gcp.error());
  auto bytes = read_input(args->positional()[0], 64u << 20);
  if (!bytes.ok()) return fail(kExitUsage, "trace scan", bytes.error().message);
  auto image = gs1::decode_image(*bytes);
  if (!image.ok()) return fail(kExitUsage, "trace scan", image.error().message);
  auto codes = gs1::qr_scan(*image);
  if (!codes.ok()) return fail(kExitCheckFailed, "trace scan", codes.error().message);
  nlohmann::json list = nlohmann::json::array();
  bool all_valid = true;
  for (const auto& text : *codes) {
    auto dl = gs1::parse_digital_link(text);
    nlohmann::json j;
    if (dl.ok()) {
      j = dl_json(*dl, *gcp);
    } else {
      all_valid = false;
      j = {{"error", dl.error().message}};
    }
    j["text"] = text;
    if (!args->has("json")) {
      std::cout << "qr: " << text << "\n";
      if (dl.ok())
        print_dl_text(j);
      else
        std::cout << "error: " << dl.error().message << "\n";
    }
    list.push_back(std::move(j));
  }
  if (args->has("json")) std::cout << nlohmann::json{{"codes", list}, {"verified", false}}.dump() << "\n";
  return all_valid ? kExitOk : kExitCheckFailed;
}

}  // namespace

int cmd_trace(const Words& w) {
  if (w.empty() || w[0] == "--help" || w[0] == "-h" || w[0] == "help") {
    (w.empty() ? std::cerr : std::cout) << kUsage;
    return w.empty() ? kExitUsage : kExitOk;
  }
  Words rest(w.begin() + 1, w.end());
  if (w[0] == "hash") return trace_hash(rest);
  if (w[0] == "dl-parse") return trace_dl_parse(rest);
  if (w[0] == "qr") return trace_qr(rest);
  if (w[0] == "scan") return trace_scan(rest);
  if (w[0] == "capture")
    return fail(kExitUsage, "trace capture", "not built yet (needs the ledger and trace module)");
  return fail(kExitUsage, "trace", "unknown verb '" + w[0] + "' (try formica trace --help)");
}

}  // namespace formica::cli
