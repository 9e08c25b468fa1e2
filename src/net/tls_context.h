#pragma once
// The TLS 1.3 context of a transport endpoint (internal; includes Boost.Asio SSL).

#include <memory>
#include <string_view>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "formica/base/status.h"
#include "ssl_util.h"

namespace formica::net {

// TLS 1.3 only; presents `cert_pem` (leaf first, then any intermediates) with `key_pem`;
// requires and verifies the peer's certificate against `roots` (depth <= 2); no session
// tickets or resumption (every connection verifies a full certificate chain).
Result<std::unique_ptr<boost::asio::ssl::context>> make_tls_context(std::string_view cert_pem,
                                                                    std::string_view key_pem,
                                                                    const std::vector<X509*>& roots);

}  // namespace formica::net
