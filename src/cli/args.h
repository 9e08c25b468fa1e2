#pragma once
// The command-line contract (../shared/CLI.md) in one place: option parsing that refuses
// unknown options, the exit codes, and the one-line error format `formica: <what>: <why>`.
// Written by hand rather than with CLI11 because the contract fixes exit codes and message
// shape exactly, and a 100-line parser states that contract more plainly than configuring one.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"

namespace formica::cli {

enum Exit : int {
  kExitOk = 0,           // success / valid
  kExitCheckFailed = 1,  // well-formed input that fails its check
  kExitUsage = 2,        // malformed input or usage error
  kExitUnreachable = 3,  // node or network not reachable in time
};

struct OptionSpec {
  std::string name;         // without the leading "--"
  bool takes_value = true;  // false: a flag
  bool repeatable = false;
};

class Args {
 public:
  // Parses argv (the words after the command and verb). "--name value" and "--name=value" are
  // accepted; "--" ends options. Unknown options and missing values are usage errors.
  static Result<Args> parse(const std::vector<std::string>& argv, const std::vector<OptionSpec>& spec);

  bool has(std::string_view name) const;
  std::optional<std::string> get(std::string_view name) const;
  std::string get_or(std::string_view name, std::string fallback) const;
  std::vector<std::string> get_all(std::string_view name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> options_;
  std::vector<std::string> positional_;
};

// Prints `formica: <what>: <why>` on stderr and returns `code`.
int fail(int code, std::string_view what, std::string_view why);
// Maps an Error to an exit code: input that fails a check -> 1, malformed/usage -> 2,
// unreachable -> 3; prints the one-line message.
int fail(std::string_view what, const Error& error);
int exit_code_for(const Error& error);

// Reads a whole file, or stdin for "-" or an empty path. Bounded by `max_bytes`.
Result<Bytes> read_input(std::string_view path, std::size_t max_bytes = 256u << 20);
// Writes a file atomically (temporary file + rename), with the given permission bits.
Status write_file_atomic(const std::string& path, ByteView data, unsigned mode = 0644);

// Parses a non-negative decimal integer (no sign, no leading '+', no spaces).
Result<std::uint64_t> parse_u64(std::string_view text);

}  // namespace formica::cli
