#include "io/decode.h"

#include <fstream>
#include <sstream>

#include "core/digest.h"
#include "io/image_header.h"
#include "io/pdf.h"
#include "io/raster.h"

namespace carescan::io {
namespace {

// Names what a refused file actually is, so the sender learns why rather than "unknown".
std::string describe_unsupported(std::string_view b) {
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  if (starts("PK\x03\x04") || starts("PK\x05\x06")) return "a ZIP archive (or Office document)";
  if (starts("GIF87a") || starts("GIF89a")) return "a GIF image";
  if (starts("BM")) return "a BMP image";
  if (starts("RIFF") && b.size() >= 12 && b.substr(8, 4) == "WEBP") return "a WebP image";
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp") {
    const auto brand = b.substr(8, 4);
    if (brand == "heic" || brand == "heix" || brand == "mif1" || brand == "heim")
      return "a HEIC photo";
    return "a video or ISO media file";
  }
  if (starts("\x1f\x8b")) return "a gzip archive";
  if (starts("Rar!")) return "a RAR archive";
  if (starts("7z\xbc\xaf\x27\x1c")) return "a 7-Zip archive";
  if (starts("\xd0\xcf\x11\xe0")) return "an old Microsoft Office document";
  if (starts("{\\rtf")) return "an RTF document";
  if (starts("<?xml") || starts("<svg")) return "an XML or SVG document";
  if (starts("<!DOCTYPE") || starts("<html") || starts("<HTML")) return "an HTML page";
  const auto head = b.substr(0, 512);
  const bool text = std::all_of(head.begin(), head.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 || c == '\n' || c == '\r' || c == '\t' || u >= 0x80;
  });
  if (text) return "a text file";
  return "a file of unknown type";
}

}  // namespace

DecodeLimits DecodeLimits::from(const core::ReaderConfig& reader) {
  DecodeLimits limits;
  limits.max_pixels_per_page = reader.max_pixels_per_page;
  limits.max_pdf_pages = reader.max_pdf_pages;
  limits.pdf_dpi = reader.pdf_dpi;
  return limits;
}

std::string sniff_media_type(std::string_view b) {
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts("\xff\xd8\xff")) return "image/jpeg";
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4)))
    return "image/tiff";
  // The PDF specification lets the header sit anywhere in the first kilobyte.
  if (b.substr(0, 1024).find("%PDF-") != std::string_view::npos) return "application/pdf";
  return "";
}

Document decode_bytes(std::string_view bytes, const DecodeLimits& limits) {
  if (bytes.empty()) throw DecodeError("the file is empty");
  if (bytes.size() > limits.max_bytes) {
    throw DecodeError("the file is too large (" + std::to_string(bytes.size() >> 20) +
                      " MB; at most " + std::to_string(limits.max_bytes >> 20) + " MB)");
  }
  Document doc;
  doc.media_type = sniff_media_type(bytes);
  if (doc.media_type.empty()) {
    throw DecodeError(describe_unsupported(bytes) +
                      " is not a supported scan (PNG, JPEG, TIFF or PDF)");
  }
  doc.sha256 = core::sha256_hex(bytes);
  if (doc.media_type == "application/pdf") {
    doc.pages = decode_pdf(bytes, limits);
  } else if (doc.media_type == "image/tiff") {
    doc.pages = decode_tiff(bytes, limits);
  } else {
    doc.pages.push_back(decode_png_or_jpeg(bytes, doc.media_type, limits));
  }
  if (doc.pages.empty()) throw DecodeError("the file holds no page");
  return doc;
}

Document decode_file(const std::filesystem::path& path, const DecodeLimits& limits) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw DecodeError("cannot read " + path.filename().string() + ": " + ec.message());
  if (size > limits.max_bytes) {
    throw DecodeError("the file is too large (" + std::to_string(size >> 20) + " MB; at most " +
                      std::to_string(limits.max_bytes >> 20) + " MB)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DecodeError("cannot open " + path.filename().string());
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size)
    throw DecodeError("cannot read " + path.filename().string());
  return decode_bytes(bytes, limits);
}

}  // namespace carescan::io
