#include "formica/rpc/errors.h"

#include <array>
#include <utility>

namespace formica::rpc {
namespace {

struct CodeRow {
  ErrorCode code;
  std::string_view wire;
  int rpc;
};

constexpr std::array<CodeRow, 12> kRows{{
    {ErrorCode::kInvalidArgument, "invalid_argument", kInvalidParams},
    {ErrorCode::kMalformed, "malformed", kInvalidParams},
    {ErrorCode::kTooLarge, "too_large", kTooLargeError},
    {ErrorCode::kVerificationFailed, "verification_failed", kVerificationFailedError},
    {ErrorCode::kNotFound, "not_found", kNotFoundError},
    {ErrorCode::kAlreadyExists, "already_exists", kAlreadyExistsError},
    {ErrorCode::kPermissionDenied, "permission_denied", kPermissionDeniedError},
    {ErrorCode::kFailedPrecondition, "failed_precondition", kFailedPreconditionError},
    {ErrorCode::kUnsupported, "unsupported", kUnsupportedError},
    {ErrorCode::kIo, "io", kIoError},
    {ErrorCode::kUnavailable, "unavailable", kUnavailableError},
    {ErrorCode::kInternal, "internal", kInternalError},
}};

}  // namespace

int json_rpc_code(ErrorCode code) {
  for (const auto& row : kRows) {
    if (row.code == code) return row.rpc;
  }
  return kInternalError;
}

std::string_view error_code_wire_name(ErrorCode code) {
  for (const auto& row : kRows) {
    if (row.code == code) return row.wire;
  }
  return "internal";
}

bool error_code_from_wire_name(std::string_view name, ErrorCode& out) {
  for (const auto& row : kRows) {
    if (row.wire == name) {
      out = row.code;
      return true;
    }
  }
  return false;
}

Json make_error_object(int rpc_code, std::string_view message, ErrorCode data_code) {
  Json err = Json::object();
  err["code"] = rpc_code;
  err["message"] = std::string(message);
  err["data"] = Json{{"code", std::string(error_code_wire_name(data_code))}};
  return err;
}

Json error_object(const Error& error) {
  return make_error_object(json_rpc_code(error.code),
                           error.message.empty() ? error.to_string() : error.message, error.code);
}

Error error_from_object(const Json& obj) {
  if (!obj.is_object()) return make_error(ErrorCode::kMalformed, "malformed error object");
  std::string message;
  if (auto m = obj.find("message"); m != obj.end() && m->is_string()) {
    message = m->get<std::string>();
  } else {
    message = "malformed error object";
  }
  if (auto d = obj.find("data"); d != obj.end() && d->is_object()) {
    if (auto c = d->find("code"); c != d->end() && c->is_string()) {
      ErrorCode code{};
      if (error_code_from_wire_name(c->get_ref<const std::string&>(), code)) return make_error(code, message);
    }
  }
  auto c = obj.find("code");
  if (c == obj.end() || !c->is_number_integer()) return make_error(ErrorCode::kMalformed, message);
  const auto rpc = c->get<std::int64_t>();
  switch (rpc) {
    case kParseError: return make_error(ErrorCode::kMalformed, message);
    case kInvalidRequest:
    case kInvalidParams: return make_error(ErrorCode::kInvalidArgument, message);
    case kMethodNotFound: return make_error(ErrorCode::kUnsupported, message);
    default: break;
  }
  for (const auto& row : kRows) {
    if (row.rpc == rpc && rpc != kInvalidParams) return make_error(row.code, message);
  }
  return make_error(ErrorCode::kInternal, message);
}

}  // namespace formica::rpc
