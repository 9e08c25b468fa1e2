#pragma once
// Test-only helpers: read the copied standard vectors (tests/vectors/crypto/, through the
// FORMICA_VECTORS_DIR compile definition) and OpenSSL's evp_test stanza format.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/encoding.h"

namespace formica::crypto::testing {

inline std::string read_vector_file(const std::string& name) {
  std::string path = std::string(FORMICA_VECTORS_DIR) + "/crypto/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline nlohmann::json read_json(const std::string& name) {
  return nlohmann::json::parse(read_vector_file(name));
}

// Hex from a vector file (the test data is trusted; a bad digit is a test failure).
inline Bytes unhex(const std::string& text) {
  auto r = base::from_hex(text);
  EXPECT_TRUE(r.ok()) << "bad hex in vector: " << text;
  return r.ok() ? *r : Bytes{};
}

// OpenSSL evp_test files: blank-line separated stanzas of "Key = value" lines, '#' comments.
// A PEM block after "PrivateKey=NAME" is collected into the "PEM" entry of that stanza.
using Stanza = std::map<std::string, std::string>;
inline std::vector<Stanza> parse_evp_stanzas(const std::string& text) {
  std::vector<Stanza> out;
  Stanza cur;
  bool in_pem = false;
  std::istringstream in(text);
  std::string line;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (in_pem) {
      cur["PEM"] += line + "\n";
      if (line.rfind("-----END", 0) == 0) in_pem = false;
      continue;
    }
    if (line.rfind("-----BEGIN", 0) == 0) {
      cur["PEM"] = line + "\n";
      in_pem = true;
      continue;
    }
    if (line.empty()) {
      flush();
      continue;
    }
    if (line[0] == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(" \t"));
      s.erase(s.find_last_not_of(" \t") + 1);
      return s;
    };
    cur[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  flush();
  return out;
}

}  // namespace formica::crypto::testing
