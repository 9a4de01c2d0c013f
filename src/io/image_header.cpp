#include "io/image_header.h"

#include <cstdint>
#include <set>

namespace carescan::io {
namespace {

std::uint32_t be32(std::string_view b, std::size_t at) {
  return (std::uint32_t{static_cast<unsigned char>(b[at])} << 24) |
         (std::uint32_t{static_cast<unsigned char>(b[at + 1])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(b[at + 2])} << 8) |
         std::uint32_t{static_cast<unsigned char>(b[at + 3])};
}

std::uint32_t be16(std::string_view b, std::size_t at) {
  return (std::uint32_t{static_cast<unsigned char>(b[at])} << 8) |
         std::uint32_t{static_cast<unsigned char>(b[at + 1])};
}

std::uint32_t le32(std::string_view b, std::size_t at) {
  return std::uint32_t{static_cast<unsigned char>(b[at])} |
         (std::uint32_t{static_cast<unsigned char>(b[at + 1])} << 8) |
         (std::uint32_t{static_cast<unsigned char>(b[at + 2])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(b[at + 3])} << 24);
}

std::uint32_t le16(std::string_view b, std::size_t at) {
  return std::uint32_t{static_cast<unsigned char>(b[at])} |
         (std::uint32_t{static_cast<unsigned char>(b[at + 1])} << 8);
}

}  // namespace

std::optional<ImageHeader> read_png_header(std::string_view b) {
  // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4).
  if (b.size() < 33 || b.substr(12, 4) != "IHDR") return std::nullopt;
  ImageHeader header{be32(b, 16), be32(b, 20), 0};
  // pHYs, when present, comes before the image data; unit 1 = pixels per metre.
  std::size_t at = 8;
  while (at + 12 <= b.size()) {
    const std::size_t length = be32(b, at);
    const auto type = b.substr(at + 4, 4);
    if (type == "IDAT" || type == "IEND") break;
    if (type == "pHYs" && length >= 9 && at + 8 + 9 <= b.size() && b[at + 16] == 1) {
      header.dpi = be32(b, at + 8) * 0.0254;
    }
    if (length > b.size()) break;
    at += 12 + length;
  }
  return header;
}

std::optional<ImageHeader> read_jpeg_header(std::string_view b) {
  ImageHeader header;
  std::size_t at = 2;
  while (at + 4 <= b.size()) {
    if (static_cast<unsigned char>(b[at]) != 0xFF) return std::nullopt;
    const auto marker = static_cast<unsigned char>(b[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    const std::size_t length = be16(b, at + 2);
    if (length < 2 || at + 2 + length > b.size()) return std::nullopt;
    if (marker == 0xE0 && length >= 16 && b.substr(at + 4, 5) == std::string_view("JFIF\0", 5)) {
      const auto units = static_cast<unsigned char>(b[at + 11]);
      const double density = be16(b, at + 12);
      if (units == 1) header.dpi = density;
      if (units == 2) header.dpi = density * 2.54;
    }
    // Start-of-frame markers (all but DHT, JPG and DAC in C0..CF) carry the image size.
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      if (length < 7) return std::nullopt;
      header.height = be16(b, at + 5);
      header.width = be16(b, at + 7);
      return header;
    }
    if (marker == 0xDA) return std::nullopt;  // scan data before any frame header
    at += 2 + length;
  }
  return std::nullopt;
}

std::optional<int> count_tiff_pages(std::string_view b, int stop_after) {
  if (b.size() < 8) return std::nullopt;
  const bool little = b[0] == 'I';
  auto u16 = [&](std::size_t at) { return little ? le16(b, at) : be16(b, at); };
  auto u32 = [&](std::size_t at) { return little ? le32(b, at) : be32(b, at); };
  std::size_t ifd = u32(4);
  std::set<std::size_t> seen;  // a looping IFD chain must not hang the reader
  int pages = 0;
  while (ifd != 0) {
    if (ifd + 2 > b.size() || !seen.insert(ifd).second) return std::nullopt;
    const std::size_t entries = u16(ifd);
    const std::size_t next_at = ifd + 2 + entries * 12;
    if (next_at + 4 > b.size()) return std::nullopt;
    if (++pages > stop_after) return pages;
    ifd = u32(next_at);
  }
  return pages;
}

}  // namespace carescan::io
