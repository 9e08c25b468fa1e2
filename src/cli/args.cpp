#include "args.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>

namespace formica::cli {

Result<Args> Args::parse(const std::vector<std::string>& argv, const std::vector<OptionSpec>& spec) {
  Args out;
  bool options_done = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (options_done || word.size() < 3 || word.rfind("--", 0) != 0) {
      if (word == "--" && !options_done) {
        options_done = true;
        continue;
      }
      out.positional_.push_back(word);
      continue;
    }
    std::string name = word.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const OptionSpec* found = nullptr;
    for (const auto& s : spec)
      if (s.name == name) found = &s;
    if (found == nullptr) return make_error(ErrorCode::kInvalidArgument, "unknown option --" + name);
    auto& values = out.options_[name];
    if (!values.empty() && !found->repeatable)
      return make_error(ErrorCode::kInvalidArgument, "option --" + name + " given twice");
    if (!found->takes_value) {
      if (inline_value)
        return make_error(ErrorCode::kInvalidArgument, "option --" + name + " takes no value");
      values.emplace_back();
      continue;
    }
    if (inline_value) {
      values.push_back(*inline_value);
    } else {
      if (i + 1 >= argv.size())
        return make_error(ErrorCode::kInvalidArgument, "option --" + name + " needs a value");
      values.push_back(argv[++i]);
    }
  }
  return out;
}

bool Args::has(std::string_view name) const { return options_.find(name) != options_.end(); }

std::optional<std::string> Args::get(std::string_view name) const {
  auto it = options_.find(name);
  if (it == options_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::string Args::get_or(std::string_view name, std::string fallback) const {
  auto v = get(name);
  return v ? *v : std::move(fallback);
}

std::vector<std::string> Args::get_all(std::string_view name) const {
  auto it = options_.find(name);
  return it == options_.end() ? std::vector<std::string>{} : it->second;
}

int fail(int code, std::string_view what, std::string_view why) {
  std::cerr << "formica: " << what << ": " << why << std::endl;
  return code;
}

int exit_code_for(const Error& error) {
  switch (error.code) {
    case ErrorCode::kVerificationFailed:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kNotFound:
    case ErrorCode::kAlreadyExists: return kExitCheckFailed;
    case ErrorCode::kUnavailable: return kExitUnreachable;
    default: return kExitUsage;
  }
}

int fail(std::string_view what, const Error& error) {
  return fail(exit_code_for(error), what,
              error.message.empty() ? base::error_code_name(error.code) : error.message);
}

Result<Bytes> read_input(std::string_view path, std::size_t max_bytes) {
  Bytes out;
  if (path.empty() || path == "-") {
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
      out.insert(out.end(), buf, buf + n);
      if (out.size() > max_bytes) return make_error(ErrorCode::kTooLarge, "input exceeds size limit");
    }
    if (std::ferror(stdin)) return make_error(ErrorCode::kIo, "cannot read stdin");
    return out;
  }
  std::string p(path);
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return make_error(ErrorCode::kMalformed, p + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return make_error(ErrorCode::kMalformed, p + ": is a directory");
  std::ifstream in(p, std::ios::binary);
  if (!in) return make_error(ErrorCode::kMalformed, p + ": cannot open");
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out.insert(out.end(), buf, buf + in.gcount());
    if (out.size() > max_bytes) return make_error(ErrorCode::kTooLarge, p + ": exceeds size limit");
  }
  return out;
}

Status write_file_atomic(const std::string& path, ByteView data, unsigned mode) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return make_error(ErrorCode::kIo, path + ": " + std::strerror(errno));
  std::size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return make_error(ErrorCode::kIo, path + ": " + std::strerror(e));
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return make_error(ErrorCode::kIo, path + ": cannot sync");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return make_error(ErrorCode::kIo, path + ": " + std::strerror(e));
  }
  return ok_status();
}

Result<std::uint64_t> parse_u64(std::string_view text) {
  std::uint64_t v = 0;
  if (text.empty() || text[0] < '0' || text[0] > '9')
    return make_error(ErrorCode::kInvalidArgument, "not a non-negative integer: " + std::string(text));
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size())
    return make_error(ErrorCode::kInvalidArgument, "not a non-negative integer: " + std::string(text));
  return v;
}

}  // namespace formica::cli
