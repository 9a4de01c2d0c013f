#include "io/pdf.h"

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

#include "io/raster.h"

namespace carescan::io {

std::vector<core::Page> decode_pdf(std::string_view bytes, const DecodeLimits& limits) {
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw DecodeError("the PDF file is too large");
  }
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) {
    if (bytes.find("/Encrypt") != std::string_view::npos) {
      throw DecodeError("the PDF is password-protected; send it without a password");
    }
    throw DecodeError("the PDF is damaged and cannot be read");
  }
  if (doc->is_locked()) {
    throw DecodeError("the PDF is password-protected; send it without a password");
  }
  const int count = doc->pages();
  if (count <= 0) throw DecodeError("the PDF has no page");
  if (count > limits.max_pdf_pages) {
    throw DecodeError("the PDF has " + std::to_string(count) + " pages; at most " +
                      std::to_string(limits.max_pdf_pages) + " are accepted");
  }
  const double dpi = limits.pdf_dpi;
  for (int n = 0; n < count; ++n) {  // all sizes first: refuse before spending time rendering
    std::unique_ptr<poppler::page> page(doc->create_page(n));
    if (!page) throw DecodeError("page " + std::to_string(n + 1) + " of the PDF is damaged");
    const auto rect = page->page_rect();
    const double w = std::ceil(rect.width() / 72.0 * dpi);
    const double h = std::ceil(rect.height() / 72.0 * dpi);
    if (!(w * h <= 9e18)) throw DecodeError("page " + std::to_string(n + 1) + " is too large");
    check_page_size(static_cast<long long>(w), static_cast<long long>(h), limits, n + 1);
  }
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  renderer.set_render_hints(poppler::page_renderer::antialiasing |
                            poppler::page_renderer::text_antialiasing);
  std::vector<core::Page> pages;
  for (int n = 0; n < count; ++n) {
    std::unique_ptr<poppler::page> page(doc->create_page(n));
    const poppler::image image = renderer.render_page(page.get(), dpi, dpi);
    if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) {
      throw DecodeError("page " + std::to_string(n + 1) + " of the PDF cannot be rendered");
    }
    cv::Mat grey(image.height(), image.width(), CV_8UC1);
    for (int y = 0; y < image.height(); ++y) {
      std::memcpy(grey.ptr(y),
                  image.const_data() + static_cast<std::ptrdiff_t>(y) * image.bytes_per_row(),
                  static_cast<std::size_t>(image.width()));
    }
    pages.push_back(core::Page{grey, n + 1, dpi});
  }
  return pages;
}

}  // namespace carescan::io
