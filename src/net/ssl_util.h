#pragma once
// OpenSSL helpers shared by tls_identity.cpp, transport.cpp and the tests (internal).

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

#include "formica/base/status.h"

namespace formica::net::ssl_util {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

// The thread's OpenSSL error queue as text (and cleared).
std::string take_openssl_errors();
Error openssl_error(ErrorCode code, std::string_view what);

// Parses the first certificate of a PEM text.
Result<X509Ptr> parse_cert(std::string_view pem);
Result<PkeyPtr> parse_private_key(std::string_view pem);
// An entry (NID_commonName, NID_organizationName) of the subject; empty when absent.
std::string subject_entry(const X509* cert, int nid);

}  // namespace formica::net::ssl_util
