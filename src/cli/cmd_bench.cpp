// formica bench transfer: a load generator against a running network (docs/CLI.md).
//
// Prepares and funds N accounts and signs every transaction before the timed part, submits at
// R transactions per second for S seconds (batches every 10 ms), and watches committed blocks
// to time each transaction from submission to finality. Last line:
//   tps=<f> p50_ms=<f> p99_ms=<f> submitted=<n> committed=<n> rejected=<n> lost=<n>
// Exit 1 when lost > 0 (an accepted transaction that never committed).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "client_util.h"
#include "commands.h"
#include "formica/apps/bank.h"
#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/crypto/address.h"
#include "formica/ledger/accounts.h"
#include "formica/node/local_net.h"

namespace formica::cli {
namespace {

using codec::Json;
using Clock = std::chrono::steady_clock;

struct Prepared {
  std::string hex;
  std::string id;
};

Result<std::vector<Prepared>> sign_all(const ChainInfo& info, const crypto::PrivateKey& key,
                                       std::uint64_t first_nonce, const std::string& module,
                                       const std::string& kind, const std::vector<Bytes>& payloads) {
  std::vector<Prepared> out;
  out.reserve(payloads.size());
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    ledger::TxBody b;
    b.chain_id = info.chain_id;
    b.nonce = first_nonce + i;
    b.module = module;
    b.kind = kind;
    b.payload = payloads[i];
    b.expiry_height = info.height + 1'000'000;
    FORMICA_ASSIGN_OR_RETURN(auto tx, ledger::sign_transaction(b, key, info.hash_alg));
    FORMICA_ASSIGN_OR_RETURN(Bytes wire, codec::encode(tx));
    FORMICA_ASSIGN_OR_RETURN(auto id, ledger::tx_id(tx.body, info.hash_alg));
    out.push_back({base::to_hex(wire), base::to_hex(id)});
  }
  return out;
}

// Submits in chunks and waits for every receipt; fails unless all succeed.
Status submit_and_wait(rpc::Client& client, const std::vector<Prepared>& txs, const char* what) {
  for (std::size_t i = 0; i < txs.size(); i += 2000) {
    Json arr = Json::array();
    for (std::size_t k = i; k < std::min(txs.size(), i + 2000); ++k) arr.push_back(txs[k].hex);
    FORMICA_ASSIGN_OR_RETURN(Json r,
                             client.call("submit_batch", Json{{"txs", arr}, {"wait", true}}, 120'000));
    for (const auto& res : r["results"])
      if (res.contains("error"))
        return make_error(ErrorCode::kFailedPrecondition,
                          std::string(what) + ": " + res["error"].get<std::string>());
    for (auto it = r["receipts"].begin(); it != r["receipts"].end(); ++it)
      if (it.value().value("status", "") != "ok")
        return make_error(ErrorCode::kFailedPrecondition, std::string(what) + ": " + it.value().dump());
  }
  return ok_status();
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto idx = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, idx == 0 ? 0 : idx - 1)];
}

// A latency histogram on the terminal: people read a shape faster than a table.
void draw_histogram(std::vector<double> lat) {
  if (lat.empty()) return;
  std::sort(lat.begin(), lat.end());
  const double lo = lat.front(), hi = percentile(lat, 99.9);
  const int bins = 12;
  std::vector<std::size_t> count(bins, 0);
  const double width = std::max(1e-9, (hi - lo) / bins);
  for (double x : lat) count[std::min<std::size_t>(bins - 1, static_cast<std::size_t>((x - lo) / width))]++;
  const std::size_t peak = *std::max_element(count.begin(), count.end());
  std::cerr << "latency, submit to finality (ms)\n";
  for (int b = 0; b < bins; ++b) {
    std::ostringstream label;
    label << std::fixed << std::setprecision(1) << std::setw(8) << lo + b * width << " - " << std::setw(8)
          << lo + (b + 1) * width;
    const std::size_t bar = peak == 0 ? 0 : count[b] * 50 / peak;
    std::cerr << label.str() << " |" << std::string(bar, '#') << " " << count[b] << "\n";
  }
}

}  // namespace

