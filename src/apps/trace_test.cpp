#include "formica/apps/trace.h"

#include <gtest/gtest.h>

#include <chrono>

#include "formica/codec/binary.h"
#include "formica/gs1/epcis.h"
#include "formica/gs1/event_hash.h"
#include "formica/gs1/identifiers.h"
#include "formica/ledger/accounts.h"

namespace formica::apps {
namespace {

using codec::Json;
using ledger::Receipt;
using ledger::TxStatus;

crypto::PrivateKey key_of(std::uint8_t seed) {
  Bytes secret(32, seed);
  return std::move(crypto::PrivateKey::from_secret(crypto::Scheme::kEd25519, secret)).value();
}
std::string text_of(const crypto::PrivateKey& k) { return crypto::Address::of(k.public_key()).to_string(); }
AddressBytes addr_of(const crypto::PrivateKey& k) { return crypto::Address::of(k.public_key()).to_bytes(); }

std::string gln(const std::string& prefix, const std::string& ref) {
  std::string d = prefix + ref;
  return d + gs1::check_digit(d);
}
std::string sgln(const std::string& prefix, const std::string& ref) {
  return "urn:epc:id:sgln:" + prefix + "." + ref + ".0";
}
std::string sgtin(const std::string& prefix, const std::string& item_ref, const std::string& serial) {
  return "urn:epc:id:sgtin:" + prefix + "." + item_ref + "." + serial;
}
std::string sscc(const std::string& prefix, const std::string& serial_ref) {
  return "urn:epc:id:sscc:" + prefix + "." + serial_ref;
}

// Companies: farm 4012345 (org0), carrier 4098765 (org1), bureau 4055555 (org2); org3 is not a
// participant.
const std::string kFarm = "4012345", kCarrier = "4098765", kBureau = "4055555";

Json doc_of(const std::vector<Json>& events) {
  return Json{{"@context", Json::array({"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"})},
              {"type", "EPCISDocument"},
              {"schemaVersion", "2.0"},
              {"creationDate", "2026-01-01T00:00:00Z"},
              {"epcisBody", {{"eventList", events}}}};
}

Json object_event(const std::string& time, const std::vector<std::string>& epcs, const std::string& action,
                  const std::string& biz_step, const std::string& location) {
  Json e = {{"type", "ObjectEvent"}, {"eventTime", time}, {"eventTimeZoneOffset", "+00:00"},
            {"epcList", epcs},       {"action", action},  {"bizStep", biz_step}};
  if (!location.empty()) e["readPoint"] = {{"id", location}}, e["bizLocation"] = {{"id", location}};
  return e;
}

Json aggregation(const std::string& time, const std::string& parent, const std::vector<std::string>& kids,
                 const std::string& action, const std::string& location) {
  Json e = {{"type", "AggregationEvent"},
            {"eventTime", time},
            {"eventTimeZoneOffset", "+00:00"},
            {"parentID", parent},
            {"childEPCs", kids},
            {"action", action},
            {"bizStep", action == "ADD" ? "packing" : "unpacking"}};
  if (!location.empty()) e["readPoint"] = {{"id", location}};
  return e;
}

struct TraceTest : ::testing::Test {
  ledger::ChainRules rules{"trace-test"};
  ledger::Executor exec{rules};
  ledger::MapState base;
  ledger::Overlay state{base};
  crypto::PrivateKey farm = key_of(1), carrier = key_of(2), bureau = key_of(3), outsider = key_of(4),
                     farm_clerk = key_of(5), consumer = key_of(6);
  std::map<AddressBytes, std::uint64_t> nonces;
  std::uint64_t height = 1;

  const std::string carton1 = sgtin(kFarm, "011111", "1001"), carton2 = sgtin(kFarm, "011111", "1002");
  const std::string case1 = sgtin(kFarm, "211111", "501");
  const std::string pallet = sscc(kFarm, "1000000001");
  const std::string farm_loc = sgln(kFarm, "00001"), truck_loc = sgln(kCarrier, "00007"),
                    lab_loc = sgln(kBureau, "00003");

