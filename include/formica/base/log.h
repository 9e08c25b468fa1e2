#pragma once
// Logging through spdlog (formatting by fmt 9). One named logger per process; components add
// their name as the first field. Never log secrets: key material types do not format.

#include <spdlog/spdlog.h>

#include <string_view>

namespace formica::base::log {

enum class Level { kTrace, kDebug, kInfo, kWarn, kError, kOff };

// Sets up the process logger: to stderr, or to `file` when non-empty. Safe to call again.
void init(Level level, std::string_view file = {});
bool parse_level(std::string_view text, Level& out);

template <typename... Args>
void trace(spdlog::format_string_t<Args...> f, Args&&... a) {
  spdlog::trace(f, std::forward<Args>(a)...);
}
template <typename... Args>
void debug(spdlog::format_string_t<Args...> f, Args&&... a) {
  spdlog::debug(f, std::forward<Args>(a)...);
}
template <typename... Args>
void info(spdlog::format_string_t<Args...> f, Args&&... a) {
  spdlog::info(f, std::forward<Args>(a)...);
}
template <typename... Args>
void warn(spdlog::format_string_t<Args...> f, Args&&... a) {
  spdlog::warn(f, std::forward<Args>(a)...);
}
template <typename... Args>
void error(spdlog::format_string_t<Args...> f, Args&&... a) {
  spdlog::error(f, std::forward<Args>(a)...);
}

}  // namespace formica::base::log
