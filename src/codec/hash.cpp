#include "formica/codec/hash.h"

namespace formica::codec {

Status check_domain_tag(std::string_view domain) {
  if (domain.empty() || domain.size() > 64) {
    return make_error(ErrorCode::kInvalidArgument, "codec domain tag must be 1..64 characters");
  }
  for (char c : domain) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '.' || c == '_' || c == '-';
    if (!ok)
      return make_error(ErrorCode::kInvalidArgument,
                        "codec domain tag has a character outside a-z 0-9 / . _ -");
  }
  return Status{};
}

}  // namespace formica::codec