  void SetUp() override {
    exec.add_module(std::make_shared<Trace>());
    std::string accounts =
        "{\"address\": \"" + text_of(farm) + "\", \"org\": \"org0\", \"roles\": [\"admin\"]}," +
        "{\"address\": \"" + text_of(carrier) + "\", \"org\": \"org1\", \"roles\": [\"admin\"]}," +
        "{\"address\": \"" + text_of(bureau) + "\", \"org\": \"org2\", \"roles\": [\"admin\"]}," +
        "{\"address\": \"" + text_of(outsider) + "\", \"org\": \"org3\", \"roles\": [\"admin\"]}," +
        "{\"address\": \"" + text_of(farm_clerk) + "\", \"org\": \"org0\"}," + "{\"address\": \"" +
        text_of(consumer) + "\", \"org\": \"org3\"}";
    auto g = ledger::parse_genesis(
        R"({"chain_id": "trace-test", "orgs": [{"name": "org0"}, {"name": "org1"}, {"name": "org2"}, {"name": "org3"}], "accounts": [)" +
        accounts + "]}");
    ASSERT_TRUE(g.ok()) << g.error().to_string();
    ASSERT_TRUE(exec.apply_genesis(state, *g).ok());
    ASSERT_EQ(reg(farm, {kFarm}, {gln(kFarm, "00001")}).status, TxStatus::kOk);
    ASSERT_EQ(reg(carrier, {kCarrier}, {gln(kCarrier, "00007")}).status, TxStatus::kOk);
    ASSERT_EQ(reg(bureau, {kBureau}, {gln(kBureau, "00003")}).status, TxStatus::kOk);
  }

  template <class P>
  Receipt run(const crypto::PrivateKey& k, std::string kind, const P& payload) {
    ledger::TxBody b;
    b.chain_id = rules.chain_id;
    b.nonce = nonces[addr_of(k)]++;
    b.module = "trace";
    b.kind = std::move(kind);
    b.payload = *codec::encode(payload);
    b.expiry_height = 1000;
    auto tx = *ledger::sign_transaction(b, k, rules.hash_alg);
    return exec.execute_tx(state, height++, 0, tx, *ledger::check_stateless(tx, rules));
  }
  Receipt reg(const crypto::PrivateKey& k, std::vector<std::string> prefixes, std::vector<std::string> glns) {
    return run(k, "register", TraceRegister{"org", std::move(prefixes), std::move(glns)});
  }
  Receipt capture(const crypto::PrivateKey& k, const std::vector<Json>& events,
                  std::vector<TraceSecret> secrets = {}) {
    return run(k, "capture", TraceCapture{doc_of(events).dump(), std::move(secrets)});
  }
  std::string hash_of_event(const Json& e) {
    auto d = gs1::parse_epcis(doc_of({e}).dump());
    EXPECT_TRUE(d.ok());
    return gs1::event_hash_id(gs1::event_prehash(d->events[0].tree, d->ignored_fields));
  }
  Json query(const std::string& path, const Json& params) {
    auto r = Trace().query(state, path, params);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? *r : Json();
  }
  TraceSecret secret_for(const std::string& item, const std::string& secret) {
    return TraceSecret{item, *Trace::secret_hash(rules.hash_alg, secret)};
  }

  // The egg journey: commission cartons, pack into a case and a pallet, ship, sensor readings,
  // inspection, receive and unpack at the carrier's depot (standing in for the shop).
  void journey() {
    ASSERT_EQ(
        capture(farm,
                {object_event("2026-03-01T06:00:00Z", {carton1, carton2}, "ADD", "commissioning", farm_loc),
                 aggregation("2026-03-01T07:00:00Z", case1, {carton1, carton2}, "ADD", farm_loc),
                 aggregation("2026-03-01T07:30:00Z", pallet, {case1}, "ADD", farm_loc)},
                {secret_for(carton1, "SCRATCH-1")})
            .status,
        TxStatus::kOk);
    ASSERT_EQ(capture(carrier,
                      {object_event("2026-03-01T09:00:00+01:00", {pallet}, "OBSERVE", "shipping", truck_loc)})
                  .status,
              TxStatus::kOk);
    Json sensor = object_event("2026-03-01T10:00:00Z", {pallet}, "OBSERVE", "transporting", truck_loc);
    sensor["sensorElementList"] = Json::array(
        {{{"sensorMetadata", {{"time", "2026-03-01T10:00:00Z"}}},
          {"sensorReport", Json::array({{{"type", "Temperature"}, {"value", 4.5}, {"uom", "CEL"}}})}}});
    ASSERT_EQ(capture(carrier, {sensor}).status, TxStatus::kOk);
    ASSERT_EQ(
        capture(bureau, {object_event("2026-03-01T11:00:00Z", {case1}, "OBSERVE", "inspecting", lab_loc)})
            .status,
        TxStatus::kOk);
    ASSERT_EQ(
        capture(carrier, {aggregation("2026-03-01T12:00:00Z", pallet, {case1}, "DELETE", truck_loc)}).status,
        TxStatus::kOk);
    // After unpacking: a pallet event that no longer concerns the carton.
    ASSERT_EQ(
        capture(carrier, {object_event("2026-03-01T13:00:00Z", {pallet}, "OBSERVE", "storing", truck_loc)})
            .status,
        TxStatus::kOk);
  }
};

TEST_F(TraceTest, RegistrationNeedsTheAdminAndUniquePrefixes) {
  auto r = reg(farm_clerk, {"4011111"}, {});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("admin"), std::string::npos) << r.error;
  r = reg(outsider, {kFarm}, {});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("org0"), std::string::npos) << r.error;
  r = reg(outsider, {"4077777"}, {gln(kFarm, "00001")});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_EQ(reg(outsider, {"12"}, {}).status, TxStatus::kRejected);
  std::string bad = gln("4077777", "00001");
  bad.back() = static_cast<char>('0' + (bad.back() - '0' + 1) % 10);
  EXPECT_EQ(reg(outsider, {"4077777"}, {bad}).status, TxStatus::kRejected);  // bad check digit
  EXPECT_EQ(reg(outsider, {"4077777"}, {gln("4077777", "00001")}).status, TxStatus::kOk);
  auto p = query("participant", {{"org", "org3"}});
  EXPECT_EQ(p["company_prefixes"], Json::array({"4077777"}));
  EXPECT_EQ(query("participants", Json::object()).size(), 4u);
}

