#include "formica/ledger/genesis.h"

#include <set>

#include "formica/base/encoding.h"
#include "formica/codec/json.h"
#include "formica/crypto/address.h"
#include "formica/ledger/accounts.h"

namespace formica::ledger {
namespace {

using codec::Json;

Error bad(const std::string& what) { return make_error(ErrorCode::kMalformed, "genesis: " + what); }

Status only_members(const Json& obj, std::initializer_list<std::string_view> allowed,
                    const std::string& where) {
  if (!obj.is_object()) return bad(where + " must be an object");
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool ok = false;
    for (auto a : allowed) ok = ok || it.key() == a;
    if (!ok) return bad(where + ": unknown member '" + it.key() + "'");
  }
  return ok_status();
}

Result<std::string> str(const Json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key) || !obj[key].is_string()) return bad(where + "." + key + " must be a string");
  return obj[key].get<std::string>();
}

Result<AddressBytes> addr(const Json& obj, const char* key, const std::string& where) {
  FORMICA_ASSIGN_OR_RETURN(std::string text, str(obj, key, where));
  auto a = crypto::Address::parse(text);
  if (!a.ok()) return bad(where + "." + key + ": " + a.error().message);
  return a->to_bytes();
}

const Json& array_member(const Json& root, const char* key) {
  static const Json empty = Json::array();
  return root.contains(key) ? root[key] : empty;
}

}  // namespace

