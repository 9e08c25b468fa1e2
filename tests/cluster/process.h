#pragma once
// Helpers for multi-process tests: a temporary local network, free loopback ports, and
// `formica node` child processes that can be SIGKILLed and restarted.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "formica/codec/json.h"
#include "formica/node/local_net.h"

namespace formica::testing {

// A port on 127.0.0.1 that was free a moment ago.
std::uint16_t free_port();

// Runs `formica ARGS...` and returns its exit code, with stdout in *out (if given).
int run_cli(const std::vector<std::string>& args, std::string* out = nullptr, std::string* err = nullptr);

class NodeProcess {
 public:
  explicit NodeProcess(std::filesystem::path config) : config_(std::move(config)) {}
  ~NodeProcess() { kill_hard(); }
  bool start();      // spawns and waits (up to 30 s) until it answers RPC
  void kill_hard();  // SIGKILL and reap
  bool stop();       // SIGTERM and reap; true when it exited 0
  pid_t pid() const { return pid_; }

 private:
  std::filesystem::path config_;
  pid_t pid_ = -1;
};

// A fresh network in a temporary directory, every node's RPC and p2p on free ports.
struct TempNet {
  std::filesystem::path dir;
  node::LocalNet net;
  std::string rpc_url;  // node0's
  explicit TempNet(const std::string& name, int validators = 1, int orgs = 1);
  std::string rpc_of(std::size_t i) const;
  ~TempNet();
};

}  // namespace formica::testing
