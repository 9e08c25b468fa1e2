// The JSON mapping: round trips driven by the same field declarations as the binary encoding,
// the documented forms of each kind, and strict rejection with typed failures.
#include "formica/codec/json.h"

#include <gtest/gtest.h>

#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "test_types.h"

namespace formica::codec {
namespace {

using testing::Gen;
using testing::Sample;
using testing::Transfer;

template <class T>
CodecError json_error(const Json& j, std::string* path = nullptr) {
  Failure f;
  auto r = from_json<T>(j, {}, &f);
  EXPECT_FALSE(r.ok()) << j.dump();
  if (r.ok()) return CodecError::kTruncated;
  EXPECT_EQ(r.code(), codec_error_code(f.kind));
  if (path != nullptr) *path = f.path;
  return f.kind;
}

template <class T>
CodecError text_error(std::string_view text, const Limits& limits = {}) {
  Failure f;
  auto r = from_json_text<T>(text, limits, &f);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? CodecError::kTruncated : f.kind;
}

Json sample_json(std::uint64_t seed) {
  Sample s = Gen(seed).sample();
  s.transfers.resize(2);
  s.nested = Transfer{};
  return to_json(s).value();
}

TEST(Json, RandomSamplesRoundTrip) {
  Gen gen(11);
  for (int i = 0; i < 300; ++i) {
    const Sample s = gen.sample();
    auto text = to_json_text(s);
    ASSERT_TRUE(text.ok()) << text.error().to_string();
    auto back = from_json_text<Sample>(*text);
    ASSERT_TRUE(back.ok()) << back.error().to_string() << "\n" << *text;
    EXPECT_TRUE(*back == s) << *text;
    EXPECT_EQ(to_json_text(*back).value(), *text);
    EXPECT_EQ(encode(*back).value(), encode(s).value());
  }
}

TEST(Json, DocumentedForms) {
  Sample s;
  s.flag = true;
  s.small = 255;
  s.nonce = ~std::uint64_t{0};
  s.amount = kU128Max;
  s.i8 = -128;
  s.i64 = std::numeric_limits<std::int64_t>::min();
  s.text = "中";
  s.blob = {0x00, 0xab};
  s.tag = {0xde, 0xad, 0xbe, 0xef};
  s.kind = testing::Kind::kBurn;
  s.transfers.push_back(Transfer{{}, 5, "hi"});
  s.balances = {{"b", 1}, {"aa", 2}};
  s.by_height = {{7, {0x01}}};
  s.signed_keys = {{-1, true}, {2, false}};
  s.labels = {"x"};
  s.matrix = {{1, 2}, {}};
  const Json j = to_json(s).value();
  EXPECT_EQ(j["flag"], true);
  EXPECT_EQ(j["small"], 255);
  EXPECT_EQ(j["nonce"], "18446744073709551615");
  EXPECT_EQ(j["amount"], "340282366920938463463374607431768211455");
  EXPECT_EQ(j["i8"], -128);
  EXPECT_EQ(j["i64"], "-9223372036854775808");
  EXPECT_EQ(j["text"], "中");
  EXPECT_EQ(j["blob"], "00ab");
  EXPECT_EQ(j["tag"], "deadbeef");
  EXPECT_EQ(j["kind"], 3);
  EXPECT_TRUE(j["maybe"].is_null());
  EXPECT_EQ(j["transfers"][0].dump(),
            R"({"amount":"5","memo":"hi","to":"0000000000000000000000000000000000000000"})");
  EXPECT_EQ(j["balances"].dump(), R"({"aa":"2","b":"1"})");
  EXPECT_EQ(j["by_height"].dump(), R"({"7":"01"})");
  EXPECT_EQ(j["by_address"].dump(), "{}");
  // Canonical (binary) order: 2 is 00000002, -1 is ffffffff.
  EXPECT_EQ(j["signed_keys"].dump(), "[[2,false],[-1,true]]");
  EXPECT_EQ(j["labels"].dump(), R"(["x"])");
  EXPECT_EQ(j["matrix"].dump(), "[[1,2],[]]");
  EXPECT_TRUE(j["nested"].is_null());
  EXPECT_EQ(j.size(), std::size(Sample::formica_codec_field_names));
}

TEST(Json, WrongTypesRefused) {
  std::string path;
  for (const char* field : {"flag", "small", "nonce", "amount", "text", "blob", "tag", "transfers",
                            "balances", "signed_keys", "labels", "matrix", "nested"}) {
    Json j = sample_json(1);
    // An array where a map keyed by strings (an object) is expected, an object elsewhere.
    j[field] = std::string_view(field) == "balances" || std::string_view(field) == "nested"
                   ? Json::array()
                   : Json::object({{"x", 1}});
    EXPECT_EQ(json_error<Sample>(j, &path), CodecError::kJsonType) << field;
    EXPECT_EQ(path, field);
  }
  Json j = sample_json(1);
  j["nonce"] = 5;  // 64-bit integers are decimal strings
  EXPECT_EQ(json_error<Sample>(j), CodecError::kJsonType);
  j = sample_json(1);
  j["small"] = 1.0;
  EXPECT_EQ(json_error<Sample>(j), CodecError::kJsonType);
  j = sample_json(1);
  j["text"] = nullptr;  // null only for optionals
  EXPECT_EQ(json_error<Sample>(j), CodecError::kJsonType);
  j = sample_json(1);
  j["flag"] = "true";
  EXPECT_EQ(json_error<Sample>(j), CodecError::kJsonType);
  j = sample_json(1);
  j["signed_keys"] = Json::array({Json::array({1})});
  EXPECT_EQ(json_error<Sample>(j), CodecError::kJsonType);
  EXPECT_EQ(json_error<Sample>(Json::array()), CodecError::kJsonType);
}

TEST(Json, MissingUnknownAndDuplicateMembersRefused) {
  std::string path;
  Json j = sample_json(2);
  j.erase("maybe");  // optional members are still required (as null)
  EXPECT_EQ(json_error<Sample>(j), CodecError::kJsonMissingField);
  j = sample_json(2);
  j["transfers"][1].erase("amount");
  EXPECT_EQ(json_error<Sample>(j, &path), CodecError::kJsonMissingField);
  EXPECT_EQ(path, "transfers[1]");
  j = sample_json(2);
  j["extra"] = 1;
  EXPECT_EQ(json_error<Sample>(j), CodecError::kJsonUnknownField);
  j = sample_json(2);
  j["nested"]["Amount"] = "1";
  EXPECT_EQ(json_error<Sample>(j, &path), CodecError::kJsonUnknownField);
  EXPECT_EQ(path, "nested");
  EXPECT_EQ(
      text_error<Transfer>(R"({"to":"0000000000000000000000000000000000000000","amount":"1","memo":null,)"
                           R"("amount":"2"})"),
      CodecError::kJsonDuplicateKey);
  EXPECT_EQ(text_error<Sample>(R"({"balances":{"a":"1","a":"1"}})"), CodecError::kJsonDuplicateKey);
}

TEST(Json, NonCanonicalNumbersAndHexRefused) {
  std::string path;
  struct Case {
    const char* field;
    Json value;
    CodecError kind;
  };
  const Case cases[] = {
      {"nonce", "01", CodecError::kJsonBadNumber},
      {"nonce", "-1", CodecError::kJsonBadNumber},
      {"nonce", "18446744073709551616", CodecError::kJsonBadNumber},
      {"nonce", " 1", CodecError::kJsonBadNumber},
      {"nonce", "", CodecError::kJsonBadNumber},
      {"amount", "340282366920938463463374607431768211456", CodecError::kJsonBadNumber},
      {"amount", "1e3", CodecError::kJsonBadNumber},
      {"i64", "-0", CodecError::kJsonBadNumber},
      {"i64", "+1", CodecError::kJsonBadNumber},
      {"i64", "9223372036854775808", CodecError::kJsonBadNumber},
      {"i64", "-9223372036854775809", CodecError::kJsonBadNumber},
      {"small", 256, CodecError::kJsonBadNumber},
      {"small", -1, CodecError::kJsonBadNumber},
      {"i8", -129, CodecError::kJsonBadNumber},
      {"i8", 128, CodecError::kJsonBadNumber},
      {"kind", 9, CodecError::kInvalidEnum},
      {"blob", "ABCD", CodecError::kJsonBadHex},
      {"blob", "0xab", CodecError::kJsonBadHex},
      {"blob", "abc", CodecError::kJsonBadHex},
      {"tag", "deadbe", CodecError::kJsonBadHex},
      {"tag", "deadbeef00", CodecError::kJsonBadHex},
      {"by_height", Json::object({{"01", "00"}}), CodecError::kJsonBadNumber},
      {"labels", Json::array({"a", "a"}), CodecError::kDuplicateMapKey},
      {"signed_keys", Json::array({Json::array({1, true}), Json::array({1, false})}),
       CodecError::kDuplicateMapKey},
  };
  for (const Case& c : cases) {
    Json j = sample_json(3);
    j[c.field] = c.value;
    EXPECT_EQ(json_error<Sample>(j, &path), c.kind) << c.field << " = " << c.value.dump();
  }
  Json j = sample_json(3);
  j["transfers"][1]["amount"] = "-5";
  EXPECT_EQ(json_error<Sample>(j, &path), CodecError::kJsonBadNumber);
  EXPECT_EQ(path, "transfers[1].amount");
  // Edge values that are canonical are accepted.
  j = sample_json(3);
  j["i64"] = "-9223372036854775808";
  j["nonce"] = "0";
  j["small"] = 0;
  j["i8"] = -128;
  j["blob"] = "";
  EXPECT_TRUE(from_json<Sample>(j).ok());
}

TEST(Json, SyntaxLimitsAndHostileInput) {
  EXPECT_EQ(text_error<Sample>(""), CodecError::kJsonSyntax);
  EXPECT_EQ(text_error<Sample>("{"), CodecError::kJsonSyntax);
  EXPECT_EQ(text_error<Sample>("{} {}"), CodecError::kJsonSyntax);
  EXPECT_EQ(text_error<Sample>("{\"text\":\"\xff\"}"), CodecError::kJsonSyntax);     // not UTF-8
  EXPECT_EQ(text_error<Sample>("{\"text\":\"\\ud800\"}"), CodecError::kJsonSyntax);  // lone surrogate
  EXPECT_EQ(text_error<Sample>("/* c */ {}"), CodecError::kJsonSyntax);
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  EXPECT_EQ(text_error<Sample>(deep), CodecError::kDepthLimit);
  Limits small;
  small.max_input = 10;
  EXPECT_EQ(text_error<Sample>(to_json_text(Sample{}).value(), small), CodecError::kInputLimit);
  Limits short_strings;
  short_strings.max_length = 2;
  Json j = sample_json(4);
  j["text"] = "abc";
  Failure f;
  EXPECT_FALSE(from_json<Sample>(j, short_strings, &f).ok());
  EXPECT_EQ(f.kind, CodecError::kLengthLimit);
  EXPECT_EQ(f.to_error().code, ErrorCode::kTooLarge);
  // Unrepresentable values are refused on the way out too.
  Sample bad;
  bad.text = "\xc3";
  auto out = to_json_text(bad);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.code(), ErrorCode::kMalformed);
}

TEST(Json, DepthLimitMatchesBinary) {
  // Codec depth 32 is accepted, 33 refused, in JSON as in binary (Tree: one struct and one
  // list level per node).
  auto nested = [](int nodes) {
    testing::Tree root;
    testing::Tree* cur = &root;
    for (int i = 1; i < nodes; ++i) {
      cur->children.emplace_back();
      cur = &cur->children.back();
    }
    return root;
  };
  const testing::Tree ok = nested(16);  // 16 structs + 15 lists = 31 levels
  const std::string text = to_json_text(ok).value();
  auto back = from_json_text<testing::Tree>(text);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_TRUE(*back == ok);
  EXPECT_TRUE(decode<testing::Tree>(encode(ok).value()).ok());
  Limits wide;
  wide.max_depth = 64;
  const testing::Tree deep = nested(17);  // 33 levels
  EXPECT_FALSE(to_json(deep).ok());
  EXPECT_FALSE(encode(deep).ok());
  EXPECT_EQ(text_error<testing::Tree>(to_json_text(deep, wide).value()), CodecError::kDepthLimit);
  Failure f;
  EXPECT_FALSE(decode<testing::Tree>(encode(deep, wide).value(), {}, &f).ok());
  EXPECT_EQ(f.kind, CodecError::kDepthLimit);
}

TEST(Json, TransparentStructIsItsField) {
  testing::Address a;
  a.raw[19] = 1;
  EXPECT_EQ(to_json_text(a).value(), "\"0000000000000000000000000000000000000001\"");
  static_assert(detail::json_is_string<testing::Address>());
  auto back = from_json_text<testing::Address>("\"0000000000000000000000000000000000000001\"");
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(*back == a);
}

}  // namespace
}  // namespace formica::codec
