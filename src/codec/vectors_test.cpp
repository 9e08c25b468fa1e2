// Golden vectors (tests/vectors/codec/canonical.json, our own; the TypeScript SDK checks the
// same file): every valid vector decodes, re-encodes to the same hex and maps to the same
// JSON; every invalid one is refused with the named failure kind.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/codec/json.h"

namespace formica::codec {
namespace {

struct Transfer {
  ByteArray<20> to{};
  U128 amount = 0;
  std::optional<std::string> memo;
  FORMICA_CODEC_FIELDS(to, amount, memo)
};

struct Payment {
  std::string chain_id;
  std::uint64_t nonce = 0;
  std::vector<Transfer> transfers;
  std::map<std::string, U128> fees;
  std::set<std::uint16_t> flags;
  bool urgent = false;
  std::optional<std::uint64_t> expiry_height;
  FORMICA_CODEC_FIELDS(chain_id, nonce, transfers, fees, flags, urgent, expiry_height)
};

Json load_vectors() {
  std::ifstream in(FORMICA_VECTORS_DIR "/codec/canonical.json", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = parse_json(ss.str());
  EXPECT_TRUE(j.ok()) << "cannot read tests/vectors/codec/canonical.json";
  return j.ok() ? *j : Json::object();
}

// Checks for one vector type: a valid vector, an invalid binary one, an invalid JSON one.
struct TypeChecks {
  std::function<void(const Json&)> valid;
  std::function<void(const Json&)> invalid_binary;
  std::function<void(const Json&)> invalid_json;
};

template <class T>
TypeChecks checks_for() {
  TypeChecks c;
  c.valid = [](const Json& v) {
    const std::string name = v["name"];
    const Bytes wire = base::from_hex(v["hex"].get<std::string>()).value();
    auto decoded = decode<T>(wire);
    ASSERT_TRUE(decoded.ok()) << name << ": " << decoded.error().to_string();
    EXPECT_EQ(base::to_hex(encode(*decoded).value()), v["hex"]) << name;
    EXPECT_EQ(to_json(*decoded).value(), v["json"]) << name;
    auto from = from_json<T>(v["json"]);
    ASSERT_TRUE(from.ok()) << name << ": " << from.error().to_string();
    EXPECT_EQ(base::to_hex(encode(*from).value()), v["hex"]) << name;
  };
  c.invalid_binary = [](const Json& v) {
    const std::string name = v["name"];
    const Bytes wire = base::from_hex(v["hex"].get<std::string>()).value();
    Failure f;
    auto decoded = decode<T>(wire, {}, &f);
    ASSERT_FALSE(decoded.ok()) << name;
    EXPECT_EQ(codec_error_name(f.kind), v["error"].get<std::string>()) << name;
  };
  c.invalid_json = [](const Json& v) {
    const std::string name = v["name"];
    Failure f;
    auto decoded = from_json<T>(v["json"], {}, &f);
    ASSERT_FALSE(decoded.ok()) << name;
    EXPECT_EQ(codec_error_name(f.kind), v["error"].get<std::string>()) << name;
  };
  return c;
}

const std::map<std::string, TypeChecks>& types() {
  static const std::map<std::string, TypeChecks> t = {
      {"bool", checks_for<bool>()},
      {"u8", checks_for<std::uint8_t>()},
      {"u16", checks_for<std::uint16_t>()},
      {"u32", checks_for<std::uint32_t>()},
      {"u64", checks_for<std::uint64_t>()},
      {"u128", checks_for<U128>()},
      {"i32", checks_for<std::int32_t>()},
      {"i64", checks_for<std::int64_t>()},
      {"string", checks_for<std::string>()},
      {"bytes", checks_for<Bytes>()},
      {"bytes4", checks_for<ByteArray<4>>()},
      {"optional<u64>", checks_for<std::optional<std::uint64_t>>()},
      {"list<u32>", checks_for<std::vector<std::uint32_t>>()},
      {"set<u16>", checks_for<std::set<std::uint16_t>>()},
      {"set<string>", checks_for<std::set<std::string>>()},
      {"map<string,u8>", checks_for<std::map<std::string, std::uint8_t>>()},
      {"map<string,u128>", checks_for<std::map<std::string, U128>>()},
      {"map<i32,bool>", checks_for<std::map<std::int32_t, bool>>()},
      {"Transfer", checks_for<Transfer>()},
      {"Payment", checks_for<Payment>()},
  };
  return t;
}

void run(const char* section, std::function<void(const Json&)> TypeChecks::*which, std::size_t min_count) {
  const Json all = load_vectors();
  ASSERT_TRUE(all.contains(section));
  const Json& list = all[section];
  EXPECT_GE(list.size(), min_count);
  for (const Json& v : list) {
    const std::string type = v["type"];
    auto it = types().find(type);
    ASSERT_NE(it, types().end()) << "vector type " << type << " has no C++ type in this test";
    (it->second.*which)(v);
  }
}

TEST(Vectors, ValidEncodings) { run("valid", &TypeChecks::valid, 20); }
TEST(Vectors, InvalidBinary) { run("invalid_binary", &TypeChecks::invalid_binary, 15); }
TEST(Vectors, InvalidJson) { run("invalid_json", &TypeChecks::invalid_json, 10); }

}  // namespace
}  // namespace formica::codec
