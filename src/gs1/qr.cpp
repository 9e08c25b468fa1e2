// QR drawing (libqrencode, libpng) and reading (zbar, libpng, libjpeg). Each library is used
// through its C API; libpng and libjpeg report errors by longjmp, so those calls are wrapped in
// setjmp guards and never let a corrupt file abort the process.
#include "formica/gs1/qr.h"

#include <jpeglib.h>
#include <png.h>
#include <qrencode.h>
#include <zbar.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>

namespace formica::gs1 {
namespace {

constexpr int kQuiet = 4;
constexpr std::size_t kMaxPixels = 40'000'000;

struct PngReadState {
  ByteView data;
  std::size_t pos = 0;
};

void png_read_cb(png_structp png, png_bytep out, png_size_t n) {
  auto* s = static_cast<PngReadState*>(png_get_io_ptr(png));
  if (s->pos + n > s->data.size()) png_error(png, "truncated PNG");
  std::memcpy(out, s->data.data() + s->pos, n);
  s->pos += n;
}

void png_write_cb(png_structp png, png_bytep in, png_size_t n) {
  auto* out = static_cast<Bytes*>(png_get_io_ptr(png));
  out->insert(out->end(), in, in + n);
}

void png_flush_cb(png_structp) {}

// libpng's default handlers print to stderr; these stay silent and unwind to the setjmp guard.
[[noreturn]] void png_error_cb(png_structp png, png_const_charp) { png_longjmp(png, 1); }
void png_warning_cb(png_structp, png_const_charp) {}

Result<GrayImage> decode_png(ByteView file) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, png_error_cb, png_warning_cb);
  if (png == nullptr) return make_error(ErrorCode::kInternal, "libpng init failed");
  png_infop info = png_create_info_struct(png);
  PngReadState state{file, 0};
  GrayImage img;
  std::vector<png_bytep> rows;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return make_error(ErrorCode::kMalformed, "corrupt PNG");
  }
  png_set_read_fn(png, &state, png_read_cb);
  png_read_info(png, info);
  png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
  if (static_cast<std::size_t>(w) * h > kMaxPixels || w == 0 || h == 0) {
    png_destroy_read_struct(&png, &info, nullptr);
    return make_error(ErrorCode::kTooLarge, "image larger than 40 megapixels");
  }
  int color = png_get_color_type(png, info);
  if (png_get_bit_depth(png, info) == 16) png_set_strip_16(png);
  if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  png_set_strip_alpha(png);
  if (color == PNG_COLOR_TYPE_RGB || color == PNG_COLOR_TYPE_RGB_ALPHA || color == PNG_COLOR_TYPE_PALETTE)
    png_set_rgb_to_gray_fixed(png, 1, -1, -1);
  png_read_update_info(png, info);
  img.width = static_cast<int>(w);
  img.height = static_cast<int>(h);
  img.pixels.resize(static_cast<std::size_t>(w) * h);
  rows.resize(h);
  for (png_uint_32 y = 0; y < h; ++y) rows[y] = img.pixels.data() + static_cast<std::size_t>(y) * w;
  png_read_image(png, rows.data());
  png_destroy_read_struct(&png, &info, nullptr);
  return img;
}

struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
};

void jpeg_error_exit(j_common_ptr cinfo) { std::longjmp(reinterpret_cast<JpegError*>(cinfo->err)->jump, 1); }
void jpeg_silent(j_common_ptr, int) {}

Result<GrayImage> decode_jpeg(ByteView file) {
  jpeg_decompress_struct cinfo;
  JpegError err;
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = jpeg_error_exit;
  err.mgr.emit_message = jpeg_silent;
  GrayImage img;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return make_error(ErrorCode::kMalformed, "corrupt JPEG");
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, file.data(), static_cast<unsigned long>(file.size()));
  jpeg_read_header(&cinfo, TRUE);
  cinfo.out_color_space = JCS_GRAYSCALE;
  if (static_cast<std::size_t>(cinfo.image_width) * cinfo.image_height > kMaxPixels) {
    jpeg_destroy_decompress(&cinfo);
    return make_error(ErrorCode::kTooLarge, "image larger than 40 megapixels");
  }
  jpeg_start_decompress(&cinfo);
  img.width = static_cast<int>(cinfo.output_width);
  img.height = static_cast<int>(cinfo.output_height);
  img.pixels.resize(static_cast<std::size_t>(img.width) * img.height);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = img.pixels.data() + static_cast<std::size_t>(cinfo.output_scanline) * img.width;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return img;
}

}  // namespace

