#include "formica/net/tls_identity.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "test_support.h"

namespace formica::net {
namespace {

using testing::must;

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/formica-net-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string path;
};

TEST(NetTlsIdentity, CaAndNodeCertificate) {
  const TlsIdentity ca = must(create_org_ca("Acme Foods"));
  const TlsIdentity node = must(issue_node_cert(ca, "validator-1", "Acme Foods"));
  EXPECT_NE(ca.cert_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_NE(ca.key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);

  auto ca_info = inspect_certificate(ca.cert_pem);
  ASSERT_TRUE(ca_info.ok());
  EXPECT_EQ(ca_info->common_name, "Acme Foods CA");
  EXPECT_EQ(ca_info->organisation, "Acme Foods");
  EXPECT_TRUE(ca_info->is_ca);
  EXPECT_TRUE(ca_info->self_signed);
  EXPECT_EQ(ca_info->key_type, "EC P-256");
  EXPECT_EQ(ca_info->sha256_fingerprint.size(), 64u);

  auto info = inspect_certificate(node.cert_pem);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->common_name, "validator-1");
  EXPECT_EQ(info->organisation, "Acme Foods");
  EXPECT_FALSE(info->is_ca);
  EXPECT_FALSE(info->self_signed);
  const std::int64_t now = std::time(nullptr);
  EXPECT_LE(info->not_before, now);
  EXPECT_GT(info->not_after, now + 9ll * 365 * 86400);

  EXPECT_TRUE(check_key_matches(node.cert_pem, node.key_pem).ok());
  EXPECT_EQ(check_key_matches(node.cert_pem, ca.key_pem).code(), ErrorCode::kVerificationFailed);
  EXPECT_TRUE(verify_node_certificate(node.cert_pem, ca.cert_pem, "validator-1", "Acme Foods").ok());
}

TEST(NetTlsIdentity, VerificationRefusesWrongNameOrgCaAndExpiry) {
  const TlsIdentity ca = must(create_org_ca("A"));
  const TlsIdentity other_ca = must(create_org_ca("B"));
  const TlsIdentity node = must(issue_node_cert(ca, "n1", "A"));
  EXPECT_EQ(verify_node_certificate(node.cert_pem, ca.cert_pem, "n2", "A").code(),
            ErrorCode::kVerificationFailed);
  EXPECT_EQ(verify_node_certificate(node.cert_pem, ca.cert_pem, "n1", "B").code(),
            ErrorCode::kVerificationFailed);
  EXPECT_EQ(verify_node_certificate(node.cert_pem, other_ca.cert_pem, "n1", "A").code(),
            ErrorCode::kVerificationFailed);
  // A CA of the same name but another key is another CA.
  const TlsIdentity impostor_ca = must(create_org_ca("A"));
  EXPECT_FALSE(verify_node_certificate(node.cert_pem, impostor_ca.cert_pem, "n1", "A").ok());
  // Expired, and not yet valid.
  const TlsIdentity expired = must(issue_node_cert(ca, "n1", "A", CertValidity{-2 * 86400, 86400}));
  EXPECT_EQ(verify_node_certificate(expired.cert_pem, ca.cert_pem, "n1", "A").code(),
            ErrorCode::kVerificationFailed);
  const TlsIdentity future = must(issue_node_cert(ca, "n1", "A", CertValidity{86400, 86400}));
  EXPECT_FALSE(verify_node_certificate(future.cert_pem, ca.cert_pem, "n1", "A").ok());
  EXPECT_TRUE(
      verify_node_certificate(future.cert_pem, ca.cert_pem, "n1", "A", std::time(nullptr) + 86400 + 43200)
          .ok());
  // A CA certificate is not a node certificate.
  EXPECT_FALSE(verify_node_certificate(ca.cert_pem, ca.cert_pem, "A CA", "A").ok());
}

TEST(NetTlsIdentity, IssueRefusesBadInput) {
  const TlsIdentity ca = must(create_org_ca("A"));
  const TlsIdentity node = must(issue_node_cert(ca, "n1", "A"));
  EXPECT_EQ(issue_node_cert(ca, "n2", "B").code(), ErrorCode::kInvalidArgument);  // the CA is A's
  EXPECT_EQ(issue_node_cert(ca, "", "A").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(issue_node_cert(ca, std::string(65, 'x'), "A").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(issue_node_cert(ca, "bad\nname", "A").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(create_org_ca("").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(create_org_ca("A", CertValidity{0, 0}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(issue_node_cert(node, "n2", "A").code(), ErrorCode::kInvalidArgument);  // not a CA
  TlsIdentity mismatched(ca.cert_pem, node.key_pem);
  EXPECT_EQ(issue_node_cert(mismatched, "n2", "A").code(), ErrorCode::kVerificationFailed);
  TlsIdentity garbage("not pem", "not pem");
  EXPECT_EQ(issue_node_cert(garbage, "n2", "A").code(), ErrorCode::kMalformed);
  EXPECT_EQ(inspect_certificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").code(),
            ErrorCode::kMalformed);
}

TEST(NetTlsIdentity, LoadCaRoots) {
  const TlsIdentity a = must(create_org_ca("A"));
  const TlsIdentity b = must(create_org_ca("B"));
  auto roots = load_ca_roots({{"A", a.cert_pem}, {"B", b.cert_pem}});
  ASSERT_TRUE(roots.ok()) << roots.error().to_string();
  ASSERT_EQ(roots->size(), 2u);
  EXPECT_EQ((*roots)[0].org, "A");
  EXPECT_EQ((*roots)[1].info.organisation, "B");

  EXPECT_EQ(load_ca_roots({{"B", a.cert_pem}}).code(), ErrorCode::kVerificationFailed);  // O mismatch
  const TlsIdentity node = must(issue_node_cert(a, "n", "A"));
  EXPECT_EQ(load_ca_roots({{"A", node.cert_pem}}).code(), ErrorCode::kVerificationFailed);  // not a CA
  EXPECT_EQ(load_ca_roots({{"A", "garbage"}}).code(), ErrorCode::kMalformed);
  EXPECT_TRUE(load_ca_roots({}).ok());
}

TEST(NetTlsIdentity, WriteAndReadFiles) {
  TempDir dir;
  const TlsIdentity ca = must(create_org_ca("A"));
  const TlsIdentity node = must(issue_node_cert(ca, "n1", "A"));
  const std::string cert = dir.path + "/node.crt";
  const std::string key = dir.path + "/node.key";
  // A key file that already exists world-readable is tightened to 0600.
  { std::ofstream(key) << "old"; }
  ::chmod(key.c_str(), 0644);
  ASSERT_TRUE(write_identity(node, cert, key).ok());
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(cert.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  EXPECT_FALSE(std::filesystem::exists(key + ".tmp"));

  auto back = read_identity(cert, key);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->cert_pem, node.cert_pem);
  EXPECT_EQ(back->key_pem, node.key_pem);

  EXPECT_EQ(read_identity(dir.path + "/missing.crt", key).code(), ErrorCode::kNotFound);
  ASSERT_TRUE(write_identity(ca, dir.path + "/ca.crt", dir.path + "/ca.key").ok());
  EXPECT_EQ(read_identity(cert, dir.path + "/ca.key").code(), ErrorCode::kVerificationFailed);
  TlsIdentity mismatched(node.cert_pem, ca.key_pem);
  EXPECT_FALSE(write_identity(mismatched, cert, key).ok());
  auto pem = read_pem_file(dir.path + "/ca.crt");
  ASSERT_TRUE(pem.ok());
  EXPECT_EQ(*pem, ca.cert_pem);
}

TEST(NetTlsIdentity, KeyIsZeroedOnAssignment) {
  const TlsIdentity ca = must(create_org_ca("A"));
  TlsIdentity copy = ca;
  EXPECT_EQ(copy.key_pem, ca.key_pem);
  copy = TlsIdentity("c", "k");
  EXPECT_EQ(copy.key_pem, "k");
}

}  // namespace
}  // namespace formica::net
