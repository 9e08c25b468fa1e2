#include "formica/ledger/accounts.h"

#include "formica/base/encoding.h"

namespace formica::ledger {
namespace {

Bytes account_key(const AddressBytes& a) { return make_key("a/", a); }
Bytes org_key(std::string_view org) { return make_key("o/", {}, org); }

// The sender must be an admin; returns its organisation.
Result<std::string> admin_org(const StateReader& state, const AddressBytes& sender) {
  FORMICA_ASSIGN_OR_RETURN(auto rec, Accounts::get_account(state, sender));
  if (!rec || rec->roles.count(std::string(kRoleAdmin)) == 0)
    return make_error(ErrorCode::kPermissionDenied, "only an organisation admin may do this");
  return rec->org;
}

}  // namespace

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

Result<std::optional<AccountRecord>> Accounts::get_account(const StateReader& state, const AddressBytes& a) {
  return ModuleReader(state, kName).get_value<AccountRecord>(account_key(a));
}

Status Accounts::put_account(Overlay& state, const AddressBytes& a, const AccountRecord& rec) {
  return ModuleStore(state, kName).put_value(account_key(a), rec);
}

Status Accounts::put_org(Overlay& state, const OrgRecord& org) {
  return ModuleStore(state, kName).put_value(org_key(org.name), org);
}

Result<bool> Accounts::org_exists(const StateReader& state, std::string_view org) {
  FORMICA_ASSIGN_OR_RETURN(auto raw, ModuleReader(state, kName).get(org_key(org)));
  return raw.has_value();
}

Result<bool> Accounts::has_role(const StateReader& state, const AddressBytes& a, std::string_view role) {
  FORMICA_ASSIGN_OR_RETURN(auto rec, get_account(state, a));
  return rec.has_value() && rec->roles.count(std::string(role)) > 0;
}

Status Accounts::execute(TxContext& ctx, std::string_view kind, ByteView payload) {
  if (kind == "register") {
    FORMICA_ASSIGN_OR_RETURN(auto p, decode_payload<RegisterAccount>(kind, payload));
    FORMICA_ASSIGN_OR_RETURN(std::string org, admin_org(ctx.state, ctx.sender));
    if (!crypto::Address::from_bytes(p.address).ok())
      return make_error(ErrorCode::kInvalidArgument, "not a valid address");
    for (const auto& r : p.roles)
      if (!valid_name(r)) return make_error(ErrorCode::kInvalidArgument, "bad role name '" + r + "'");
    FORMICA_ASSIGN_OR_RETURN(auto existing, get_account(ctx.state, p.address));
    if (existing) return make_error(ErrorCode::kAlreadyExists, "account already registered");
    AccountRecord rec{org, p.roles, 0};
    FORMICA_TRY(put_account(ctx.state, p.address, rec));
    ctx.emit(std::string(kName), "registered", {{"address", address_text(p.address)}, {"org", org}});
    return ok_status();
  }
  if (kind == "grant_role" || kind == "revoke_role") {
    FORMICA_ASSIGN_OR_RETURN(auto p, decode_payload<RoleChange>(kind, payload));
    FORMICA_ASSIGN_OR_RETURN(std::string org, admin_org(ctx.state, ctx.sender));
    if (!valid_name(p.role)) return make_error(ErrorCode::kInvalidArgument, "bad role name '" + p.role + "'");
    FORMICA_ASSIGN_OR_RETURN(auto rec, get_account(ctx.state, p.address));
    if (!rec) return make_error(ErrorCode::kNotFound, "account is not registered");
    if (rec->org != org)
      return make_error(ErrorCode::kPermissionDenied, "account belongs to another organisation");
    if (kind == "grant_role") {
      rec->roles.insert(p.role);
    } else {
      if (p.address == ctx.sender && p.role == kRoleAdmin)
        return make_error(ErrorCode::kFailedPrecondition, "an admin cannot revoke its own admin role");
      rec->roles.erase(p.role);
    }
    FORMICA_TRY(put_account(ctx.state, p.address, *rec));
    ctx.emit(std::string(kName), std::string(kind), {{"address", address_text(p.address)}, {"role", p.role}});
    return ok_status();
  }
  return make_error(ErrorCode::kUnsupported, "accounts has no transaction kind '" + std::string(kind) + "'");
}

Result<codec::Json> Accounts::query(const StateReader& state, std::string_view path,
                                    const codec::Json& params) const {
  if (path == "account") {
    if (!params.is_object() || !params.contains("address") || !params["address"].is_string())
      return make_error(ErrorCode::kInvalidArgument, "account query needs {\"address\": \"fm1…\"}");
    FORMICA_ASSIGN_OR_RETURN(auto addr, crypto::Address::parse(params["address"].get<std::string>()));
    FORMICA_ASSIGN_OR_RETURN(auto rec, get_account(state, addr.to_bytes()));
    if (!rec) return make_error(ErrorCode::kNotFound, "account is not registered");
    codec::Json out = {
        {"address", addr.to_string()}, {"org", rec->org}, {"nonce", std::to_string(rec->nonce)}};
    out["roles"] = codec::Json::array();
    for (const auto& r : rec->roles) out["roles"].push_back(r);
    return out;
  }
  return make_error(ErrorCode::kNotFound, "accounts has no query '" + std::string(path) + "'");
}

}  // namespace formica::ledger
