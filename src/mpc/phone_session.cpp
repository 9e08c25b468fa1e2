// The phone's side of private matching: holds the template and the OT-extension receiver,
// evaluates the garbled comparators, and is the only party that ever sees a match bit.

#include <cstring>
#include <string>

#include "formica/mpc/garble.h"
#include "formica/mpc/matching.h"
#include "formica/mpc/messages.h"
#include "formica/mpc/ot.h"
#include "session_common.h"

namespace formica::mpc {

using namespace detail;

struct PhoneSession::Impl {
  enum class State { kStart, kAwaitReply, kAwaitShares, kAwaitGarbled, kDone, kFailed };

  Embedding owner{};
  MatchParams params;
  Prg prg;
  State state = State::kStart;
  Error failure;

  std::unique_ptr<BaseOtSender> base_ot;
  Seed nonce{};
  std::unique_ptr<OtExtReceiver> ext;
  std::vector<std::uint8_t> template_bits;  // kTemplateOts bits, one byte each (0/1)
  std::vector<Seed> template_keys;          // the seed of the chosen side of each template OT
  std::uint32_t observations = 0, batch_size = 0, batches = 0, next_batch = 0, count = 0;
  std::vector<std::uint32_t> shares;  // this batch's shares of <x, y> - threshold
  std::vector<Block> compare_t;       // this batch's OT rows
  std::vector<std::uint8_t> matches;

  Impl(const Embedding& e, const MatchParams& p, Prg g) : owner(e), params(p), prg(std::move(g)) {}
  ~Impl() {
    secure_zero(owner.data(), sizeof(owner));
    secure_zero(template_bits.data(), template_bits.size());
    for (auto& k : template_keys) secure_zero(k.data(), k.size());
    secure_zero(shares.data(), shares.size() * sizeof(std::uint32_t));
    secure_zero(compare_t.data(), compare_t.size() * sizeof(Block));
  }

  Result<Step> fail(Error e) {
    state = State::kFailed;
    failure = e;
    return e;
  }

