#pragma once
// Rasterises a PDF's pages with poppler, after checking page count and size.

#include <string_view>
#include <vector>

#include "core/page.h"
#include "io/decode.h"

namespace carescan::io {

std::vector<core::Page> decode_pdf(std::string_view bytes, const DecodeLimits& limits);

}  // namespace carescan::io
