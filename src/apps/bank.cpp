#include "formica/apps/bank.h"

#include "formica/ledger/accounts.h"

namespace formica::apps {
namespace {

using ledger::ModuleReader;
using ledger::ModuleStore;

using ledger::make_key;
Bytes asset_key(std::string_view code) { return make_key("s/", {}, code); }
Bytes balance_key(const AddressBytes& a, std::string_view code) { return make_key("b/", a, code); }
Bytes freeze_key(const AddressBytes& a) { return make_key("f/", a); }
const Bytes kCodesKey = make_key("codes");

struct Balance {
  Amount value = 0;
  FORMICA_CODEC_TRANSPARENT(value)
};
struct Codes {
  std::set<std::string> codes;
  FORMICA_CODEC_TRANSPARENT(codes)
};

Status set_balance(ledger::Overlay& state, const AddressBytes& a, std::string_view code, Amount v) {
  ModuleStore s(state, Bank::kName);
  if (v == 0) {
    s.erase(balance_key(a, code));
    return ok_status();
  }
  return s.put_value(balance_key(a, code), Balance{v});
}

Status require_registered(const ledger::StateReader& state, const AddressBytes& a, const char* who) {
  FORMICA_ASSIGN_OR_RETURN(auto rec, ledger::Accounts::get_account(state, a));
  if (!rec) return make_error(ErrorCode::kNotFound, std::string(who) + " is not a registered account");
  return ok_status();
}

Status require_not_frozen(const ledger::StateReader& state, const AddressBytes& a, const char* who) {
  FORMICA_ASSIGN_OR_RETURN(bool f, Bank::frozen(state, a));
  if (f) return make_error(ErrorCode::kFailedPrecondition, std::string(who) + " account is frozen");
  return ok_status();
}

Result<AssetRecord> existing_asset(const ledger::StateReader& state, std::string_view code) {
  FORMICA_ASSIGN_OR_RETURN(auto a, Bank::asset(state, code));
  if (!a) return make_error(ErrorCode::kNotFound, "no asset '" + std::string(code) + "'");
  return *a;
}

Status add_checked(Amount& x, Amount y, const char* what) {
  if (x > codec::kU128Max - y)
    return make_error(ErrorCode::kFailedPrecondition, std::string(what) + " would overflow");
  x += y;
  return ok_status();
}

std::string dec(Amount v) { return codec::u128_to_decimal(v); }

Result<AddressBytes> param_address(const codec::Json& params, const char* key) {
  if (!params.is_object() || !params.contains(key) || !params[key].is_string())
    return make_error(ErrorCode::kInvalidArgument, std::string("query needs \"") + key + "\"");
  FORMICA_ASSIGN_OR_RETURN(auto a, crypto::Address::parse(params[key].get<std::string>()));
  return a.to_bytes();
}

}  // namespace

bool valid_asset_code(std::string_view code) {
  if (code.size() < 2 || code.size() > 12) return false;
  for (char c : code)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

Result<Amount> Bank::balance(const ledger::StateReader& state, const AddressBytes& a,
                             std::string_view asset_code) {
  FORMICA_ASSIGN_OR_RETURN(auto b, ModuleReader(state, kName).get_value<Balance>(balance_key(a, asset_code)));
  return b ? b->value : Amount{0};
}

Result<std::optional<AssetRecord>> Bank::asset(const ledger::StateReader& state, std::string_view code) {
  return ModuleReader(state, kName).get_value<AssetRecord>(asset_key(code));
}

Result<std::set<std::string>> Bank::asset_codes(const ledger::StateReader& state) {
  FORMICA_ASSIGN_OR_RETURN(auto c, ModuleReader(state, kName).get_value<Codes>(kCodesKey));
  return c ? c->codes : std::set<std::string>{};
}

Result<bool> Bank::frozen(const ledger::StateReader& state, const AddressBytes& a) {
  FORMICA_ASSIGN_OR_RETURN(auto raw, ModuleReader(state, kName).get(freeze_key(a)));
  return raw.has_value();
}

Status Bank::move(ledger::Overlay& state, const AddressBytes& from, const AddressBytes& to,
                  std::string_view code, Amount amount) {
  if (amount == 0) return make_error(ErrorCode::kInvalidArgument, "amount must be positive");
  FORMICA_TRY(existing_asset(state, code));
  FORMICA_TRY(require_registered(state, to, "recipient"));
  FORMICA_TRY(require_not_frozen(state, from, "sender"));
  FORMICA_TRY(require_not_frozen(state, to, "recipient"));
  FORMICA_ASSIGN_OR_RETURN(Amount have, balance(state, from, code));
  if (have < amount)
    return make_error(ErrorCode::kFailedPrecondition,
                      "insufficient balance: " + dec(have) + " < " + dec(amount) + " " + std::string(code));
  if (from == to) return ok_status();
  FORMICA_ASSIGN_OR_RETURN(Amount theirs, balance(state, to, code));
  FORMICA_TRY(add_checked(theirs, amount, "recipient balance"));
  FORMICA_TRY(set_balance(state, from, code, have - amount));
  return set_balance(state, to, code, theirs);
}

Status Bank::execute(ledger::TxContext& ctx, std::string_view kind, ByteView payload) {
  ModuleStore store(ctx.state, kName);
  const std::string mod(kName);
  if (kind == "transfer") {
    FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<Transfer>(kind, payload));
    FORMICA_TRY(move(ctx.state, ctx.sender, p.to, p.asset, p.amount));
    ctx.emit(mod, "transfer",
             {{"from", ledger::address_text(ctx.sender)},
              {"to", ledger::address_text(p.to)},
              {"asset", p.asset},
              {"amount", dec(p.amount)}});
    return ok_status();
  }
  if (kind == "create_asset") {
    FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<CreateAsset>(kind, payload));
    FORMICA_ASSIGN_OR_RETURN(bool issuer, ledger::Accounts::has_role(ctx.state, ctx.sender, kRoleIssuer));
    if (!issuer) return make_error(ErrorCode::kPermissionDenied, "creating an asset needs the issuer role");
    if (!valid_asset_code(p.code))
      return make_error(ErrorCode::kInvalidArgument, "asset code must be 2..12 of [A-Z0-9]");
    if (p.decimals > 18) return make_error(ErrorCode::kInvalidArgument, "decimals must be 0..18");
    FORMICA_ASSIGN_OR_RETURN(auto existing, asset(ctx.state, p.code));
    if (existing) return make_error(ErrorCode::kAlreadyExists, "asset '" + p.code + "' exists");
    FORMICA_TRY(store.put_value(asset_key(p.code), AssetRecord{p.code, p.decimals, ctx.sender, 0}));
    FORMICA_ASSIGN_OR_RETURN(auto codes, asset_codes(ctx.state));
    codes.insert(p.code);
    FORMICA_TRY(store.put_value(kCodesKey, Codes{codes}));
    ctx.emit(mod, "asset_created",
             {{"asset", p.code},
              {"decimals", std::to_string(p.decimals)},
              {"issuer", ledger::address_text(ctx.sender)}});
    return ok_status();
  }
  if (kind == "mint") {
    FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<Mint>(kind, payload));
    FORMICA_ASSIGN_OR_RETURN(AssetRecord a, existing_asset(ctx.state, p.asset));
    if (a.issuer != ctx.sender)
      return make_error(ErrorCode::kPermissionDenied, "only the asset's issuer may mint");
    if (p.amount == 0) return make_error(ErrorCode::kInvalidArgument, "amount must be positive");
    FORMICA_TRY(require_registered(ctx.state, p.to, "recipient"));
    FORMICA_TRY(require_not_frozen(ctx.state, p.to, "recipient"));
    FORMICA_TRY(add_checked(a.supply, p.amount, "supply"));
    FORMICA_ASSIGN_OR_RETURN(Amount bal, balance(ctx.state, p.to, p.asset));
    FORMICA_TRY(add_checked(bal, p.amount, "balance"));
    FORMICA_TRY(store.put_value(asset_key(p.asset), a));
    FORMICA_TRY(set_balance(ctx.state, p.to, p.asset, bal));
    ctx.emit(mod, "mint",
             {{"asset", p.asset}, {"to", ledger::address_text(p.to)}, {"amount", dec(p.amount)}});
    return ok_status();
  }
  if (kind == "burn") {
    FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<Burn>(kind, payload));
    FORMICA_ASSIGN_OR_RETURN(AssetRecord a, existing_asset(ctx.state, p.asset));
    if (a.issuer != ctx.sender)
      return make_error(ErrorCode::kPermissionDenied, "only the asset's issuer may burn");
    if (p.amount == 0) return make_error(ErrorCode::kInvalidArgument, "amount must be positive");
    FORMICA_ASSIGN_OR_RETURN(Amount bal, balance(ctx.state, ctx.sender, p.asset));
    if (bal < p.amount)
      return make_error(ErrorCode::kFailedPrecondition, "cannot burn more than the issuer holds");
    a.supply -= p.amount;  // supply >= issuer balance >= amount
    FORMICA_TRY(store.put_value(asset_key(p.asset), a));
    FORMICA_TRY(set_balance(ctx.state, ctx.sender, p.asset, bal - p.amount));
    ctx.emit(mod, "burn", {{"asset", p.asset}, {"amount", dec(p.amount)}});
    return ok_status();
  }
  if (kind == "freeze" || kind == "unfreeze") {
    FORMICA_ASSIGN_OR_RETURN(bool regulator,
                             ledger::Accounts::has_role(ctx.state, ctx.sender, kRoleRegulator));
    if (!regulator)
      return make_error(ErrorCode::kPermissionDenied, std::string(kind) + " needs the regulator role");
    AddressBytes target{};
    if (kind == "freeze") {
      FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<Freeze>(kind, payload));
      FORMICA_TRY(require_registered(ctx.state, p.account, "account"));
      FORMICA_TRY(store.put_value(freeze_key(p.account), FreezeRecord{ctx.sender, p.reason}));
      target = p.account;
    } else {
      FORMICA_ASSIGN_OR_RETURN(auto p, ledger::decode_payload<Unfreeze>(kind, payload));
      FORMICA_ASSIGN_OR_RETURN(bool f, frozen(ctx.state, p.account));
      if (!f) return make_error(ErrorCode::kFailedPrecondition, "account is not frozen");
      store.erase(freeze_key(p.account));
      target = p.account;
    }
    ctx.emit(mod, std::string(kind), {{"account", ledger::address_text(target)}});
    return ok_status();
  }
  return make_error(ErrorCode::kUnsupported, "bank has no transaction kind '" + std::string(kind) + "'");
}