  Result<Step> on_reply(ByteView payload);
  Result<Step> on_shares(ByteView payload);
  Result<Step> on_garbled(ByteView payload);
};

Result<PhoneSession> PhoneSession::create(const Embedding& owner_template, const MatchParams& params,
                                          Prg prg) {
  FORMICA_TRY(validate(owner_template));
  if (params.threshold < -(1 << 24) || params.threshold > (1 << 24)) {
    return make_error(ErrorCode::kInvalidArgument, "threshold outside [-2^24, 2^24]");
  }
  return PhoneSession(std::make_unique<Impl>(owner_template, params, std::move(prg)));
}

PhoneSession::PhoneSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PhoneSession::PhoneSession(PhoneSession&&) noexcept = default;
PhoneSession& PhoneSession::operator=(PhoneSession&&) noexcept = default;
PhoneSession::~PhoneSession() = default;

bool PhoneSession::done() const { return impl_->state == Impl::State::kDone; }
const std::vector<std::uint8_t>& PhoneSession::matches() const { return impl_->matches; }

Result<Bytes> PhoneSession::start() {
  Impl& s = *impl_;
  if (s.state != Impl::State::kStart)
    return make_error(ErrorCode::kFailedPrecondition, "phone: already started");
  s.prg.fill(s.nonce);
  s.base_ot = std::make_unique<BaseOtSender>(s.prg);
  Hello hello;
  hello.threshold = static_cast<std::uint32_t>(s.params.threshold);
  hello.nonce = s.nonce;
  hello.ot_point = s.base_ot->public_point();
  s.state = Impl::State::kAwaitReply;
  return encode(hello);
}

Result<Step> PhoneSession::on_message(ByteView frame) {
  Impl& s = *impl_;
  if (s.state == Impl::State::kFailed) return s.failure;
  if (s.state == Impl::State::kDone || s.state == Impl::State::kStart) {
    return s.fail(make_error(ErrorCode::kMalformed, "phone: unexpected message"));
  }
  auto parsed = parse_frame(frame);
  if (!parsed.ok()) return s.fail(parsed.take_error());
  const Frame f = *parsed;
  Result<Step> r = make_error(ErrorCode::kInternal, "unset");
  if (s.state == Impl::State::kAwaitReply && f.type == MsgType::kHelloReply) {
    r = s.on_reply(f.payload);
  } else if (s.state == Impl::State::kAwaitShares && f.type == MsgType::kShareBatch) {
    r = s.on_shares(f.payload);
  } else if (s.state == Impl::State::kAwaitGarbled && f.type == MsgType::kGarbled) {
    r = s.on_garbled(f.payload);
  } else {
    r = make_error(ErrorCode::kMalformed,
                   "phone: unexpected message type " + std::to_string(static_cast<int>(f.type)));
  }
  if (!r.ok()) return s.fail(r.take_error());
  return r;
}

Result<Step> PhoneSession::Impl::on_reply(ByteView payload) {
  FORMICA_ASSIGN_OR_RETURN(HelloReply reply, decode_hello_reply(payload));
  FORMICA_ASSIGN_OR_RETURN(auto base_keys, base_ot->finish(reply.ot_points));
  base_ot.reset();
  observations = reply.observations;
  batch_size = reply.batch_size;
  batches = batch_count(observations, batch_size);

  const SessionTransform transform(session_seed(nonce, reply.nonce));
  Embedding x = transform.apply(owner);
  // Template bits of x_i + 255 in [0, 510]: OT j = 9 i + b chooses bit b of coordinate i.
  template_bits.assign(kTemplateOts, 0);
  std::vector<std::uint8_t> packed((kTemplateOts + 7) / 8, 0);
  for (std::size_t i = 0; i < kDim; ++i) {
    const auto v = static_cast<std::uint32_t>(std::int32_t{x[i]} - kQuantMin);
    for (std::size_t b = 0; b < kTemplateBits; ++b) {
      const std::size_t j = i * kTemplateBits + b;
      template_bits[j] = static_cast<std::uint8_t>((v >> b) & 1);
      packed[j / 8] |= static_cast<std::uint8_t>(template_bits[j] << (j % 8));
    }
  }
  secure_zero(x.data(), sizeof(x));
  ext = std::make_unique<OtExtReceiver>(std::move(base_keys));
  std::vector<Block> t;
  Bytes u = ext->extend(kTemplateExtension, packed, kTemplateOts, t);
  secure_zero(packed.data(), packed.size());
  template_keys.resize(kTemplateOts);
  for (std::size_t j = 0; j < kTemplateOts; ++j) {
    template_keys[j] = hash_seed(kTagTemplateSeed, kTemplateExtension, j, t[j]);
  }
  secure_zero(t.data(), t.size() * sizeof(Block));
  state = State::kAwaitShares;
  Step step;
  step.out.push_back(encode(TemplateOt{std::move(u)}));
  return step;
}

Result<Step> PhoneSession::Impl::on_shares(ByteView payload) {
  FORMICA_ASSIGN_OR_RETURN(ShareBatch msg, decode_share_batch(payload));
  if (msg.batch != next_batch) return make_error(ErrorCode::kMalformed, "phone: share batch out of order");
  count = batch_len(observations, batch_size, next_batch);
  if (msg.count != count) return make_error(ErrorCode::kMalformed, "phone: share batch has the wrong count");

  // share[o] = sum_j R_j[o] + x_j * e[o][j]  where R_j is the PRG stream of the chosen seed.
  shares.assign(count, 0);
  const unsigned threads = params.threads;
  std::vector<std::vector<std::uint32_t>> partial(std::max(1u, threads),
                                                  std::vector<std::uint32_t>(count, 0));
  parallel_for(kTemplateOts, threads, [&](unsigned worker, std::size_t begin, std::size_t end) {
    std::vector<std::uint32_t>& acc = partial[worker];
    std::vector<std::uint8_t> stream(std::size_t{count} * 4);
    for (std::size_t j = begin; j < end; ++j) {
      chacha_expand(template_keys[j], share_nonce(next_batch), stream);
      const std::uint32_t mask = 0u - template_bits[j];  // no branch on the template
      for (std::uint32_t o = 0; o < count; ++o) {
        acc[o] += load_u32(&stream[4 * o]) + (msg.corrections[std::size_t{o} * kTemplateOts + j] & mask);
      }
    }
    secure_zero(stream.data(), stream.size());
  });
  for (auto& p : partial) {
    for (std::uint32_t o = 0; o < count; ++o) shares[o] += p[o];
    secure_zero(p.data(), p.size() * sizeof(std::uint32_t));
  }

  // Choices for the comparison OTs: bits 0..30 of each share.
  const std::size_t m = std::size_t{count} * kCompareBits;
  std::vector<std::uint8_t> choice((m + 7) / 8, 0);
  for (std::uint32_t o = 0; o < count; ++o) {
    for (std::size_t i = 0; i < kCompareBits; ++i) {
      const std::size_t j = o * kCompareBits + i;
      choice[j / 8] |= static_cast<std::uint8_t>(((shares[o] >> i) & 1) << (j % 8));
    }
  }
  Choices out;
  out.batch = next_batch;
  out.count = count;
  out.matrix = ext->extend(compare_extension(next_batch), choice, m, compare_t);
  secure_zero(choice.data(), choice.size());
  state = State::kAwaitGarbled;
  Step step;
  step.out.push_back(encode(out));
  return step;
}

Result<Step> PhoneSession::Impl::on_garbled(ByteView payload) {
  FORMICA_ASSIGN_OR_RETURN(GarbledBatch msg, decode_garbled(payload));
  if (msg.batch != next_batch || msg.circuits.size() != count) {
    return make_error(ErrorCode::kMalformed, "phone: garbled batch does not match the request");
  }
  const std::uint64_t ext_id = compare_extension(next_batch);
  const std::size_t first = matches.size();
  matches.resize(first + count);
  parallel_for(count, params.threads, [&](unsigned, std::size_t begin, std::size_t end) {
    for (std::size_t o = begin; o < end; ++o) {
      std::array<Block, kCompareBits> labels;
      for (std::size_t i = 0; i < kCompareBits; ++i) {
        const std::size_t j = o * kCompareBits + i;
        const bool bit = ((shares[o] >> i) & 1) != 0;
        const std::uint64_t mask = 0 - static_cast<std::uint64_t>(bit);  // no branch on the share
        const Block c = msg.ot_corrections[o][i];
        labels[i] = hash_block(kTagCompareLabel, ext_id, j, compare_t[j]) ^ Block { c.lo &mask, c.hi &mask };
      }
      const std::uint64_t tweak = std::uint64_t{next_batch} * batch_size + o;
      matches[first + o] = evaluate_comparison(labels, shares[o], msg.circuits[o], tweak) ? 1 : 0;
    }
  });
  ++next_batch;
  Step step;
  if (next_batch == batches) {
    state = State::kDone;
    step.done = true;
  } else {
    state = State::kAwaitShares;
  }
  return step;
}

}  // namespace formica::mpc
