#pragma once
// Permissioned accounts and roles (the built-in "accounts" module).
//
// Genesis names organisations and their admins. An org admin registers accounts into its own
// organisation and grants or revokes roles on them (issuer, regulator, operator, sensor, …).
// Only registered accounts may send transactions; anything else is refused with a reason.
//
// State: "accounts/a/<address>" -> AccountRecord; "accounts/o/<org>" -> OrgRecord.

#include <optional>
#include <set>
#include <string>

#include "formica/codec/fields.h"
#include "formica/ledger/module.h"

namespace formica::ledger {

inline constexpr std::string_view kRoleAdmin = "admin";

struct AccountRecord {
  std::string org;
  std::set<std::string> roles;
  std::uint64_t nonce = 0;  // the nonce the next transaction must carry
  FORMICA_CODEC_FIELDS(org, roles, nonce)
};

struct OrgRecord {
  std::string name;
  std::string display_name;
  FORMICA_CODEC_FIELDS(name, display_name)
};

// Payloads
struct RegisterAccount {
  AddressBytes address{};
  std::set<std::string> roles;
  FORMICA_CODEC_FIELDS(address, roles)
};
struct RoleChange {
  AddressBytes address{};
  std::string role;
  FORMICA_CODEC_FIELDS(address, role)
};

// Names are 1..32 characters of [a-z0-9_-]; roles and org names alike.
bool valid_name(std::string_view name);

class Accounts final : public Module {
 public:
  static constexpr std::string_view kName = "accounts";
  std::string_view name() const override { return kName; }
  Status execute(TxContext& ctx, std::string_view kind, ByteView payload) override;
  Result<codec::Json> query(const StateReader& state, std::string_view path,
                            const codec::Json& params) const override;

  static Result<std::optional<AccountRecord>> get_account(const StateReader& state, const AddressBytes& a);
  static Status put_account(Overlay& state, const AddressBytes& a, const AccountRecord& rec);
  static Status put_org(Overlay& state, const OrgRecord& org);
  static Result<bool> org_exists(const StateReader& state, std::string_view org);
  // Whether `a` is registered and holds `role`.
  static Result<bool> has_role(const StateReader& state, const AddressBytes& a, std::string_view role);
};

}  // namespace formica::ledger
