#pragma once
// The transport's wire format (docs/net.md, "Wire format"), without sockets.
//
// frame   = length u32 BE (= 1 + payload bytes) | channel u8 | payload
// channel 0 carries control messages: payload = type u8 | body
//   hello = 0x01 | version u16 BE | tag_len u16 BE | network_tag | index u32 BE | name_len u16 BE | name
//   ping  = 0x02 (empty body)

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/net/transport.h"

namespace formica::net::wire {

inline constexpr std::uint8_t kHello = 0x01;
inline constexpr std::uint8_t kPing = 0x02;
inline constexpr std::size_t kMaxHelloBytes = 4096;  // a frame before the hello is at most this

struct Hello {
  std::uint16_t version = kProtocolVersion;
  Bytes network_tag;
  std::uint32_t index = 0;
  std::string name;
};

std::array<std::uint8_t, kFrameHeaderBytes> frame_header(std::uint8_t channel, std::size_t payload_bytes);
// Header + payload in one buffer.
Bytes encode_frame(std::uint8_t channel, ByteView payload);

// The verdict on a received header, before anything is allocated for the payload.
enum class HeaderCheck { kOk, kMalformed, kOversized };
struct Header {
  std::uint8_t channel = 0;
  std::size_t payload_bytes = 0;
};
HeaderCheck check_header(const std::array<std::uint8_t, kFrameHeaderBytes>& raw, std::size_t max_payload,
                         Header& out);

Bytes encode_hello(const Hello& hello);  // the control payload (type byte included)
Result<Hello> decode_hello(ByteView payload);
Bytes encode_ping();

}  // namespace formica::net::wire
