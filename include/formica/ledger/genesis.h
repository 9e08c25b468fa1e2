#pragma once
// Genesis: the chain's identity and starting state, read from genesis.json.
//
//   {
//     "chain_id": "formica-dev",
//     "hash_alg": "sha256",                      // or "sm3" for a national-crypto network
//     "schemes": ["ed25519", "sm2", "secp256k1"],
//     "orgs": [{"name": "org0", "display_name": "Org 0"}],
//     "accounts": [{"address": "fm1…", "org": "org0", "roles": ["admin", "issuer"]}],
//     "assets": [{"code": "HKD", "decimals": 2, "issuer": "fm1…"}],
//     "balances": [{"address": "fm1…", "asset": "HKD", "amount": "100000"}]
//   }
//
//     "validators": [{"name": "node0", "org": "org0", "scheme": "ed25519",
//                     "public_key": "<hex>"}],          // ordered: leader(r) = validators[r % n]
//     "ca_roots": {"org0": "-----BEGIN CERTIFICATE-----…"}  // each org's TLS CA (PEM)
//
// Unknown members are refused so a typo cannot silently change a network.

#include <map>
#include <string>
#include <vector>

#include "formica/base/status.h"
#include "formica/codec/u128.h"
#include "formica/ledger/state.h"
#include "formica/ledger/transaction.h"

namespace formica::ledger {

struct GenesisAccount {
  AddressBytes address{};
  std::string org;
  std::vector<std::string> roles;
};
struct GenesisAsset {
  std::string code;
  std::uint8_t decimals = 0;
  AddressBytes issuer{};
};
struct GenesisBalance {
  AddressBytes address{};
  std::string asset;
  Amount amount = 0;
};

struct GenesisValidator {
  std::string name;
  std::string org;
  crypto::Scheme scheme = crypto::Scheme::kEd25519;
  Bytes public_key;
  AddressBytes address{};  // derived from the key
};

struct Genesis {
  ChainRules rules;
  std::vector<std::pair<std::string, std::string>> orgs;  // name, display name
  std::vector<GenesisAccount> accounts;
  std::vector<GenesisAsset> assets;
  std::vector<GenesisBalance> balances;
  std::vector<GenesisValidator> validators;     // empty: a development chain of one
  std::map<std::string, std::string> ca_roots;  // org -> CA certificate PEM
  std::uint64_t consensus_timeout_ms = 0;       // base round timeout (0: the default)
  std::string raw_json;                         // canonical text, hashed into the genesis hash
};

Result<Genesis> parse_genesis(std::string_view json_text);

}  // namespace formica::ledger
