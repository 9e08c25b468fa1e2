// ISO 20022: messages parsed + validated per second (read_envelope + validate: XML parsing,
// the schema walk, field algorithms and CBPR+ rules), and the pacs.002 builder.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "formica/iso20022/remittance.h"
#include "formica/iso20022/validate.h"

namespace {

std::string read_vector(const char* name) {
  std::ifstream in(std::string(FORMICA_VECTORS_DIR) + "/iso20022/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void check(benchmark::State& state, const char* file) {
  const std::string xml = read_vector(file);
  for (auto _ : state) {
    auto r = formica::iso20022::check_message(xml);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());  // items/s = messages/s
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * xml.size()));
}

void BM_Iso20022CheckPacs008Sample(benchmark::State& s) {
  check(s, "cbpr-plus-samples/2025_pacs008_credit_transfer_sample.xml");
}
void BM_Iso20022CheckPacs008Max(benchmark::State& s) { check(s, "cbpr-plus-examples/2026_pacs.008.max.xml"); }
void BM_Iso20022CheckPacs002Sample(benchmark::State& s) {
  check(s, "cbpr-plus-samples/2026_pacs002_status_report_sample.xml");
}
void BM_Iso20022CheckInvalidFixture(benchmark::State& s) {
  check(s, "cbpr-plus-fixtures/pacs_008_2026_invalid.xml");
}

void BM_Iso20022BuildStatusReport(benchmark::State& state) {
  using namespace formica::iso20022;
  auto env = read_envelope(read_vector("cbpr-plus-samples/2025_pacs008_credit_transfer_sample.xml"));
  auto request = to_remittance_request(env.value());
  for (auto _ : state) {
    auto xml = build_status_report(request.value(), {RemittanceState::kSettled, "", ""},
                                   {"P002-BENCH-1", "2026-04-13T11:00:00Z", "2026-04-13"});
    benchmark::DoNotOptimize(xml);
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_Iso20022CheckPacs008Sample);
BENCHMARK(BM_Iso20022CheckPacs008Max);
BENCHMARK(BM_Iso20022CheckPacs002Sample);
BENCHMARK(BM_Iso20022CheckInvalidFixture);
BENCHMARK(BM_Iso20022BuildStatusReport);
