// Cluster benchmark (disabled by default): N validators as real `formica node` processes on
// 127.0.0.1, optionally with added delay on every validator-to-validator link (a TcpProxy per
// link, both directions), then `formica bench transfer` against node 0 at each given rate.
// Prints one line per rate: tps, submit-to-finality p50/p99 and the machine's load average.
//
//   FORMICA_BENCH_VALIDATORS=4 FORMICA_BENCH_DELAY_MS=50 FORMICA_BENCH_RATES=500,1000
//   build/tests/cluster_tests --gtest_also_run_disabled_tests --gtest_filter='BftBench.*'
// (the variables and the command on one line).
//
// Environment: FORMICA_BENCH_VALIDATORS (4), FORMICA_BENCH_DELAY_MS (0), FORMICA_BENCH_RATES
// (comma-separated, "1000"; "half" means half the tps the previous rate achieved, so
// "20000,half" measures the peak and then half of it), FORMICA_BENCH_DURATION seconds per rate (10),
// FORMICA_BENCH_ACCOUNTS (200), FORMICA_BENCH_TIMEOUT_MS (genesis consensus.timeout_ms; unset:
// the default). docs/perf/consensus-bench-cluster.md has the figures.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "formica/net/tcp_proxy.h"
#include "process.h"

namespace formica::testing {
namespace {

using codec::Json;
namespace fs = std::filesystem;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != 0) ? std::string(v) : fallback;
}

Json read_json(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return Json::parse(ss.str());
}

std::string loadavg() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

TEST(BftBench, DISABLED_Transfer) {
  const int n = std::stoi(env_or("FORMICA_BENCH_VALIDATORS", "4"));
  const auto delay = static_cast<std::uint32_t>(std::stoul(env_or("FORMICA_BENCH_DELAY_MS", "0")));
  const std::string duration = env_or("FORMICA_BENCH_DURATION", "10");
  const std::string accounts = env_or("FORMICA_BENCH_ACCOUNTS", "200");
  const std::string timeout_ms = env_or("FORMICA_BENCH_TIMEOUT_MS", "");
  std::vector<std::string> rates;
  {
    std::stringstream ss(env_or("FORMICA_BENCH_RATES", "1000"));
    for (std::string r; std::getline(ss, r, ',');)
      if (!r.empty()) rates.push_back(r);
  }
  TempNet t("bft-bench", n, n);
  if (!timeout_ms.empty()) {
    const fs::path g = t.dir / "genesis.json";
    Json genesis = read_json(g);
    genesis["consensus"] = Json{{"timeout_ms", std::stoull(timeout_ms)}};
    std::ofstream(g, std::ios::trunc) << genesis.dump(2);
  }
  // Node i dials every node j > i: a proxy per (i, j) in front of j delays that link.
  std::vector<std::unique_ptr<net::TcpProxy>> proxies;
  if (delay > 0) {
    for (int i = 0; i < n; ++i) {
      auto cfg = read_json(t.net.nodes[i].config);
      for (auto& p : cfg["p2p"]["peers"]) {
        for (int j = i + 1; j < n; ++j) {
          if (p["name"] != t.net.nodes[j].name) continue;
          proxies.push_back(
              net::TcpProxy::start({.target_port = t.net.nodes[j].p2p_port, .delay_ms = delay}).value());
          p["port"] = proxies.back()->port();
        }
      }
      std::ofstream(t.net.nodes[i].config, std::ios::trunc) << cfg.dump(2);
    }
  }
  std::vector<std::unique_ptr<NodeProcess>> nodes;
  for (const auto& node : t.net.nodes) {
    nodes.push_back(std::make_unique<NodeProcess>(node.config));
    ASSERT_TRUE(nodes.back()->start()) << node.name;
  }
  double last_tps = 0;
  for (std::string rate : rates) {
    // "half": half the throughput the previous rate achieved (peak, then half of peak).
    if (rate == "half") rate = std::to_string(std::max<long>(1, static_cast<long>(last_tps / 2)));
    std::string out, err;
    const std::vector<std::string> args = {"bench",        "transfer", "--rpc", t.rpc_url,    "--net",
                                           t.dir.string(), "--rate",   rate,    "--duration", duration,
                                           "--accounts",   accounts,   "--json"};
    const std::string load_before = loadavg();
    const int rc = run_cli(args, &out, &err);
    ASSERT_EQ(rc, 0) << err;
    const Json r = Json::parse(out);
    last_tps = r["tps"].get<double>();
    std::printf(
        "[bench] validators=%d delay_ms=%u timeout_ms=%s rate=%s duration_s=%s tps=%.1f p50_ms=%.1f "
        "p99_ms=%.1f load_before=%s load_after=%s\n",
        n, delay, timeout_ms.empty() ? "default" : timeout_ms.c_str(), rate.c_str(), duration.c_str(),
        r["tps"].get<double>(), r["p50_ms"].get<double>(), r["p99_ms"].get<double>(), load_before.c_str(),
        loadavg().c_str());
    std::fflush(stdout);
  }
  for (auto& node : nodes) node->stop();
}

}  // namespace
}  // namespace formica::testing
