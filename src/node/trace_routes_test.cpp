#include "formica/node/trace_routes.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "formica/apps/trace.h"
#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/ledger/block.h"
#include "formica/storage/mem_kv_store.h"
#include "formica/storage/rocksdb_kv_store.h"
#include "formica/storage/state_proof.h"

namespace formica::node {
namespace {

using codec::Json;

crypto::PrivateKey key_of(std::uint8_t seed) {
  Bytes secret(32, seed);
  return std::move(crypto::PrivateKey::from_secret(crypto::Scheme::kEd25519, secret)).value();
}
std::string text_of(const crypto::PrivateKey& k) { return crypto::Address::of(k.public_key()).to_string(); }

const std::string kFarm = "urn:epc:id:sgln:4012345.00001.0";
const std::string kCarton = "urn:epc:id:sgtin:4012345.011111.1001";
const std::string kPallet = "urn:epc:id:sscc:4012345.0000000001";
const std::string kDl = "https://id.gs1.org/01/04012345111118/10/L1/21/1001";

std::string doc(const Json& events) {
  return Json{{"@context", {"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"}},
              {"type", "EPCISDocument"},
              {"schemaVersion", "2.0"},
              {"creationDate", "2026-03-01T00:00:00Z"},
              {"epcisBody", {{"eventList", events}}}}
      .dump();
}

Json object_event(const std::string& time, const std::string& epc, const std::string& action,
                  const std::string& step) {
  return Json{
      {"type", "ObjectEvent"}, {"eventTime", time}, {"eventTimeZoneOffset", "+00:00"}, {"epcList", {epc}},
      {"action", action},      {"bizStep", step},   {"readPoint", {{"id", kFarm}}}};
}

struct TraceRoutes : ::testing::Test {
  crypto::PrivateKey admin = key_of(1);
  ledger::Genesis genesis = *ledger::parse_genesis(R"({"chain_id": "routes-test", "orgs": [{"name": "org0"}],
     "accounts": [{"address": ")" + text_of(admin) +
                                                   R"(", "org": "org0", "roles": ["admin"]}]})");
  ledger::Executor exec{genesis.rules};
  storage::MemKvStore kv{{"chain", "state"}};
  std::unique_ptr<ledger::Chain> chain;
  std::uint64_t nonce = 0;
  TraceRouteOptions options;

  void SetUp() override {
    exec.add_module(std::make_shared<apps::Trace>(genesis.rules.hash_alg));
    auto c = ledger::Chain::open(kv, genesis, exec);
    ASSERT_TRUE(c.ok()) << c.error().to_string();
    chain = std::move(*c);
  }

