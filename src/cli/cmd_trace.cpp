// formica trace hash | dl-parse | qr | scan | capture | register | events | show | claim
// (../shared/CLI.md, "Traceability"; docs/trace.md).
//
// hash, dl-parse and qr work offline. capture, register and claim sign a `trace` transaction and
// wait for finality; events and show ask a node (`query` RPC); scan reads the QR code of a photo
// and, given a node (--rpc, --net or FORMICA_RPC), prints the item's trace with every event
// proved against one header (get_state proofs) and the header checked through its quorum
// certificate against the genesis validator set (--genesis, or DIR/genesis.json with --net).

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "args.h"
#include "client_util.h"
#include "commands.h"
#include "formica/apps/trace.h"
#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/consensus/verify.h"
#include "formica/gs1/digital_link.h"
#include "formica/gs1/epcis.h"
#include "formica/gs1/event_hash.h"
#include "formica/gs1/identifiers.h"
#include "formica/gs1/qr.h"
#include "formica/ledger/block.h"
#include "formica/ledger/genesis.h"
#include "formica/storage/state_proof.h"

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
    "  scan FILE.png|FILE.jpg [--gcp-length N] [--json] [--rpc URL|--net DIR] [--genesis FILE]\n"
    "                                   read the QR codes of a photo; with a node, print the item's\n"
    "                                   verified trace (proofs + quorum certificate)\n"
    "  capture FILE --key KEYFILE [--secrets FILE.json] [--no-wait] [--json]\n"
    "                                   capture an EPCIS document on chain; one line per event:\n"
    "                                   <hash id> captured|duplicate|declared\n"
    "  register --key ADMINKEY --prefix P... --gln G... [--name NAME]\n"
    "                                   register (or update) the key's organisation as a participant\n"
    "  events [--epc ID] [--class ID] [--location ID] [--biz-step S] [--from T] [--to T]\n"
    "         [--cursor N] [--limit N] [--json]   EPCIS-style event query\n"
    "  show URI|EPC [--json]            the trace of one item (unverified; see scan)\n"
    "  claim --key KEYFILE --secret CODE [URI] [--json]\n"
    "                                   claim an item's one-time code; exit 1 on a counterfeit signal\n"
    "\n"
    "Client verbs also take --rpc URL or --net DIR and --password-file P.\n";

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

// ---- on-chain verbs --------------------------------------------------------------------------

using codec::Json;

