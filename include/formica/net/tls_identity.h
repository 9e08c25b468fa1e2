#pragma once
// TLS identities for validator-to-validator links (docs/net.md, "Certificates").
//
// Each organisation runs a certificate authority (a self-signed root whose certificate goes
// into genesis); each validator holds a node certificate issued by its organisation's CA with
// CN = node name and O = organisation. Keys are ECDSA P-256 with SHA-256 signatures: it is the
// TLS 1.3 signature scheme every implementation must support (RFC 8446 §9.1), so OpenSSL 3.0
// on both ends (and any other TLS stack an operator may put in front) negotiates it without
// special configuration; Ed25519 certificates are optional in TLS 1.3 and less widely handled
// by tooling (HSMs, browsers, load balancers).
//
// Everything returns Result/Status; no exception escapes. Private keys are PEM (PKCS#8,
// unencrypted) held only in TlsIdentity::key_pem, which is zeroed when the identity is
// destroyed; key files are written with mode 0600.
//
// Errors: kInvalidArgument (empty or over-long names, bad validity), kMalformed (PEM that does
// not parse), kVerificationFailed (certificate not issued by the CA, wrong name or
// organisation, expired, key does not match the certificate), kIo (files), kInternal (OpenSSL).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "formica/base/status.h"

namespace formica::net {

// A certificate and its private key, both PEM.
struct TlsIdentity {
  std::string cert_pem;
  std::string key_pem;  // secret: zeroed on destruction and on overwrite by assignment

  TlsIdentity() = default;
  TlsIdentity(std::string cert, std::string key) : cert_pem(std::move(cert)), key_pem(std::move(key)) {}
  TlsIdentity(const TlsIdentity&) = default;
  TlsIdentity(TlsIdentity&&) noexcept = default;
  TlsIdentity& operator=(const TlsIdentity& other);
  TlsIdentity& operator=(TlsIdentity&& other) noexcept;
  ~TlsIdentity();
};

// Validity window of a new certificate, relative to now (seconds). The default back-dates by
// an hour to tolerate clock skew between hosts.
struct CertValidity {
  std::int64_t not_before_offset_s = -3600;
  std::int64_t lifetime_s = 10ll * 365 * 24 * 3600;  // from not_before
};

// Names are 1..64 bytes (the X.509 upper bound for CN and O), printable, no control characters.
inline constexpr std::size_t kMaxCertNameBytes = 64;

// A new organisation CA: self-signed, CN = "<org> CA", O = org, basicConstraints CA:TRUE
// pathlen:0, keyUsage keyCertSign|cRLSign.
Result<TlsIdentity> create_org_ca(std::string_view org, const CertValidity& validity = {});

// A node certificate signed by `ca`: CN = node_name, O = org (which must be the CA's O),
// CA:FALSE, keyUsage digitalSignature, extendedKeyUsage serverAuth+clientAuth.
Result<TlsIdentity> issue_node_cert(const TlsIdentity& ca, std::string_view node_name, std::string_view org,
                                    const CertValidity& validity = {});

// What a certificate says (never the key).
struct CertInfo {
  std::string common_name;
  std::string organisation;
  std::int64_t not_before = 0;  // unix seconds
  std::int64_t not_after = 0;
  bool is_ca = false;
  bool self_signed = false;
  std::string key_type;            // "EC P-256", "ED25519", ...
  std::string sha256_fingerprint;  // lowercase hex of SHA-256 over the DER certificate
};

// Parses the first certificate of a PEM text.
Result<CertInfo> inspect_certificate(std::string_view cert_pem);

// Checks that `key_pem` is the private key of `cert_pem`.
Status check_key_matches(std::string_view cert_pem, std::string_view key_pem);

// Verifies a node certificate against its organisation's CA root as the transport does: the
// chain ends in `ca_pem`, the certificate is within its validity at `at_unix_s` (0: now), is
// not a CA, and has CN == expected_name and O == expected_org.
Status verify_node_certificate(std::string_view cert_pem, std::string_view ca_pem,
                               std::string_view expected_name, std::string_view expected_org,
                               std::int64_t at_unix_s = 0);

// A CA root accepted from genesis.
struct CaRoot {
  std::string org;
  std::string cert_pem;
  CertInfo info;
};

// Loads the organisation CA roots (org -> PEM, as in genesis): each must be one parsable,
// self-signed CA certificate whose O equals its org key. Fails on the first bad entry.
Result<std::vector<CaRoot>> load_ca_roots(const std::map<std::string, std::string>& org_to_pem);

// Files. The certificate is written with mode 0644, the key with 0600 (also when the file
// already existed); both are written to "<path>.tmp" and renamed into place.
Status write_identity(const TlsIdentity& identity, const std::string& cert_path, const std::string& key_path);
// Reads both files (at most 1 MiB each) and checks that the key matches the certificate.
Result<TlsIdentity> read_identity(const std::string& cert_path, const std::string& key_path);
Result<std::string> read_pem_file(const std::string& path);

}  // namespace formica::net
