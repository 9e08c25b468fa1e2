// Organisation CAs and node certificates with OpenSSL 3 (ECDSA P-256, SHA-256).

#include "formica/net/tls_identity.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>

#include "formica/base/bytes.h"
#include "ssl_util.h"

namespace formica::net {

using ssl_util::BioPtr;
using ssl_util::openssl_error;
using ssl_util::PkeyPtr;
using ssl_util::X509Ptr;

// ---------------------------------------------------------------------------------------------
// ssl_util

namespace ssl_util {

std::string take_openssl_errors() {
  std::string out;
  unsigned long e = 0;
  while ((e = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

Error openssl_error(ErrorCode code, std::string_view what) {
  std::string detail = take_openssl_errors();
  std::string msg(what);
  if (!detail.empty()) msg += ": " + detail;
  return make_error(code, std::move(msg));
}

Result<X509Ptr> parse_cert(std::string_view pem) {
  if (pem.size() > std::numeric_limits<int>::max())
    return make_error(ErrorCode::kTooLarge, "certificate PEM too large");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return openssl_error(ErrorCode::kInternal, "BIO_new_mem_buf");
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return openssl_error(ErrorCode::kMalformed, "not a PEM certificate");
  ERR_clear_error();
  return cert;
}

Result<PkeyPtr> parse_private_key(std::string_view pem) {
  if (pem.size() > std::numeric_limits<int>::max())
    return make_error(ErrorCode::kTooLarge, "key PEM too large");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return openssl_error(ErrorCode::kInternal, "BIO_new_mem_buf");
  // An empty passphrase callback: an encrypted key fails instead of prompting on a terminal.
  pem_password_cb* no_password = [](char*, int, int, void*) { return 0; };
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr));
  if (!key) {
    ERR_clear_error();  // the error text may quote key bytes: never pass it on
    return make_error(ErrorCode::kMalformed, "not an unencrypted PEM private key");
  }
  return key;
}

std::string subject_entry(const X509* cert, int nid) {
  const X509_NAME* name = X509_get_subject_name(cert);
  if (name == nullptr) return {};
  const int pos = X509_NAME_get_index_by_NID(name, nid, -1);
  if (pos < 0) return {};
  const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, pos);
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(entry);
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, data);
  if (n < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

}  // namespace ssl_util

// ---------------------------------------------------------------------------------------------
// TlsIdentity

TlsIdentity& TlsIdentity::operator=(const TlsIdentity& other) {
  if (this != &other) {
    secure_zero(key_pem.data(), key_pem.size());
    cert_pem = other.cert_pem;
    key_pem = other.key_pem;
  }
  return *this;
}

TlsIdentity& TlsIdentity::operator=(TlsIdentity&& other) noexcept {
  if (this != &other) {
    secure_zero(key_pem.data(), key_pem.size());
    cert_pem = std::move(other.cert_pem);
    key_pem = std::move(other.key_pem);
  }
  return *this;
}

TlsIdentity::~TlsIdentity() { secure_zero(key_pem.data(), key_pem.size()); }

namespace {

Status check_name(std::string_view what, std::string_view name) {
  if (name.empty() || name.size() > kMaxCertNameBytes) {
    return make_error(ErrorCode::kInvalidArgument,
                      std::string(what) + " must be 1.." + std::to_string(kMaxCertNameBytes) + " bytes");
  }
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return make_error(ErrorCode::kInvalidArgument, std::string(what) + " contains a control character");
    }
  }
  return ok_status();
}

Result<PkeyPtr> new_p256_key() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return openssl_error(ErrorCode::kInternal, "P-256 key generation");
  return key;
}

Result<std::string> cert_to_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
    return openssl_error(ErrorCode::kInternal, "PEM_write_bio_X509");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

// PKCS#8 PEM through a secure-heap BIO (cleared when freed).
Result<std::string> key_to_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    ERR_clear_error();
    return make_error(ErrorCode::kInternal, "PEM_write_bio_PrivateKey failed");
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

Status add_name_entry(X509_NAME* name, const char* field, std::string_view value) {
  if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.data()),
                                 static_cast<int>(value.size()), -1, 0) != 1) {
    return openssl_error(ErrorCode::kInternal, "X509_NAME_add_entry");
  }
  return ok_status();
}

