#include "formica/mpc/messages.h"

#include <cstring>
#include <string>

namespace formica::mpc {
namespace {

class Writer {
 public:
  explicit Writer(MsgType type, std::size_t payload_hint = 0) {
    out_.reserve(kFrameHeaderBytes + 2 + payload_hint);
    out_.resize(kFrameHeaderBytes);
    u8(kProtocolVersion);
    u8(static_cast<std::uint8_t>(type));
  }
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void raw(ByteView b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void block(Block b) {
    std::uint8_t tmp[kBlockBytes];
    b.store(tmp);
    raw(tmp);
  }
  Bytes finish() {
    const auto n = static_cast<std::uint32_t>(out_.size() - kFrameHeaderBytes);
    for (int i = 0; i < 4; ++i) out_[i] = static_cast<std::uint8_t>(n >> (8 * i));
    return std::move(out_);
  }

 private:
  Bytes out_;
};

class Reader {
 public:
  explicit Reader(ByteView in) : in_(in) {}
  bool u32(std::uint32_t& v) {
    if (left() < 4) return false;
    v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | in_[pos_ + i];
    pos_ += 4;
    return true;
  }
  bool raw(std::uint8_t* out, std::size_t n) {
    if (left() < n) return false;
    std::memcpy(out, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool block(Block& b) {
    if (left() < kBlockBytes) return false;
    b = Block::load(in_.data() + pos_);
    pos_ += kBlockBytes;
    return true;
  }
  bool u8(std::uint8_t& v) {
    if (left() < 1) return false;
    v = in_[pos_++];
    return true;
  }
  std::size_t left() const { return in_.size() - pos_; }

 private:
  ByteView in_;
  std::size_t pos_ = 0;
};

Error malformed(std::string what) { return make_error(ErrorCode::kMalformed, std::move(what)); }

Status check_count(std::uint32_t count) {
  if (count == 0) return malformed("empty batch");
  if (count > kMaxBatch) return make_error(ErrorCode::kTooLarge, "batch of " + std::to_string(count));
  return ok_status();
}

constexpr std::size_t kGarbledPerObservation = kCompareBits * kBlockBytes + kGarbledBytes;

}  // namespace

bool GarbledBatch::operator==(const GarbledBatch& o) const {
  if (batch != o.batch || ot_corrections != o.ot_corrections || circuits.size() != o.circuits.size())
    return false;
  for (std::size_t i = 0; i < circuits.size(); ++i) {
    const auto& a = circuits[i];
    const auto& b = o.circuits[i];
    if (a.garbler_labels != b.garbler_labels || a.tables != b.tables || a.decode != b.decode) return false;
  }
  return true;
}

Result<std::size_t> frame_body_length(ByteView header4) {
  if (header4.size() != kFrameHeaderBytes) return malformed("frame header");
  std::uint32_t n = 0;
  for (int i = 3; i >= 0; --i) n = (n << 8) | header4[i];
  if (n < 2) return malformed("frame shorter than its header");
  if (n > kMaxFrameBytes) return make_error(ErrorCode::kTooLarge, "frame of " + std::to_string(n) + " bytes");
  return static_cast<std::size_t>(n);
}

Result<Frame> parse_frame(ByteView frame) {
  if (frame.size() < kFrameHeaderBytes + 2) return malformed("truncated frame");
  FORMICA_ASSIGN_OR_RETURN(std::size_t n, frame_body_length(frame.first(kFrameHeaderBytes)));
  if (frame.size() != kFrameHeaderBytes + n) return malformed("frame length does not match its header");
  if (frame[4] != kProtocolVersion) {
    return make_error(ErrorCode::kUnsupported, "protocol version " + std::to_string(frame[4]));
  }
  const std::uint8_t t = frame[5];
  if (t < static_cast<std::uint8_t>(MsgType::kHello) || t > static_cast<std::uint8_t>(MsgType::kGarbled)) {
    return malformed("unknown message type " + std::to_string(t));
  }
  return Frame{static_cast<MsgType>(t), frame.subspan(kFrameHeaderBytes + 2)};
}

Bytes encode(const Hello& m) {
  Writer w(MsgType::kHello, 4 + 64);
  w.u32(m.threshold);
  w.raw(m.nonce);
  w.raw(m.ot_point);
  return w.finish();
}

Result<Hello> decode_hello(ByteView p) {
  Reader r(p);
  Hello m;
  if (!r.u32(m.threshold) || !r.raw(m.nonce.data(), m.nonce.size()) ||
      !r.raw(m.ot_point.data(), m.ot_point.size()) || r.left() != 0) {
    return malformed("hello: wrong length");
  }
  return m;
}

Bytes encode(const HelloReply& m) {
  Writer w(MsgType::kHelloReply, 8 + 32 + m.ot_points.size());
  w.u32(m.observations);
  w.u32(m.batch_size);
  w.raw(m.nonce);
  w.raw(m.ot_points);
  return w.finish();
}

Result<HelloReply> decode_hello_reply(ByteView p) {
  Reader r(p);
  HelloReply m;
  if (!r.u32(m.observations) || !r.u32(m.batch_size) || !r.raw(m.nonce.data(), m.nonce.size())) {
    return malformed("hello reply: truncated");
  }
  if (m.observations == 0) return malformed("hello reply: no observations");
  if (m.observations > kMaxObservations) return make_error(ErrorCode::kTooLarge, "hello reply: observations");
  FORMICA_TRY(check_count(m.batch_size));
  if (r.left() != kBaseOts * kPointBytes) return malformed("hello reply: wrong number of OT points");
  m.ot_points.resize(r.left());
  if (!r.raw(m.ot_points.data(), m.ot_points.size())) return malformed("hello reply: truncated");
  return m;
}

Bytes encode(const TemplateOt& m) {
  Writer w(MsgType::kTemplateOt, m.matrix.size());
  w.raw(m.matrix);
  return w.finish();
}

Result<TemplateOt> decode_template_ot(ByteView p) {
  if (p.size() != ot_matrix_bytes(kTemplateOts)) return malformed("template OT: wrong matrix size");
  return TemplateOt{to_bytes(p)};
}

Bytes encode(const ShareBatch& m) {
  Writer w(MsgType::kShareBatch, 8 + 4 * m.corrections.size());
  w.u32(m.batch);
  w.u32(m.count);
  for (std::uint32_t c : m.corrections) w.u32(c);
  return w.finish();
}

Result<ShareBatch> decode_share_batch(ByteView p) {
  Reader r(p);
  ShareBatch m;
  if (!r.u32(m.batch) || !r.u32(m.count)) return malformed("share batch: truncated");
  FORMICA_TRY(check_count(m.count));
  const std::size_t n = std::size_t{m.count} * kTemplateOts;
  if (r.left() != 4 * n) return malformed("share batch: wrong length");
  m.corrections.resize(n);
  for (auto& c : m.corrections) (void)r.u32(c);
  return m;
}

Bytes encode(const Choices& m) {
  Writer w(MsgType::kChoices, 8 + m.matrix.size());
  w.u32(m.batch);
  w.u32(m.count);
  w.raw(m.matrix);
  return w.finish();
}

Result<Choices> decode_choices(ByteView p) {
  Reader r(p);
  Choices m;
  if (!r.u32(m.batch) || !r.u32(m.count)) return malformed("choices: truncated");
  FORMICA_TRY(check_count(m.count));
  if (r.left() != ot_matrix_bytes(std::size_t{m.count} * kCompareBits))
    return malformed("choices: wrong matrix size");
  m.matrix.resize(r.left());
  (void)r.raw(m.matrix.data(), m.matrix.size());
  return m;
}

Bytes encode(const GarbledBatch& m) {
  Writer w(MsgType::kGarbled, 8 + m.circuits.size() * kGarbledPerObservation);
  w.u32(m.batch);
  w.u32(static_cast<std::uint32_t>(m.circuits.size()));
  for (std::size_t i = 0; i < m.circuits.size(); ++i) {
    for (Block b : m.ot_corrections[i]) w.block(b);
    for (Block b : m.circuits[i].garbler_labels) w.block(b);
    for (Block b : m.circuits[i].tables) w.block(b);
    w.u8(m.circuits[i].decode);
  }
  return w.finish();
}

Result<GarbledBatch> decode_garbled(ByteView p) {
  Reader r(p);
  GarbledBatch m;
  std::uint32_t count = 0;
  if (!r.u32(m.batch) || !r.u32(count)) return malformed("garbled: truncated");
  FORMICA_TRY(check_count(count));
  if (r.left() != std::size_t{count} * kGarbledPerObservation) return malformed("garbled: wrong length");
  m.ot_corrections.resize(count);
  m.circuits.resize(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    for (Block& b : m.ot_corrections[i]) (void)r.block(b);
    for (Block& b : m.circuits[i].garbler_labels) (void)r.block(b);
    for (Block& b : m.circuits[i].tables) (void)r.block(b);
    (void)r.u8(m.circuits[i].decode);
    if (m.circuits[i].decode > 1) return malformed("garbled: decode bit is not 0 or 1");
  }
  return m;
}

}  // namespace formica::mpc
