#pragma once
// Turns the bytes of a submitted file (PNG, JPEG, TIFF, PDF) into pages, refusing what is unsafe.

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/page.h"

namespace carescan::io {

struct DecodeLimits {
  std::size_t max_bytes = 200u << 20;
  long long max_pixels_per_page = 80'000'000;
  int max_pdf_pages = 200;
  int pdf_dpi = 300;
  static DecodeLimits from(const core::ReaderConfig&);
};

// A file that cannot be read as a scan; what() is a clear, user-facing reason.
class DecodeError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Document {
  std::string sha256;  // of the bytes, lower-case hex
  std::string media_type;
  std::vector<core::Page> pages;
};

// "image/png", "image/jpeg", "image/tiff", "application/pdf", "" if unknown — from magic bytes,
// never the file name.
std::string sniff_media_type(std::string_view bytes);

Document decode_bytes(std::string_view bytes, const DecodeLimits&);
Document decode_file(const std::filesystem::path&, const DecodeLimits&);

}  // namespace carescan::io