TEST_F(TraceTest, CaptureKeysEventsByHashIdAndIsIdempotent) {
  Json e = object_event("2026-03-01T06:00:00.000+02:00", {carton1}, "ADD", "commissioning", farm_loc);
  auto r = capture(farm, {e});
  ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  std::string id = hash_of_event(e);
  Json ev = query("event", {{"id", id}});
  EXPECT_EQ(ev["hash_id"], id);
  EXPECT_EQ(ev["org"], "org0");
  EXPECT_EQ(ev["event_time"], "2026-03-01T04:00:00.000Z");
  EXPECT_EQ(ev["event"]["biz_step"], "https://ref.gs1.org/cbv/BizStep-commissioning");
  // Same event again (alone, or with another): no second copy.
  ASSERT_EQ(capture(farm, {e}).status, TxStatus::kOk);
  ASSERT_EQ(
      capture(farm, {e, object_event("2026-03-01T06:00:01Z", {carton2}, "ADD", "commissioning", farm_loc)})
          .status,
      TxStatus::kOk);
  EXPECT_EQ(query("events", {{"epc", carton1}})["events"].size(), 1u);
  EXPECT_EQ(query("events", {{"location", farm_loc}})["events"].size(), 2u);
  // The Digital Link of the carton finds the same events as its EPC URI.
  EXPECT_EQ(query("events", {{"epc", "https://id.gs1.org/01/04012345111118/21/1001"}})["events"].size(), 1u);
}

TEST_F(TraceTest, AuthorisationRefusals) {
  // Commissioning another organisation's identifiers, at one's own location.
  auto r =
      capture(carrier, {object_event("2026-03-01T06:00:00Z", {carton1}, "ADD", "commissioning", truck_loc)});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("permission denied"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("org0"), std::string::npos) << r.error;
  // Capturing at another organisation's location.
  r = capture(carrier, {object_event("2026-03-01T06:00:00Z", {sgtin(kCarrier, "000001", "1")}, "ADD",
                                     "commissioning", farm_loc)});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("location"), std::string::npos) << r.error;
  // Observing someone else's item with no location of one's own.
  ASSERT_EQ(capture(farm, {object_event("2026-03-01T06:00:00Z", {carton1}, "ADD", "commissioning", farm_loc)})
                .status,
            TxStatus::kOk);
  r = capture(carrier, {object_event("2026-03-01T08:00:00Z", {carton1}, "OBSERVE", "shipping", "")});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("names no location"), std::string::npos) << r.error;
  // An organisation that is not a participant; an unregistered location.
  r = capture(outsider, {object_event("2026-03-01T08:00:00Z", {carton1}, "OBSERVE", "shipping", "")});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("not a trace participant"), std::string::npos) << r.error;
  r = capture(carrier, {object_event("2026-03-01T08:00:00Z", {carton1}, "OBSERVE", "shipping",
                                     sgln("4199999", "00001"))});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  // A refused event anywhere in a document refuses the whole document.
  r = capture(carrier, {object_event("2026-03-01T09:00:00Z", {carton1}, "OBSERVE", "shipping", truck_loc),
                        object_event("2026-03-01T09:00:00Z", {carton2}, "ADD", "commissioning", truck_loc)});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_EQ(query("events", {{"epc", carton1}})["events"].size(), 1u);
  // Custody: the carrier may observe the farm's carton at its own location.
  EXPECT_EQ(
      capture(carrier, {object_event("2026-03-01T09:00:00Z", {carton1}, "OBSERVE", "shipping", truck_loc)})
          .status,
      TxStatus::kOk);
  // An invalid event is refused with its reason.
  r = capture(farm, {object_event("not a time", {carton2}, "ADD", "commissioning", farm_loc)});
  EXPECT_EQ(r.status, TxStatus::kRejected);
  EXPECT_NE(r.error.find("event 0"), std::string::npos) << r.error;
}

