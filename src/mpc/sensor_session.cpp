// The sensor's side of private matching: holds the observations and the OT-extension sender,
// masks the inner-product shares and garbles one comparator per observation. It never receives
// anything that depends on the template except through OT, and nothing about the outcome.

#include <cstring>
#include <string>

#include "formica/mpc/garble.h"
#include "formica/mpc/matching.h"
#include "formica/mpc/messages.h"
#include "formica/mpc/ot.h"
#include "session_common.h"

namespace formica::mpc {

using namespace detail;

struct SensorSession::Impl {
  enum class State { kAwaitHello, kAwaitTemplateOt, kAwaitChoices, kDone, kFailed };

  std::vector<Embedding> observations;  // transformed once the session seed is known
  std::vector<std::int64_t> coordinate_sums;
  MatchParams params;
  Prg prg;
  State state = State::kAwaitHello;
  Error failure;

  std::unique_ptr<OtExtSender> ext;
  Block delta;                                     // garbling offset, lsb 1
  std::vector<std::array<Seed, 2>> template_keys;  // both seeds of each template OT
  std::uint32_t batches = 0, next_batch = 0;
  std::vector<std::uint32_t> shares;  // the current batch's sensor shares

  Impl(std::vector<Embedding> obs, const MatchParams& p, Prg g)
      : observations(std::move(obs)), params(p), prg(std::move(g)) {}
  ~Impl() {
    for (auto& e : observations) secure_zero(e.data(), sizeof(e));
    for (auto& k : template_keys) secure_zero(k.data(), sizeof(k));
    secure_zero(shares.data(), shares.size() * sizeof(std::uint32_t));
    secure_zero(&delta, sizeof(delta));
  }

  Result<Step> fail(Error e) {
    state = State::kFailed;
    failure = e;
    return e;
  }
  std::uint32_t count_of(std::uint32_t batch) const {
    return batch_len(static_cast<std::uint32_t>(observations.size()), params.batch_size, batch);
  }

