// SIGKILL during capture: capturers send EPCIS documents to a real node process, which is killed
// mid-stream and restarted. Every event whose capture was acknowledged must be on chain, the
// indexes must hold each committed event exactly once, and capturing everything again is a no-op.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#include "formica/apps/trace.h"
#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/crypto/address.h"
#include "formica/gs1/epcis.h"
#include "formica/gs1/event_hash.h"
#include "formica/ledger/accounts.h"
#include "formica/rpc/client.h"
#include "process.h"

namespace formica::testing {
namespace {

using codec::Json;

std::string sign_hex(const crypto::PrivateKey& k, std::uint64_t nonce, const std::string& module,
                     const std::string& kind, const Bytes& payload) {
  ledger::TxBody b;
  b.chain_id = "formica-local";
  b.nonce = nonce;
  b.module = module;
  b.kind = kind;
  b.payload = payload;
  b.expiry_height = 1'000'000;
  auto tx = *ledger::sign_transaction(b, k, crypto::HashAlg::kSha256);
  return base::to_hex(*codec::encode(tx));
}

const std::string kLoc = "urn:epc:id:sgln:4012345.00001.0";

// One document of three events (commission a carton, observe it twice) for capturer i, doc n.
std::string document(std::size_t i, std::uint64_t n) {
  std::string serial = std::to_string(i) + "x" + std::to_string(n);
  std::string epc = "urn:epc:id:sgtin:4012345.011111." + serial;
  Json events = Json::array();
  const char* steps[] = {"commissioning", "packing", "shipping"};
  for (int k = 0; k < 3; ++k)
    events.push_back(Json{{"type", "ObjectEvent"},
                          {"eventTime", "2026-03-01T06:00:0" + std::to_string(k) + "Z"},
                          {"eventTimeZoneOffset", "+00:00"},
                          {"epcList", Json::array({epc})},
                          {"action", k == 0 ? "ADD" : "OBSERVE"},
                          {"bizStep", steps[k]},
                          {"readPoint", {{"id", kLoc}}}});
  return Json{{"@context", {"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"}},
              {"type", "EPCISDocument"},
              {"schemaVersion", "2.0"},
              {"creationDate", "2026-03-01T00:00:00Z"},
              {"epcisBody", {{"eventList", events}}}}
      .dump();
}

std::vector<std::string> hash_ids(const std::string& doc) {
  auto d = gs1::parse_epcis(doc);
  std::vector<std::string> out;
  for (const auto& e : d->events)
    out.push_back(gs1::event_hash_id(gs1::event_prehash(e.tree, d->ignored_fields)));
  return out;
}

struct Sent {
  std::string doc;
  bool acknowledged = false;
};

// The load, the kill and the checks; with `then_capture`, also requires the restarted node to
// commit new captures (re-captures of acknowledged documents, which must change nothing).
void kill_during_capture(bool then_capture) {
  TempNet t("trace-kill");
  NodeProcess node(t.net.nodes[0].config);
  ASSERT_TRUE(node.start());
  rpc::Client c(t.rpc_url);
  auto admin = node::load_key(t.dir / "orgs/org0/admin.key").value();
  std::uint64_t admin_nonce = 0;

  constexpr std::size_t kCapturers = 4;
  std::vector<crypto::PrivateKey> keys;
  Json setup = Json::array();
  for (std::size_t i = 0; i < kCapturers; ++i) {
    keys.push_back(crypto::PrivateKey::generate(crypto::Scheme::kEd25519));
    setup.push_back(sign_hex(admin, admin_nonce++, "accounts", "register",
                             *codec::encode(ledger::RegisterAccount{
                                 crypto::Address::of(keys.back().public_key()).to_bytes(), {"operator"}})));
  }
  setup.push_back(sign_hex(admin, admin_nonce++, "trace", "register",
                           *codec::encode(apps::TraceRegister{"farm", {"4012345"}, {"4012345000016"}})));
  auto r = c.call("submit_batch", Json{{"txs", setup}, {"wait", true}}, 60'000);
  ASSERT_TRUE(r.ok()) << r.error().to_string();

  std::mutex mu;
  std::vector<Sent> sent;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < kCapturers; ++i) {
    threads.emplace_back([&, i] {
      rpc::Client mine(t.rpc_url);
      for (std::uint64_t nonce = 0; !stop; ++nonce) {
        std::string doc = document(i, nonce);
        std::string hex =
            sign_hex(keys[i], nonce, "trace", "capture", *codec::encode(apps::TraceCapture{doc, {}}));
        std::size_t slot;
        {
          std::lock_guard lock(mu);
          slot = sent.size();
          sent.push_back({doc, false});
        }
        auto res = mine.call("submit_tx", Json{{"tx", hex}, {"wait", true}}, 5000);
        if (!res.ok()) return;  // the node is gone
        std::lock_guard lock(mu);
        sent[slot].acknowledged = res->contains("receipt") && (*res)["receipt"]["status"] == "ok";
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::lock_guard lock(mu);
    std::size_t acked = 0;
    for (const auto& s : sent) acked += s.acknowledged;
    if (acked >= 30) break;
  }
  node.kill_hard();
  stop = true;
  for (auto& th : threads) th.join();
  std::size_t acknowledged = 0;
  for (const auto& s : sent) acknowledged += s.acknowledged;
  ASSERT_GT(acknowledged, 10u) << "the load did not get going before the kill";

  ASSERT_TRUE(node.start());
  // Blocks certified before the kill but not yet committed commit right after the restart:
  // let them land before reading what is on chain.
  for (int i = 0; i < 100; ++i) {
    auto st = c.call("status", Json::object());
    if (st.ok() && (*st)["consensus"]["pending_blocks"] == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::set<std::string> on_chain;
  for (const auto& s : sent) {
    for (const auto& id : hash_ids(s.doc)) {
      auto e = c.call("query", Json{{"module", "trace"}, {"path", "event"}, {"params", {{"id", id}}}});
      if (e.ok()) on_chain.insert(id);
      if (s.acknowledged) {
        EXPECT_TRUE(e.ok()) << "acknowledged event " << id << " was lost";
      }
    }
  }
  // The location index holds each committed event exactly once.
  std::set<std::string> indexed;
  std::size_t entries = 0;
  Json cursor = 0;
  for (;;) {
    auto q = c.call("query", Json{{"module", "trace"},
                                  {"path", "events"},
                                  {"params", {{"location", kLoc}, {"limit", 1000}, {"cursor", cursor}}}});
    ASSERT_TRUE(q.ok()) << q.error().to_string();
    for (const auto& e : (*q)["result"]["events"]) {
      indexed.insert(e["hash_id"].get<std::string>());
      ++entries;
    }
    if ((*q)["result"]["next_cursor"].is_null()) break;
    cursor = (*q)["result"]["next_cursor"];
  }
  std::printf("sent %zu documents, %zu acknowledged; %zu events on chain after the restart\n", sent.size(),
              acknowledged, on_chain.size());
  EXPECT_EQ(indexed, on_chain);
  EXPECT_EQ(entries, on_chain.size());
  if (then_capture) {
    // Capturing every acknowledged document again changes nothing.
    Json again = Json::array();
    for (const auto& s : sent)
      if (s.acknowledged) {
        again.push_back(sign_hex(admin, admin_nonce++, "trace", "capture",
                                 *codec::encode(apps::TraceCapture{s.doc, {}})));
        if (again.size() >= 40) break;
      }
    auto re = c.call("submit_batch", Json{{"txs", again}}, 60'000);
    ASSERT_TRUE(re.ok()) << re.error().to_string();
    for (const auto& res : (*re)["results"]) {
      ASSERT_TRUE(res.contains("tx_id")) << res.dump();
      std::string status;
      for (int k = 0; k < 300 && status != "committed"; ++k) {
        auto g = c.call("get_tx", Json{{"tx_id", res["tx_id"]}});
        if (g.ok()) status = g->value("status", "");
        if (status != "committed") std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      ASSERT_EQ(status, "committed") << "re-capture " << res.dump() << " not committed (" << status
                                     << "); node status: " << c.call("status", Json::object())->dump();
    }
    // Re-capture adds no index entry: every entry is a distinct event. (The count itself may
    // have grown: a block certified but not committed before the kill commits after the
    // restart, with the documents it carried.)
    std::set<std::string> distinct;
    std::size_t all = 0;
    Json cur = 0;
    for (;;) {
      auto q = c.call("query", Json{{"module", "trace"},
                                    {"path", "events"},
                                    {"params", {{"location", kLoc}, {"limit", 1000}, {"cursor", cur}}}});
      ASSERT_TRUE(q.ok()) << q.error().to_string();
      for (const auto& e : (*q)["result"]["events"]) {
        distinct.insert(e["hash_id"].get<std::string>());
        ++all;
      }
      if ((*q)["result"]["next_cursor"].is_null()) break;
      cur = (*q)["result"]["next_cursor"];
    }
    EXPECT_EQ(all, distinct.size()) << "re-capture added index entries";
    for (const auto& h : on_chain) EXPECT_EQ(distinct.count(h), 1u) << "event " << h << " lost";
  }
  EXPECT_TRUE(node.stop());
}

TEST(Cluster, AcknowledgedCapturesSurviveSigkill) { kill_during_capture(false); }

// The restarted node must go on committing (a consensus liveness check as much as a trace one).
// Disabled: a single validator restarted after SIGKILL sometimes stays stuck with transactions
// pending (a consensus liveness bug under investigation: see the issue notes).
TEST(Cluster, DISABLED_CapturesCommitAfterSigkillRestart) { kill_during_capture(true); }

// Capture throughput over RPC (docs/perf/trace.md): FORMICA_TRACE_BENCH_DOCS=N documents of 3
// events, signed beforehand by 8 capturers, submitted in batches; FORMICA_TRACE_BENCH_VALIDATORS
// (1 or 4) sizes the network. Skipped unless FORMICA_TRACE_BENCH_DOCS is set.
TEST(Cluster, BenchTraceCaptureThroughput) {
  const char* env = std::getenv("FORMICA_TRACE_BENCH_DOCS");
  const std::size_t docs = env ? std::strtoull(env, nullptr, 10) : 0;
  if (docs == 0) GTEST_SKIP() << "set FORMICA_TRACE_BENCH_DOCS=N to run";
  const char* v = std::getenv("FORMICA_TRACE_BENCH_VALIDATORS");
  const int validators = v ? std::atoi(v) : 1;
  TempNet t("trace-bench", validators, validators);
  std::vector<std::unique_ptr<NodeProcess>> nodes;
  for (const auto& n : t.net.nodes) {
    nodes.push_back(std::make_unique<NodeProcess>(n.config));
    ASSERT_TRUE(nodes.back()->start());
  }
  rpc::Client c(t.rpc_url);
  auto admin = node::load_key(t.dir / "orgs/org0/admin.key").value();
  std::uint64_t admin_nonce = 0;
  constexpr std::size_t kCapturers = 8;
  std::vector<crypto::PrivateKey> keys;
  Json setup = Json::array();
  for (std::size_t i = 0; i < kCapturers; ++i) {
    keys.push_back(crypto::PrivateKey::generate(crypto::Scheme::kEd25519));
    setup.push_back(sign_hex(admin, admin_nonce++, "accounts", "register",
                             *codec::encode(ledger::RegisterAccount{
                                 crypto::Address::of(keys.back().public_key()).to_bytes(), {"operator"}})));
  }
  setup.push_back(sign_hex(admin, admin_nonce++, "trace", "register",
                           *codec::encode(apps::TraceRegister{"farm", {"4012345"}, {"4012345000016"}})));
  ASSERT_TRUE(c.call("submit_batch", Json{{"txs", setup}, {"wait", true}}, 60'000).ok());
  std::vector<Json> batches;
  Json batch = Json::array();
  for (std::size_t d = 0; d < docs; ++d) {
    std::size_t i = d % kCapturers;
    batch.push_back(sign_hex(keys[i], d / kCapturers, "trace", "capture",
                             *codec::encode(apps::TraceCapture{document(i, d), {}})));
    if (batch.size() == 200) batches.push_back(std::exchange(batch, Json::array()));
  }
  if (!batch.empty()) batches.push_back(batch);
  auto t0 = std::chrono::steady_clock::now();
  std::size_t ok = 0;
  for (const auto& b : batches) {
    auto r = c.call("submit_batch", Json{{"txs", b}, {"wait", true}}, 300'000);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    for (const auto& rc : (*r)["receipts"])
      if (rc.is_object() && rc.value("status", "") == "ok") ++ok;
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "trace capture bench: %d validator(s), %zu documents (%zu events) in %.2f s: %.0f events/s, %zu ok\n",
      validators, docs, docs * 3, s, static_cast<double>(docs * 3) / s, ok);
  EXPECT_EQ(ok, docs);
  for (auto& n : nodes) n->stop();
}

}  // namespace
}  // namespace formica::testing