TEST_F(TraceTest, ErrorDeclarationMarksTheOriginal) {
  Json e = object_event("2026-03-01T06:00:00Z", {carton1}, "ADD", "commissioning", farm_loc);
  std::string id = hash_of_event(e);
  Json declared = e;
  declared["errorDeclaration"] = {{"declarationTime", "2026-03-02T00:00:00Z"}, {"reason", "incorrect_data"}};
  EXPECT_EQ(hash_of_event(declared), id);
  // Not on chain yet: refused.
  EXPECT_EQ(capture(farm, {declared}).status, TxStatus::kRejected);
  ASSERT_EQ(capture(farm, {e}).status, TxStatus::kOk);
  EXPECT_TRUE(query("event", {{"id", id}})["error_declaration"].is_null());
  // Another organisation may not declare the farm's event erroneous.
  EXPECT_EQ(capture(carrier, {declared}).status, TxStatus::kRejected);
  auto r = capture(farm, {declared});
  ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  Json ev = query("event", {{"id", id}});
  EXPECT_EQ(ev["error_declaration"]["reason"], "https://ref.gs1.org/cbv/ER-incorrect_data");
  EXPECT_EQ(query("events", {{"epc", carton1}})["events"].size(), 1u);
}

TEST_F(TraceTest, QueriesByEpcClassLocationStepAndTime) {
  journey();
  EXPECT_EQ(query("events", {{"epc", pallet}})["events"].size(),
            5u);  // packed, shipped, sensor, unpacked, storing
  EXPECT_EQ(query("events", {{"location", truck_loc}})["events"].size(), 4u);
  EXPECT_EQ(query("events", {{"biz_step", "inspecting"}})["events"].size(), 1u);
  EXPECT_EQ(query("events", {{"class", "https://id.gs1.org/01/04012345111118"}})["events"].size(), 2u);
  EXPECT_EQ(
      query("events",
            {{"epc", pallet}, {"from", "2026-03-01T08:00:00Z"}, {"to", "2026-03-01T10:30:00Z"}})["events"]
          .size(),
      2u);
  EXPECT_EQ(query("events", {{"location", truck_loc}, {"biz_step", "transporting"}})["events"].size(), 1u);
  Json page = query("events", {{"limit", 3}});
  EXPECT_EQ(page["events"].size(), 3u);
  EXPECT_EQ(page["next_cursor"], 3);
  EXPECT_EQ(query("events", {{"cursor", 3}, {"limit", 100}})["events"].size(), 5u);  // 8 in all
  EXPECT_FALSE(Trace().query(state, "events", {{"limit", 0}}).ok());
  EXPECT_FALSE(Trace().query(state, "events", {{"from", "yesterday"}}).ok());
}

TEST_F(TraceTest, TraceFollowsAggregationsUpWithinTheirWindow) {
  journey();
  auto t = Trace::trace(state, "https://id.gs1.org/01/04012345111118/10/LOT7/21/1001");
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  EXPECT_EQ(t->item, "https://id.gs1.org/01/04012345111118/21/1001");
  EXPECT_EQ(t->lot, "https://id.gs1.org/01/04012345111118/10/LOT7");
  std::vector<std::string> steps;
  for (const auto& e : t->events) steps.push_back(Json::parse(e.record.event_json).value("biz_step", ""));
  // commissioning, packing (case), packing (pallet), shipping, transporting, inspecting, unpacking;
  // the pallet's "storing" after the unpacking is not the carton's.
  ASSERT_EQ(steps.size(), 7u);
  EXPECT_NE(steps[0].find("commissioning"), std::string::npos);
  EXPECT_NE(steps[3].find("shipping"), std::string::npos);
  EXPECT_NE(steps[4].find("transporting"), std::string::npos);
  EXPECT_NE(steps[5].find("inspecting"), std::string::npos);
  EXPECT_NE(steps[6].find("unpacking"), std::string::npos);
  EXPECT_EQ(t->parents.size(), 2u);
  ASSERT_TRUE(t->item_record.has_value());
  EXPECT_EQ(t->item_record->org, "org0");
  // Down: the case lists its cartons.
  auto tc = Trace::trace(state, case1);
  ASSERT_TRUE(tc.ok());
  EXPECT_EQ(tc->children.size(), 2u);
}

