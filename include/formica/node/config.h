#pragma once
// A node's configuration file (written by `formica net init`, read by `formica node`).
//
//   {
//     "name": "node0",
//     "org": "org0",
//     "data_dir": "data",                    // relative paths are relative to the config file
//     "genesis": "../genesis.json",
//     "key": "node.key",                     // the validator's encrypted key file
//     "key_password_file": "node.pass",
//     "rpc": {"address": "127.0.0.1", "port": 26610},
//     "static_dir": "",                       // the web console's files; "" serves none
//     "block": {"max_txs": 5000, "interval_ms": 20},
//     "state": {"keep_versions": 0},         // 0 keeps every version
//     "log": {"level": "info", "file": "node.log"},
//     "p2p": {"address": "127.0.0.1", "port": 26710,  // validator-to-validator TLS 1.3
//             "cert": "tls/node.crt", "key": "tls/node.key",
//             "peers": [{"name": "node1", "host": "127.0.0.1", "port": 26711}]}
//   }
//
// "p2p" is required when genesis names more than one validator; the node's "name" must then
// be one of genesis' validators and its key that validator's key.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "formica/base/status.h"

namespace formica::node {

struct NodeConfig {
  std::string name = "node0";
  std::string org;
  std::filesystem::path data_dir;
  std::filesystem::path genesis;
  std::filesystem::path key;
  std::filesystem::path key_password_file;
  std::string rpc_address = "127.0.0.1";
  std::uint16_t rpc_port = 26610;
  std::filesystem::path static_dir;
  std::size_t max_block_txs = 5000;
  std::uint32_t block_interval_ms = 20;  // how long a block waits to fill once a tx arrived
  std::uint64_t keep_versions = 0;
  std::string log_level = "info";
  std::filesystem::path log_file;
  // Validator-to-validator links.
  std::string p2p_address = "127.0.0.1";
  std::uint16_t p2p_port = 0;
  std::filesystem::path tls_cert;
  std::filesystem::path tls_key;
  struct Peer {
    std::string name;
    std::string host;
    std::uint16_t port = 0;
  };
  std::vector<Peer> peers;
};

// Reads and checks a config file; relative paths are resolved against its directory.
Result<NodeConfig> load_node_config(const std::filesystem::path& file);

}  // namespace formica::node
