#include "formica/codec/json.h"

#include <set>
#include <vector>

#include "formica/base/encoding.h"
#include "formica/codec/utf8.h"

namespace formica::codec {

Error JsonState::fail(CodecError kind, std::string detail) {
  if (!failed_) {
    failed_ = true;
    failure_ = Failure{kind, path_.render(), 0, std::move(detail)};
  }
  return failure_.to_error();
}

Status JsonState::status() const {
  if (failed_) return failure_.to_error();
  return Status{};
}

Status JsonState::enter() {
  if (depth_ >= limits_.max_depth) {
    return fail(CodecError::kDepthLimit, "nesting deeper than " + std::to_string(limits_.max_depth));
  }
  ++depth_;
  return Status{};
}

namespace {

// Thrown by the parse callback to stop nlohmann's parser; caught in parse_json, never escapes.
struct ParseAbort {
  CodecError kind;
  std::string detail;
};

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Result<Json> parse_json(std::string_view text, const Limits& limits, Failure* failure) {
  auto report = [&](CodecError kind, std::size_t offset, std::string detail) -> Error {
    Failure f{kind, "", offset, std::move(detail)};
    if (failure != nullptr) *failure = f;
    return f.to_error();
  };
  if (text.size() > limits.max_input) {
    return report(CodecError::kInputLimit, 0,
                  "JSON text of " + std::to_string(text.size()) + " bytes, over the limit " +
                      std::to_string(limits.max_input));
  }
  // Codec nesting counts structs and containers; a map written as [[k, v], ...] takes two
  // JSON levels per codec level, hence the factor 2. The exact check is in from_json_value.
  const std::size_t max_nesting = 2 * limits.max_depth + 2;
  std::vector<std::set<std::string>> keys;  // member names of each open object
  auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) -> bool {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        if (static_cast<std::size_t>(depth) >= max_nesting) {
          throw ParseAbort{CodecError::kDepthLimit,
                           "JSON nesting deeper than " + std::to_string(max_nesting)};
        }
        if (event == Json::parse_event_t::object_start) keys.emplace_back();
        break;
      case Json::parse_event_t::object_end: keys.pop_back(); break;
      case Json::parse_event_t::key: {
        const auto& name = parsed.get_ref<const std::string&>();
        if (!keys.back().insert(name).second) {
          throw ParseAbort{CodecError::kJsonDuplicateKey, "member \"" + name + "\" twice in one object"};
        }
        break;
      }
      default: break;
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/true,
                       /*ignore_comments=*/false);
  } catch (const ParseAbort& a) {
    return report(a.kind, 0, a.detail);
  } catch (const Json::parse_error& e) {
    return report(CodecError::kJsonSyntax, e.byte, e.what());
  } catch (const Json::exception& e) {
    return report(CodecError::kJsonSyntax, 0, e.what());
  }
}

namespace detail {

Status json_type_error(JsonState& s, const Json& j, const char* expected) {
  return s.fail(CodecError::kJsonType, std::string("expected ") + expected + ", got " + j.type_name());
}

Status json_count(JsonState& s, std::size_t n) {
  if (n > s.limits().max_count) {
    return s.fail(CodecError::kCountLimit,
                  std::to_string(n) + " elements, over the limit " + std::to_string(s.limits().max_count));
  }
  return Status{};
}

Status json_string_out(JsonState& s, std::string_view text, Json& out) {
  const std::size_t bad = utf8_error_offset(text);
  if (bad != text.size()) {
    return s.fail(CodecError::kInvalidUtf8,
                  "ill-formed UTF-8 at byte " + std::to_string(bad) + " of the string");
  }
  if (text.size() > s.limits().max_length) {
    return s.fail(CodecError::kLengthLimit, "length " + std::to_string(text.size()) + " over the limit " +
                                                std::to_string(s.limits().max_length));
  }
  out = std::string(text);
  return Status{};
}

Status json_bytes_out(JsonState& s, ByteView bytes, Json& out) {
  if (bytes.size() > s.limits().max_length) {
    return s.fail(CodecError::kLengthLimit, "length " + std::to_string(bytes.size()) + " over the limit " +
                                                std::to_string(s.limits().max_length));
  }
  out = base::to_hex(bytes);
  return Status{};
}

Status json_string_in(JsonState& s, const Json& j, std::string& out) {
  if (!j.is_string()) return json_type_error(s, j, "a string");
  const auto& text = j.get_ref<const std::string&>();
  Json ignored;
  FORMICA_TRY(json_string_out(s, text, ignored));  // same UTF-8 and length checks
  out = text;
  return Status{};
}

namespace {

// Canonical hex: even length, lowercase digits only, no "0x".
Status check_hex(JsonState& s, const std::string& text) {
  if (text.size() % 2 != 0) return s.fail(CodecError::kJsonBadHex, "odd number of hex digits");
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return s.fail(CodecError::kJsonBadHex, "not a lowercase hex digit at character " + std::to_string(i));
    }
  }
  return Status{};
}

}  // namespace