Result<crypto::Hash32> hash32_of(const Json& j, const char* what) {
  if (!j.is_string()) return make_error(ErrorCode::kMalformed, std::string(what) + " missing");
  FORMICA_ASSIGN_OR_RETURN(Bytes b, base::from_hex(j.get<std::string>()));
  if (b.size() != 32) return make_error(ErrorCode::kMalformed, std::string(what) + " is not 32 bytes");
  crypto::Hash32 h{};
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

// Checks one get_state response against an already-checked header; returns the proved value.
Result<std::optional<Bytes>> verify_state(const Json& r, const ledger::BlockHeader& header,
                                          crypto::HashAlg alg, ByteView expect_key) {
  if (!r.is_object() || !r.contains("proof") || !r.contains("key"))
    return make_error(ErrorCode::kMalformed, "not a get_state response");
  FORMICA_ASSIGN_OR_RETURN(Bytes key, base::from_hex(r["key"].get<std::string>()));
  if (!std::equal(key.begin(), key.end(), expect_key.begin(), expect_key.end()))
    return make_error(ErrorCode::kVerificationFailed, "proof is for another key");
  FORMICA_ASSIGN_OR_RETURN(Bytes proof_bytes, base::from_hex(r["proof"].get<std::string>()));
  FORMICA_ASSIGN_OR_RETURN(auto proof, storage::decode_state_proof(proof_bytes));
  std::optional<Bytes> value;
  if (r.contains("value") && !r["value"].is_null()) {
    FORMICA_ASSIGN_OR_RETURN(Bytes v, base::from_hex(r["value"].get<std::string>()));
    value = std::move(v);
  }
  std::optional<ByteView> view;
  if (value) view = ByteView(*value);
  if (!storage::verify_state_proof(alg, header.state_root, key, view, proof))
    return make_error(ErrorCode::kVerificationFailed, "proof does not lead to the header's state root");
  return value;
}

struct Verified {
  Json trace;  // the trace, rebuilt from proved values only
  bool proofs_ok = false;
  std::string proofs_detail;
  bool certified = false;
  std::string qc_detail;
  std::uint64_t height = 0;
};

// The trace of `id` at the node's head, every event record and the item record proved against
// one header; the header hashed, and checked through its QC when `genesis` is given.
Result<Verified> verified_trace(rpc::Client& client, const std::string& id, const ledger::Genesis* genesis) {
  FORMICA_ASSIGN_OR_RETURN(Json head, client.call("get_block", Json{{"height", "latest"}}));
  std::uint64_t h = head.value("height", std::uint64_t{0});
  FORMICA_ASSIGN_OR_RETURN(
      Json q,
      client.call("query",
                  Json{{"module", "trace"}, {"path", "trace"}, {"params", {{"id", id}}}, {"height", h}}));
  Json t = q["result"];
  Verified out;
  out.height = h;
  // The header: its encoding must hash to the hash the node gives.
  FORMICA_ASSIGN_OR_RETURN(Bytes hb, base::from_hex(head.value("header_encoded", "")));
  FORMICA_ASSIGN_OR_RETURN(auto header, codec::decode<ledger::BlockHeader>(hb));
  crypto::HashAlg alg = genesis ? genesis->rules.hash_alg : crypto::HashAlg::kSha256;
  if (!genesis) {
    FORMICA_ASSIGN_OR_RETURN(ChainInfo info, chain_info(client));
    alg = info.hash_alg;
  }
  FORMICA_ASSIGN_OR_RETURN(crypto::Hash32 claimed, hash32_of(head["hash"], "block hash"));
  FORMICA_ASSIGN_OR_RETURN(crypto::Hash32 actual, ledger::header_hash(header, alg));
  if (claimed != actual || header.height != h)
    return make_error(ErrorCode::kVerificationFailed, "header does not hash to the block hash");
  // Every event and the item record, proved at that height (one batch).
  std::vector<rpc::BatchCall> calls;
  std::vector<Bytes> keys;
  for (const auto& e : t["events"]) {
    FORMICA_ASSIGN_OR_RETURN(Bytes k, base::from_hex(e.value("state_key", "")));
    keys.push_back(k);
  }
  FORMICA_ASSIGN_OR_RETURN(std::string canonical, apps::Trace::canonical_id(t.value("item", id)));
  keys.push_back(apps::Trace::item_state_key(canonical));
  for (const auto& k : keys) calls.push_back({"get_state", Json{{"key", base::to_hex(k)}, {"height", h}}});
  FORMICA_ASSIGN_OR_RETURN(auto answers, client.call_batch(calls));
  Json events = Json::array();
  out.proofs_ok = true;
  std::size_t proved = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!answers[i].ok()) {
      out.proofs_ok = false;
      out.proofs_detail = answers[i].error().message;
      break;
    }
    auto v = verify_state(*answers[i], header, alg, keys[i]);
    if (!v.ok()) {
      out.proofs_ok = false;
      out.proofs_detail = v.error().message;
      break;
    }
    bool is_item = i + 1 == keys.size();
    if (is_item) {
      if (*v) {
        FORMICA_ASSIGN_OR_RETURN(auto rec, codec::decode<apps::TraceItemRecord>(**v));
        t["item_record"] = apps::Trace::item_json(rec);
      } else {
        t["item_record"] = nullptr;
      }
      continue;
    }
    if (!*v) {
      out.proofs_ok = false;
      out.proofs_detail = "an event of the trace is proved absent";
      break;
    }
    FORMICA_ASSIGN_OR_RETURN(auto rec, codec::decode<apps::TraceEventRecord>(**v));
    apps::TraceEventHit hit{rec, keys[i], **v, t["events"][i].value("relation", ""),
                            t["events"][i].value("via", "")};
    events.push_back(apps::Trace::hit_json(hit));
    ++proved;
  }
  t["events"] = events;
  out.trace = t;
  if (out.proofs_ok)
    out.proofs_detail =
        std::to_string(proved) + " events and the item record proved at height " + std::to_string(h);
  if (genesis) {
    auto c = verify_certified(client, *genesis, h, actual);
    out.certified = c.ok();
    out.qc_detail = c.ok() ? *c : c.error().message;
  } else {
    out.qc_detail = "not checked (give --genesis FILE or --net DIR)";
  }
  return out;
}