Status add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return openssl_error(ErrorCode::kInternal, std::string("extension ") + value);
  const int rc = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (rc != 1) return openssl_error(ErrorCode::kInternal, "X509_add_ext");
  return ok_status();
}

// A certificate skeleton: v3, random positive 127-bit serial, validity, subject, public key.
Result<X509Ptr> new_cert(EVP_PKEY* key, std::string_view cn, std::string_view org, const CertValidity& v) {
  if (v.lifetime_s <= 0)
    return make_error(ErrorCode::kInvalidArgument, "certificate lifetime must be positive");
  X509Ptr cert(X509_new());
  if (!cert) return openssl_error(ErrorCode::kInternal, "X509_new");
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1)
    return openssl_error(ErrorCode::kInternal, "X509_set_version");
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return openssl_error(ErrorCode::kInternal, "RAND_bytes");
  serial[0] &= 0x7f;
  serial[0] |= 0x01;  // positive and non-zero, fixed length
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  const bool serial_ok =
      bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) != nullptr;
  BN_free(bn);
  if (!serial_ok) return openssl_error(ErrorCode::kInternal, "serial number");
  std::time_t now = std::time(nullptr);
  if (X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, static_cast<long>(v.not_before_offset_s), &now) ==
          nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), 0,
                       static_cast<long>(v.not_before_offset_s + v.lifetime_s), &now) == nullptr) {
    return openssl_error(ErrorCode::kInternal, "validity");
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  FORMICA_TRY(add_name_entry(name, "O", org));
  FORMICA_TRY(add_name_entry(name, "CN", cn));
  if (X509_set_pubkey(cert.get(), key) != 1) return openssl_error(ErrorCode::kInternal, "X509_set_pubkey");
  return cert;
}

std::int64_t asn1_time_to_unix(const ASN1_TIME* t) {
  struct tm tm_value {};
  if (ASN1_TIME_to_tm(t, &tm_value) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&tm_value));
}

std::string hex(const unsigned char* data, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 0x0f]);
  }
  return out;
}

CertInfo info_of(X509* cert) {
  CertInfo info;
  info.common_name = ssl_util::subject_entry(cert, NID_commonName);
  info.organisation = ssl_util::subject_entry(cert, NID_organizationName);
  info.not_before = asn1_time_to_unix(X509_get0_notBefore(cert));
  info.not_after = asn1_time_to_unix(X509_get0_notAfter(cert));
  info.is_ca = X509_check_ca(cert) != 0;
  info.self_signed = X509_self_signed(cert, 0) == 1;
  if (EVP_PKEY* key = X509_get0_pubkey(cert)) {
    if (EVP_PKEY_is_a(key, "EC")) {
      char group[64] = {};
      std::size_t len = 0;
      if (EVP_PKEY_get_group_name(key, group, sizeof group, &len) == 1) {
        info.key_type = std::string("EC ") + (std::string_view(group) == "prime256v1" ? "P-256" : group);
      } else {
        info.key_type = "EC";
      }
    } else {
      const char* type = EVP_PKEY_get0_type_name(key);
      info.key_type = type != nullptr ? type : "unknown";
    }
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &md_len) == 1) info.sha256_fingerprint = hex(md, md_len);
  ERR_clear_error();
  return info;
}

Status write_file(const std::string& path, std::string_view content, mode_t mode) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return make_error(ErrorCode::kIo, "open " + tmp + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, mode) == 0;  // also when the file already existed with other bits
  std::size_t done = 0;
  while (ok && done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  const int saved = errno;
  if (ok) ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    return make_error(ErrorCode::kIo, "write " + tmp + ": " + std::strerror(saved));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    return make_error(ErrorCode::kIo, "rename " + tmp + ": " + std::strerror(e));
  }
  return ok_status();
}

constexpr std::size_t kMaxPemFileBytes = 1u << 20;

}  // namespace

