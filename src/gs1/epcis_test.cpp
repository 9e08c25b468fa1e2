#include "formica/gs1/epcis.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace formica::gs1 {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

enum class Verdict {
  kValid,     // every event parses and validates
  kNotEpcis,  // the document is refused as a whole; reason contains `why`
};

struct Example {
  const char* path;  // under tests/vectors/gs1/epcis
  Verdict verdict;
  const char* why;
};

// Every EPCIS example of the GS1 EPCIS repository (tests/vectors/gs1/README.md), with the verdict
// Formica gives it. Refusals: capture-job and master-data documents are not event documents;
// a few examples carry "<!DOCTYPE project>", which the safe XML reader refuses by policy.
const Example kExamples[] = {
    {"json-ld/EPCISQueryDocument.jsonld", Verdict::kValid, ""},
    {"json-ld/Example-TransactionEvents-2020_07_03y.jsonld", Verdict::kValid, ""},
    {"json-ld/Example-Type-sourceOrDestination,measurement,bizTransaction.jsonld", Verdict::kValid, ""},
    {"json-ld/Example_9.6.1-ObjectEvent-with-pseudo-SBDH-headers.jsonld", Verdict::kValid, ""},
    {"json-ld/Example_9.6.1-ObjectEvent.jsonld", Verdict::kValid, ""},
    {"json-ld/Example_9.6.1-with-comment.jsonld", Verdict::kValid, ""},
    {"json-ld/Example_9.6.2-ObjectEvent.jsonld", Verdict::kValid, ""},
    {"json-ld/Example_9.6.3-AggregationEvent.jsonld", Verdict::kValid, ""},
    {"json-ld/Example_9.6.4-TransformationEvent.jsonld", Verdict::kValid, ""},
    {"json-ld/PersistentDisposition-example.jsonld", Verdict::kValid, ""},
    {"json-ld/AssociationEvent/AssociationEvent-a.jsonld", Verdict::kValid, ""},
    {"json-ld/AssociationEvent/AssociationEvent-b.jsonld", Verdict::kValid, ""},
    {"json-ld/AssociationEvent/AssociationEvent-c.jsonld", Verdict::kValid, ""},
    {"json-ld/AssociationEvent/AssociationEvent-d.jsonld", Verdict::kValid, ""},
    {"json-ld/AssociationEvent/AssociationEvent-e.jsonld", Verdict::kValid, ""},
    {"json-ld/AssociationEvent/AssociationEvent-f.jsonld", Verdict::kValid, ""},
    {"json-ld/AssociationEvent/AssociationEvent-g.jsonld", Verdict::kValid, ""},
    {"json-ld/AssociationEvent/AssociationEvent-h.jsonld", Verdict::kValid, ""},
    {"json-ld/WithDigitalLinkID/Example_9.6.1-ObjectEventWithDigitalLink.jsonld", Verdict::kValid, ""},
    {"json-ld/WithDigitalLinkID/Example_9.6.2-ObjectEventWithDigitalLink.jsonld", Verdict::kValid, ""},
    {"json-ld/WithDigitalLinkID/Example_9.6.3-AggregationEventWithDigitalLink.jsonld", Verdict::kValid, ""},
    {"json-ld/WithDigitalLinkID/Example_9.6.4-TransformationEventWithDigitalLink.jsonld", Verdict::kValid,
     ""},
    {"json-ld/WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.jsonld", Verdict::kValid, ""},
    {"json-ld/WithErrorDeclaration/Example_9.6.1-ObjectEvent-with-error-declaration.jsonld", Verdict::kValid,
     ""},
    {"json-ld/WithFullCombinationOfFields/aggregation_event_all_possible_fields.jsonld", Verdict::kValid, ""},
    {"json-ld/WithFullCombinationOfFields/association_event_all_possible_fields.jsonld", Verdict::kValid, ""},
    {"json-ld/WithFullCombinationOfFields/object_event_all_possible_fields.jsonld", Verdict::kValid, ""},
    {"json-ld/WithFullCombinationOfFields/transaction_event_all_possible_fields.jsonld", Verdict::kValid, ""},
    {"json-ld/WithFullCombinationOfFields/transformation_event_all_possible_fields.jsonld", Verdict::kValid,
     ""},
    {"json-ld/WithSensorData/SensorDataExample1.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample10.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample11.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample12.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample13.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample14.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample15.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample16.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample17.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample1b.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample2.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample3.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample4.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample5.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample6.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample7.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample8.jsonld", Verdict::kValid, ""},
    {"json-ld/WithSensorData/SensorDataExample9.jsonld", Verdict::kValid, ""},
    {"xml-1.2/AggregationEvent.xml", Verdict::kValid, ""},
    {"xml-1.2/AssociationEvent.xml", Verdict::kValid, ""},
    {"xml-1.2/ObjectEvent.xml", Verdict::kValid, ""},
    {"xml-1.2/TransactionEvent.xml", Verdict::kValid, ""},
    {"xml-1.2/TransformationEvent.xml", Verdict::kValid, ""},
    {"xml-2.0/Example-PersistentDisposition.xml", Verdict::kValid, ""},
    {"xml-2.0/Example-TransactionEvent-2020_07_03y.xml", Verdict::kValid, ""},
    {"xml-2.0/Example_9.6.1-ObjectEvent-2020_06_18a.xml", Verdict::kValid, ""},
    {"xml-2.0/AssociationEvent/AssociationEventExamples.xml", Verdict::kValid, ""},
    {"xml-2.0/CBV/CBV-11.1-2020-06-16a.xml", Verdict::kValid, ""},
    {"xml-2.0/CBV/CBV-11.2-2020-06-16a.xml", Verdict::kValid, ""},
    {"xml-2.0/CBV/CBV-11.3-2020-06-16a.xml", Verdict::kValid, ""},
    {"xml-2.0/CBV/CBV-11.4-2020-06-16a.xml", Verdict::kNotEpcis, "EPCISMasterDataDocument"},
    {"xml-2.0/CaptureJob/Example-CaptureJobRunning.xml", Verdict::kNotEpcis, "EPCISCaptureJob"},
    {"xml-2.0/CaptureJob/Example-CaptureJobSuccess.xml", Verdict::kNotEpcis, "EPCISCaptureJob"},
    {"xml-2.0/CaptureJob/Example-CaptureJobWithErrorFile.xml", Verdict::kNotEpcis, "EPCISCaptureJob"},
    {"xml-2.0/CaptureJob/Example-CaptureJobWithErrors.xml", Verdict::kNotEpcis, "EPCISCaptureJob"},
    {"xml-2.0/Mimasu/Example-associatonEvent-sensor.xml", Verdict::kValid, ""},
    {"xml-2.0/Mimasu/Example-masterData.xml", Verdict::kNotEpcis, "EPCISMasterDataDocument"},
    {"xml-2.0/Mimasu/Example1.xml", Verdict::kValid, ""},
    {"xml-2.0/Mimasu/Example2.xml", Verdict::kValid, ""},
    {"xml-2.0/Mimasu/Example3.xml", Verdict::kValid, ""},
    {"xml-2.0/Mimasu/Example4.xml", Verdict::kValid, ""},
    {"xml-2.0/WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.xml", Verdict::kValid, ""},
    {"xml-2.0/WithEventHashID/event_with_identical_hash_id_1.xml", Verdict::kNotEpcis, "DOCTYPE"},
    {"xml-2.0/WithEventHashID/event_with_identical_hash_id_2.xml", Verdict::kNotEpcis, "DOCTYPE"},
    {"xml-2.0/WithEventHashID/event_with_identical_hash_id_3.xml", Verdict::kNotEpcis, "DOCTYPE"},
    {"xml-2.0/WithEventHashID/event_with_identical_hash_id_4.xml", Verdict::kNotEpcis, "DOCTYPE"},
    {"xml-2.0/WithEventHashID/event_with_identical_hash_id_5.xml", Verdict::kNotEpcis, "DOCTYPE"},
    {"xml-2.0/WithEventHashID/event_with_identical_hash_id_6.xml", Verdict::kNotEpcis, "DOCTYPE"},
    {"xml-2.0/WithEventHashID/event_with_identical_hash_id_7.json", Verdict::kValid, ""},
    {"xml-2.0/WithExtension/AggregationEvent.xml", Verdict::kValid, ""},
    {"xml-2.0/WithExtension/AssociationEvent.xml", Verdict::kValid, ""},
    {"xml-2.0/WithExtension/ObjectEvent.xml", Verdict::kValid, ""},
    {"xml-2.0/WithExtension/TransactionEvent.xml", Verdict::kValid, ""},
    {"xml-2.0/WithExtension/TransformationEvent.xml", Verdict::kValid, ""},
    {"xml-2.0/WithFullCombinationOfFields/aggregation_event_all_possible_fields.xml", Verdict::kNotEpcis,
     "DOCTYPE"},
    {"xml-2.0/WithFullCombinationOfFields/association_event_all_possible_fields.xml", Verdict::kNotEpcis,
     "DOCTYPE"},
    {"xml-2.0/WithFullCombinationOfFields/masterdata_all_possible_fields.xml", Verdict::kNotEpcis, "DOCTYPE"},
    {"xml-2.0/WithFullCombinationOfFields/object_event_all_possible_fields.xml", Verdict::kNotEpcis,
     "DOCTYPE"},
    {"xml-2.0/WithFullCombinationOfFields/transaction_event_all_possible_fields.xml", Verdict::kNotEpcis,
     "DOCTYPE"},
    {"xml-2.0/WithFullCombinationOfFields/transformation_event_all_possible_fields.xml", Verdict::kNotEpcis,
     "DOCTYPE"},
    {"xml-2.0/WithSensorData/SensorDataExamples.xml", Verdict::kValid, ""},
};

