#pragma once
// Helpers shared by the zk tests: vector files and hex.
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "formica/base/bytes.h"
#include "formica/base/encoding.h"

namespace formica::zk::testing {

inline nlohmann::json load_vectors(const std::string& relative) {
  std::ifstream in(std::string(FORMICA_VECTORS_DIR) + "/zk/" + relative);
  return nlohmann::json::parse(in);
}

inline Bytes hex(const std::string& s) {
  auto r = base::from_hex(s);
  return r.ok() ? *r : Bytes{};
}

inline std::string hex_of(ByteView b) { return base::to_hex(b); }

}  // namespace formica::zk::testing