std::string short_uri(const std::string& uri) {
  for (std::string_view base : {"https://ref.gs1.org/cbv/", "https://gs1.org/voc/"})
    if (uri.rfind(base, 0) == 0) {
      std::string rest = uri.substr(base.size());
      auto dash = rest.find('-');
      return dash == std::string::npos ? rest : rest.substr(dash + 1);
    }
  return uri;
}

void print_trace_text(const Json& t) {
  std::cout << "item: " << t.value("item", "") << "\n";
  if (t.contains("lot") && t["lot"].is_string()) std::cout << "lot: " << t["lot"].get<std::string>() << "\n";
  for (const auto& e : t["events"]) {
    const Json& ev = e["event"];
    std::string where = ev.value("biz_location", ev.value("read_point", ""));
    std::cout << e.value("event_time", "") << "  " << e.value("org", "") << "  " << ev.value("type", "")
              << " " << ev.value("action", "") << " " << short_uri(ev.value("biz_step", ""))
              << (where.empty() ? "" : " at ") << where;
    if (e.contains("relation") && e["relation"] != "self")
      std::cout << "  (" << e["relation"].get<std::string>() << " " << e.value("via", "") << ")";
    if (ev.contains("sensor_elements"))
      for (const auto& se : ev["sensor_elements"])
        for (const auto& r : se["reports"])
          std::cout << "  [" << short_uri(r.value("type", "")) << " " << r.value("value", "") << " "
                    << r.value("uom", "") << "]";
    if (!e["error_declaration"].is_null()) std::cout << "  DECLARED ERRONEOUS";
    std::cout << "\n";
  }
  if (t.contains("item_record") && t["item_record"].is_object()) {
    const Json& ir = t["item_record"];
    std::cout << "claim: " << ir.value("claim_status", "") << " (claims " << ir["claims"].dump()
              << ", bad codes " << ir["bad_code_claims"].dump() << ")"
              << (ir.value("counterfeit_warning", false) ? "  COUNTERFEIT WARNING" : "") << "\n";
  }
}

Result<std::optional<ledger::Genesis>> genesis_arg(const Args& args) {
  std::optional<std::string> file = args.get("genesis");
  if (!file && args.get("net")) file = *args.get("net") + "/genesis.json";
  if (!file) return std::optional<ledger::Genesis>{};
  FORMICA_ASSIGN_OR_RETURN(Bytes b, read_input(*file));
  FORMICA_ASSIGN_OR_RETURN(auto g, ledger::parse_genesis(std::string(as_chars(b))));
  return std::optional<ledger::Genesis>(std::move(g));
}

bool node_requested(const Args& args) {
  const char* env = std::getenv("FORMICA_RPC");
  return args.get("rpc") || args.get("net") || (env != nullptr && *env != '\0');
}

