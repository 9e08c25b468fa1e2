// Universal ID (zk/credential.h): issuing a batch of 20 tokens (both sides), a presentation
// of age>=18 plus one disclosed attribute (prove, verify, size), and property>=X.
#include <benchmark/benchmark.h>

#include "formica/zk/credential.h"

namespace {

namespace cred = formica::zk::cred;
using formica::to_bytes;

const cred::IssuerSecret& issuer() {
  static const cred::IssuerSecret s = cred::make_issuer("gov-id", {{"name", cred::AttrType::kString},
                                                                   {"id_number", cred::AttrType::kString},
                                                                   {"birth_date", cred::AttrType::kDate},
                                                                   {"property_value", cred::AttrType::kInt},
                                                                   {"city", cred::AttrType::kString}})
                                          .value();
  return s;
}
const std::vector<std::string> kValues = {"Alice Example", "X1234567", "1990-04-01", "750000", "Lyon"};
const cred::TokenInfo kTi{1, 20271231};
const cred::Challenge kChallenge{"internet-cafe-42", to_bytes("0123456789abcdef"), 20261125};

cred::Wallet wallet(std::size_t n) { return cred::issue_locally(issuer(), kValues, kTi, n).value(); }

void BM_IdIssueBatch20(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(cred::issue_locally(issuer(), kValues, kTi, 20));
}
BENCHMARK(BM_IdIssueBatch20)->Unit(benchmark::kMillisecond);

void present_bench(benchmark::State& state, const char* pred, std::vector<std::string> disclose) {
  auto w = wallet(256);
  const std::vector<cred::Predicate> ps = {cred::parse_predicate(pred).value()};
  std::size_t size = 0;
  for (auto _ : state) {
    if (w.tokens.empty()) {
      state.PauseTiming();
      w = wallet(256);
      state.ResumeTiming();
    }
    auto p = cred::present(w, ps, disclose, kChallenge);
    size = p->encode().size();
    benchmark::DoNotOptimize(p);
  }
  state.counters["bytes"] = static_cast<double>(size);
}

void verify_bench(benchmark::State& state, const char* pred, std::vector<std::string> disclose) {
  auto w = wallet(1);
  const std::vector<cred::Predicate> ps = {cred::parse_predicate(pred).value()};
  const auto bytes = cred::present(w, ps, disclose, kChallenge).value().encode();
  for (auto _ : state) {
    auto v = cred::verify_presentation(issuer().pub, ps, disclose, kChallenge, bytes);
    if (!v.ok()) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(v);
  }
  state.counters["bytes"] = static_cast<double>(bytes.size());
}

void BM_IdPresentAge18Disclose1(benchmark::State& s) { present_bench(s, "age>=18", {"city"}); }
void BM_IdVerifyAge18Disclose1(benchmark::State& s) { verify_bench(s, "age>=18", {"city"}); }
void BM_IdPresentProperty(benchmark::State& s) { present_bench(s, "property_value>=500000", {}); }
void BM_IdVerifyProperty(benchmark::State& s) { verify_bench(s, "property_value>=500000", {}); }
BENCHMARK(BM_IdPresentAge18Disclose1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IdVerifyAge18Disclose1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IdPresentProperty)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IdVerifyProperty)->Unit(benchmark::kMillisecond);

}  // namespace
