#include "synth/writers.h"

#include <leptonica/allheaders.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <string>

namespace carescan::synth {
namespace {

// Lossy pages with no quality in their record: a typical office scanner default.
constexpr int kDefaultJpegQuality = 85;

struct PixDeleter {
  void operator()(PIX* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

struct BytesDeleter {
  void operator()(l_uint8* data) const { lept_free(data); }
};

// Leptonica reports warnings for normal operations (e.g. appending to a TIFF); errors still show.
class QuietLeptonica {
 public:
  QuietLeptonica() : previous_(setMsgSeverity(L_SEVERITY_ERROR)) {}
  ~QuietLeptonica() { setMsgSeverity(previous_); }
  QuietLeptonica(const QuietLeptonica&) = delete;
  QuietLeptonica& operator=(const QuietLeptonica&) = delete;

 private:
  l_int32 previous_;
};

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& why) {
  throw std::runtime_error("cannot write " + file.string() + ": " + why);
}

int jpeg_quality(const CapturedPage& page) {
  return page.record.jpeg_quality > 0 ? page.record.jpeg_quality : kDefaultJpegQuality;
}

// Phone cameras write a nominal 72 dpi that says nothing about the page; scanners, copiers and
// fax machines write the real resolution.
constexpr double kPhoneNominalDpi = 72;

double file_dpi(const CapturedPage& page) {
  return page.record.perspective ? kPhoneNominalDpi : page.dpi;
}

bool is_binary(const cv::Mat& image) {
  if (image.channels() != 1) return false;
  return cv::countNonZero((image != 0) & (image != 255)) == 0;
}

// Leptonica keeps pixels in 32-bit words, most significant byte first: copy rows as bytes in
// reading order, then let it swap to its native layout. Colour goes in as RGBA (alpha unused).
PixPtr to_pix(const cv::Mat& image, double dpi) {
  cv::Mat bytes = image;
  int depth = 8;
  if (image.channels() == 3) {
    cv::cvtColor(image, bytes, cv::COLOR_BGR2RGBA);
    depth = 32;
  } else if (image.channels() == 4) {
    cv::cvtColor(image, bytes, cv::COLOR_BGRA2RGBA);
    depth = 32;
  }
  if (bytes.depth() != CV_8U || bytes.empty()) return nullptr;
  PixPtr pix(pixCreate(bytes.cols, bytes.rows, depth));
  if (!pix) return nullptr;
  if (depth == 32) pixSetSpp(pix.get(), 3);
  l_uint32* data = pixGetData(pix.get());
  const l_int32 wpl = pixGetWpl(pix.get());
  const size_t row_bytes = static_cast<size_t>(bytes.cols) * bytes.elemSize();
  for (int y = 0; y < bytes.rows; ++y) {
    std::memcpy(data + static_cast<ptrdiff_t>(y) * wpl, bytes.ptr(y), row_bytes);
  }
  pixEndianByteSwap(pix.get());
  const auto res = static_cast<l_int32>(std::lround(dpi));
  pixSetResolution(pix.get(), res, res);
  return pix;
}

PixPtr to_binary_pix(const cv::Mat& image, double dpi) {
  cv::Mat grey = image;
  if (image.channels() != 1) cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  PixPtr grey_pix = to_pix(grey, dpi);
  if (!grey_pix) return nullptr;
  PixPtr binary(pixConvertTo1(grey_pix.get(), 128));
  if (binary) pixCopyResolution(binary.get(), grey_pix.get());
  return binary;
}

void write_bytes(const std::filesystem::path& file, const void* data, size_t size) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) fail(file, "the file cannot be written");
}

// Leptonica rather than OpenCV for these too: it stores the resolution (PNG pHYs, JFIF density),
// which scanners always write and the reader may use.
void write_single(const std::filesystem::path& file, FileFormat format,
                  const std::vector<CapturedPage>& pages) {
  if (pages.size() != 1) fail(file, "a PNG or JPEG file holds exactly one page");
  const CapturedPage& page = pages.front();
  const QuietLeptonica quiet;
  PixPtr pix = to_pix(page.image, file_dpi(page));
  if (!pix) fail(file, "the image cannot be converted");
  l_uint8* data = nullptr;
  size_t size = 0;
  const l_ok status = format == FileFormat::kJpeg
                          ? pixWriteMemJpeg(&data, &size, pix.get(), jpeg_quality(page), 0)
                          : pixWriteMemPng(&data, &size, pix.get(), 0.0F);
  const std::unique_ptr<l_uint8, BytesDeleter> owned(data);
  if (status != 0 || data == nullptr) fail(file, "the image cannot be encoded");
  write_bytes(file, data, size);
}

// What a TIFF page is stored as: fax pages as G4; lossy captures as JPEG-in-TIFF at their quality,
// as scanners do (LZW of a noisy 300 dpi scan is ~5 MB a page); noise-free pages as LZW.
l_int32 tiff_compression(const CapturedPage& page, bool g4_only) {
  if (g4_only || is_binary(page.image)) return IFF_TIFF_G4;
  return page.record.jpeg_quality > 0 ? IFF_TIFF_JPEG : IFF_TIFF_LZW;
}

// Leptonica takes the JPEG-in-TIFF quality from a process-wide setting; put it back afterwards.
class TiffJpegQuality {
 public:
  explicit TiffJpegQuality(l_int32 quality) : previous_(l_jpegSetQuality(quality)) {}
  ~TiffJpegQuality() { l_jpegSetQuality(previous_); }
  TiffJpegQuality(const TiffJpegQuality&) = delete;
  TiffJpegQuality& operator=(const TiffJpegQuality&) = delete;