  template <class P>
  std::pair<ledger::Transaction, ledger::Hash> tx(const std::string& kind, const P& payload) {
    ledger::TxBody b;
    b.chain_id = genesis.rules.chain_id;
    b.nonce = nonce++;
    b.module = "trace";
    b.kind = kind;
    b.payload = *codec::encode(payload);
    b.expiry_height = 1'000'000;
    auto t = *ledger::sign_transaction(b, admin, genesis.rules.hash_alg);
    return {t, *ledger::check_stateless(t, genesis.rules)};
  }
  void produce(std::vector<std::pair<ledger::Transaction, ledger::Hash>> txs) {
    std::vector<ledger::Transaction> t;
    std::vector<ledger::Hash> ids;
    for (auto& [x, id] : txs) t.push_back(x), ids.push_back(id);
    auto eb = chain->execute(std::move(t), std::move(ids), crypto::Address::of(admin.public_key()).to_bytes(),
                             0, 1);
    ASSERT_TRUE(eb.ok()) << eb.error().to_string();
    for (const auto& r : eb->receipts) ASSERT_EQ(r.status, ledger::TxStatus::kOk) << r.error;
    ASSERT_TRUE(chain->commit(*eb).ok());
  }
  rpc::HttpReply get(const std::string& target, std::string accept = "application/json") {
    auto q = target.find('?');
    std::string path = target.substr(0, q), query = q == std::string::npos ? "" : target.substr(q + 1);
    rpc::HttpRequestView v{"GET", target, path, query, accept, "127.0.0.1:26600"};
    return handle_trace_get(*chain, options, v);
  }
  void journey() {
    Bytes h = *apps::Trace::secret_hash(genesis.rules.hash_alg, "CODE");
    Json pack = {{"type", "AggregationEvent"},
                 {"eventTime", "2026-03-01T07:00:00Z"},
                 {"eventTimeZoneOffset", "+00:00"},
                 {"parentID", kPallet},
                 {"childEPCs", Json::array({kCarton})},
                 {"action", "ADD"},
                 {"bizStep", "packing"},
                 {"readPoint", {{"id", kFarm}}}};
    Json farm = Json::array({object_event("2026-03-01T06:00:00Z", kCarton, "ADD", "commissioning"), pack});
    Json ship = Json::array({object_event("2026-03-01T08:00:00Z", kPallet, "OBSERVE", "shipping")});
    produce({tx("register", apps::TraceRegister{"farm", {"4012345"}, {"4012345000016"}})});
    produce({tx("capture", apps::TraceCapture{doc(farm), {apps::TraceSecret{kCarton, h}}})});
    produce({tx("capture", apps::TraceCapture{doc(ship), {}})});
  }
};

// Checks a {key, value, proof} against the answer's header, as a light client would.
void expect_proved(const Json& answer, const Json& p, bool present) {
  auto hb = base::from_hex(answer["header_encoded"].get<std::string>());
  ASSERT_TRUE(hb.ok());
  auto header = codec::decode<ledger::BlockHeader>(*hb);
  ASSERT_TRUE(header.ok());
  auto hh = ledger::header_hash(*header, crypto::HashAlg::kSha256);
  EXPECT_EQ(base::to_hex(*hh), answer["header"]["hash"]);
  auto key = *base::from_hex(p["key"].get<std::string>());
  auto proof = storage::decode_state_proof(*base::from_hex(p["proof"].get<std::string>()));
  ASSERT_TRUE(proof.ok());
  std::optional<Bytes> value;
  if (!p["value"].is_null()) value = *base::from_hex(p["value"].get<std::string>());
  EXPECT_EQ(value.has_value(), present);
  std::optional<ByteView> view;
  if (value) view = ByteView(*value);
  EXPECT_TRUE(storage::verify_state_proof(crypto::HashAlg::kSha256, header->state_root, key, view, *proof));
  if (value) {  // a flipped byte no longer verifies
    Bytes bad = *value;
    bad.back() ^= 1;
    EXPECT_FALSE(storage::verify_state_proof(crypto::HashAlg::kSha256, header->state_root, key, ByteView(bad),
                                             *proof));
  }
}

TEST_F(TraceRoutes, TraceCarriesProofsAgainstOneHeader) {
  journey();
  auto r = get("/trace/v1/trace?id=" +
               std::string("https%3A%2F%2Fid.gs1.org%2F01%2F04012345111118%2F10%2FL1%2F21%2F1001"));
  ASSERT_EQ(r.status, 200u) << r.body;
  Json a = Json::parse(r.body);
  EXPECT_EQ(a["height"], chain->height());
  const Json& t = a["trace"];
  EXPECT_EQ(t["item"], "https://id.gs1.org/01/04012345111118/21/1001");
  ASSERT_EQ(t["events"].size(), 3u);  // commissioning, packing, the pallet's shipping
  for (const auto& e : t["events"]) {
    expect_proved(a, e["proof"], true);
    auto rec = codec::decode<apps::TraceEventRecord>(*base::from_hex(e["proof"]["value"].get<std::string>()));
    ASSERT_TRUE(rec.ok());
    EXPECT_EQ(rec->hash_id, e["hash_id"]);
  }
  expect_proved(a, t["item_proof"], true);
  EXPECT_EQ(t["item_record"]["claim_status"], "unclaimed");
}

TEST_F(TraceRoutes, ResolverSendsBrowsersToThePageAndOthersTheLinkset) {
  journey();
  auto r = get("/01/04012345111118/10/L1/21/1001", "text/html,application/xhtml+xml");
  EXPECT_EQ(r.status, 302u);
  auto loc = std::find_if(r.headers.begin(), r.headers.end(), [](auto& h) { return h.first == "Location"; });
  ASSERT_NE(loc, r.headers.end());
  EXPECT_EQ(loc->second,
            "/trace.html?dl=https%3A%2F%2Fid.gs1.org%2F01%2F04012345111118%2F10%2FL1%2F21%2F1001");
  r = get("/01/04012345111118/10/L1/21/1001");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "application/linkset+json");
  Json ls = Json::parse(r.body);
  EXPECT_EQ(ls["linkset"][0]["anchor"], kDl);
  EXPECT_TRUE(ls["linkset"][0].contains("https://gs1.org/voc/traceability"));
  r = get("/01/04012345111118/10/L1/21/1001?linkType=gs1:traceability");
  EXPECT_EQ(r.status, 302u);
  EXPECT_EQ(get("/01/04012345111119/21/1").status, 400u);  // wrong check digit
  EXPECT_EQ(get("/.well-known/gs1resolver").status, 200u);
}