Result<QrMatrix> qr_encode(std::string_view text) {
  if (text.empty()) return make_error(ErrorCode::kInvalidArgument, "empty text");
  std::string s(text);
  QRcode* code = QRcode_encodeString8bit(s.c_str(), 0, QR_ECLEVEL_M);
  if (code == nullptr) return make_error(ErrorCode::kInvalidArgument, "text too long for a QR code");
  QrMatrix m;
  m.size = code->width;
  m.dark.resize(static_cast<std::size_t>(m.size) * m.size);
  for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = code->data[i] & 1;
  QRcode_free(code);
  return m;
}

Result<Bytes> encode_png(const GrayImage& image) {
  Bytes out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, png_error_cb, png_warning_cb);
  if (png == nullptr) return make_error(ErrorCode::kInternal, "libpng init failed");
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return make_error(ErrorCode::kInternal, "PNG encoding failed");
  }
  png_set_write_fn(png, &out, png_write_cb, png_flush_cb);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width), static_cast<png_uint_32>(image.height), 8,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < image.height; ++y)
    png_write_row(png,
                  const_cast<png_bytep>(image.pixels.data() + static_cast<std::size_t>(y) * image.width));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

Result<Bytes> qr_png(const QrMatrix& qr, int scale) {
  if (scale < 1 || scale > 64) return make_error(ErrorCode::kInvalidArgument, "scale must be 1..64");
  GrayImage img;
  img.width = img.height = (qr.size + 2 * kQuiet) * scale;
  img.pixels.assign(static_cast<std::size_t>(img.width) * img.height, 255);
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      int mx = x / scale - kQuiet, my = y / scale - kQuiet;
      if (mx >= 0 && my >= 0 && mx < qr.size && my < qr.size &&
          qr.dark[static_cast<std::size_t>(my) * qr.size + mx])
        img.pixels[static_cast<std::size_t>(y) * img.width + x] = 0;
    }
  return encode_png(img);
}

std::string qr_svg(const QrMatrix& qr) {
  int side = qr.size + 2 * kQuiet;
  std::string d;
  for (int y = 0; y < qr.size; ++y) {
    for (int x = 0; x < qr.size;) {  // one rectangle per horizontal run of dark modules
      if (!qr.dark[static_cast<std::size_t>(y) * qr.size + x]) {
        ++x;
        continue;
      }
      int run = 0;
      while (x + run < qr.size && qr.dark[static_cast<std::size_t>(y) * qr.size + x + run]) ++run;
      d += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h" + std::to_string(run) +
           "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 "
         "0 " +
         std::to_string(side) + " " + std::to_string(side) + "\" width=\"" + std::to_string(side * 8) +
         "\" height=\"" + std::to_string(side * 8) +
         "\" shape-rendering=\"crispEdges\">\n<rect width=\"100%\" " +
         "height=\"100%\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"" + d + "\"/>\n</svg>\n";
}

Result<GrayImage> decode_image(ByteView file) {
  static constexpr std::uint8_t kPng[] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
  if (file.size() >= 8 && std::memcmp(file.data(), kPng, 8) == 0) return decode_png(file);
  if (file.size() >= 3 && file[0] == 0xFF && file[1] == 0xD8 && file[2] == 0xFF) return decode_jpeg(file);
  return make_error(ErrorCode::kMalformed, "not a PNG or JPEG image");
}

Result<std::vector<std::string>> qr_scan(const GrayImage& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height)
    return make_error(ErrorCode::kInvalidArgument, "bad image dimensions");
  zbar::zbar_image_scanner_t* scanner = zbar::zbar_image_scanner_create();
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
  zbar::zbar_image_scanner_set_config(scanner, zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
  zbar::zbar_image_t* img = zbar::zbar_image_create();
  zbar::zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
  zbar::zbar_image_set_size(img, static_cast<unsigned>(image.width), static_cast<unsigned>(image.height));
  zbar::zbar_image_set_data(img, image.pixels.data(), image.pixels.size(), nullptr);
  std::vector<std::string> out;
  if (zbar::zbar_scan_image(scanner, img) > 0) {
    for (const zbar::zbar_symbol_t* s = zbar::zbar_image_first_symbol(img); s != nullptr;
         s = zbar::zbar_symbol_next(s))
      if (zbar::zbar_symbol_get_type(s) == zbar::ZBAR_QRCODE)
        out.emplace_back(zbar::zbar_symbol_get_data(s), zbar::zbar_symbol_get_data_length(s));
  }
  zbar::zbar_image_destroy(img);
  zbar::zbar_image_scanner_destroy(scanner);
  if (out.empty()) return make_error(ErrorCode::kNotFound, "no QR code found in the image");
  return out;
}

}  // namespace formica::gs1
