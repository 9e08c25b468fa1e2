// Canonical encoding throughput for a transaction-shaped struct (DESIGN.md §4 fields) carrying
// a bank transfer payload: binary encode/decode, JSON text both ways, and the domain-separated
// hash that a signature covers.
#include <benchmark/benchmark.h>

#include <optional>
#include <string>

#include "formica/codec/codec.h"

namespace {

using namespace formica;

struct BenchTransfer {
  ByteArray<20> to{};
  codec::U128 amount = 0;
  std::string asset;
  std::optional<std::string> memo;
  FORMICA_CODEC_FIELDS(to, amount, asset, memo)
};

struct BenchTx {
  std::string chain_id;
  ByteArray<20> sender{};
  std::uint64_t nonce = 0;
  std::string module;
  std::uint16_t kind = 0;
  std::vector<BenchTransfer> payload;
  std::uint64_t expiry_height = 0;
  std::uint8_t scheme = 0;
  Bytes public_key;
  Bytes signature;
  FORMICA_CODEC_FIELDS(chain_id, sender, nonce, module, kind, payload, expiry_height, scheme, public_key,
                       signature)
};

BenchTx make_tx() {
  BenchTx tx;
  tx.chain_id = "formica-bench";
  tx.sender.fill(0x11);
  tx.nonce = 123456789;
  tx.module = "bank";
  tx.kind = 1;
  BenchTransfer t;
  t.to.fill(0x22);
  t.amount = codec::make_u128(1, 42);
  t.asset = "CNY";
  t.memo = "invoice 2026-11-25 #4711";
  tx.payload.push_back(t);
  tx.expiry_height = 1'000'000;
  tx.scheme = 1;
  tx.public_key.assign(32, 0x33);
  tx.signature.assign(64, 0x44);
  return tx;
}

void BM_CodecEncodeTx(benchmark::State& state) {
  const BenchTx tx = make_tx();
  std::size_t size = 0;
  for (auto _ : state) {
    auto bytes = codec::encode(tx);
    size = bytes->size();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
  state.counters["tx_bytes"] = static_cast<double>(size);
}
BENCHMARK(BM_CodecEncodeTx);

void BM_CodecDecodeTx(benchmark::State& state) {
  const Bytes bytes = codec::encode(make_tx()).value();
  for (auto _ : state) {
    auto tx = codec::decode<BenchTx>(bytes);
    if (!tx.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(tx);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_CodecDecodeTx);

void BM_CodecHashTx(benchmark::State& state) {
  const BenchTx tx = make_tx();
  for (auto _ : state) {
    auto h = codec::hash_of("formica/tx/v1", tx);
    benchmark::DoNotOptimize(h);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CodecHashTx);

void BM_CodecToJsonTx(benchmark::State& state) {
  const BenchTx tx = make_tx();
  for (auto _ : state) {
    auto text = codec::to_json_text(tx);
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CodecToJsonTx);

void BM_CodecFromJsonTx(benchmark::State& state) {
  const std::string text = codec::to_json_text(make_tx()).value();
  for (auto _ : state) {
    auto tx = codec::from_json_text<BenchTx>(text);
    if (!tx.ok()) state.SkipWithError("from_json failed");
    benchmark::DoNotOptimize(tx);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_CodecFromJsonTx);

// A block-sized list: 1,000 transactions in one encoding.
void BM_CodecDecodeBlock1000(benchmark::State& state) {
  const std::vector<BenchTx> block(1000, make_tx());
  const Bytes bytes = codec::encode(block).value();
  for (auto _ : state) {
    auto txs = codec::decode<std::vector<BenchTx>>(bytes);
    if (!txs.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(txs);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_CodecDecodeBlock1000);

}  // namespace
