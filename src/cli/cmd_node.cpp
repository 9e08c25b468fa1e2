// formica node --config FILE: runs one node in the foreground until SIGTERM or SIGINT.
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "args.h"
#include "commands.h"
#include "formica/base/log.h"
#include "formica/node/node.h"

namespace formica::cli {

int cmd_node(const Words& w) {
  auto args = Args::parse(w, {{"config"}});
  if (!args.ok()) return fail(kExitUsage, "node", args.error().message);
  auto path = args->get("config");
  if (!path) return fail(kExitUsage, "node", "--config FILE is required");
  auto cfg = node::load_node_config(*path);
  if (!cfg.ok()) return fail("node", cfg.error());
  base::log::Level level = base::log::Level::kInfo;
  if (!base::log::parse_level(cfg->log_level, level))
    return fail(kExitUsage, "node", "log.level must be trace|debug|info|warn|error|off");
  base::log::init(level, cfg->log_file.string());

  // Block the signals before any thread starts, so only sigwait sees them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  auto n = node::Node::open(*cfg);
  if (!n.ok()) {
    base::log::error("cannot open node: {}", n.error().to_string());
    return fail("node", n.error());
  }
  if (auto s = (*n)->start(); !s.ok()) {
    base::log::error("cannot start node: {}", s.error().to_string());
    return fail("node", s.error());
  }
  // `net up|down|status` find the process through this file.
  std::filesystem::path pid_path = std::filesystem::path(*path).parent_path() / "node.pid";
  {
    std::ofstream pid_out(pid_path, std::ios::trunc);
    pid_out << ::getpid() << "\n";
  }
  int sig = 0;
  sigwait(&set, &sig);
  base::log::info("signal {}: stopping", sig);
  (*n)->stop();
  std::error_code ec;
  std::filesystem::remove(pid_path, ec);
  return kExitOk;
}

}  // namespace formica::cli
