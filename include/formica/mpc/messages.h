#pragma once
// The matching protocol's messages and their canonical binary layout.
//
// Frame: u32 little-endian length of what follows | u8 version (1) | u8 type | payload.
// Payload fields are fixed-width little-endian integers and fixed-size byte strings; every
// length is implied by counts that the decoder bounds and checks, so each message has exactly
// one encoding (decode(encode(m)) == m and encode(decode(b)) == b, fuzzed in
// fuzz/mpc_messages_fuzz.cpp). This is a small explicit layout of its own until the codec
// layer's Writer/Reader lands; the field order is already the order the codec would use.
//
// Decoders never trust sizes: anything inconsistent is ErrorCode::kMalformed, an oversize
// count kTooLarge.

#include <cstdint>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/mpc/garble.h"
#include "formica/mpc/ot.h"
#include "formica/mpc/random.h"

namespace formica::mpc {

inline constexpr std::uint8_t kProtocolVersion = 1;
inline constexpr std::size_t kTemplateBits = 9;                   // x + 255 in [0, 510]
inline constexpr std::size_t kTemplateOts = 128 * kTemplateBits;  // one OT per template bit
inline constexpr std::uint32_t kMaxBatch = 1024;                  // observations per batch
inline constexpr std::uint32_t kMaxObservations = 1u << 20;       // per session
inline constexpr std::size_t kMaxFrameBytes = 8u << 20;           // bound for any frame
inline constexpr std::size_t kFrameHeaderBytes = 4;

enum class MsgType : std::uint8_t {
  kHello = 1,       // phone -> sensor
  kHelloReply = 2,  // sensor -> phone
  kTemplateOt = 3,  // phone -> sensor
  kShareBatch = 4,  // sensor -> phone
  kChoices = 5,     // phone -> sensor
  kGarbled = 6,     // sensor -> phone
};

struct Hello {
  std::uint32_t threshold = 0;        // public integer threshold both sides must agree on
  Seed nonce{};                       // phone's share of the session seed
  ByteArray<kPointBytes> ot_point{};  // base OT: A = a*G
  bool operator==(const Hello&) const = default;
};

struct HelloReply {
  std::uint32_t observations = 0;  // number of comparisons in this session (public)
  std::uint32_t batch_size = 0;
  Seed nonce{};     // sensor's share of the session seed
  Bytes ot_points;  // base OT: 128 points B_i
  bool operator==(const HelloReply&) const = default;
};

struct TemplateOt {
  Bytes matrix;  // IKNP u for kTemplateOts OTs
  bool operator==(const TemplateOt&) const = default;
};

struct ShareBatch {
  std::uint32_t batch = 0;
  std::uint32_t count = 0;
  std::vector<std::uint32_t> corrections;  // count * kTemplateOts, observation-major
  bool operator==(const ShareBatch&) const = default;
};

struct Choices {
  std::uint32_t batch = 0;
  std::uint32_t count = 0;
  Bytes matrix;  // IKNP u for count * kCompareBits OTs
  bool operator==(const Choices&) const = default;
};

struct GarbledBatch {
  std::uint32_t batch = 0;
  std::vector<std::array<Block, kCompareBits>> ot_corrections;  // one per observation
  std::vector<GarbledComparison> circuits;                      // same count
  bool operator==(const GarbledBatch& o) const;
};

struct Frame {
  MsgType type;
  ByteView payload;  // views into the buffer given to parse_frame
};

// Parses one whole frame (header included); the buffer must hold exactly one frame.
Result<Frame> parse_frame(ByteView frame);
// Reads the length header: the number of bytes after it. Fails above kMaxFrameBytes.
Result<std::size_t> frame_body_length(ByteView header4);

Bytes encode(const Hello& m);
Bytes encode(const HelloReply& m);
Bytes encode(const TemplateOt& m);
Bytes encode(const ShareBatch& m);
Bytes encode(const Choices& m);
Bytes encode(const GarbledBatch& m);

Result<Hello> decode_hello(ByteView payload);
Result<HelloReply> decode_hello_reply(ByteView payload);
Result<TemplateOt> decode_template_ot(ByteView payload);
Result<ShareBatch> decode_share_batch(ByteView payload);
Result<Choices> decode_choices(ByteView payload);
Result<GarbledBatch> decode_garbled(ByteView payload);

}  // namespace formica::mpc
