#include "static_files.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>
#include <vector>

namespace formica::rpc {
namespace fs = std::filesystem;
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) {
      return make_error(ErrorCode::kInvalidArgument, "truncated percent escape");
    }
    const int hi = hex_value(in[i + 1]);
    const int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return make_error(ErrorCode::kInvalidArgument, "bad percent escape");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// True when `p` (canonical) is `root` (canonical) or below it.
bool within(const fs::path& root, const fs::path& p) {
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (q == p.end() || *r != *q) return false;
  }
  return true;
}

Result<StaticFile> read_file(const fs::path& file, std::size_t max_bytes) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) return make_error(ErrorCode::kIo, "cannot stat file");
  if (size > max_bytes) return make_error(ErrorCode::kTooLarge, "file too large to serve");
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error(ErrorCode::kIo, "cannot open file");
  StaticFile out;
  out.body.resize(static_cast<std::size_t>(size));
  in.read(out.body.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::size_t>(in.gcount()) != size) return make_error(ErrorCode::kIo, "short read");
  out.content_type = std::string(content_type_for(file));
  return out;
}

}  // namespace

std::string_view content_type_for(const fs::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".wasm", "application/wasm"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".webmanifest", "application/manifest+json"},
      {".xml", "application/xml"},
  }};
  const std::string ext = file.extension().string();
  for (const auto& [e, type] : kTypes) {
    if (e.size() == ext.size() && std::equal(e.begin(), e.end(), ext.begin(), [](char a, char b) {
          return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
        })) {
      return type;
    }
  }
  return "application/octet-stream";
}

Result<StaticFile> load_static_file(const fs::path& root, std::string_view url_path, std::size_t max_bytes) {
  if (root.empty()) return make_error(ErrorCode::kNotFound, "no static files configured");
  if (url_path.empty() || url_path.front() != '/') return make_error(ErrorCode::kInvalidArgument, "bad path");
  FORMICA_ASSIGN_OR_RETURN(std::string decoded, percent_decode(url_path));
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= decoded.size()) {
    std::size_t end = decoded.find('/', start);
    if (end == std::string::npos) end = decoded.size();
    std::string seg = decoded.substr(start, end - start);
    start = end + 1;
    if (seg.empty()) continue;
    if (seg == "." || seg == "..") return make_error(ErrorCode::kPermissionDenied, "path leaves the root");
    if (seg.find('\0') != std::string::npos || seg.find('\\') != std::string::npos) {
      return make_error(ErrorCode::kPermissionDenied, "bad character in path");
    }
    if (seg.front() == '.') return make_error(ErrorCode::kNotFound, "hidden file");
    segments.push_back(std::move(seg));
  }

  std::error_code ec;
  const fs::path canonical_root = fs::canonical(root, ec);
  if (ec) return make_error(ErrorCode::kNotFound, "static root missing");
  fs::path candidate = canonical_root;
  for (const auto& seg : segments) candidate /= seg;
  if (segments.empty() || decoded.back() == '/') candidate /= "index.html";

  fs::path real = fs::canonical(candidate, ec);  // resolves every symlink on the way
  if (ec) return make_error(ErrorCode::kNotFound, "no such file");
  if (!within(canonical_root, real)) return make_error(ErrorCode::kPermissionDenied, "path leaves the root");
  if (fs::is_directory(real, ec)) {
    real = fs::canonical(real / "index.html", ec);
    if (ec) return make_error(ErrorCode::kNotFound, "no index.html");
    if (!within(canonical_root, real))
      return make_error(ErrorCode::kPermissionDenied, "path leaves the root");
  }
  if (!fs::is_regular_file(real, ec)) return make_error(ErrorCode::kNotFound, "not a regular file");
  return read_file(real, max_bytes);
}

}  // namespace formica::rpc
