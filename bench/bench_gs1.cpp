// GS1 kernels: EPCIS documents parsed per second (JSON-LD, XML), events hashed per second (CBV
// 2.0 event hash ID: pre-hash string + SHA-256), Digital Links parsed, QR codes drawn and read.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "formica/gs1/digital_link.h"
#include "formica/gs1/epcis.h"
#include "formica/gs1/event_hash.h"
#include "formica/gs1/qr.h"

namespace {

std::string gs1_file(const std::string& rel) {
  std::ifstream in(std::string(FORMICA_VECTORS_DIR) + "/gs1/" + rel, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void parse_doc(benchmark::State& state, const std::string& rel) {
  std::string text = gs1_file(rel);
  std::size_t events = 0;
  for (auto _ : state) {
    auto doc = formica::gs1::parse_epcis(text);
    if (!doc.ok()) state.SkipWithError("parse failed");
    events += doc.ok() ? doc->events.size() : 0;
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["docs_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_Gs1ParseJsonLd(benchmark::State& state) {
  parse_doc(state, "epcis/json-ld/WithFullCombinationOfFields/object_event_all_possible_fields.jsonld");
}
void BM_Gs1ParseXml(benchmark::State& state) {
  parse_doc(state, "epcis/xml-2.0/WithSensorData/SensorDataExamples.xml");
}
void BM_Gs1ParseXmlSmall(benchmark::State& state) {
  parse_doc(state, "event-hash/ReferenceEventHashAlgorithm.xml");
}
void BM_Gs1ParseJsonLdSmall(benchmark::State& state) {
  parse_doc(state, "event-hash/ReferenceEventHashAlgorithm.jsonld");
}

void BM_Gs1HashEvents(benchmark::State& state) {
  auto doc = formica::gs1::parse_epcis(gs1_file("event-hash/SensorDataExamples.xml"));
  std::size_t events = 0;
  for (auto _ : state) {
    for (const auto& e : doc->events) {
      auto id = formica::gs1::event_hash_id(formica::gs1::event_prehash(e.tree, doc->ignored_fields));
      benchmark::DoNotOptimize(id);
      ++events;
    }
  }
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_Gs1DigitalLinkParse(benchmark::State& state) {
  const std::string uri = "https://id.gs1.org/01/09506000134352/10/ABC123/21/12345?17=261231";
  for (auto _ : state) benchmark::DoNotOptimize(formica::gs1::parse_digital_link(uri));
}

void BM_Gs1QrPng(benchmark::State& state) {
  const std::string uri = "https://id.gs1.org/01/09506000134352/10/ABC123/21/12345";
  for (auto _ : state) benchmark::DoNotOptimize(formica::gs1::qr_png(*formica::gs1::qr_encode(uri), 8));
}

void BM_Gs1QrScan(benchmark::State& state) {
  auto png =
      formica::gs1::qr_png(*formica::gs1::qr_encode("https://id.gs1.org/01/09506000134352/21/12345"), 8);
  auto img = formica::gs1::decode_image(*png);
  for (auto _ : state) benchmark::DoNotOptimize(formica::gs1::qr_scan(*img));
}

}  // namespace

BENCHMARK(BM_Gs1ParseJsonLd);
BENCHMARK(BM_Gs1ParseJsonLdSmall);
BENCHMARK(BM_Gs1ParseXml);
BENCHMARK(BM_Gs1ParseXmlSmall);
BENCHMARK(BM_Gs1HashEvents);
BENCHMARK(BM_Gs1DigitalLinkParse);
BENCHMARK(BM_Gs1QrPng);
BENCHMARK(BM_Gs1QrScan);
