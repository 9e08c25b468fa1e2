#pragma once
// JSON-RPC 2.0 error objects and their mapping to and from base::ErrorCode (docs/rpc.md §Errors).
//
// Every error object the server sends has the shape
//   {"code": <int>, "message": "<for people>", "data": {"code": "<error_code_name>"}}
// where data.code is error_code_wire_name() of the typed reason (snake_case: "not_found",
// "failed_precondition", ...), so clients branch on data.code (or the integer code), never on
// the message.

#include <string>
#include <string_view>

#include "formica/base/status.h"
#include "formica/codec/json.h"

namespace formica::rpc {

using codec::Json;

// Codes reserved by the JSON-RPC 2.0 specification.
inline constexpr int kParseError = -32700;      // the body is not JSON
inline constexpr int kInvalidRequest = -32600;  // JSON, but not a valid request object
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;  // ErrorCode::kInvalidArgument and kMalformed
inline constexpr int kInternalError = -32603;  // ErrorCode::kInternal (and a handler that threw)

// Application errors (the "server error" range -32000..-32099), one per ErrorCode.
inline constexpr int kTooLargeError = -32001;
inline constexpr int kVerificationFailedError = -32002;
inline constexpr int kNotFoundError = -32003;
inline constexpr int kAlreadyExistsError = -32004;
inline constexpr int kPermissionDeniedError = -32005;
inline constexpr int kFailedPreconditionError = -32006;
inline constexpr int kUnsupportedError = -32007;
inline constexpr int kIoError = -32008;
inline constexpr int kUnavailableError = -32009;

// The JSON-RPC code a handler's Error is sent with.
int json_rpc_code(ErrorCode code);

// The snake_case name of an ErrorCode on the wire: "invalid_argument", "malformed", "too_large",
// "verification_failed", "not_found", "already_exists", "permission_denied",
// "failed_precondition", "unsupported", "io", "unavailable", "internal".
std::string_view error_code_wire_name(ErrorCode code);
// The inverse; false when the name is unknown.
bool error_code_from_wire_name(std::string_view name, ErrorCode& out);

// {"code": rpc_code, "message": message, "data": {"code": error_code_wire_name(data_code)}}.
Json make_error_object(int rpc_code, std::string_view message, ErrorCode data_code);
// The error object for a handler's Error: json_rpc_code(error.code), its message and name.
Json error_object(const Error& error);

// The base::Error a client reports for a received error object: data.code when it names an
// ErrorCode, otherwise derived from the integer code (-32700 kMalformed, -32600 and -32602
// kInvalidArgument, -32601 kUnsupported, server range per the table above, else kInternal).
// The message is the object's message (kMalformed "malformed error object" when it has none).
Error error_from_object(const Json& error_object);

}  // namespace formica::rpc
