#pragma once
// Reads an image's size and resolution from its header, before any pixel is decompressed.

#include <optional>
#include <string_view>

namespace carescan::io {

struct ImageHeader {
  long long width = 0;
  long long height = 0;
  double dpi = 0;  // 0 when the file does not say
};

// nullopt when the header is missing or malformed.
std::optional<ImageHeader> read_png_header(std::string_view bytes);
std::optional<ImageHeader> read_jpeg_header(std::string_view bytes);

// Number of pages (image file directories) of a TIFF, walking the IFD chain; nullopt if broken.
std::optional<int> count_tiff_pages(std::string_view bytes, int stop_after);

}  // namespace carescan::io
