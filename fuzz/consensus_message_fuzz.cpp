// fuzz-deps: formica_consensus
// Consensus messages from the wire: decoding never crashes, whatever decodes re-encodes to
// exactly the input (one encoding per value), and a validator's core that receives the decoded
// message never crashes, throws or votes for something invalid (it only drops and penalises).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>

#include "formica/codec/binary.h"
#include "formica/consensus/core.h"
#include "formica/consensus/verify.h"

namespace {

using namespace formica;
using namespace formica::consensus;

// The same keys, chain id and genesis as src/consensus/types_test.cpp, which writes the seed
// corpus: seeds carry valid signatures, so the fuzzer starts deep inside the core.
ExecRef genesis_exec() { return ExecRef{0, crypto::sha256(as_bytes("genesis"))}; }

class FuzzEnv final : public Env {
 public:
  ExecRef last_executed() override { return genesis_exec(); }
  bool has_pending_payload() override { return false; }
  Bytes make_payload(const BlockId&, Round) override { return {}; }
  Status check_payload(ByteView) override { return ok_status(); }
  ExecCheck check_exec(const ExecRef& e) override {
    return e.height == 0 ? ExecCheck::kMatch : ExecCheck::kUnknown;
  }
};

struct Fixture {
  Fixture() {
    std::vector<Validator> vals;
    for (std::uint8_t i = 0; i < 4; ++i) {
      Bytes seed(32, 0x11);
      seed[0] = static_cast<std::uint8_t>(i + 1);
      keys.push_back(std::move(crypto::PrivateKey::from_secret(crypto::Scheme::kEd25519, seed)).value());
      auto pk = keys.back().public_key().bytes();
      vals.push_back(Validator{
          "v" + std::to_string(i), "org", crypto::Scheme::kEd25519, Bytes(pk.begin(), pk.end()), {}});
    }
    vs = std::move(ValidatorSet::create(vals)).value();
    root = std::move(genesis_root(chain, genesis_exec())).value();
  }
  ChainParams chain{"formica-test", crypto::HashAlg::kSha256};
  std::vector<crypto::PrivateKey> keys;
  ValidatorSet vs;
  Root root;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture* fx = new Fixture();
  ByteView in(data, size);
  MessageLimits limits;
  limits.max_message_bytes = 1u << 16;
  limits.max_payload_bytes = 1u << 14;
  codec::Failure failure;
  auto m = decode_message(in, limits, &failure);
  if (!m.ok()) {
    const ErrorCode c = m.code();
    if (c != ErrorCode::kMalformed && c != ErrorCode::kTooLarge && c != ErrorCode::kUnsupported) std::abort();
    return 0;
  }
  auto again = encode_message(*m, limits);
  if (!again.ok() || *again != Bytes(in.begin(), in.end())) std::abort();

  // A fresh validator core (index 0) receives it from peer 1.
  FuzzEnv env;
  MemSafetyStore safety;
  CoreConfig cc;
  cc.chain = fx->chain;
  cc.validators = fx->vs;
  cc.my_index = 0;
  auto core = Core::create(cc, &fx->keys[0], env, safety, fx->root);
  if (!core.ok()) std::abort();
  (void)(*core)->start(0);
  (void)(*core)->on_message(1, *m, 10);
  (void)(*core)->on_timer(5000);
  // Anything it accepted as a QC is valid.
  const QuorumCert& hq = (*core)->high_qc();
  if (!(hq == fx->root.qc) && !verify_qc(fx->vs, hq, fx->chain).ok()) std::abort();
  return 0;
}
