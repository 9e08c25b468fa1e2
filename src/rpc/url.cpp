#include <charconv>

#include "formica/rpc/client.h"

namespace formica::rpc {

Result<Endpoint> parse_url(std::string_view url, std::string_view scheme) {
  const auto bad = [&](std::string_view why) {
    return make_error(ErrorCode::kInvalidArgument,
                      "bad URL \"" + std::string(url) + "\": " + std::string(why));
  };
  const std::size_t colon = url.find("://");
  if (colon == std::string_view::npos) return bad("expected " + std::string(scheme) + "://host:port");
  const std::string_view given = url.substr(0, colon);
  if (given != scheme) {
    if (given == "https" || given == "wss")
      return make_error(ErrorCode::kUnsupported, "TLS endpoints are not supported yet");
    return bad("scheme must be " + std::string(scheme));
  }
  std::string_view rest = url.substr(colon + 3);
  if (rest.find_first_of("#@ ") != std::string_view::npos)
    return bad("user info, fragments and spaces are not allowed");
  const std::size_t slash = rest.find('/');
  Endpoint ep;
  ep.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  std::string_view authority = rest.substr(0, slash);
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 literal");
    ep.host = std::string(authority.substr(1, close - 1));
    if (close + 1 >= authority.size() || authority[close + 1] != ':') return bad("missing port");
    port_text = authority.substr(close + 2);
  } else {
    const std::size_t c = authority.rfind(':');
    if (c == std::string_view::npos) return bad("missing port");
    ep.host = std::string(authority.substr(0, c));
    port_text = authority.substr(c + 1);
  }
  if (ep.host.empty()) return bad("missing host");
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    return bad("port must be 1..65535");
  }
  ep.port = static_cast<std::uint16_t>(port);
  return ep;
}

std::string_view HttpResult::header(std::string_view name) const {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (const auto& [n, v] : headers) {
    if (n.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < n.size() && same; ++i) same = lower(n[i]) == lower(name[i]);
    if (same) return v;
  }
  return {};
}

}  // namespace formica::rpc
