#include "tls_context.h"

#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>

namespace formica::net {

namespace ssl = boost::asio::ssl;

Result<std::unique_ptr<ssl::context>> make_tls_context(std::string_view cert_pem, std::string_view key_pem,
                                                       const std::vector<X509*>& roots) {
  std::unique_ptr<ssl::context> ctx;
  try {
    ctx = std::make_unique<ssl::context>(ssl::context::tls);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal, std::string("TLS context: ") + e.what());
  }
  SSL_CTX* c = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(c, TLS1_3_VERSION) != 1) {
    return ssl_util::openssl_error(ErrorCode::kInternal, "TLS 1.3 only");
  }
  SSL_CTX_set_options(c, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(c, 0);

  boost::system::error_code ec;
  ctx->use_certificate_chain(boost::asio::const_buffer(cert_pem.data(), cert_pem.size()), ec);
  if (ec) {
    ERR_clear_error();
    return make_error(ErrorCode::kMalformed, "node certificate: " + ec.message());
  }
  ctx->use_private_key(boost::asio::const_buffer(key_pem.data(), key_pem.size()), ssl::context::pem, ec);
  if (ec) {
    ERR_clear_error();
    return make_error(ErrorCode::kMalformed, "node private key does not load");
  }
  if (SSL_CTX_check_private_key(c) != 1) {
    ERR_clear_error();
    return make_error(ErrorCode::kVerificationFailed, "node private key does not match its certificate");
  }
  X509_STORE* store = SSL_CTX_get_cert_store(c);
  for (X509* root : roots) {
    if (X509_STORE_add_cert(store, root) != 1) {
      // A root listed twice (two orgs sharing one CA) is not an error.
      const unsigned long e = ERR_peek_last_error();
      if (ERR_GET_REASON(e) != X509_R_CERT_ALREADY_IN_HASH_TABLE) {
        return ssl_util::openssl_error(ErrorCode::kInternal, "X509_STORE_add_cert");
      }
      ERR_clear_error();
    }
  }
  SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  SSL_CTX_set_verify_depth(c, 2);
  return ctx;
}

}  // namespace formica::net
