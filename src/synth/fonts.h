#pragma once
// A set of FreeType faces with a cache of rendered glyphs, loaded once per generator run.

#include <filesystem>
#include <map>
#include <opencv2/core.hpp>
#include <string_view>
#include <tuple>
#include <vector>

namespace carescan::synth {

// One rendered glyph: 8-bit coverage and its placement relative to the pen on the baseline.
struct Glyph {
  cv::Mat coverage;    // CV_8U, may be empty (a space)
  int left = 0;        // pen x to the bitmap's left edge
  int top = 0;         // baseline to the bitmap's top edge (upwards positive)
  double advance = 0;  // pen advance, pixels
};

class FontSet {
 public:
  // Throws core::DataError naming a font file that is missing or unreadable.
  explicit FontSet(const std::vector<std::filesystem::path>& files);
  ~FontSet();
  FontSet(const FontSet&) = delete;
  FontSet& operator=(const FontSet&) = delete;

  [[nodiscard]] size_t size() const { return faces_.size(); }
  [[nodiscard]] const std::filesystem::path& file(size_t font) const { return files_[font]; }
  // Index of the font whose file name contains `name`, or 0.
  [[nodiscard]] size_t find(std::string_view name) const;

  // The glyph for `codepoint` at `pixel_size`; a code point the font lacks renders as its
  // unaccented base letter when there is one, else as '?'.
  const Glyph& glyph(size_t font, int pixel_size, char32_t codepoint);
  // Cap height ('H') as a fraction of the pixel size: lets callers size text in millimetres.
  [[nodiscard]] double cap_ratio(size_t font) const { return cap_ratios_[font]; }

 private:
  void* library_ = nullptr;  // FT_Library, kept opaque so FreeType stays out of this header
  std::vector<void*> faces_;
  std::vector<std::filesystem::path> files_;
  std::vector<double> cap_ratios_;
  std::map<std::tuple<size_t, int, char32_t>, Glyph> cache_;
};

// UTF-8 to code points; invalid bytes become '?'.
[[nodiscard]] std::u32string decode_utf8(std::string_view text);

}  // namespace carescan::synth
