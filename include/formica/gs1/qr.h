#pragma once
// QR codes for GS1 Digital Links: drawn with libqrencode (error correction level M, 8-bit mode)
// into PNG (libpng) or SVG, and read back from PNG or JPEG photos with zbar (libjpeg for JPEG).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"

namespace formica::gs1 {

struct QrMatrix {
  int size = 0;                    // modules per side
  std::vector<std::uint8_t> dark;  // size*size, row-major, 1 = dark module
};

// Errors: kInvalidArgument for empty text or text too long for a QR code.
Result<QrMatrix> qr_encode(std::string_view text);

// PNG of the matrix: `scale` pixels per module, a 4-module quiet zone, 8-bit grayscale.
Result<Bytes> qr_png(const QrMatrix& qr, int scale = 8);
// SVG of the matrix (one path, 4-module quiet zone).
std::string qr_svg(const QrMatrix& qr);

struct GrayImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;  // width*height, row-major, 0 = black
};

// Decodes a PNG or JPEG (recognised by its signature) into 8-bit grayscale. Errors: kMalformed
// for anything else or a corrupt image, kTooLarge above 40 megapixels.
Result<GrayImage> decode_image(ByteView file);
Result<Bytes> encode_png(const GrayImage& image);

// Every QR code zbar finds in the image, as text. Errors: kNotFound when there is none.
Result<std::vector<std::string>> qr_scan(const GrayImage& image);

}  // namespace formica::gs1
