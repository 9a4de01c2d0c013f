#include "io/raster.h"

#include <leptonica/allheaders.h>

#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "io/image_header.h"

namespace carescan::io {
namespace {

struct PixDeleter {
  void operator()(PIX* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

// Leptonica packs pixels in native 32-bit words, most significant byte first.
cv::Mat grey_mat_from_pix(PIX* pix) {
  PixPtr grey(pixConvertTo8(pix, 0));
  if (!grey) return {};
  const int w = static_cast<int>(pixGetWidth(grey.get()));
  const int h = static_cast<int>(pixGetHeight(grey.get()));
  const l_int32 wpl = pixGetWpl(grey.get());
  const l_uint32* data = pixGetData(grey.get());
  cv::Mat out(h, w, CV_8UC1);
  for (int y = 0; y < h; ++y) {
    const l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    auto* row = out.ptr<unsigned char>(y);
    for (int x = 0; x < w; ++x) row[x] = static_cast<unsigned char>(GET_DATA_BYTE(line, x));
  }
  return out;
}

// A JPEG cut short still decodes (the rest is grey), so a missing end marker is the tell.
bool jpeg_is_complete(std::string_view b) {
  std::size_t end = b.size();
  while (end > 0 && (b[end - 1] == '\0' || b[end - 1] == '\n' || b[end - 1] == '\r')) --end;
  return end >= 2 && static_cast<unsigned char>(b[end - 2]) == 0xFF &&
         static_cast<unsigned char>(b[end - 1]) == 0xD9;
}

}  // namespace

void check_page_size(long long width, long long height, const DecodeLimits& limits, int page) {
  if (width <= 0 || height <= 0) {
    throw DecodeError("page " + std::to_string(page) + " has no pixels");
  }
  if (width * height > limits.max_pixels_per_page) {
    throw DecodeError("page " + std::to_string(page) + " is too large (" + std::to_string(width) +
                      " x " + std::to_string(height) + " pixels; at most " +
                      std::to_string(limits.max_pixels_per_page / 1'000'000) +
                      " megapixels per page)");
  }
}

core::Page decode_png_or_jpeg(std::string_view bytes, const std::string& media_type,
                              const DecodeLimits& limits) {
  const bool png = media_type == "image/png";
  const auto header = png ? read_png_header(bytes) : read_jpeg_header(bytes);
  const std::string kind = png ? "PNG" : "JPEG";
  if (!header) throw DecodeError("the " + kind + " image is damaged (its header cannot be read)");
  check_page_size(header->width, header->height, limits, 1);
  if (!png && !jpeg_is_complete(bytes)) {
    throw DecodeError("the JPEG image is truncated (the file ends before the image does)");
  }
  const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
  cv::Mat image;
  try {
    image = cv::imdecode(raw, cv::IMREAD_ANYCOLOR);
  } catch (const cv::Exception&) {
    image.release();
  }
  if (image.empty()) {
    throw DecodeError("the " + kind + " image is damaged or truncated and cannot be decoded");
  }
  if (image.channels() == 4) cv::cvtColor(image, image, cv::COLOR_BGRA2BGR);
  return core::Page{image, 1, header->dpi};
}

std::vector<core::Page> decode_tiff(std::string_view bytes, const DecodeLimits& limits) {
  // A TIFF page is a fax or a scan: the same page cap as PDF keeps a 10 000-page file out.
  const auto count = count_tiff_pages(bytes, limits.max_pdf_pages);
  if (!count || *count == 0) throw DecodeError("the TIFF image is damaged (broken page chain)");
  if (*count > limits.max_pdf_pages) {
    throw DecodeError("the TIFF file has more than " + std::to_string(limits.max_pdf_pages) +
                      " pages");
  }
  const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
  std::vector<core::Page> pages;
  for (int n = 0; n < *count; ++n) {
    l_int32 w = 0, h = 0, bps = 0, spp = 0, res = 0, cmap = 0, format = 0;
    if (readHeaderMemTiff(data, bytes.size(), n, &w, &h, &bps, &spp, &res, &cmap, &format) != 0) {
      throw DecodeError("page " + std::to_string(n + 1) + " of the TIFF image is damaged");
    }
    check_page_size(w, h, limits, n + 1);
    PixPtr pix(pixReadMemTiff(data, bytes.size(), n));
    if (!pix) {
      throw DecodeError("page " + std::to_string(n + 1) +
                        " of the TIFF image is damaged and cannot be decoded");
    }
    cv::Mat grey = grey_mat_from_pix(pix.get());
    if (grey.empty()) {
      throw DecodeError("page " + std::to_string(n + 1) + " of the TIFF image has an odd format");
    }
    const l_int32 xres = pixGetXRes(pix.get());
    pages.push_back(core::Page{grey, n + 1, xres > 0 ? double(xres) : double(res)});
  }
  return pages;
}

}  // namespace carescan::io
