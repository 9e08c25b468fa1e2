// formica net init|up|down|kill|status: a local consortium on this machine (docs/CLI.md).
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "args.h"
#include "commands.h"
#include "formica/codec/json.h"
#include "formica/node/local_net.h"
#include "formica/rpc/client.h"

namespace formica::cli {
namespace {

namespace fs = std::filesystem;
using codec::Json;

fs::path pid_file(const node::LocalNode& n) { return n.config.parent_path() / "node.pid"; }

// The pid of a running node, or 0.
pid_t running_pid(const node::LocalNode& n) {
  std::ifstream in(pid_file(n));
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return 0;
  if (::kill(static_cast<pid_t>(pid), 0) != 0) return 0;
  // Make sure the pid was not reused by another program.
  std::ifstream cmd("/proc/" + std::to_string(pid) + "/cmdline");
  std::string line;
  std::getline(cmd, line, '\0');
  if (line.find("formica") == std::string::npos) return 0;
  return static_cast<pid_t>(pid);
}

std::string self_exe() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("formica") : p.string();
}

bool answers(const node::LocalNode& n, int timeout_ms) {
  rpc::Client c("http://127.0.0.1:" + std::to_string(n.rpc_port));
  return c.call("status", Json::object(), timeout_ms).ok();
}

std::vector<node::LocalNode> select(const node::LocalNet& net, const std::vector<std::string>& names,
                                    std::string& bad) {
  if (names.empty()) return net.nodes;
  std::vector<node::LocalNode> out;
  for (const auto& name : names) {
    bool found = false;
    for (const auto& n : net.nodes)
      if (n.name == name) {
        out.push_back(n);
        found = true;
      }
    if (!found) bad = name;
  }
  return out;
}

int net_init(const std::vector<std::string>& w) {
  auto args = Args::parse(w, {{"dir"},
                              {"orgs"},
                              {"validators"},
                              {"base-port"},
                              {"scheme"},
                              {"chain-id"},
                              {"static-dir"},
                              {"json", false}});
  if (!args.ok()) return fail(kExitUsage, "net init", args.error().message);
  node::LocalNetOptions o;
  auto dir = args->get("dir");
  if (!dir) return fail(kExitUsage, "net init", "--dir DIR is required");
  o.dir = *dir;
  auto num = [&](const char* name, auto& out, std::uint64_t lo, std::uint64_t hi) -> bool {
    auto v = args->get(name);
    if (!v) return true;
    auto n = parse_u64(*v);
    if (!n.ok() || *n < lo || *n > hi) return false;
    out = static_cast<std::remove_reference_t<decltype(out)>>(*n);
    return true;
  };
  if (!num("orgs", o.orgs, 1, 16)) return fail(kExitUsage, "net init", "--orgs must be 1..16");
  if (!num("validators", o.validators, 1, 16))
    return fail(kExitUsage, "net init", "--validators must be 1..16");
  if (!num("base-port", o.base_port, 1024, 65000))
    return fail(kExitUsage, "net init", "--base-port must be 1024..65000");
  if (auto sd = args->get("static-dir")) o.static_dir = *sd;
  if (auto s = args->get("scheme")) {
    auto sc = crypto::parse_scheme(*s);
    if (!sc.ok()) return fail(kExitUsage, "net init", sc.error().message);
    o.scheme = *sc;
  }
  if (auto c = args->get("chain-id")) o.chain_id = *c;
  auto net = node::init_local_net(o);
  if (!net.ok()) return fail("net init", net.error());
  if (args->has("json")) {
    Json nodes = Json::array();
    for (const auto& n : net->nodes)
      nodes.push_back(
          {{"name", n.name}, {"org", n.org}, {"rpc", "http://127.0.0.1:" + std::to_string(n.rpc_port)}});
    std::cout << Json{{"dir", net->dir.string()}, {"chain_id", net->chain_id}, {"nodes", nodes}}.dump()
              << "\n";
  } else {
    std::cout << "initialised " << net->chain_id << " in " << net->dir.string() << ": " << net->orgs.size()
              << " organisation(s), " << net->nodes.size() << " validator(s)\n"
              << "start it with: formica net up --dir " << *dir << "\n";
  }
  return kExitOk;
}

int net_up(const std::vector<std::string>& w) {
  auto args = Args::parse(w, {{"dir"}});
  if (!args.ok()) return fail(kExitUsage, "net up", args.error().message);
  auto dir = args->get("dir");
  if (!dir) return fail(kExitUsage, "net up", "--dir DIR is required");
  auto net = node::load_local_net(*dir);
  if (!net.ok()) return fail("net up", net.error());
  std::string bad;
  auto nodes = select(*net, args->positional(), bad);
  if (!bad.empty()) return fail(kExitUsage, "net up", "no node named " + bad);
  std::string exe = self_exe();
  std::vector<node::LocalNode> started;
  for (const auto& n : nodes) {
    if (running_pid(n) != 0) continue;
    pid_t pid = ::fork();
    if (pid < 0) return fail(kExitUsage, "net up", "fork failed");
    if (pid == 0) {
      ::setsid();
      // Detach from the terminal: the node logs to its own file (config log.file).
      int devnull = ::open("/dev/null", O_RDWR);
      std::string out = (n.config.parent_path() / "node.out").string();
      int logfd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (devnull >= 0) ::dup2(devnull, 0);
      if (logfd >= 0) {
        ::dup2(logfd, 1);
        ::dup2(logfd, 2);
      }
      std::string cfg = n.config.string();
      // The double fork leaves the node owned by init, not by this short-lived command.
      if (::fork() != 0) ::_exit(0);
      ::execl(exe.c_str(), exe.c_str(), "node", "--config", cfg.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    started.push_back(n);
  }
  // Wait for each node to answer; record its pid from /proc (the grandchild).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (const auto& n : started) {
    while (!answers(n, 500)) {
      if (std::chrono::steady_clock::now() > deadline)
        return fail(kExitUnreachable, "net up",
                    n.name + " did not answer within 60 s (see " +
                        (n.config.parent_path() / "node.out").string() + ")");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::cout << n.name << " up: http://127.0.0.1:" << n.rpc_port << "\n";
  }
  return kExitOk;
}

int net_stop(const std::vector<std::string>& w, bool kill_hard) {
  const char* what = kill_hard ? "net kill" : "net down";
  auto args = Args::parse(w, {{"dir"}});
  if (!args.ok()) return fail(kExitUsage, what, args.error().message);
  auto dir = args->get("dir");
  if (!dir) return fail(kExitUsage, what, "--dir DIR is required");
  if (kill_hard && args->positional().size() != 1) return fail(kExitUsage, what, "name exactly one NODE");
  auto net = node::load_local_net(*dir);
  if (!net.ok()) return fail(what, net.error());
  std::string bad;
  auto nodes = select(*net, args->positional(), bad);
  if (!bad.empty()) return fail(kExitUsage, what, "no node named " + bad);
  for (const auto& n : nodes) {
    pid_t pid = running_pid(n);
    if (pid == 0) continue;
    ::kill(pid, kill_hard ? SIGKILL : SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kill_hard ? 5 : 20);
    while (::kill(pid, 0) == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (::kill(pid, 0) == 0) ::kill(pid, SIGKILL);
    std::error_code ec;
    fs::remove(pid_file(n), ec);
    std::cout << n.name << (kill_hard ? " killed" : " stopped") << "\n";
  }
  return kExitOk;
}

int net_status(const std::vector<std::string>& w) {
  auto args = Args::parse(w, {{"dir"}, {"json", false}});
  if (!args.ok()) return fail(kExitUsage, "net status", args.error().message);
  auto dir = args->get("dir");
  if (!dir) return fail(kExitUsage, "net status", "--dir DIR is required");
  auto net = node::load_local_net(*dir);
  if (!net.ok()) return fail("net status", net.error());
  Json nodes = Json::array();
  for (const auto& n : net->nodes) {
    pid_t pid = running_pid(n);
    std::string url = "http://127.0.0.1:" + std::to_string(n.rpc_port);
    Json e = {{"name", n.name},    {"org", n.org},    {"running", false}, {"pid", nullptr},  {"rpc", url},
              {"height", nullptr}, {"hash", nullptr}, {"round", nullptr}, {"peers", nullptr}};
    if (pid != 0) {
      e["pid"] = pid;
      rpc::Client c(url);
      auto s = c.call("status", Json::object(), 2000);
      e["running"] = true;
      if (s.ok()) {
        e["height"] = (*s)["height"];
        e["hash"] = (*s)["hash"];
        e["round"] = (*s)["round"];
        e["peers"] = (*s)["peers"];
      }
    }
    nodes.push_back(e);
  }
  if (args->has("json")) {
    std::cout << Json{{"nodes", nodes}}.dump() << "\n";
    return kExitOk;
  }
  for (const auto& e : nodes) {
    std::cout << e["name"].get<std::string>() << "  " << (e["running"].get<bool>() ? "running" : "stopped");
    if (!e["height"].is_null())
      std::cout << "  height " << e["height"] << "  " << e["rpc"].get<std::string>();
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace

int cmd_net(const Words& w) {
  if (w.empty()) return fail(kExitUsage, "net", "expected init|up|down|kill|status");
  std::vector<std::string> rest(w.begin() + 1, w.end());
  if (w[0] == "init") return net_init(rest);
  if (w[0] == "up") return net_up(rest);
  if (w[0] == "down") return net_stop(rest, false);
  if (w[0] == "kill") return net_stop(rest, true);
  if (w[0] == "status") return net_status(rest);
  return fail(kExitUsage, "net", "unknown verb '" + w[0] + "' (init|up|down|kill|status)");
}

}  // namespace formica::cli
