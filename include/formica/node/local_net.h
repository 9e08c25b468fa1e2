#pragma once
// A local consortium on one machine (`formica net init`): a directory with genesis.json, one
// folder per organisation (its admin and treasury keys) and one per node (config, validator
// key, data directory).
//
//   DIR/genesis.json
//   DIR/net.json                      the layout below, for `net up|down|status` and clients
//   DIR/orgs/<org>/admin.key(+.pass)  the organisation's admin (roles admin, issuer, regulator)
//   DIR/orgs/<org>/treasury.key(+.pass)  a funded account (1,000,000.00 FMC)
//   DIR/nodes/<node>/config.json, node.key(+.pass), data/
//
// Ports: node i serves JSON-RPC on base_port + i and listens for peers on base_port + 100 + i.
// Key passwords are random, in KEY.pass files readable only by the owner (development use).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "formica/base/status.h"
#include "formica/crypto/keyfile.h"
#include "formica/crypto/signature.h"

namespace formica::node {

struct LocalNetOptions {
  std::filesystem::path dir;
  int orgs = 1;
  int validators = 1;
  std::uint16_t base_port = 26600;
  crypto::Scheme scheme = crypto::Scheme::kEd25519;
  std::string chain_id = "formica-local";
  crypto::KdfParams kdf = crypto::KdfParams::standard();
  std::filesystem::path static_dir;  // the web console every node serves ("" serves none)
};

struct LocalNode {
  std::string name;  // node0, …
  std::string org;
  std::uint16_t rpc_port = 0;
  std::uint16_t p2p_port = 0;
  std::filesystem::path config;
};

struct LocalNet {
  std::filesystem::path dir;
  std::string chain_id;
  std::vector<std::string> orgs;
  std::vector<LocalNode> nodes;
};

// Creates the directory (which must not exist or be empty). kAlreadyExists otherwise.
Result<LocalNet> init_local_net(const LocalNetOptions& options);
// Reads DIR/net.json.
Result<LocalNet> load_local_net(const std::filesystem::path& dir);

// Key files with a KEY.pass companion (what init writes).
Result<crypto::PrivateKey> load_key(const std::filesystem::path& key_file,
                                    const std::filesystem::path& password_file = {});

}  // namespace formica::node
