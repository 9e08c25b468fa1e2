#include "formica/node/config.h"

#include <fstream>
#include <sstream>

#include "formica/codec/json.h"

namespace formica::node {
namespace {

using codec::Json;

Error bad(const std::string& file, const std::string& what) {
  return make_error(ErrorCode::kMalformed, file + ": " + what);
}

}  // namespace

Result<NodeConfig> load_node_config(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return make_error(ErrorCode::kMalformed, file.string() + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  auto parsed = codec::parse_json(ss.str());
  if (!parsed.ok()) return bad(file.string(), parsed.error().message);
  const Json& j = *parsed;
  const std::string f = file.string();
  if (!j.is_object()) return bad(f, "must be a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    static const char* known[] = {"name", "org",        "data_dir", "genesis", "key", "key_password_file",
                                  "rpc",  "static_dir", "block",    "state",   "log", "p2p"};
    bool ok = false;
    for (auto* k : known) ok = ok || it.key() == k;
    if (!ok) return bad(f, "unknown member '" + it.key() + "'");
  }
  const std::filesystem::path base = file.parent_path();
  auto path_of = [&](const char* key, std::filesystem::path& out, bool required) -> Status {
    if (!j.contains(key)) {
      if (required) return bad(f, std::string("missing \"") + key + "\"");
      return ok_status();
    }
    if (!j[key].is_string()) return bad(f, std::string("\"") + key + "\" must be a string");
    std::string v = j[key].get<std::string>();
    if (v.empty()) return ok_status();
    std::filesystem::path p(v);
    out = p.is_absolute() ? p : base / p;
    return ok_status();
  };
  NodeConfig c;
  if (j.contains("name")) {
    if (!j["name"].is_string()) return bad(f, "\"name\" must be a string");
    c.name = j["name"].get<std::string>();
  }
  if (j.contains("org") && j["org"].is_string()) c.org = j["org"].get<std::string>();
  FORMICA_TRY(path_of("data_dir", c.data_dir, true));
  FORMICA_TRY(path_of("genesis", c.genesis, true));
  FORMICA_TRY(path_of("key", c.key, true));
  FORMICA_TRY(path_of("key_password_file", c.key_password_file, false));
  FORMICA_TRY(path_of("static_dir", c.static_dir, false));
  if (j.contains("rpc")) {
    const Json& r = j["rpc"];
    if (!r.is_object()) return bad(f, "\"rpc\" must be an object");
    if (r.contains("address")) {
      if (!r["address"].is_string()) return bad(f, "rpc.address must be a string");
      c.rpc_address = r["address"].get<std::string>();
    }
    if (r.contains("port")) {
      if (!r["port"].is_number_unsigned() || r["port"].get<std::uint64_t>() > 65535)
        return bad(f, "rpc.port must be 0..65535");
      c.rpc_port = static_cast<std::uint16_t>(r["port"].get<std::uint64_t>());
    }
  }
  if (j.contains("block")) {
    const Json& b = j["block"];
    if (!b.is_object()) return bad(f, "\"block\" must be an object");
    if (b.contains("max_txs")) {
      if (!b["max_txs"].is_number_unsigned() || b["max_txs"].get<std::uint64_t>() == 0 ||
          b["max_txs"].get<std::uint64_t>() > 100'000)
        return bad(f, "block.max_txs must be 1..100000");
      c.max_block_txs = b["max_txs"].get<std::size_t>();
    }
    if (b.contains("interval_ms")) {
      if (!b["interval_ms"].is_number_unsigned() || b["interval_ms"].get<std::uint64_t>() > 60'000)
        return bad(f, "block.interval_ms must be 0..60000");
      c.block_interval_ms = b["interval_ms"].get<std::uint32_t>();
    }
  }
  if (j.contains("state")) {
    const Json& s = j["state"];
    if (!s.is_object() || (s.contains("keep_versions") && !s["keep_versions"].is_number_unsigned()))
      return bad(f, "state.keep_versions must be a non-negative integer");
    if (s.contains("keep_versions")) c.keep_versions = s["keep_versions"].get<std::uint64_t>();
  }
  if (j.contains("log")) {
    const Json& l = j["log"];
    if (!l.is_object()) return bad(f, "\"log\" must be an object");
    if (l.contains("level") && l["level"].is_string()) c.log_level = l["level"].get<std::string>();
    FORMICA_TRY([&]() -> Status {
      if (!l.contains("file")) return ok_status();
      if (!l["file"].is_string()) return bad(f, "log.file must be a string");
      std::filesystem::path p(l["file"].get<std::string>());
      c.log_file = p.is_absolute() ? p : base / p;
      return ok_status();
    }());
  }
  if (j.contains("p2p")) {
    const Json& p = j["p2p"];
    if (!p.is_object()) return bad(f, "\"p2p\" must be an object");
    if (p.contains("address")) {
      if (!p["address"].is_string()) return bad(f, "p2p.address must be a string");
      c.p2p_address = p["address"].get<std::string>();
    }
    if (!p.contains("port") || !p["port"].is_number_unsigned() || p["port"].get<std::uint64_t>() > 65535)
      return bad(f, "p2p.port must be 0..65535");
    c.p2p_port = static_cast<std::uint16_t>(p["port"].get<std::uint64_t>());
    for (const char* key : {"cert", "key"}) {
      if (!p.contains(key) || !p[key].is_string() || p[key].get<std::string>().empty())
        return bad(f, std::string("p2p.") + key + " must be a file name");
      std::filesystem::path v(p[key].get<std::string>());
      (std::string(key) == "cert" ? c.tls_cert : c.tls_key) = v.is_absolute() ? v : base / v;
    }
    if (p.contains("peers")) {
      if (!p["peers"].is_array()) return bad(f, "p2p.peers must be an array");
      for (const auto& e : p["peers"]) {
        if (!e.is_object() || !e.contains("name") || !e["name"].is_string() || !e.contains("host") ||
            !e["host"].is_string() || !e.contains("port") || !e["port"].is_number_unsigned() ||
            e["port"].get<std::uint64_t>() == 0 || e["port"].get<std::uint64_t>() > 65535)
          return bad(f, "p2p.peers[] must be {name, host, port}");
        c.peers.push_back({e["name"].get<std::string>(), e["host"].get<std::string>(),
                           static_cast<std::uint16_t>(e["port"].get<std::uint64_t>())});
      }
    }
  }
  return c;
}

}  // namespace formica::node