Result<TlsIdentity> create_org_ca(std::string_view org, const CertValidity& validity) {
  FORMICA_TRY(check_name("organisation", org));
  const std::string cn = std::string(org.substr(0, kMaxCertNameBytes - 3)) + " CA";
  FORMICA_ASSIGN_OR_RETURN(PkeyPtr key, new_p256_key());
  FORMICA_ASSIGN_OR_RETURN(X509Ptr cert, new_cert(key.get(), cn, org, validity));
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1) {
    return openssl_error(ErrorCode::kInternal, "issuer");
  }
  FORMICA_TRY(add_ext(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  FORMICA_TRY(add_ext(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign"));
  FORMICA_TRY(add_ext(cert.get(), cert.get(), NID_subject_key_identifier, "hash"));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
    return openssl_error(ErrorCode::kInternal, "X509_sign");
  FORMICA_ASSIGN_OR_RETURN(std::string cert_pem, cert_to_pem(cert.get()));
  FORMICA_ASSIGN_OR_RETURN(std::string key_pem, key_to_pem(key.get()));
  return TlsIdentity(std::move(cert_pem), std::move(key_pem));
}

Result<TlsIdentity> issue_node_cert(const TlsIdentity& ca, std::string_view node_name, std::string_view org,
                                    const CertValidity& validity) {
  FORMICA_TRY(check_name("node name", node_name));
  FORMICA_TRY(check_name("organisation", org));
  FORMICA_ASSIGN_OR_RETURN(X509Ptr ca_cert, ssl_util::parse_cert(ca.cert_pem));
  FORMICA_ASSIGN_OR_RETURN(PkeyPtr ca_key, ssl_util::parse_private_key(ca.key_pem));
  if (X509_check_private_key(ca_cert.get(), ca_key.get()) != 1) {
    ERR_clear_error();
    return make_error(ErrorCode::kVerificationFailed, "CA key does not match the CA certificate");
  }
  if (X509_check_ca(ca_cert.get()) == 0) return make_error(ErrorCode::kInvalidArgument, "issuer is not a CA");
  if (ssl_util::subject_entry(ca_cert.get(), NID_organizationName) != org) {
    return make_error(ErrorCode::kInvalidArgument, "the CA belongs to another organisation");
  }
  FORMICA_ASSIGN_OR_RETURN(PkeyPtr key, new_p256_key());
  FORMICA_ASSIGN_OR_RETURN(X509Ptr cert, new_cert(key.get(), node_name, org, validity));
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())) != 1) {
    return openssl_error(ErrorCode::kInternal, "issuer");
  }
  FORMICA_TRY(add_ext(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  FORMICA_TRY(add_ext(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature"));
  FORMICA_TRY(add_ext(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth,clientAuth"));
  FORMICA_TRY(add_ext(cert.get(), ca_cert.get(), NID_subject_key_identifier, "hash"));
  FORMICA_TRY(add_ext(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always"));
  if (X509_sign(cert.get(), ca_key.get(), EVP_sha256()) <= 0)
    return openssl_error(ErrorCode::kInternal, "X509_sign");
  FORMICA_ASSIGN_OR_RETURN(std::string cert_pem, cert_to_pem(cert.get()));
  FORMICA_ASSIGN_OR_RETURN(std::string key_pem, key_to_pem(key.get()));
  return TlsIdentity(std::move(cert_pem), std::move(key_pem));
}

Result<CertInfo> inspect_certificate(std::string_view cert_pem) {
  FORMICA_ASSIGN_OR_RETURN(X509Ptr cert, ssl_util::parse_cert(cert_pem));
  return info_of(cert.get());
}

Status check_key_matches(std::string_view cert_pem, std::string_view key_pem) {
  FORMICA_ASSIGN_OR_RETURN(X509Ptr cert, ssl_util::parse_cert(cert_pem));
  FORMICA_ASSIGN_OR_RETURN(PkeyPtr key, ssl_util::parse_private_key(key_pem));
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return make_error(ErrorCode::kVerificationFailed, "private key does not match the certificate");
  }
  return ok_status();
}

Status verify_node_certificate(std::string_view cert_pem, std::string_view ca_pem,
                               std::string_view expected_name, std::string_view expected_org,
                               std::int64_t at_unix_s) {
  FORMICA_ASSIGN_OR_RETURN(X509Ptr cert, ssl_util::parse_cert(cert_pem));
  FORMICA_ASSIGN_OR_RETURN(X509Ptr ca, ssl_util::parse_cert(ca_pem));
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                      X509_STORE_CTX_free);
  if (!store || !ctx || X509_STORE_add_cert(store.get(), ca.get()) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) != 1) {
    return openssl_error(ErrorCode::kInternal, "X509_STORE");
  }
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
  if (at_unix_s != 0) X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<std::time_t>(at_unix_s));
  if (X509_verify_cert(ctx.get()) != 1) {
    const int err = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    return make_error(ErrorCode::kVerificationFailed,
                      std::string("certificate does not verify: ") + X509_verify_cert_error_string(err));
  }
  if (X509_check_ca(cert.get()) != 0)
    return make_error(ErrorCode::kVerificationFailed, "node certificate is a CA");
  const std::string cn = ssl_util::subject_entry(cert.get(), NID_commonName);
  const std::string o = ssl_util::subject_entry(cert.get(), NID_organizationName);
  if (cn != expected_name) {
    return make_error(ErrorCode::kVerificationFailed,
                      "certificate CN \"" + cn + "\" is not \"" + std::string(expected_name) + "\"");
  }
  if (o != expected_org) {
    return make_error(ErrorCode::kVerificationFailed,
                      "certificate O \"" + o + "\" is not \"" + std::string(expected_org) + "\"");
  }
  return ok_status();
}

Result<std::vector<CaRoot>> load_ca_roots(const std::map<std::string, std::string>& org_to_pem) {
  std::vector<CaRoot> out;
  for (const auto& [org, pem] : org_to_pem) {
    auto cert = ssl_util::parse_cert(pem);
    if (!cert) return make_error(cert.code(), "CA root of \"" + org + "\": " + cert.error().message);
    CertInfo info = info_of(cert->get());
    if (!info.is_ca || !info.self_signed) {
      return make_error(ErrorCode::kVerificationFailed, "CA root of \"" + org + "\" is not a self-signed CA");
    }
    // A self-signed certificate whose signature does not verify under its own key is not a root.
    EVP_PKEY* pub = X509_get0_pubkey(cert->get());
    if (pub == nullptr || X509_verify(cert->get(), pub) != 1) {
      ERR_clear_error();
      return make_error(ErrorCode::kVerificationFailed,
                        "CA root of \"" + org + "\" has a bad self-signature");
    }
    if (info.organisation != org) {
      return make_error(ErrorCode::kVerificationFailed,
                        "CA root of \"" + org + "\" names organisation \"" + info.organisation + "\"");
    }
    out.push_back(CaRoot{org, pem, std::move(info)});
  }
  return out;
}

Status write_identity(const TlsIdentity& identity, const std::string& cert_path,
                      const std::string& key_path) {
  FORMICA_TRY(check_key_matches(identity.cert_pem, identity.key_pem));
  FORMICA_TRY(write_file(key_path, identity.key_pem, 0600));
  FORMICA_TRY(write_file(cert_path, identity.cert_pem, 0644));
  return ok_status();
}

Result<std::string> read_pem_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return make_error(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                      "open " + path + ": " + std::strerror(errno));
  }
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      secure_zero(out.data(), out.size());
      secure_zero(buf, sizeof buf);
      return make_error(ErrorCode::kIo, "read " + path + ": " + std::strerror(e));
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > kMaxPemFileBytes) {
      ::close(fd);
      secure_zero(out.data(), out.size());
      secure_zero(buf, sizeof buf);
      return make_error(ErrorCode::kTooLarge, path + " is over 1 MiB");
    }
    // Grow by reserving ahead, so that no reallocation leaves a stale copy of a key behind.
    if (out.capacity() < out.size() + static_cast<std::size_t>(n)) {
      std::string bigger;
      bigger.reserve(std::max<std::size_t>(out.capacity() * 2, out.size() + static_cast<std::size_t>(n)));
      bigger = out;
      secure_zero(out.data(), out.size());
      out.swap(bigger);
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  secure_zero(buf, sizeof buf);
  ::close(fd);
  return out;
}

Result<TlsIdentity> read_identity(const std::string& cert_path, const std::string& key_path) {
  FORMICA_ASSIGN_OR_RETURN(std::string cert, read_pem_file(cert_path));
  auto key = read_pem_file(key_path);
  if (!key) return key.take_error();
  TlsIdentity identity(std::move(cert), std::move(*key));
  FORMICA_TRY(check_key_matches(identity.cert_pem, identity.key_pem));
  return identity;
}

}  // namespace formica::net
