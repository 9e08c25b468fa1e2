#include "formica/base/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <chrono>
#include <string>

namespace formica::base::log {

void init(Level level, std::string_view file) {
  std::shared_ptr<spdlog::logger> logger;
  if (file.empty()) {
    logger = std::make_shared<spdlog::logger>("formica", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  } else {
    logger = std::make_shared<spdlog::logger>(
        "formica", std::make_shared<spdlog::sinks::basic_file_sink_mt>(std::string(file), false));
  }
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  switch (level) {
    case Level::kTrace: logger->set_level(spdlog::level::trace); break;
    case Level::kDebug: logger->set_level(spdlog::level::debug); break;
    case Level::kInfo: logger->set_level(spdlog::level::info); break;
    case Level::kWarn: logger->set_level(spdlog::level::warn); break;
    case Level::kError: logger->set_level(spdlog::level::err); break;
    case Level::kOff: logger->set_level(spdlog::level::off); break;
  }
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  // Lower levels reach the file within a second, so a node killed with SIGKILL leaves a log
  // that says what it was doing.
  spdlog::flush_every(std::chrono::seconds(1));
}

bool parse_level(std::string_view text, Level& out) {
  if (text == "trace")
    out = Level::kTrace;
  else if (text == "debug")
    out = Level::kDebug;
  else if (text == "info")
    out = Level::kInfo;
  else if (text == "warn")
    out = Level::kWarn;
  else if (text == "error")
    out = Level::kError;
  else if (text == "off")
    out = Level::kOff;
  else
    return false;
  return true;
}

}  // namespace formica::base::log