Result<codec::Json> Bank::query(const ledger::StateReader& state, std::string_view path,
                                const codec::Json& params) const {
  if (path == "balance") {
    FORMICA_ASSIGN_OR_RETURN(AddressBytes a, param_address(params, "address"));
    codec::Json out = {{"address", ledger::address_text(a)}, {"balances", codec::Json::object()}};
    std::set<std::string> codes;
    if (params.contains("asset") && params["asset"].is_string()) {
      codes.insert(params["asset"].get<std::string>());
    } else {
      FORMICA_ASSIGN_OR_RETURN(codes, asset_codes(state));
    }
    for (const auto& c : codes) {
      FORMICA_ASSIGN_OR_RETURN(Amount v, balance(state, a, c));
      out["balances"][c] = dec(v);
    }
    FORMICA_ASSIGN_OR_RETURN(bool f, frozen(state, a));
    out["frozen"] = f;
    return out;
  }
  if (path == "asset") {
    if (!params.is_object() || !params.contains("code") || !params["code"].is_string())
      return make_error(ErrorCode::kInvalidArgument, "asset query needs \"code\"");
    FORMICA_ASSIGN_OR_RETURN(AssetRecord a, existing_asset(state, params["code"].get<std::string>()));
    return codec::Json{{"code", a.code},
                       {"decimals", a.decimals},
                       {"issuer", ledger::address_text(a.issuer)},
                       {"supply", dec(a.supply)}};
  }
  if (path == "assets") {
    FORMICA_ASSIGN_OR_RETURN(auto codes, asset_codes(state));
    codec::Json out = codec::Json::array();
    for (const auto& c : codes) out.push_back(c);
    return out;
  }
  return make_error(ErrorCode::kNotFound, "bank has no query '" + std::string(path) + "'");
}

