#include "formica/node/local_net.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "formica/base/encoding.h"
#include "formica/codec/json.h"
#include "formica/crypto/address.h"
#include "formica/net/tls_identity.h"

#include <sodium.h>

namespace formica::node {
namespace {

namespace fs = std::filesystem;
using codec::Json;

Status write_text(const fs::path& p, std::string_view text, unsigned mode = 0644) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  if (!out) return make_error(ErrorCode::kIo, p.string() + ": cannot write");
  out << text;
  out.close();
  if (!out) return make_error(ErrorCode::kIo, p.string() + ": write failed");
  ::chmod(p.c_str(), mode);
  return ok_status();
}

Result<std::string> read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return make_error(ErrorCode::kMalformed, p.string() + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct MadeKey {
  std::string address;
  std::string public_key_hex;
};

// A fresh key saved as KEY + KEY.pass.
Result<MadeKey> make_key(const fs::path& key_file, crypto::Scheme scheme, const crypto::KdfParams& kdf) {
  auto key = crypto::PrivateKey::generate(scheme);
  Bytes pw(18);
  randombytes_buf(pw.data(), pw.size());
  std::string password = base::to_base64url(pw);
  secure_zero(pw);
  auto text = crypto::encrypt_key_file(key, password, kdf);
  if (!text.ok()) return text.error();
  FORMICA_TRY(write_text(key_file, *text, 0600));
  FORMICA_TRY(write_text(fs::path(key_file.string() + ".pass"), password + "\n", 0600));
  secure_zero(password.data(), password.size());
  return MadeKey{crypto::Address::of(key.public_key()).to_string(), base::to_hex(key.public_key().bytes())};
}

}  // namespace

Result<LocalNet> init_local_net(const LocalNetOptions& o) {
  if (o.orgs < 1 || o.orgs > 16) return make_error(ErrorCode::kInvalidArgument, "--orgs must be 1..16");
  if (o.validators < 1 || o.validators > 16)
    return make_error(ErrorCode::kInvalidArgument, "--validators must be 1..16");
  if (static_cast<int>(o.base_port) + 100 + o.validators > 65535)
    return make_error(ErrorCode::kInvalidArgument, "--base-port too high");
  std::error_code ec;
  if (fs::exists(o.dir) && !fs::is_empty(o.dir, ec))
    return make_error(ErrorCode::kAlreadyExists, o.dir.string() + " exists and is not empty");
  fs::create_directories(o.dir, ec);
  if (ec) return make_error(ErrorCode::kIo, o.dir.string() + ": " + ec.message());

  LocalNet net;
  net.dir = fs::absolute(o.dir);
  net.chain_id = o.chain_id;
  Json genesis = {{"chain_id", o.chain_id},
                  {"hash_alg", o.scheme == crypto::Scheme::kSm2 ? "sm3" : "sha256"},
                  {"schemes", Json::array()}};
  if (o.scheme == crypto::Scheme::kSm2) {
    genesis["schemes"].push_back("sm2");
  } else {
    for (auto s : crypto::kAllSchemes) genesis["schemes"].push_back(crypto::scheme_name(s));
  }
  genesis["orgs"] = Json::array();
  genesis["accounts"] = Json::array();
  genesis["balances"] = Json::array();
  std::string issuer;
  std::vector<net::TlsIdentity> cas;
  genesis["ca_roots"] = Json::object();
  for (int i = 0; i < o.orgs; ++i) {
    std::string org = "org" + std::to_string(i);
    net.orgs.push_back(org);
    fs::path od = o.dir / "orgs" / org;
    fs::create_directories(od, ec);
    if (ec) return make_error(ErrorCode::kIo, od.string() + ": " + ec.message());
    FORMICA_ASSIGN_OR_RETURN(MadeKey admin_key, make_key(od / "admin.key", o.scheme, o.kdf));
    FORMICA_ASSIGN_OR_RETURN(MadeKey treasury_key, make_key(od / "treasury.key", o.scheme, o.kdf));
    const std::string& admin = admin_key.address;
    const std::string& treasury = treasury_key.address;
    // The organisation's TLS CA: its certificate goes into genesis, its key stays here.
    FORMICA_ASSIGN_OR_RETURN(net::TlsIdentity ca, net::create_org_ca(org));
    FORMICA_TRY(net::write_identity(ca, (od / "ca.crt").string(), (od / "ca.key").string()));
    genesis["ca_roots"][org] = ca.cert_pem;
    cas.push_back(std::move(ca));
    if (issuer.empty()) issuer = admin;
    genesis["orgs"].push_back({{"name", org}, {"display_name", "Organisation " + std::to_string(i)}});
    genesis["accounts"].push_back(
        {{"address", admin}, {"org", org}, {"roles", {"admin", "issuer", "regulator"}}});
    genesis["accounts"].push_back({{"address", treasury}, {"org", org}, {"roles", Json::array()}});
    genesis["balances"].push_back({{"address", treasury}, {"asset", "FMC"}, {"amount", "100000000"}});
  }
  genesis["assets"] = Json::array({Json{{"code", "FMC"}, {"decimals", 2}, {"issuer", issuer}}});
  Json nodes = Json::array();
  genesis["validators"] = Json::array();
  for (int i = 0; i < o.validators; ++i) {
    LocalNode n;
    n.name = "node" + std::to_string(i);
    n.org = net.orgs[static_cast<std::size_t>(i) % net.orgs.size()];
    n.rpc_port = static_cast<std::uint16_t>(o.base_port + i);
    n.p2p_port = static_cast<std::uint16_t>(o.base_port + 100 + i);
    fs::path nd = o.dir / "nodes" / n.name;
    fs::create_directories(nd / "data", ec);
    if (ec) return make_error(ErrorCode::kIo, nd.string() + ": " + ec.message());
    FORMICA_ASSIGN_OR_RETURN(MadeKey validator_key, make_key(nd / "node.key", o.scheme, o.kdf));
    const std::string& validator = validator_key.address;
    genesis["validators"].push_back({{"name", n.name},
                                     {"org", n.org},
                                     {"scheme", crypto::scheme_name(o.scheme)},
                                     {"public_key", validator_key.public_key_hex}});
    fs::create_directories(nd / "tls", ec);
    FORMICA_ASSIGN_OR_RETURN(
        net::TlsIdentity tls,
        net::issue_node_cert(cas[static_cast<std::size_t>(i) % cas.size()], n.name, n.org));
    FORMICA_TRY(
        net::write_identity(tls, (nd / "tls" / "node.crt").string(), (nd / "tls" / "node.key").string()));
    Json peers = Json::array();
    for (int k = 0; k < o.validators; ++k)
      if (k != i)
        peers.push_back(
            {{"name", "node" + std::to_string(k)}, {"host", "127.0.0.1"}, {"port", o.base_port + 100 + k}});
    Json cfg = {{"name", n.name},
                {"org", n.org},
                {"data_dir", "data"},
                {"genesis", "../../genesis.json"},
                {"key", "node.key"},
                {"key_password_file", "node.key.pass"},
                {"rpc", {{"address", "127.0.0.1"}, {"port", n.rpc_port}}},
                {"static_dir", o.static_dir.empty() ? std::string() : fs::absolute(o.static_dir).string()},
                {"block", {{"max_txs", 5000}, {"interval_ms", 20}}},
                {"state", {{"keep_versions", 0}}},
                {"log", {{"level", "info"}, {"file", "node.log"}}},
                {"p2p",
                 {{"address", "127.0.0.1"},
                  {"port", n.p2p_port},
                  {"cert", "tls/node.crt"},
                  {"key", "tls/node.key"},
                  {"peers", peers}}}};
    n.config = fs::absolute(nd / "config.json");
    FORMICA_TRY(write_text(n.config, cfg.dump(2) + "\n"));
    nodes.push_back({{"name", n.name},
                     {"org", n.org},
                     {"rpc_port", n.rpc_port},
                     {"p2p_port", n.p2p_port},
                     {"config", "nodes/" + n.name + "/config.json"},
                     {"address", validator}});
    net.nodes.push_back(n);
  }
  FORMICA_TRY(write_text(o.dir / "genesis.json", genesis.dump(2) + "\n"));
  Json layout = {{"chain_id", o.chain_id}, {"orgs", net.orgs}, {"nodes", nodes}};
  FORMICA_TRY(write_text(o.dir / "net.json", layout.dump(2) + "\n"));
  return net;
}

Result<LocalNet> load_local_net(const fs::path& dir) {
  FORMICA_ASSIGN_OR_RETURN(std::string text, read_text(dir / "net.json"));
  auto j = codec::parse_json(text);
  if (!j.ok() || !j->is_object() || !(*j).contains("nodes") || !(*j)["nodes"].is_array())
    return make_error(ErrorCode::kMalformed, (dir / "net.json").string() + ": not a network layout");
  LocalNet net;
  net.dir = fs::absolute(dir);
  net.chain_id = (*j).value("chain_id", "");
  if ((*j).contains("orgs") && (*j)["orgs"].is_array())
    for (const auto& o : (*j)["orgs"])
      if (o.is_string()) net.orgs.push_back(o.get<std::string>());
  for (const auto& n : (*j)["nodes"]) {
    if (!n.is_object() || !n.contains("name") || !n["name"].is_string() || !n.contains("rpc_port") ||
        !n["rpc_port"].is_number_unsigned() || !n.contains("config") || !n["config"].is_string())
      return make_error(ErrorCode::kMalformed, (dir / "net.json").string() + ": bad node entry");
    LocalNode ln;
    ln.name = n["name"].get<std::string>();
    ln.org = n.value("org", "");
    ln.rpc_port = static_cast<std::uint16_t>(n["rpc_port"].get<std::uint64_t>());
    ln.p2p_port = static_cast<std::uint16_t>(n.value("p2p_port", 0));
    ln.config = net.dir / n["config"].get<std::string>();
    net.nodes.push_back(ln);
  }
  return net;
}

Result<crypto::PrivateKey> load_key(const fs::path& key_file, const fs::path& password_file) {
  fs::path pw_file = password_file.empty() ? fs::path(key_file.string() + ".pass") : password_file;
  FORMICA_ASSIGN_OR_RETURN(std::string text, read_text(key_file));
  auto pw = read_text(pw_file);
  if (!pw.ok())
    return make_error(ErrorCode::kInvalidArgument, "no password for " + key_file.string() +
                                                       " (give --password-file; " + pw_file.string() +
                                                       " not found)");
  std::string password = std::move(*pw);
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
  auto key = crypto::decrypt_key_file(as_bytes(text), password);
  secure_zero(password.data(), password.size());
  if (!key.ok()) return make_error(key.code(), key_file.string() + ": " + key.error().message);
  return key;
}

}  // namespace formica::node
