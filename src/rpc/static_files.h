#pragma once
// Serving the web console: maps a request path onto a file under a root directory, refusing
// anything that would leave the root (".." segments, percent-encoded or not; symlinks that
// resolve outside the root; NUL bytes; backslashes) and hidden files. Internal to rpc.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "formica/base/status.h"

namespace formica::rpc {

struct StaticFile {
  std::string content_type;
  std::string body;
};

// `url_path` is the request target's path as sent (before '?', percent-encoded). "/" and paths
// naming a directory serve its index.html. Errors: kInvalidArgument (bad encoding: 400),
// kPermissionDenied (leaves the root: 403), kNotFound (404), kTooLarge (over max_bytes), kIo.
Result<StaticFile> load_static_file(const std::filesystem::path& root, std::string_view url_path,
                                    std::size_t max_bytes);

// "text/html; charset=utf-8" for ".html", ...; "application/octet-stream" when unknown.
std::string_view content_type_for(const std::filesystem::path& file);

}  // namespace formica::rpc