TEST(EpcisExamples, EachParsesOrIsRefusedForItsStatedReason) {
  std::size_t events = 0;
  for (const auto& ex : kExamples) {
    SCOPED_TRACE(ex.path);
    std::string text = slurp(std::string(FORMICA_VECTORS_DIR) + "/gs1/epcis/" + ex.path);
    ASSERT_FALSE(text.empty());
    auto doc = parse_epcis(text);
    if (ex.verdict == Verdict::kNotEpcis) {
      ASSERT_FALSE(doc.ok());
      EXPECT_NE(doc.error().message.find(ex.why), std::string::npos) << doc.error().message;
      continue;
    }
    ASSERT_TRUE(doc.ok()) << doc.error().to_string();
    ASSERT_FALSE(doc->events.empty());
    for (const auto& e : doc->events) {
      EXPECT_TRUE(e.event.has_value()) << e.error;
      ++events;
    }
  }
  EXPECT_GT(events, 100u);
}

TEST(EpcisExamples, OneModelForJsonAndXml) {
  // Example 9.6.1 exists in both syntaxes: the typed events agree field by field.
  auto j = parse_epcis(
      slurp(std::string(FORMICA_VECTORS_DIR) + "/gs1/epcis/json-ld/Example_9.6.1-ObjectEvent.jsonld"));
  auto x = parse_epcis(slurp(std::string(FORMICA_VECTORS_DIR) +
                             "/gs1/epcis/xml-2.0/Example_9.6.1-ObjectEvent-2020_06_18a.xml"));
  ASSERT_TRUE(j.ok() && x.ok());
  ASSERT_EQ(j->events.size(), x->events.size());
  EXPECT_EQ(j->syntax, Syntax::kJsonLd);
  EXPECT_EQ(x->syntax, Syntax::kXml);
  for (std::size_t i = 0; i < j->events.size(); ++i) {
    const Event& a = *j->events[i].event;
    const Event& b = *x->events[i].event;
    EXPECT_EQ(a.type, b.type);
    EXPECT_EQ(a.epc_list, b.epc_list);
    EXPECT_EQ(a.biz_step, b.biz_step);
    EXPECT_EQ(a.disposition, b.disposition);
    EXPECT_EQ(a.read_point, b.read_point);
    EXPECT_EQ(a.biz_transactions.size(), b.biz_transactions.size());
  }
  EXPECT_EQ(j->events[0].event->biz_step, "https://ref.gs1.org/cbv/BizStep-shipping");
}

