// Transaction commands: pay transfer, account register|grant|revoke, asset issue|mint|burn.
#include <iostream>

#include "client_util.h"
#include "commands.h"
#include "formica/apps/bank.h"
#include "formica/codec/binary.h"
#include "formica/crypto/address.h"
#include "formica/ledger/accounts.h"

namespace formica::cli {
namespace {

using codec::Json;

struct Ctx {
  std::string what;
  Args args;
  std::unique_ptr<rpc::Client> client;
};

Result<Ctx> open_ctx(const std::string& what, const Words& w, std::vector<OptionSpec> extra) {
  extra.push_back({"key"});
  extra.push_back({"password-file"});
  extra.push_back({"wait", false});
  FORMICA_ASSIGN_OR_RETURN(Args args, Args::parse(w, client_options(std::move(extra))));
  FORMICA_ASSIGN_OR_RETURN(std::string url, resolve_rpc(args));
  return Ctx{what, std::move(args), std::make_unique<rpc::Client>(url)};
}

Result<std::string> required(const Args& a, const char* name) {
  auto v = a.get(name);
  if (!v) return make_error(ErrorCode::kInvalidArgument, std::string("--") + name + " is required");
  return *v;
}

Result<ledger::AddressBytes> address_opt(const Args& a, const char* name) {
  FORMICA_ASSIGN_OR_RETURN(std::string text, required(a, name));
  FORMICA_ASSIGN_OR_RETURN(auto addr, crypto::Address::parse(text));
  return addr.to_bytes();
}

// Amount in base units ("1500"), or with the asset's decimals when it has a point ("15.00").
Result<codec::U128> amount_opt(rpc::Client& client, const Args& a, const std::string& asset) {
  FORMICA_ASSIGN_OR_RETURN(std::string text, required(a, "amount"));
  if (text.find('.') == std::string::npos) {
    auto v = codec::u128_from_decimal(text);
    if (!v || *v == 0) return make_error(ErrorCode::kInvalidArgument, "--amount must be a positive integer");
    return *v;
  }
  FORMICA_ASSIGN_OR_RETURN(
      Json info,
      client.call("query", Json{{"module", "bank"}, {"path", "asset"}, {"params", {{"code", asset}}}}));
  return parse_amount(text, info["result"].value("decimals", 0u));
}

template <class P>
int send(Ctx& c, const std::string& module, const std::string& kind, const P& payload,
         const std::string& human) {
  auto key = load_key_arg(c.args);
  if (!key.ok()) return fail(c.what, key.error());
  auto bytes = codec::encode(payload);
  if (!bytes.ok()) return fail(c.what, bytes.error());
  const bool wait = c.args.has("wait");
  Result<Json> r = submit(*c.client, *key, module, kind, *bytes, wait);
  if (!r.ok()) return fail(c.what, r.error());
  const Json& res = *r;
  std::string line = human + ": " + res.value("tx_id", std::string());
  if (wait) line += " committed at height " + res["receipt"]["height"].dump();
  return print_result(c.args, res, line);
}

#define FORMICA_CLI_TRY(ctx_what, expr_result, var) \
  auto var = (expr_result);                         \
  if (!var.ok()) return fail(ctx_what, var.error())

}  // namespace

int cmd_pay(const Words& w) {
  if (w.empty() || w[0] != "transfer")
    return fail(kExitUsage, "pay",
                "expected: pay transfer --key FILE --to ADDRESS --asset CODE --amount N [--wait]");
  FORMICA_CLI_TRY("pay transfer",
                  open_ctx("pay transfer", Words(w.begin() + 1, w.end()), {{"to"}, {"asset"}, {"amount"}}),
                  c);
  FORMICA_CLI_TRY("pay transfer", address_opt(c->args, "to"), to);
  FORMICA_CLI_TRY("pay transfer", required(c->args, "asset"), asset);
  FORMICA_CLI_TRY("pay transfer", amount_opt(*c->client, c->args, *asset), amount);
  return send(*c, "bank", "transfer", apps::Transfer{*to, *asset, *amount}, "transfer");
}

int cmd_account(const Words& w) {
  if (w.empty()) return fail(kExitUsage, "account", "expected address|register|grant|revoke");
  const std::string verb = w[0];
  const std::string what = "account " + verb;
  if (verb == "address") {  // offline: the address of a key file
    auto args = Args::parse(Words(w.begin() + 1, w.end()), {{"key"}, {"password-file"}, {"json", false}});
    if (!args.ok()) return fail(kExitUsage, what, args.error().message);
    auto key = load_key_arg(*args);
    if (!key.ok()) return fail(what, key.error());
    auto a = crypto::Address::of(key->public_key()).to_string();
    return print_result(*args, Json{{"address", a}, {"scheme", crypto::scheme_name(key->scheme())}}, a);
  }
  FORMICA_CLI_TRY(what, open_ctx(what, Words(w.begin() + 1, w.end()), {{"address"}, {"role", true, true}}),
                  c);
  FORMICA_CLI_TRY(what, address_opt(c->args, "address"), addr);
  auto roles = c->args.get_all("role");
  if (verb == "register") {
    return send(*c, "accounts", "register", ledger::RegisterAccount{*addr, {roles.begin(), roles.end()}},
                "registered");
  }
  if (verb == "grant" || verb == "revoke") {
    if (roles.size() != 1) return fail(kExitUsage, what, "exactly one --role");
    return send(*c, "accounts", verb + "_role", ledger::RoleChange{*addr, roles[0]}, verb);
  }
  return fail(kExitUsage, "account", "unknown verb '" + verb + "' (register|grant|revoke)");
}

int cmd_asset(const Words& w) {
  if (w.empty()) return fail(kExitUsage, "asset", "expected issue|mint|burn");
  const std::string verb = w[0];
  const std::string what = "asset " + verb;
  FORMICA_CLI_TRY(
      what, open_ctx(what, Words(w.begin() + 1, w.end()), {{"code"}, {"decimals"}, {"to"}, {"amount"}}), c);
  FORMICA_CLI_TRY(what, required(c->args, "code"), code);
  if (verb == "issue") {
    auto d = parse_u64(c->args.get_or("decimals", "2"));
    if (!d.ok() || *d > 18) return fail(kExitUsage, what, "--decimals must be 0..18");
    return send(*c, "bank", "create_asset", apps::CreateAsset{*code, static_cast<std::uint8_t>(*d)},
                "asset created");
  }
  FORMICA_CLI_TRY(what, amount_opt(*c->client, c->args, *code), amount);
  if (verb == "mint") {
    FORMICA_CLI_TRY(what, address_opt(c->args, "to"), to);
    return send(*c, "bank", "mint", apps::Mint{*code, *to, *amount}, "minted");
  }
  if (verb == "burn") return send(*c, "bank", "burn", apps::Burn{*code, *amount}, "burned");
  return fail(kExitUsage, "asset", "unknown verb '" + verb + "' (issue|mint|burn)");
}

}  // namespace formica::cli
