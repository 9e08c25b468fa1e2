#pragma once
// `bank`: multi-asset money. An account with the issuer role creates an asset (code,
// decimals) and is its issuer: it mints to registered accounts and burns from its own
// balance. Accounts transfer; an account with the regulator role freezes and unfreezes
// accounts (a frozen account neither sends nor receives). Balances never go negative and
// every sum is checked in 128 bits, so supply == sum of balances always holds.
//
// State ("bank/…"): "s/<code>" AssetRecord; "b/<address><code>" balance; "f/<address>" freeze
// record; "codes" the set of asset codes.

#include <set>
#include <string>

#include "formica/codec/fields.h"
#include "formica/ledger/executor.h"
#include "formica/ledger/module.h"

namespace formica::apps {

using ledger::AddressBytes;
using ledger::Amount;

inline constexpr std::string_view kRoleIssuer = "issuer";
inline constexpr std::string_view kRoleRegulator = "regulator";

struct AssetRecord {
  std::string code;
  std::uint8_t decimals = 0;
  AddressBytes issuer{};
  Amount supply = 0;
  FORMICA_CODEC_FIELDS(code, decimals, issuer, supply)
};

struct FreezeRecord {
  AddressBytes regulator{};
  std::string reason;
  FORMICA_CODEC_FIELDS(regulator, reason)
};

// Payloads, one per kind.
struct CreateAsset {
  std::string code;
  std::uint8_t decimals = 0;
  FORMICA_CODEC_FIELDS(code, decimals)
};
struct Mint {
  std::string asset;
  AddressBytes to{};
  Amount amount = 0;
  FORMICA_CODEC_FIELDS(asset, to, amount)
};
struct Burn {
  std::string asset;
  Amount amount = 0;
  FORMICA_CODEC_FIELDS(asset, amount)
};
struct Transfer {
  AddressBytes to{};
  std::string asset;
  Amount amount = 0;
  FORMICA_CODEC_FIELDS(to, asset, amount)
};
struct Freeze {
  AddressBytes account{};
  std::string reason;
  FORMICA_CODEC_FIELDS(account, reason)
};
struct Unfreeze {
  AddressBytes account{};
  FORMICA_CODEC_FIELDS(account)
};

// Asset codes: 2..12 characters of [A-Z0-9].
bool valid_asset_code(std::string_view code);

class Bank final : public ledger::Module, public ledger::GenesisModule {
 public:
  static constexpr std::string_view kName = "bank";
  std::string_view name() const override { return kName; }
  Status execute(ledger::TxContext& ctx, std::string_view kind, ByteView payload) override;
  Result<codec::Json> query(const ledger::StateReader& state, std::string_view path,
                            const codec::Json& params) const override;
  Status init_genesis(ledger::Overlay& state, const ledger::Genesis& genesis) override;

  // Direct reads for other modules (remit, tests).
  static Result<Amount> balance(const ledger::StateReader& state, const AddressBytes& a,
                                std::string_view asset);
  static Result<std::optional<AssetRecord>> asset(const ledger::StateReader& state, std::string_view code);
  static Result<std::set<std::string>> asset_codes(const ledger::StateReader& state);
  static Result<bool> frozen(const ledger::StateReader& state, const AddressBytes& a);
  // Moves `amount` between accounts inside a module's transaction (remittance settlement).
  static Status move(ledger::Overlay& state, const AddressBytes& from, const AddressBytes& to,
                     std::string_view asset, Amount amount);
};

}  // namespace formica::apps