TEST(EpcisExamples, AllFiveEventTypesAndSensorData) {
  auto doc = parse_epcis(
      slurp(std::string(FORMICA_VECTORS_DIR) + "/gs1/epcis/xml-2.0/WithSensorData/SensorDataExamples.xml"));
  ASSERT_TRUE(doc.ok());
  bool sensors = false;
  for (const auto& e : doc->events) sensors = sensors || !e.event->sensor_elements.empty();
  EXPECT_TRUE(sensors);
  std::set<EventType> seen;
  for (const char* f : {"json-ld/WithFullCombinationOfFields/object_event_all_possible_fields.jsonld",
                        "json-ld/WithFullCombinationOfFields/aggregation_event_all_possible_fields.jsonld",
                        "json-ld/WithFullCombinationOfFields/transaction_event_all_possible_fields.jsonld",
                        "json-ld/WithFullCombinationOfFields/transformation_event_all_possible_fields.jsonld",
                        "json-ld/WithFullCombinationOfFields/association_event_all_possible_fields.jsonld"}) {
    auto d = parse_epcis(slurp(std::string(FORMICA_VECTORS_DIR) + "/gs1/epcis/" + f));
    ASSERT_TRUE(d.ok()) << f;
    for (const auto& e : d->events) {
      ASSERT_TRUE(e.event) << f << ": " << e.error;
      seen.insert(e.event->type);
    }
  }
  EXPECT_EQ(seen.size(), 5u);
}