  Result<Step> on_hello(ByteView payload);
  Result<Step> on_template_ot(ByteView payload);
  Result<Step> on_choices(ByteView payload);
  Bytes make_share_batch(std::uint32_t batch);
};

Result<SensorSession> SensorSession::create(std::vector<Embedding> observations, const MatchParams& params,
                                            Prg prg) {
  if (observations.empty()) return make_error(ErrorCode::kInvalidArgument, "sensor: no observations");
  if (observations.size() > kMaxObservations) {
    return make_error(ErrorCode::kTooLarge, "sensor: more than 2^20 observations");
  }
  if (params.threshold < -(1 << 24) || params.threshold > (1 << 24)) {
    return make_error(ErrorCode::kInvalidArgument, "threshold outside [-2^24, 2^24]");
  }
  if (params.batch_size == 0 || params.batch_size > kMaxBatch) {
    return make_error(ErrorCode::kInvalidArgument, "sensor: batch size outside [1, 1024]");
  }
  for (const auto& e : observations) FORMICA_TRY(validate(e));
  return SensorSession(std::make_unique<Impl>(std::move(observations), params, std::move(prg)));
}

SensorSession::SensorSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SensorSession::SensorSession(SensorSession&&) noexcept = default;
SensorSession& SensorSession::operator=(SensorSession&&) noexcept = default;
SensorSession::~SensorSession() = default;

bool SensorSession::done() const { return impl_->state == Impl::State::kDone; }

Result<Step> SensorSession::on_message(ByteView frame) {
  Impl& s = *impl_;
  if (s.state == Impl::State::kFailed) return s.failure;
  if (s.state == Impl::State::kDone)
    return s.fail(make_error(ErrorCode::kMalformed, "sensor: unexpected message"));
  auto parsed = parse_frame(frame);
  if (!parsed.ok()) return s.fail(parsed.take_error());
  const Frame f = *parsed;
  Result<Step> r = make_error(ErrorCode::kInternal, "unset");
  if (s.state == Impl::State::kAwaitHello && f.type == MsgType::kHello) {
    r = s.on_hello(f.payload);
  } else if (s.state == Impl::State::kAwaitTemplateOt && f.type == MsgType::kTemplateOt) {
    r = s.on_template_ot(f.payload);
  } else if (s.state == Impl::State::kAwaitChoices && f.type == MsgType::kChoices) {
    r = s.on_choices(f.payload);
  } else {
    r = make_error(ErrorCode::kMalformed,
                   "sensor: unexpected message type " + std::to_string(static_cast<int>(f.type)));
  }
  if (!r.ok()) return s.fail(r.take_error());
  return r;
}

Result<Step> SensorSession::Impl::on_hello(ByteView payload) {
  FORMICA_ASSIGN_OR_RETURN(Hello hello, decode_hello(payload));
  if (static_cast<std::int32_t>(hello.threshold) != params.threshold) {
    return make_error(ErrorCode::kFailedPrecondition, "sensor: the phone uses a different threshold");
  }
  FORMICA_ASSIGN_OR_RETURN(BaseOtReceiverOutput base, base_ot_receive(hello.ot_point, prg));
  HelloReply reply;
  reply.observations = static_cast<std::uint32_t>(observations.size());
  reply.batch_size = params.batch_size;
  prg.fill(reply.nonce);
  reply.ot_points = std::move(base.points);
  ext = std::make_unique<OtExtSender>(base.choices, std::move(base.keys));
  delta = Block::random(prg);
  delta.lo |= 1;

  const SessionTransform transform(session_seed(hello.nonce, reply.nonce));
  coordinate_sums.resize(observations.size());
  for (std::size_t o = 0; o < observations.size(); ++o) {
    observations[o] = transform.apply(observations[o]);
    std::int64_t sum = 0;
    for (std::int16_t y : observations[o]) sum += y;
    coordinate_sums[o] = sum;
  }
  batches = batch_count(reply.observations, params.batch_size);
  state = State::kAwaitTemplateOt;
  Step step;
  step.out.push_back(encode(reply));
  return step;
}

Result<Step> SensorSession::Impl::on_template_ot(ByteView payload) {
  FORMICA_ASSIGN_OR_RETURN(TemplateOt msg, decode_template_ot(payload));
  FORMICA_ASSIGN_OR_RETURN(std::vector<Block> q, ext->extend(kTemplateExtension, msg.matrix, kTemplateOts));
  template_keys.resize(kTemplateOts);
  for (std::size_t j = 0; j < kTemplateOts; ++j) {
    template_keys[j][0] = hash_seed(kTagTemplateSeed, kTemplateExtension, j, q[j]);
    template_keys[j][1] = hash_seed(kTagTemplateSeed, kTemplateExtension, j, q[j] ^ ext->s());
  }
  secure_zero(q.data(), q.size() * sizeof(Block));
  state = State::kAwaitChoices;
  next_batch = 0;
  Step step;
  step.out.push_back(make_share_batch(0));
  return step;
}

// Gilboa multiplication, one OT per template bit j = (i, b): the phone obtains
// R0 + x_j * 2^b * y_i  and the sensor keeps  -R0, so the shares add up to <x + 255, y>.
// The sensor then subtracts 255 * sum(y) and the threshold from its own share.
Bytes SensorSession::Impl::make_share_batch(std::uint32_t batch) {
  const std::uint32_t count = count_of(batch);
  const std::size_t first = std::size_t{batch} * params.batch_size;
  ShareBatch msg;
  msg.batch = batch;
  msg.count = count;
  msg.corrections.assign(std::size_t{count} * kTemplateOts, 0);
  const unsigned threads = std::max(1u, params.threads);
  std::vector<std::vector<std::uint32_t>> partial(threads, std::vector<std::uint32_t>(count, 0));
  parallel_for(kTemplateOts, threads, [&](unsigned worker, std::size_t begin, std::size_t end) {
    std::vector<std::uint8_t> r0(std::size_t{count} * 4), r1(std::size_t{count} * 4);
    std::vector<std::uint32_t>& acc = partial[worker];
    for (std::size_t j = begin; j < end; ++j) {
      const std::size_t i = j / kTemplateBits, b = j % kTemplateBits;
      chacha_expand(template_keys[j][0], share_nonce(batch), r0);
      chacha_expand(template_keys[j][1], share_nonce(batch), r1);
      for (std::uint32_t o = 0; o < count; ++o) {
        const std::uint32_t m0 = load_u32(&r0[4 * o]), m1 = load_u32(&r1[4 * o]);
        const auto y = static_cast<std::uint32_t>(std::int32_t{observations[first + o][i]});
        msg.corrections[std::size_t{o} * kTemplateOts + j] = m0 + (y << b) - m1;
        acc[o] -= m0;
      }
    }
    secure_zero(r0.data(), r0.size());
    secure_zero(r1.data(), r1.size());
  });
  shares.assign(count, 0);
  for (std::uint32_t o = 0; o < count; ++o) {
    std::uint32_t s = 0;
    for (auto& p : partial) s += p[o];
    const auto offset = static_cast<std::uint32_t>(coordinate_sums[first + o] * (-kQuantMin));
    shares[o] = s - offset - static_cast<std::uint32_t>(params.threshold);
  }
  for (auto& p : partial) secure_zero(p.data(), p.size() * sizeof(std::uint32_t));
  return encode(msg);
}

Result<Step> SensorSession::Impl::on_choices(ByteView payload) {
  FORMICA_ASSIGN_OR_RETURN(Choices msg, decode_choices(payload));
  const std::uint32_t count = count_of(next_batch);
  if (msg.batch != next_batch || msg.count != count) {
    return make_error(ErrorCode::kMalformed, "sensor: choices do not match the batch");
  }
  const std::uint64_t ext_id = compare_extension(next_batch);
  FORMICA_ASSIGN_OR_RETURN(std::vector<Block> q,
                           ext->extend(ext_id, msg.matrix, std::size_t{count} * kCompareBits));
  GarbledBatch out;
  out.batch = next_batch;
  out.ot_corrections.resize(count);
  out.circuits.resize(count);
  // The sensor's wire labels are drawn on this thread so that a seeded session is reproducible
  // whatever the thread count.
  std::vector<std::array<Block, kCompareBits>> random(count);
  for (auto& r : random) {
    for (auto& b : r) b = Block::random(prg);
  }
  const Block s = ext->s();
  parallel_for(count, params.threads, [&](unsigned, std::size_t begin, std::size_t end) {
    for (std::size_t o = begin; o < end; ++o) {
      std::array<Block, kCompareBits> zero;
      for (std::size_t i = 0; i < kCompareBits; ++i) {
        const std::size_t j = o * kCompareBits + i;
        zero[i] = hash_block(kTagCompareLabel, ext_id, j, q[j]);
        // Correlated OT: the phone's label for bit 1 is zero ^ delta.
        out.ot_corrections[o][i] = zero[i] ^ delta ^ hash_block(kTagCompareLabel, ext_id, j, q[j] ^ s);
      }
      const std::uint64_t tweak = std::uint64_t{next_batch} * params.batch_size + o;
      out.circuits[o] = garble_comparison(zero, shares[o], delta, random[o], tweak);
    }
  });
  secure_zero(q.data(), q.size() * sizeof(Block));
  for (auto& r : random) secure_zero(r.data(), sizeof(r));
  Step step;
  step.out.push_back(encode(out));
  ++next_batch;
  if (next_batch == batches) {
    state = State::kDone;
    step.done = true;
  } else {
    step.out.push_back(make_share_batch(next_batch));
  }
  return step;
}

}  // namespace formica::mpc