Status Bank::init_genesis(ledger::Overlay& state, const ledger::Genesis& genesis) {
  ModuleStore store(state, kName);
  std::set<std::string> codes;
  for (const auto& g : genesis.assets) {
    if (!valid_asset_code(g.code))
      return make_error(ErrorCode::kMalformed, "genesis: bad asset code '" + g.code + "'");
    if (!codes.insert(g.code).second)
      return make_error(ErrorCode::kMalformed, "genesis: asset '" + g.code + "' twice");
    FORMICA_TRY(store.put_value(asset_key(g.code), AssetRecord{g.code, g.decimals, g.issuer, 0}));
  }
  FORMICA_TRY(store.put_value(kCodesKey, Codes{codes}));
  for (const auto& b : genesis.balances) {
    FORMICA_ASSIGN_OR_RETURN(AssetRecord a, existing_asset(state, b.asset));
    FORMICA_TRY(require_registered(state, b.address, "genesis balance holder"));
    FORMICA_TRY(add_checked(a.supply, b.amount, "genesis supply"));
    FORMICA_ASSIGN_OR_RETURN(Amount bal, balance(state, b.address, b.asset));
    FORMICA_TRY(add_checked(bal, b.amount, "genesis balance"));
    FORMICA_TRY(store.put_value(asset_key(b.asset), a));
    FORMICA_TRY(set_balance(state, b.address, b.asset, bal));
  }
  return ok_status();
}

}  // namespace formica::apps
