#pragma once
// Decoders for raster scans (PNG, JPEG, TIFF incl. multi-page G4 fax), with header checks first.

#include <string>
#include <string_view>
#include <vector>

#include "core/page.h"
#include "io/decode.h"

namespace carescan::io {

core::Page decode_png_or_jpeg(std::string_view bytes, const std::string& media_type,
                              const DecodeLimits& limits);
std::vector<core::Page> decode_tiff(std::string_view bytes, const DecodeLimits& limits);

// Throws DecodeError when a page of `width` x `height` exceeds the limit.
void check_page_size(long long width, long long height, const DecodeLimits& limits, int page);

}  // namespace carescan::io