Result<Genesis> parse_genesis(std::string_view json_text) {
  auto parsed = codec::parse_json(json_text);
  if (!parsed.ok()) return bad(parsed.error().message);
  const Json& root = *parsed;
  FORMICA_TRY(only_members(root,
                           {"chain_id", "hash_alg", "schemes", "orgs", "accounts", "assets", "balances",
                            "validators", "ca_roots", "consensus", "genesis_time"},
                           "genesis"));
  Genesis g;
  FORMICA_ASSIGN_OR_RETURN(g.rules.chain_id, str(root, "chain_id", "genesis"));
  if (g.rules.chain_id.empty() || g.rules.chain_id.size() > 64)
    return bad("chain_id must be 1..64 characters");
  if (root.contains("hash_alg")) {
    FORMICA_ASSIGN_OR_RETURN(std::string h, str(root, "hash_alg", "genesis"));
    if (h != "sha256" && h != "sm3") return bad("hash_alg must be sha256 or sm3");
    g.rules.hash_alg = h == "sm3" ? crypto::HashAlg::kSm3 : crypto::HashAlg::kSha256;
  }
  if (root.contains("schemes")) {
    if (!root["schemes"].is_array() || root["schemes"].empty())
      return bad("schemes must be a non-empty array");
    g.rules.schemes.clear();
    for (const auto& s : root["schemes"]) {
      if (!s.is_string()) return bad("schemes must hold strings");
      auto sc = crypto::parse_scheme(s.get<std::string>());
      if (!sc.ok()) return bad(sc.error().message);
      g.rules.schemes.insert(*sc);
    }
  }
  std::set<std::string> orgs;
  for (const auto& o : array_member(root, "orgs")) {
    FORMICA_TRY(only_members(o, {"name", "display_name"}, "orgs[]"));
    FORMICA_ASSIGN_OR_RETURN(std::string name, str(o, "name", "orgs[]"));
    if (!valid_name(name)) return bad("org name '" + name + "' must be 1..32 characters of [a-z0-9_-]");
    if (!orgs.insert(name).second) return bad("org '" + name + "' listed twice");
    std::string display = o.contains("display_name") && o["display_name"].is_string()
                              ? o["display_name"].get<std::string>()
                              : name;
    g.orgs.emplace_back(name, display);
  }
  std::set<AddressBytes> accounts;
  for (const auto& a : array_member(root, "accounts")) {
    FORMICA_TRY(only_members(a, {"address", "org", "roles", "name"}, "accounts[]"));
    GenesisAccount acc;
    FORMICA_ASSIGN_OR_RETURN(acc.address, addr(a, "address", "accounts[]"));
    FORMICA_ASSIGN_OR_RETURN(acc.org, str(a, "org", "accounts[]"));
    if (orgs.count(acc.org) == 0) return bad("account of unknown org '" + acc.org + "'");
    if (!accounts.insert(acc.address).second) return bad("account listed twice");
    if (a.contains("roles")) {
      if (!a["roles"].is_array()) return bad("accounts[].roles must be an array");
      for (const auto& r : a["roles"]) {
        if (!r.is_string() || !valid_name(r.get<std::string>())) return bad("bad role in accounts[].roles");
        acc.roles.push_back(r.get<std::string>());
      }
    }
    g.accounts.push_back(std::move(acc));
  }
  for (const auto& a : array_member(root, "assets")) {
    FORMICA_TRY(only_members(a, {"code", "decimals", "issuer"}, "assets[]"));
    GenesisAsset asset;
    FORMICA_ASSIGN_OR_RETURN(asset.code, str(a, "code", "assets[]"));
    if (!a.contains("decimals") || !a["decimals"].is_number_unsigned() ||
        a["decimals"].get<std::uint64_t>() > 18)
      return bad("assets[].decimals must be an integer 0..18");
    asset.decimals = static_cast<std::uint8_t>(a["decimals"].get<std::uint64_t>());
    FORMICA_ASSIGN_OR_RETURN(asset.issuer, addr(a, "issuer", "assets[]"));
    g.assets.push_back(std::move(asset));
  }
  for (const auto& b : array_member(root, "balances")) {
    FORMICA_TRY(only_members(b, {"address", "asset", "amount"}, "balances[]"));
    GenesisBalance bal;
    FORMICA_ASSIGN_OR_RETURN(bal.address, addr(b, "address", "balances[]"));
    FORMICA_ASSIGN_OR_RETURN(bal.asset, str(b, "asset", "balances[]"));
    FORMICA_ASSIGN_OR_RETURN(std::string amount, str(b, "amount", "balances[]"));
    auto v = codec::u128_from_decimal(amount);
    if (!v) return bad("balances[].amount must be a decimal string");
    bal.amount = *v;
    g.balances.push_back(std::move(bal));
  }
  std::set<std::string> names;
  std::set<Bytes> keys;
  for (const auto& v : array_member(root, "validators")) {
    FORMICA_TRY(only_members(v, {"name", "org", "scheme", "public_key"}, "validators[]"));
    GenesisValidator val;
    FORMICA_ASSIGN_OR_RETURN(val.name, str(v, "name", "validators[]"));
    if (!valid_name(val.name)) return bad("validator name '" + val.name + "' must be 1..32 of [a-z0-9_-]");
    if (!names.insert(val.name).second) return bad("validator '" + val.name + "' listed twice");
    FORMICA_ASSIGN_OR_RETURN(val.org, str(v, "org", "validators[]"));
    if (orgs.count(val.org) == 0) return bad("validator of unknown org '" + val.org + "'");
    FORMICA_ASSIGN_OR_RETURN(std::string scheme, str(v, "scheme", "validators[]"));
    auto sc = crypto::parse_scheme(scheme);
    if (!sc.ok()) return bad("validators[].scheme: " + sc.error().message);
    if (g.rules.schemes.count(*sc) == 0)
      return bad("validator scheme '" + scheme + "' not allowed by schemes");
    val.scheme = *sc;
    FORMICA_ASSIGN_OR_RETURN(std::string key_hex, str(v, "public_key", "validators[]"));
    auto key_bytes = base::from_hex(key_hex);
    if (!key_bytes.ok()) return bad("validators[].public_key must be hex");
    auto key = crypto::PublicKey::from_bytes(val.scheme, *key_bytes);
    if (!key.ok()) return bad("validators[].public_key: " + key.error().message);
    if (!keys.insert(*key_bytes).second) return bad("two validators share a key");
    val.public_key = std::move(*key_bytes);
    val.address = crypto::Address::of(*key).to_bytes();
    g.validators.push_back(std::move(val));
  }
  if (root.contains("ca_roots")) {
    if (!root["ca_roots"].is_object()) return bad("ca_roots must be an object of org -> PEM");
    for (auto it = root["ca_roots"].begin(); it != root["ca_roots"].end(); ++it) {
      if (orgs.count(it.key()) == 0) return bad("ca_roots of unknown org '" + it.key() + "'");
      if (!it.value().is_string()) return bad("ca_roots values must be PEM strings");
      g.ca_roots[it.key()] = it.value().get<std::string>();
    }
  }
  for (const auto& v : g.validators)
    if (g.validators.size() > 1 && g.ca_roots.count(v.org) == 0)
      return bad("validator '" + v.name + "': no CA root for its org '" + v.org + "'");
  if (root.contains("consensus")) {
    FORMICA_TRY(only_members(root["consensus"], {"timeout_ms"}, "consensus"));
    const Json& c = root["consensus"];
    if (c.contains("timeout_ms")) {
      if (!c["timeout_ms"].is_number_unsigned() || c["timeout_ms"].get<std::uint64_t>() < 50 ||
          c["timeout_ms"].get<std::uint64_t>() > 600000)
        return bad("consensus.timeout_ms must be an integer 50..600000");
      g.consensus_timeout_ms = c["timeout_ms"].get<std::uint64_t>();
    }
  }
  g.raw_json = root.dump();
  return g;
}

}  // namespace formica::ledger