int cmd_bench(const Words& w) {
  if (w.empty() || w[0] != "transfer")
    return fail(kExitUsage, "bench", "expected: bench transfer --rate R --duration S --accounts N");
  auto args = Args::parse(
      Words(w.begin() + 1, w.end()),
      client_options({{"rate"}, {"duration"}, {"accounts"}, {"admin-key"}, {"funder-key"}, {"asset"}}));
  if (!args.ok()) return fail(kExitUsage, "bench transfer", args.error().message);
  auto rate = parse_u64(args->get_or("rate", "1000"));
  auto duration = parse_u64(args->get_or("duration", "10"));
  auto accounts = parse_u64(args->get_or("accounts", "100"));
  if (!rate.ok() || *rate == 0 || *rate > 1'000'000)
    return fail(kExitUsage, "bench transfer", "--rate must be 1..1000000");
  if (!duration.ok() || *duration == 0 || *duration > 3600)
    return fail(kExitUsage, "bench transfer", "--duration must be 1..3600");
  if (!accounts.ok() || *accounts < 2 || *accounts > 100'000)
    return fail(kExitUsage, "bench transfer", "--accounts must be 2..100000");
  const std::string asset = args->get_or("asset", "FMC");
  std::string admin_path = args->get_or("admin-key", ""), funder_path = args->get_or("funder-key", "");
  if (auto net = args->get("net")) {
    if (admin_path.empty()) admin_path = *net + "/orgs/org0/admin.key";
    if (funder_path.empty()) funder_path = *net + "/orgs/org0/treasury.key";
  }
  if (admin_path.empty() || funder_path.empty())
    return fail(kExitUsage, "bench transfer", "give --net DIR, or --admin-key and --funder-key");
  auto admin = node::load_key(admin_path);
  if (!admin.ok()) return fail("bench transfer", admin.error());
  auto funder = node::load_key(funder_path);
  if (!funder.ok()) return fail("bench transfer", funder.error());
  auto url = resolve_rpc(*args);
  if (!url.ok()) return fail("bench transfer", url.error());
  rpc::Client client(*url);
  auto info = chain_info(client);
  if (!info.ok()) return fail("bench transfer", info.error());

  // 1. Accounts: generated, registered by the admin, funded by the funder.
  const std::size_t n = *accounts;
  const std::size_t total = static_cast<std::size_t>(*rate * *duration);
  std::cerr << "preparing " << n << " accounts and signing " << total << " transfers...\n";
  std::vector<crypto::PrivateKey> keys;
  std::vector<crypto::Address> addrs;
  for (std::size_t i = 0; i < n; ++i) {
    keys.push_back(crypto::PrivateKey::generate(crypto::Scheme::kEd25519));
    addrs.push_back(crypto::Address::of(keys.back().public_key()));
  }
  std::vector<Bytes> reg, fund;
  const codec::U128 per_account = total / n + 10;
  for (std::size_t i = 0; i < n; ++i) {
    reg.push_back(*codec::encode(ledger::RegisterAccount{addrs[i].to_bytes(), {}}));
    fund.push_back(*codec::encode(apps::Transfer{addrs[i].to_bytes(), asset, per_account}));
  }
  auto admin_nonce = next_nonce(client, crypto::Address::of(admin->public_key()));
  auto funder_nonce = next_nonce(client, crypto::Address::of(funder->public_key()));
  if (!admin_nonce.ok()) return fail("bench transfer", admin_nonce.error());
  if (!funder_nonce.ok()) return fail("bench transfer", funder_nonce.error());
  auto reg_txs = sign_all(*info, *admin, *admin_nonce, "accounts", "register", reg);
  auto fund_txs = sign_all(*info, *funder, *funder_nonce, "bank", "transfer", fund);
  if (!reg_txs.ok() || !fund_txs.ok())
    return fail(kExitUsage, "bench transfer", "cannot sign setup transactions");
  if (auto s = submit_and_wait(client, *reg_txs, "register"); !s.ok())
    return fail("bench transfer", s.error());
  if (auto s = submit_and_wait(client, *fund_txs, "fund"); !s.ok()) return fail("bench transfer", s.error());

  // 2. Every timed transaction signed up front: account i pays account i+1, round robin.
  std::vector<Prepared> load;
  load.reserve(total);
  std::vector<std::uint64_t> nonce(n, 0);
  for (std::size_t k = 0; k < total; ++k) {
    std::size_t i = k % n;
    Bytes p = *codec::encode(apps::Transfer{addrs[(i + 1) % n].to_bytes(), asset, 1});
    auto t = sign_all(*info, keys[i], nonce[i]++, "bank", "transfer", {p});
    if (!t.ok()) return fail(kExitUsage, "bench transfer", "cannot sign");
    load.push_back(std::move((*t)[0]));
  }
  std::map<std::string, std::size_t> index;
  for (std::size_t k = 0; k < total; ++k) index[load[k].id] = k;

  // 3. The timed part: a submitter and a block watcher.
  std::vector<Clock::time_point> submitted_at(total), committed_at(total);
  std::vector<std::uint8_t> state(
      total, 0);  // 0 not sent, 1 accepted, 2 refused, 3 committed ok, 4 committed rejected
  std::mutex mu;
  std::atomic<bool> sending_done{false};
  std::atomic<std::size_t> accepted{0}, finished{0};
  std::uint64_t start_height = 0;
  if (auto s = client.call("status", Json::object()); s.ok())
    start_height = (*s)["height"].get<std::uint64_t>();

  std::thread watcher([&] {
    rpc::Client c(*url);
    std::uint64_t seen = start_height;
    Clock::time_point last_progress = Clock::now();
    while (true) {
      auto s = c.call("status", Json::object(), 5000);
      if (s.ok()) {
        std::uint64_t h = (*s)["height"].get<std::uint64_t>();
        for (std::uint64_t x = seen + 1; x <= h; ++x) {
          auto b = c.call("get_block", Json{{"height", x}, {"receipts", true}}, 10'000);
          if (!b.ok()) break;
          const auto now = Clock::now();
          std::lock_guard lock(mu);
          const Json& ids = (*b)["tx_ids"];
          for (std::size_t j = 0; j < ids.size(); ++j) {
            auto it = index.find(ids[j].get<std::string>());
            if (it == index.end() || state[it->second] >= 3) continue;
            bool ok = !(*b).contains("receipts") || (*b)["receipts"][j].value("status", "ok") == "ok";
            state[it->second] = ok ? 3 : 4;
            committed_at[it->second] = now;
            finished++;
          }
          seen = x;
          last_progress = now;
        }
      }
      if (sending_done && finished >= accepted) break;
      if (sending_done && Clock::now() - last_progress > std::chrono::seconds(15)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });

  const auto t0 = Clock::now();
  std::size_t next = 0;
  for (int tick = 1; next < total; ++tick) {
    const auto due = t0 + std::chrono::milliseconds(10 * tick);
    const std::size_t target =
        std::min<std::size_t>(total, static_cast<std::size_t>(*rate * 10 * tick / 1000));
    if (target > next) {
      Json arr = Json::array();
      for (std::size_t k = next; k < target; ++k) arr.push_back(load[k].hex);
      const auto when = Clock::now();
      {
        std::lock_guard lock(mu);
        for (std::size_t k = next; k < target; ++k) submitted_at[k] = when;
      }
      auto r = client.call("submit_batch", Json{{"txs", arr}, {"wait", false}}, 30'000);
      std::lock_guard lock(mu);
      for (std::size_t k = next; k < target; ++k) {
        bool ok = r.ok() && !(*r)["results"][k - next].contains("error");
        if (state[k] == 0) state[k] = ok ? 1 : 2;
        if (ok) accepted++;
      }
      next = target;
    }
    std::this_thread::sleep_until(due);
  }
  sending_done = true;
  watcher.join();
  const auto t_end = Clock::now();

  std::size_t committed = 0, rejected = 0, lost = 0, refused = 0;
  std::vector<double> lat;
  Clock::time_point last_commit = t0;
  for (std::size_t k = 0; k < total; ++k) {
    if (state[k] == 3 || state[k] == 4) {
      (state[k] == 3 ? committed : rejected)++;
      lat.push_back(std::chrono::duration<double, std::milli>(committed_at[k] - submitted_at[k]).count());
      last_commit = std::max(last_commit, committed_at[k]);
    } else if (state[k] == 1) {
      lost++;
    } else if (state[k] == 2) {
      refused++;
    }
  }
  const double secs =
      std::chrono::duration<double>(std::max(last_commit, t0 + std::chrono::milliseconds(1)) - t0).count();
  const double tps = static_cast<double>(committed + rejected) / secs;
  std::vector<double> lat2 = lat;
  const double p50 = percentile(lat2, 50), p99 = percentile(lat2, 99);
  (void)t_end;
  if (!args->has("json")) draw_histogram(lat);
  std::ostringstream line;
  line << std::fixed << std::setprecision(1) << "tps=" << tps << " p50_ms=" << p50 << " p99_ms=" << p99
       << " submitted=" << total << " committed=" << committed << " rejected=" << (rejected + refused)
       << " lost=" << lost;
  if (args->has("json")) {
    std::cout << Json{{"tps", tps},         {"p50_ms", p50},          {"p99_ms", p99},
                      {"submitted", total}, {"committed", committed}, {"rejected", rejected + refused},
                      {"lost", lost}}
                     .dump()
              << "\n";
  } else {
    std::cout << line.str() << "\n";
  }
  return lost > 0 ? kExitCheckFailed : kExitOk;
}

}  // namespace formica::cli