int trace_scan(const Words& w) {
  auto args = Args::parse(w, client_options({{"gcp-length"}, {"json", false}, {"genesis"}}));
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
  std::vector<std::string> links;
  for (const auto& text : *codes) {
    auto dl = gs1::parse_digital_link(text);
    nlohmann::json j;
    if (dl.ok()) {
      j = dl_json(*dl, *gcp);
      links.push_back(text);
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
  if (!node_requested(*args) || links.empty()) {
    if (!args->has("json") && !links.empty())
      std::cout << "verified: no (no node given: --rpc URL or --net DIR prints the verified trace)\n";
    if (args->has("json")) std::cout << nlohmann::json{{"codes", list}, {"verified", false}}.dump() << "\n";
    return all_valid ? kExitOk : kExitCheckFailed;
  }
  auto genesis = genesis_arg(*args);
  if (!genesis.ok()) return fail(kExitUsage, "trace scan", genesis.error().message);
  auto url = resolve_rpc(*args);
  if (!url.ok()) return fail("trace scan", url.error());
  rpc::Client client(*url);
  auto v = verified_trace(client, links[0], *genesis ? &**genesis : nullptr);
  if (!v.ok()) return fail("trace scan", v.error());
  bool verified = v->proofs_ok && v->certified;
  if (args->has("json")) {
    std::cout << Json{{"codes", list},
                      {"trace", v->trace},
                      {"height", v->height},
                      {"proofs", {{"valid", v->proofs_ok}, {"detail", v->proofs_detail}}},
                      {"certificate", {{"valid", v->certified}, {"detail", v->qc_detail}}},
                      {"verified", verified}}
                     .dump()
              << "\n";
  } else {
    print_trace_text(v->trace);
    std::cout << "proofs: " << (v->proofs_ok ? "valid" : "INVALID") << " (" << v->proofs_detail << ")\n";
    std::cout << "header: " << (v->certified ? "final" : "NOT checked") << " (" << v->qc_detail << ")\n";
    std::cout << "verified: " << (verified ? "yes" : "no") << "\n";
  }
  if (!v->proofs_ok) return kExitCheckFailed;
  if (v->trace.contains("item_record") && v->trace["item_record"].is_object() &&
      v->trace["item_record"].value("counterfeit_warning", false))
    return kExitCheckFailed;
  return verified ? kExitOk : kExitCheckFailed;
}

// Splits a large JSON-LD document into documents of whole events that each fit a transaction.
Result<std::vector<std::string>> split_document(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::vector<std::string>{text};
  auto j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return make_error(ErrorCode::kTooLarge,
                      "the EPCIS document is over " + std::to_string(max_bytes) +
                          " bytes: split it (only JSON-LD documents are split automatically)");
  if (!j.contains("epcisBody") || !j["epcisBody"].contains("eventList") ||
      !j["epcisBody"]["eventList"].is_array())
    return make_error(ErrorCode::kUnsupported, "not an EPCIS document with an eventList");
  Json events = j["epcisBody"]["eventList"];
  Json shell = j;
  shell["epcisBody"]["eventList"] = Json::array();
  const std::size_t base = shell.dump().size();
  std::vector<std::string> out;
  Json cur = Json::array();
  std::size_t size = base;
  for (const auto& e : events) {
    std::size_t n = e.dump().size() + 1;
    if (base + n > max_bytes)
      return make_error(ErrorCode::kTooLarge, "one event alone is over the transaction limit");
    if (size + n > max_bytes && !cur.empty()) {
      shell["epcisBody"]["eventList"] = cur;
      out.push_back(shell.dump());
      cur = Json::array();
      size = base;
    }
    cur.push_back(e);
    size += n;
  }
  if (!cur.empty()) {
    shell["epcisBody"]["eventList"] = cur;
    out.push_back(shell.dump());
  }
  return out;
}

Result<std::unique_ptr<rpc::Client>> client_of(const Args& args) {
  FORMICA_ASSIGN_OR_RETURN(std::string url, resolve_rpc(args));
  return std::make_unique<rpc::Client>(url);
}

int trace_capture(const Words& w) {
  const char* what = "trace capture";
  auto args = Args::parse(
      w, client_options({{"key"}, {"password-file"}, {"secrets"}, {"no-wait", false}, {"json", false}}));
  if (!args.ok()) return fail(what, args.error());
  if (args->positional().size() != 1) return fail(kExitUsage, what, "expected one FILE");
  if (!args->get("key")) return fail(kExitUsage, what, "--key KEYFILE is required");
  auto bytes = read_input(args->positional()[0], 64u << 20);
  if (!bytes.ok()) return fail(kExitUsage, what, bytes.error().message);
  std::string text(as_chars(*bytes));
  // Check the document here first: malformed input is exit 2 before anything is signed.
  auto doc = gs1::parse_epcis(text);
  if (!doc.ok()) return fail(kExitUsage, what, doc.error().message);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < doc->events.size(); ++i) {
    const auto& e = doc->events[i];
    if (!e.event) return fail(kExitCheckFailed, what, "event " + std::to_string(i) + ": " + e.error);
    ids.push_back(gs1::event_hash_id(gs1::event_prehash(e.tree, doc->ignored_fields)));
  }
  auto key = load_key_arg(*args);
  if (!key.ok()) return fail(what, key.error());
  auto client = client_of(*args);
  if (!client.ok()) return fail(what, client.error());
  auto info = chain_info(**client);
  if (!info.ok()) return fail(what, info.error());
  std::vector<apps::TraceSecret> secrets;
  if (auto sf = args->get("secrets")) {
    auto sb = read_input(*sf);
    if (!sb.ok()) return fail(kExitUsage, what, sb.error().message);
    auto sj = Json::parse(std::string(as_chars(*sb)), nullptr, false);
    if (!sj.is_object()) return fail(kExitUsage, what, *sf + ": expected {\"<item>\": \"<secret>\", ...}");
    for (auto it = sj.begin(); it != sj.end(); ++it) {
      if (!it->is_string()) return fail(kExitUsage, what, *sf + ": secrets must be strings");
      auto h = apps::Trace::secret_hash(info->hash_alg, it->get<std::string>());
      if (!h.ok()) return fail(what, h.error());
      secrets.push_back({it.key(), *h});
    }
  }
  auto parts = split_document(text, 56u << 10);
  if (!parts.ok()) return fail(kExitUsage, what, parts.error().message);
  const bool wait = !args->has("no-wait");
  std::map<std::string, std::string> status;  // hash id -> captured|declared
  Json txs = Json::array();
  for (std::size_t i = 0; i < parts->size(); ++i) {
    apps::TraceCapture p{(*parts)[i], i + 1 == parts->size() ? secrets : std::vector<apps::TraceSecret>{}};
    auto payload = codec::encode(p);
    if (!payload.ok()) return fail(what, payload.error());
    auto r = submit(**client, *key, "trace", "capture", *payload, wait);
    if (!r.ok()) return fail(what, r.error());
    txs.push_back(r->value("tx_id", ""));
    if (wait && (*r)["receipt"].is_object())
      for (const auto& ev : (*r)["receipt"]["events"]) {
        std::string kind = ev.value("kind", "");
        if ((kind == "captured" || kind == "error_declared") && ev.contains("attributes"))
          status[ev["attributes"].value("id", "")] = kind == "captured" ? "captured" : "declared";
      }
  }
  Json events = Json::array();
  for (const auto& id : ids) {
    std::string st = !wait ? "submitted" : (status.contains(id) ? status[id] : "duplicate");
    events.push_back(Json{{"hash_id", id}, {"status", st}});
    if (!args->has("json")) std::cout << id << " " << st << "\n";
  }
  if (args->has("json")) std::cout << Json{{"tx_ids", txs}, {"events", events}}.dump() << "\n";
  return kExitOk;
}

std::vector<std::string> split_commas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    std::size_t start = 0;
    while (start <= v.size()) {
      auto comma = v.find(',', start);
      std::string part = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) out.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

int trace_register(const Words& w) {
  const char* what = "trace register";
  auto args = Args::parse(w, client_options({{"key"},
                                             {"password-file"},
                                             {"name"},
                                             {"prefix", true, true},
                                             {"gln", true, true},
                                             {"json", false}}));
  if (!args.ok()) return fail(what, args.error());
  if (!args->get("key")) return fail(kExitUsage, what, "--key ADMINKEY is required");
  apps::TraceRegister p{args->get_or("name", ""), split_commas(args->get_all("prefix")),
                        split_commas(args->get_all("gln"))};
  auto key = load_key_arg(*args);
  if (!key.ok()) return fail(what, key.error());
  auto client = client_of(*args);
  if (!client.ok()) return fail(what, client.error());
  auto payload = codec::encode(p);
  if (!payload.ok()) return fail(what, payload.error());
  auto r = submit(**client, *key, "trace", "register", *payload, true);
  if (!r.ok()) return fail(what, r.error());
  return print_result(*args, *r, "registered: " + r->value("tx_id", ""));
}

int trace_events(const Words& w) {
  const char* what = "trace events";
  auto args = Args::parse(w, client_options({{"epc"},
                                             {"class"},
                                             {"location"},
                                             {"biz-step"},
                                             {"from"},
                                             {"to"},
                                             {"cursor"},
                                             {"limit"},
                                             {"height"},
                                             {"json", false}}));
  if (!args.ok()) return fail(what, args.error());
  Json params = Json::object();
  for (auto [opt, key] : std::vector<std::pair<const char*, const char*>>{{"epc", "epc"},
                                                                          {"class", "class"},
                                                                          {"location", "location"},
                                                                          {"biz-step", "biz_step"},
                                                                          {"from", "from"},
                                                                          {"to", "to"}})
    if (auto v = args->get(opt)) params[key] = *v;
  for (const char* opt : {"cursor", "limit"})
    if (auto v = args->get(opt)) {
      auto n = parse_u64(*v);
      if (!n.ok()) return fail(kExitUsage, what, std::string("--") + opt + " must be a number");
      params[opt] = *n;
    }
  auto client = client_of(*args);
  if (!client.ok()) return fail(what, client.error());
  Json call = {{"module", "trace"}, {"path", "events"}, {"params", params}};
  if (auto h = args->get("height")) call["height"] = *h;
  auto r = (*client)->call("query", call);
  if (!r.ok()) return fail(what, r.error());
  const Json& res = (*r)["result"];
  if (args->has("json")) {
    std::cout << res.dump() << "\n";
    return kExitOk;
  }
  Json t = {{"item", ""}, {"events", res["events"]}};
  for (const auto& e : res["events"])
    std::cout << e.value("event_time", "") << "  " << e.value("hash_id", "") << "  " << e.value("org", "")
              << "  " << e["event"].value("type", "") << " " << short_uri(e["event"].value("biz_step", ""))
              << "\n";
  if (!res["next_cursor"].is_null()) std::cout << "next_cursor: " << res["next_cursor"].dump() << "\n";
  return kExitOk;
}

int trace_show(const Words& w) {
  const char* what = "trace show";
  auto args = Args::parse(w, client_options({{"height"}, {"json", false}}));
  if (!args.ok()) return fail(what, args.error());
  if (args->positional().size() != 1) return fail(kExitUsage, what, "expected one URI or EPC");
  auto client = client_of(*args);
  if (!client.ok()) return fail(what, client.error());
  Json call = {{"module", "trace"}, {"path", "trace"}, {"params", {{"id", args->positional()[0]}}}};
  if (auto h = args->get("height")) call["height"] = *h;
  auto r = (*client)->call("query", call);
  if (!r.ok()) return fail(what, r.error());
  if (args->has("json")) {
    std::cout << (*r)["result"].dump() << "\n";
  } else {
    print_trace_text((*r)["result"]);
  }
  return kExitOk;
}

int trace_claim(const Words& w) {
  const char* what = "trace claim";
  auto args = Args::parse(w, client_options({{"key"}, {"password-file"}, {"secret"}, {"json", false}}));
  if (!args.ok()) return fail(what, args.error());
  if (!args->get("key") || !args->get("secret"))
    return fail(kExitUsage, what, "--key KEYFILE and --secret CODE are required");
  if (args->positional().size() > 1) return fail(kExitUsage, what, "expected at most one URI");
  apps::TraceClaim p{*args->get("secret"), args->positional().empty() ? "" : args->positional()[0]};
  auto key = load_key_arg(*args);
  if (!key.ok()) return fail(what, key.error());
  auto client = client_of(*args);
  if (!client.ok()) return fail(what, client.error());
  auto payload = codec::encode(p);
  if (!payload.ok()) return fail(what, payload.error());
  auto r = submit(**client, *key, "trace", "claim", *payload, true);
  if (!r.ok()) return fail(what, r.error());
  std::string result = "unknown", item;
  for (const auto& ev : (*r)["receipt"]["events"])
    if (ev.value("kind", "") == "claim") {
      result = ev["attributes"].value("result", "");
      item = ev["attributes"].value("item", "");
    }
  Json out = {
      {"tx_id", r->value("tx_id", "")}, {"result", result}, {"item", item}, {"genuine", result == "genuine"}};
  print_result(*args, out, "claim: " + result + (item.empty() ? "" : " " + item));
  return result == "genuine" ? kExitOk : kExitCheckFailed;
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
  if (w[0] == "capture") return trace_capture(rest);
  if (w[0] == "register") return trace_register(rest);
  if (w[0] == "events") return trace_events(rest);
  if (w[0] == "show") return trace_show(rest);
  if (w[0] == "claim") return trace_claim(rest);
  return fail(kExitUsage, "trace", "unknown verb '" + w[0] + "' (try formica trace --help)");
}

}  // namespace formica::cli