 private:
  l_int32 previous_;
};

void write_tiff(const std::filesystem::path& file, bool g4,
                const std::vector<CapturedPage>& pages) {
  const QuietLeptonica quiet;
  for (size_t i = 0; i < pages.size(); ++i) {
    const CapturedPage& page = pages[i];
    const l_int32 compression = tiff_compression(page, g4);
    PixPtr pix = compression == IFF_TIFF_G4 ? to_binary_pix(page.image, page.dpi)
                                            : to_pix(page.image, page.dpi);
    if (!pix) fail(file, "page " + std::to_string(i + 1) + " cannot be converted");
    const TiffJpegQuality quality(jpeg_quality(page));
    if (pixWriteTiff(file.c_str(), pix.get(), compression, i == 0 ? "w" : "a") != 0) {
      fail(file, "Leptonica failed on page " + std::to_string(i + 1));
    }
  }
}

void write_pdf(const std::filesystem::path& file, const std::vector<CapturedPage>& pages) {
  const QuietLeptonica quiet;
  // No creation date or producer version: the same pages must give the same bytes.
  l_pdfSetDateAndVersion(0);
  L_PTRA* parts = ptraCreate(static_cast<l_int32>(pages.size()));
  const auto destroy_parts = [&parts] { ptraDestroy(&parts, 1, 0); };
  for (size_t i = 0; i < pages.size(); ++i) {
    const CapturedPage& page = pages[i];
    const bool binary = is_binary(page.image);
    PixPtr pix = binary ? to_binary_pix(page.image, page.dpi) : to_pix(page.image, page.dpi);
    l_uint8* data = nullptr;
    size_t size = 0;
    const auto res = static_cast<l_int32>(std::lround(page.dpi));
    if (!pix ||
        pixConvertToPdfData(pix.get(), binary ? L_G4_ENCODE : L_JPEG_ENCODE, jpeg_quality(page),
                            &data, &size, 0, 0, res, nullptr, nullptr, 0) != 0) {
      destroy_parts();
      fail(file, "page " + std::to_string(i + 1) + " cannot be encoded as PDF");
    }
    ptraAdd(parts, l_byteaInitFromMem(data, size));
    lept_free(data);
  }
  l_uint8* data = nullptr;
  size_t size = 0;
  const l_ok status = ptraConcatenatePdfToData(parts, nullptr, &data, &size);
  destroy_parts();
  if (status != 0 || data == nullptr) fail(file, "Leptonica failed to join the pages");
  const std::unique_ptr<l_uint8, BytesDeleter> owned(data);
  write_bytes(file, data, size);
}

}  // namespace

std::string_view extension(FileFormat format) {
  switch (format) {
    case FileFormat::kPng:
      return "png";
    case FileFormat::kJpeg:
      return "jpg";
    case FileFormat::kTiff:
    case FileFormat::kTiffG4:
      return "tiff";
    case FileFormat::kPdf:
      return "pdf";
  }
  throw std::invalid_argument("unknown file format");
}

void write_pages(const std::filesystem::path& file, FileFormat format,
                 const std::vector<CapturedPage>& pages) {
  if (pages.empty()) fail(file, "no pages");
  switch (format) {
    case FileFormat::kPng:
    case FileFormat::kJpeg:
      write_single(file, format, pages);
      return;
    case FileFormat::kTiff:
    case FileFormat::kTiffG4:
      write_tiff(file, format == FileFormat::kTiffG4, pages);
      return;
    case FileFormat::kPdf:
      write_pdf(file, pages);
      return;
  }
  fail(file, "unknown file format");
}

}  // namespace carescan::synth
