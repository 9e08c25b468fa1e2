#include "formica/gs1/qr.h"

#include <gtest/gtest.h>
#include <jpeglib.h>
#include <cstdio>
#include <cstdlib>

namespace formica::gs1 {
namespace {

// Bilinear resampling by `factor` (test-side image degradation, integer arithmetic in 1/256).
GrayImage scale(const GrayImage& in, int num, int den) {
  GrayImage out;
  out.width = in.width * num / den;
  out.height = in.height * num / den;
  out.pixels.resize(static_cast<std::size_t>(out.width) * out.height);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x) {
      int sx = x * den * 256 / num, sy = y * den * 256 / num;
      int x0 = std::min(sx >> 8, in.width - 1), y0 = std::min(sy >> 8, in.height - 1);
      int x1 = std::min(x0 + 1, in.width - 1), y1 = std::min(y0 + 1, in.height - 1);
      int fx = sx & 255, fy = sy & 255;
      auto p = [&](int px, int py) {
        return static_cast<int>(in.pixels[static_cast<std::size_t>(py) * in.width + px]);
      };
      int top = p(x0, y0) * (256 - fx) + p(x1, y0) * fx;
      int bottom = p(x0, y1) * (256 - fx) + p(x1, y1) * fx;
      out.pixels[static_cast<std::size_t>(y) * out.width + x] =
          static_cast<std::uint8_t>((top * (256 - fy) + bottom * fy) >> 16);
    }
  return out;
}

// 3x3 box blur.
GrayImage blur(const GrayImage& in) {
  GrayImage out = in;
  for (int y = 1; y + 1 < in.height; ++y)
    for (int x = 1; x + 1 < in.width; ++x) {
      int sum = 0;
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx)
          sum += in.pixels[static_cast<std::size_t>(y + dy) * in.width + x + dx];
      out.pixels[static_cast<std::size_t>(y) * in.width + x] = static_cast<std::uint8_t>(sum / 9);
    }
  return out;
}

// JPEG at the given quality, as a phone camera would store the photo (test-side encoder).
Bytes to_jpeg(const GrayImage& img, int quality) {
  jpeg_compress_struct c;
  jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* buf = nullptr;
  unsigned long len = 0;
  jpeg_mem_dest(&c, &buf, &len);
  c.image_width = static_cast<JDIMENSION>(img.width);
  c.image_height = static_cast<JDIMENSION>(img.height);
  c.input_components = 1;
  c.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row =
        const_cast<JSAMPROW>(img.pixels.data() + static_cast<std::size_t>(c.next_scanline) * img.width);
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  Bytes out(buf, buf + len);
  jpeg_destroy_compress(&c);
  std::free(buf);
  return out;
}

const char* kUris[] = {
    "https://id.gs1.org/01/09506000134352/10/ABC123/21/12345",
    "https://id.gs1.org/00/340123451111111111",
    "https://brand.example.com/01/04012345111118/21/9876?17=261231",
};

TEST(Qr, PngDecodesBackToTheSameUri) {
  for (const char* uri : kUris) {
    auto m = qr_encode(uri);
    ASSERT_TRUE(m.ok());
    auto png = qr_png(*m, 6);
    ASSERT_TRUE(png.ok());
    auto img = decode_image(*png);
    ASSERT_TRUE(img.ok()) << img.error().to_string();
    auto found = qr_scan(*img);
    ASSERT_TRUE(found.ok()) << uri;
    ASSERT_EQ(found->size(), 1u);
    EXPECT_EQ((*found)[0], uri);
  }
}

TEST(Qr, SurvivesScalingAndBlur) {
  for (const char* uri : kUris) {
    auto png = qr_png(*qr_encode(uri), 8);
    ASSERT_TRUE(png.ok());
    GrayImage img = *decode_image(*png);
    for (auto [num, den] : {std::pair{7, 10}, std::pair{13, 10}}) {
      GrayImage degraded = blur(scale(img, num, den));
      auto reencoded = encode_png(degraded);  // through PNG again, as a photo would be
      ASSERT_TRUE(reencoded.ok());
      auto found = qr_scan(*decode_image(*reencoded));
      ASSERT_TRUE(found.ok()) << uri << " at " << num << "/" << den;
      EXPECT_EQ((*found)[0], uri);
    }
  }
}

TEST(Qr, ReadsJpegPhotos) {
  const char* uri = kUris[2];
  GrayImage img = *decode_image(*qr_png(*qr_encode(uri), 5));
  Bytes jpeg = to_jpeg(blur(scale(img, 9, 10)), 60);
  auto decoded = decode_image(jpeg);
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  auto found = qr_scan(*decoded);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)[0], uri);
}

TEST(Qr, SvgHasOnePathAndTheQuietZone) {
  auto m = qr_encode("https://id.gs1.org/01/09506000134352");
  ASSERT_TRUE(m.ok());
  std::string svg = qr_svg(*m);
  EXPECT_NE(svg.find("viewBox=\"0 0 " + std::to_string(m->size + 8)), std::string::npos);
  EXPECT_NE(svg.find("<path"), std::string::npos);
}

TEST(Qr, RejectsGarbageImagesAndEmptyScans) {
  Bytes junk = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3};
  EXPECT_EQ(decode_image(junk).code(), ErrorCode::kMalformed);
  Bytes jpeg = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0};
  EXPECT_EQ(decode_image(jpeg).code(), ErrorCode::kMalformed);
  EXPECT_EQ(decode_image(to_bytes(std::string_view("GIF89a"))).code(), ErrorCode::kMalformed);
  GrayImage white;
  white.width = white.height = 64;
  white.pixels.assign(64 * 64, 255);
  EXPECT_EQ(qr_scan(white).code(), ErrorCode::kNotFound);
  EXPECT_EQ(qr_encode("").code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace formica::gs1