TEST_F(TraceRoutes, EventsItemAndErrors) {
  journey();
  auto r = get("/trace/v1/events?location=" + kFarm + "&limit=2");
  ASSERT_EQ(r.status, 200u) << r.body;
  Json a = Json::parse(r.body);
  EXPECT_EQ(a["events"].size(), 2u);
  EXPECT_EQ(a["next_cursor"], 2);
  for (const auto& e : a["events"]) expect_proved(a, e["proof"], true);
  r = get("/trace/v1/events?EQ_bizStep=shipping");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(Json::parse(r.body)["events"].size(), 1u);
  r = get("/trace/v1/item?id=" + kCarton);
  ASSERT_EQ(r.status, 200u);
  a = Json::parse(r.body);
  expect_proved(a, a["proof"], true);
  r = get("/trace/v1/item?id=urn:epc:id:sgtin:4012345.011111.404");
  ASSERT_EQ(r.status, 200u);
  a = Json::parse(r.body);
  EXPECT_TRUE(a["item"].is_null());
  expect_proved(a, a["proof"], false);  // proved absent
  EXPECT_EQ(get("/trace/v1/trace").status, 400u);
  EXPECT_EQ(get("/trace/v1/events?from=yesterday").status, 400u);
  EXPECT_EQ(get("/trace/v1/event?id=ni:///sha-256;00?ver=CBV2.0").status, 400u);
  EXPECT_EQ(get("/trace/v1/nothing").status, 404u);
  EXPECT_EQ(get("/trace/v1/participants").status, 200u);
}

// Trace query latency with many events on chain (docs/perf/trace.md). FORMICA_TRACE_BENCH_EVENTS
// sets the number of background events (default 0: skipped).
TEST_F(TraceRoutes, BenchTraceQueryLatency) {
  const char* env = std::getenv("FORMICA_TRACE_BENCH_EVENTS");
  const std::size_t total = env ? std::strtoull(env, nullptr, 10) : 0;
  // FORMICA_TRACE_BENCH_DIR: a chain a previous run left there (interrupted or kept) is reused as
  // it is: no new events, only the query timing.
  const char* keep = std::getenv("FORMICA_TRACE_BENCH_DIR");
  if (total == 0 && keep == nullptr) GTEST_SKIP() << "set FORMICA_TRACE_BENCH_EVENTS=N to run";
  // On RocksDB, as a node keeps it (an in-memory store holds every version of the tree: ~24 kB
  // per event).
  const bool reuse = keep != nullptr && std::filesystem::exists(std::filesystem::path(keep) / "CURRENT");
  auto dir =
      keep ? std::filesystem::path(keep)
           : std::filesystem::temp_directory_path() / ("formica-trace-bench-" + std::to_string(::getpid()));
  if (!reuse) std::filesystem::remove_all(dir);
  auto rocks = storage::RocksDbKvStore::open({dir.string(), {"chain", "state"}});
  ASSERT_TRUE(rocks.ok()) << rocks.error().to_string();
  chain.reset();
  auto opened = ledger::Chain::open(**rocks, genesis, exec);
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  chain = std::move(*opened);
  std::size_t made = 0, serial = 0;
  double capture_s = 0;
  if (!reuse) {
    journey();
    const std::size_t per_doc = 50, per_block = 20;
    auto t0 = std::chrono::steady_clock::now();
    while (made < total) {
      std::vector<std::pair<ledger::Transaction, ledger::Hash>> txs;
      for (std::size_t b = 0; b < per_block && made < total; ++b) {
        Json events = Json::array();
        for (std::size_t i = 0; i < per_doc && made < total; ++i, ++made)
          events.push_back(object_event("2026-03-02T06:00:00Z",
                                        "urn:epc:id:sgtin:4012345.011111.b" + std::to_string(serial++), "ADD",
                                        "commissioning"));
        txs.push_back(tx("capture", apps::TraceCapture{doc(events), {}}));
      }
      produce(std::move(txs));
    }
    capture_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  auto all = get("/trace/v1/events?limit=1");
  std::vector<double> ms;
  std::size_t events_in_trace = 0;
  for (int i = 0; i < 200; ++i) {
    auto s = std::chrono::steady_clock::now();
    auto r = get("/trace/v1/trace?id=" + kCarton);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
    ASSERT_EQ(r.status, 200u);
    events_in_trace = Json::parse(r.body)["trace"]["events"].size();
  }
  std::sort(ms.begin(), ms.end());
  std::uint64_t height = chain->height();
  chain.reset();
  rocks->reset();
  if (!keep) std::filesystem::remove_all(dir);
  std::printf(
      "trace bench: chain height %llu, %zu events captured now in %.1f s (%.0f events/s, RocksDB, "
      "execute+commit); trace query (%zu events, with proofs) p50=%.2f ms p99=%.2f ms max=%.2f ms\n",
      static_cast<unsigned long long>(height), made, capture_s,
      capture_s > 0 ? static_cast<double>(made) / capture_s : 0.0, events_in_trace, ms[ms.size() / 2],
      ms[ms.size() * 99 / 100], ms.back());
  (void)all;
}

}  // namespace
}  // namespace formica::node