// A minimal valid JSON-LD document with one event whose members are given.
std::string doc_with(const std::string& members) {
  return R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument",
"schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z","epcisBody":{"eventList":[{"type":"ObjectEvent",)" +
         members + "}]}}";
}

const std::string kOk =
    R"("eventTime":"2024-01-01T10:00:00+01:00","eventTimeZoneOffset":"+01:00","action":"OBSERVE")";

std::string first_error(const std::string& members) {
  auto doc = parse_epcis(doc_with(members));
  EXPECT_TRUE(doc.ok());
  if (!doc.ok() || doc->events.empty()) return "no document";
  return doc->events[0].error;
}

TEST(EpcisValidation, PreciseErrors) {
  EXPECT_EQ(first_error(kOk), "");
  EXPECT_EQ(first_error(R"("eventTimeZoneOffset":"+01:00","action":"OBSERVE")"), "eventTime: missing");
  EXPECT_NE(
      first_error(R"("eventTime":"2024-01-01T10:00:00","eventTimeZoneOffset":"+01:00","action":"OBSERVE")")
          .find("no time zone"),
      std::string::npos);
  EXPECT_NE(
      first_error(R"("eventTime":"2024-01-01T10:00:00Z","eventTimeZoneOffset":"+15:00","action":"OBSERVE")")
          .find("eventTimeZoneOffset"),
      std::string::npos);
  EXPECT_NE(
      first_error(R"("eventTime":"2024-02-30T10:00:00Z","eventTimeZoneOffset":"+01:00","action":"OBSERVE")")
          .find("not an xsd:dateTime"),
      std::string::npos);
  EXPECT_EQ(first_error(R"("eventTime":"2024-01-01T10:00:00Z","eventTimeZoneOffset":"+01:00")"),
            "action: missing");
  EXPECT_NE(first_error(kOk + R"(,"bizStep":"shiping")").find("neither a CBV term"), std::string::npos);
  EXPECT_NE(first_error(kOk + R"(,"disposition":"https://ref.gs1.org/cbv/Disp-nonsense")").find("CBV 2.0"),
            std::string::npos);
  EXPECT_EQ(first_error(kOk + R"(,"bizStep":"https://example.com/my-step")"), "");  // user vocabulary
  EXPECT_NE(first_error(kOk + R"(,"epcList":["urn:epc:id:sgtin:4012345.011111"])").find("epcList"),
            std::string::npos);
  EXPECT_NE(
      first_error(kOk + R"(,"epcList":["https://id.gs1.org/01/04012345111119/21/1"])").find("check digit"),
      std::string::npos);
  EXPECT_NE(first_error(kOk + R"(,"epcList":["not a uri"])").find("is not a URI"), std::string::npos);
  EXPECT_NE(
      first_error(kOk +
                  R"(,"quantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.011111.L1","quantity":"x"}])")
          .find("quantity"),
      std::string::npos);
}

TEST(EpcisValidation, EventTypeRules) {
  std::string agg = doc_with(kOk);
  agg.replace(agg.find("ObjectEvent"), 11, "AggregationEvent");
  agg.replace(agg.find("OBSERVE"), 7, "ADD");
  auto d = parse_epcis(agg);
  ASSERT_TRUE(d.ok());
  EXPECT_NE(d->events[0].error.find("parentID"), std::string::npos);
  std::string tx = doc_with(kOk);
  tx.replace(tx.find("ObjectEvent"), 11, "TransactionEvent");
  d = parse_epcis(tx);
  ASSERT_TRUE(d.ok());
  EXPECT_NE(d->events[0].error.find("bizTransactionList"), std::string::npos);
  std::string bad_type = doc_with(kOk);
  bad_type.replace(bad_type.find("ObjectEvent"), 11, "QuantityEvent");
  d = parse_epcis(bad_type);
  ASSERT_TRUE(d.ok());
  EXPECT_NE(d->events[0].error.find("not an EPCIS 2.0 event type"), std::string::npos);
}

TEST(EpcisDocument, RefusesNonEpcisAndHostileInput) {
  EXPECT_EQ(parse_epcis("hello").code(), ErrorCode::kMalformed);
  EXPECT_EQ(parse_epcis("{\"a\":").code(), ErrorCode::kMalformed);
  EXPECT_EQ(parse_epcis("{\"type\":\"Other\"}").code(), ErrorCode::kUnsupported);
  EXPECT_EQ(parse_epcis("<root/>").code(), ErrorCode::kUnsupported);
  EXPECT_EQ(
      parse_epcis(R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>)")
          .code(),
      ErrorCode::kMalformed);
  std::string deep(100000, '[');
  EXPECT_FALSE(
      parse_epcis(
          "{\"type\":\"EPCISDocument\",\"epcisBody\":{\"eventList\":[{\"type\":\"ObjectEvent\",\"x\":" +
          deep + "}]}}")
          .ok());
}

}  // namespace
}  // namespace formica::gs1
