// Static files for the web console: index, content types, and every way out of the root.

#include "static_files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "test_support.h"

namespace formica::rpc {
namespace {

namespace fs = std::filesystem;

TEST(StaticFilesTest, ServesFilesWithTheirTypes) {
  test::TempDir dir;
  const fs::path root = dir.path() / "www";
  fs::create_directories(root / "js");
  test::write_file(root / "index.html", "<h1>console</h1>");
  test::write_file(root / "js" / "app.js", "console.log(1)");
  test::write_file(root / "style.css", "a{}");
  test::write_file(root / "logo.svg", "<svg/>");
  test::write_file(root / "img.PNG", "png");
  test::write_file(root / "data.json", "{}");
  test::write_file(root / "m.wasm", "wasm");
  test::write_file(root / "favicon.ico", "ico");
  test::write_file(root / "blob.bin", "bin");
  fs::create_directories(root / "docs");
  test::write_file(root / "docs" / "index.html", "docs");

  auto f = load_static_file(root, "/", 1 << 20);
  ASSERT_TRUE(f.ok()) << f.error().to_string();
  EXPECT_EQ(f->body, "<h1>console</h1>");
  EXPECT_EQ(f->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(load_static_file(root, "/js/app.js", 1 << 20)->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(load_static_file(root, "/style.css", 1 << 20)->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(load_static_file(root, "/logo.svg", 1 << 20)->content_type, "image/svg+xml");
  EXPECT_EQ(load_static_file(root, "/img.PNG", 1 << 20)->content_type, "image/png");
  EXPECT_EQ(load_static_file(root, "/data.json", 1 << 20)->content_type, "application/json");
  EXPECT_EQ(load_static_file(root, "/m.wasm", 1 << 20)->content_type, "application/wasm");
  EXPECT_EQ(load_static_file(root, "/favicon.ico", 1 << 20)->content_type, "image/x-icon");
  EXPECT_EQ(load_static_file(root, "/blob.bin", 1 << 20)->content_type, "application/octet-stream");
  EXPECT_EQ(load_static_file(root, "/docs/", 1 << 20)->body, "docs");
  EXPECT_EQ(load_static_file(root, "/docs", 1 << 20)->body, "docs");
  EXPECT_EQ(load_static_file(root, "/js/%61pp.js", 1 << 20)->body, "console.log(1)");  // %61 = 'a'
  EXPECT_EQ(load_static_file(root, "//js//app.js", 1 << 20)->body, "console.log(1)");
  EXPECT_EQ(load_static_file(root, "/nope.html", 1 << 20).code(), ErrorCode::kNotFound);
  EXPECT_EQ(load_static_file(root, "/js/", 1 << 20).code(), ErrorCode::kNotFound);  // no index.html
  EXPECT_EQ(load_static_file(root, "/index.html", 4).code(), ErrorCode::kTooLarge);
  EXPECT_EQ(load_static_file("", "/", 1 << 20).code(), ErrorCode::kNotFound);
}

TEST(StaticFilesTest, RefusesToLeaveTheRoot) {
  test::TempDir dir;
  const fs::path root = dir.path() / "www";
  fs::create_directories(root / "sub");
  test::write_file(root / "index.html", "ok");
  test::write_file(dir.path() / "secret.txt", "SECRET");
  test::write_file(root / ".env", "HIDDEN");
  fs::create_symlink(dir.path() / "secret.txt", root / "link.txt");
  fs::create_directory_symlink(dir.path(), root / "up");
  test::write_file(root / "sub" / "inside.txt", "inside");
  fs::create_symlink(root / "sub" / "inside.txt", root / "ok-link.txt");

  for (std::string_view attack : {"/../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt",
                                  "/%2E%2E%2Fsecret.txt", "/sub/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt",
                                  "/./index.html", "/..\\secret.txt", "/sub%5c..%5c..%5csecret.txt"}) {
    auto f = load_static_file(root, attack, 1 << 20);
    EXPECT_FALSE(f.ok()) << attack;
    if (!f.ok()) {
      EXPECT_EQ(f.code(), ErrorCode::kPermissionDenied) << attack;
    }
  }
  EXPECT_EQ(load_static_file(root, "/link.txt", 1 << 20).code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(load_static_file(root, "/up/secret.txt", 1 << 20).code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(load_static_file(root, "/.env", 1 << 20).code(), ErrorCode::kNotFound);
  EXPECT_EQ(load_static_file(root, "/index.html%00.png", 1 << 20).code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(load_static_file(root, "etc/passwd", 1 << 20).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(load_static_file(root, "/%zz", 1 << 20).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(load_static_file(root, "/%2", 1 << 20).code(), ErrorCode::kInvalidArgument);
  // "//etc/passwd" is the root's etc/passwd, not the system's.
  EXPECT_EQ(load_static_file(root, "//etc/passwd", 1 << 20).code(), ErrorCode::kNotFound);
  // A symlink that stays inside the root is fine.
  EXPECT_EQ(load_static_file(root, "/ok-link.txt", 1 << 20)->body, "inside");
}

}  // namespace
}  // namespace formica::rpc