TEST_F(TraceTest, TraceFollowsTransformationsUpAndDown) {
  const std::string eggs = "urn:epc:class:lgtin:" + kFarm + ".011111.LOT7";
  const std::string liquid = "urn:epc:class:lgtin:" + kFarm + ".033333.B1";
  Json commission = {{"type", "ObjectEvent"},
                     {"eventTime", "2026-03-01T05:00:00Z"},
                     {"eventTimeZoneOffset", "+00:00"},
                     {"action", "ADD"},
                     {"bizStep", "commissioning"},
                     {"readPoint", {{"id", farm_loc}}},
                     {"quantityList", Json::array({{{"epcClass", eggs}, {"quantity", 600}}})}};
  Json transform = {
      {"type", "TransformationEvent"},
      {"eventTime", "2026-03-02T05:00:00Z"},
      {"eventTimeZoneOffset", "+00:00"},
      {"bizStep", "commissioning"},
      {"readPoint", {{"id", farm_loc}}},
      {"inputQuantityList", Json::array({{{"epcClass", eggs}, {"quantity", 600}}})},
      {"outputQuantityList", Json::array({{{"epcClass", liquid}, {"quantity", 30}, {"uom", "KGM"}}})}};
  auto r = capture(farm, {commission, transform});
  ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  auto up = Trace::trace(state, *Trace::canonical_id(liquid));
  ASSERT_TRUE(up.ok()) << up.error().to_string();
  EXPECT_EQ(up->events.size(), 2u);  // the transformation and the eggs' commissioning
  EXPECT_EQ(up->inputs.size(), 1u);
  auto down = Trace::trace(state, eggs);
  ASSERT_TRUE(down.ok());
  EXPECT_EQ(down->outputs.size(), 1u);
  EXPECT_EQ(down->events.size(), 2u);
}

TEST_F(TraceTest, OneTimeSecretFirstClaimThenCounterfeitWarning) {
  journey();
  const std::string dl = "https://id.gs1.org/01/04012345111118/21/1001";
  Json item = query("item", {{"id", carton1}});
  EXPECT_EQ(item["claim_status"], "unclaimed");
  auto r = run(consumer, "claim", TraceClaim{"SCRATCH-1", dl});
  ASSERT_EQ(r.status, TxStatus::kOk) << r.error;
  EXPECT_EQ(r.events.at(0).attributes.at("result"), "genuine");
  item = query("item", {{"id", dl}});
  EXPECT_EQ(item["claim_status"], "claimed");
  EXPECT_EQ(item["counterfeit_warning"], false);
  r = run(consumer, "claim", TraceClaim{"SCRATCH-1", ""});
  EXPECT_EQ(r.events.at(0).attributes.at("result"), "already_claimed");
  item = query("item", {{"id", dl}});
  EXPECT_EQ(item["claim_status"], "claimed_more_than_once");
  EXPECT_EQ(item["counterfeit_warning"], true);
  // A code never commissioned, naming the second carton.
  r = run(consumer, "claim", TraceClaim{"FAKE", carton2});
  EXPECT_EQ(r.events.at(0).attributes.at("result"), "unknown_code");
  // carton2 has no item record with a secret, but it was commissioned: the bad code is counted.
  EXPECT_EQ(query("item", {{"id", carton2}})["counterfeit_warning"], true);
  // Only the owner of the item's prefix sets its secret.
  EXPECT_EQ(run(carrier, "set_secrets", TraceSetSecrets{{secret_for(carton2, "X")}}).status,
            TxStatus::kRejected);
  EXPECT_EQ(run(farm, "set_secrets", TraceSetSecrets{{secret_for(carton2, "X")}}).status, TxStatus::kOk);
  EXPECT_EQ(run(farm, "set_secrets", TraceSetSecrets{{secret_for(carton2, "Y")}}).status,
            TxStatus::kRejected);
}

TEST_F(TraceTest, CanonicalTime) {
  EXPECT_EQ(*Trace::canonical_time("2026-03-01T00:30:00.5+01:00"), "2026-02-28T23:30:00.500Z");
  EXPECT_EQ(*Trace::canonical_time("1999-12-31T23:59:59Z"), "1999-12-31T23:59:59.000Z");
  EXPECT_EQ(*Trace::canonical_time("2024-02-29T12:00:00.123456-05:30"), "2024-02-29T17:30:00.123Z");
  EXPECT_FALSE(Trace::canonical_time("2024-02-29").ok());
}

}  // namespace
}  // namespace formica::apps