Status json_bytes_in(JsonState& s, const Json& j, Bytes& out) {
  if (!j.is_string()) return json_type_error(s, j, "a hex string");
  const auto& text = j.get_ref<const std::string&>();
  if (text.size() / 2 > s.limits().max_length) {
    return s.fail(CodecError::kLengthLimit, "length " + std::to_string(text.size() / 2) + " over the limit " +
                                                std::to_string(s.limits().max_length));
  }
  FORMICA_TRY(check_hex(s, text));
  auto bytes = base::from_hex(text);
  if (!bytes.ok()) return s.fail(CodecError::kJsonBadHex, bytes.error().message);
  out = std::move(bytes).value();
  return Status{};
}

Status json_fixed_in(JsonState& s, const Json& j, std::uint8_t* out, std::size_t size) {
  if (!j.is_string()) return json_type_error(s, j, "a hex string");
  const auto& text = j.get_ref<const std::string&>();
  if (text.size() != 2 * size) {
    return s.fail(CodecError::kJsonBadHex,
                  "expected " + std::to_string(2 * size) + " hex digits, got " + std::to_string(text.size()));
  }
  FORMICA_TRY(check_hex(s, text));
  auto bytes = base::from_hex(text);
  if (!bytes.ok()) return s.fail(CodecError::kJsonBadHex, bytes.error().message);
  for (std::size_t i = 0; i < size; ++i) out[i] = (*bytes)[i];
  return Status{};
}

Status json_u128_in(JsonState& s, const Json& j, U128& out) {
  if (!j.is_string()) return json_type_error(s, j, "a decimal string");
  const auto& text = j.get_ref<const std::string&>();
  auto v = u128_from_decimal(text);
  if (!v) return s.fail(CodecError::kJsonBadNumber, "not a canonical decimal below 2^128: \"" + text + "\"");
  out = *v;
  return Status{};
}

Status json_u64_in(JsonState& s, const Json& j, std::uint64_t& out) {
  if (!j.is_string()) return json_type_error(s, j, "a decimal string");
  const auto& text = j.get_ref<const std::string&>();
  auto v = u128_from_decimal(text);
  if (!v || *v > std::numeric_limits<std::uint64_t>::max()) {
    return s.fail(CodecError::kJsonBadNumber, "not a canonical decimal below 2^64: \"" + text + "\"");
  }
  out = static_cast<std::uint64_t>(*v);
  return Status{};
}

Status json_i64_in(JsonState& s, const Json& j, std::int64_t& out) {
  if (!j.is_string()) return json_type_error(s, j, "a decimal string");
  const auto& text = j.get_ref<const std::string&>();
  const bool negative = !text.empty() && text[0] == '-';
  const std::string_view digits = std::string_view(text).substr(negative ? 1 : 0);
  auto magnitude = all_digits(digits) ? u128_from_decimal(digits) : std::nullopt;
  const U128 limit = negative ? (U128{1} << 63) : (U128{1} << 63) - 1;
  if (!magnitude || *magnitude > limit || (negative && *magnitude == 0)) {
    return s.fail(CodecError::kJsonBadNumber, "not a canonical signed 64-bit decimal: \"" + text + "\"");
  }
  // Two's complement wrap-around gives -2^63 for the magnitude 2^63.
  const auto m = static_cast<std::uint64_t>(*magnitude);
  out = negative ? static_cast<std::int64_t>(~m + 1) : static_cast<std::int64_t>(m);
  return Status{};
}

Status json_small_int_in(JsonState& s, const Json& j, std::int64_t lo, std::uint64_t hi, std::int64_t& out) {
  if (j.is_number_unsigned()) {
    const auto v = j.get<std::uint64_t>();
    if (v > hi) return s.fail(CodecError::kJsonBadNumber, std::to_string(v) + " above " + std::to_string(hi));
    out = static_cast<std::int64_t>(v);
    return Status{};
  }
  if (j.is_number_integer()) {
    const auto v = j.get<std::int64_t>();
    if (v < lo) return s.fail(CodecError::kJsonBadNumber, std::to_string(v) + " below " + std::to_string(lo));
    if (v > 0 && static_cast<std::uint64_t>(v) > hi) {
      return s.fail(CodecError::kJsonBadNumber, std::to_string(v) + " above " + std::to_string(hi));
    }
    out = v;
    return Status{};
  }
  return json_type_error(s, j, "an integer");
}

}  // namespace detail
}  // namespace formica::codec
