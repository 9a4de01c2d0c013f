#include "synth/fonts.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <cstddef>
#include <cstring>

#include "core/json_util.h"

namespace carescan::synth {
namespace {

FT_Face as_face(void* face) {
  return static_cast<FT_Face>(face);
}

// Handwriting fonts have no accents; a French label falls back to its base letter.
char32_t base_letter(char32_t cp) {
  static constexpr std::pair<char32_t, char32_t> kMap[] = {
      {U'é', U'e'}, {U'è', U'e'}, {U'ê', U'e'}, {U'ë', U'e'}, {U'à', U'a'}, {U'â', U'a'},
      {U'ç', U'c'}, {U'î', U'i'}, {U'ï', U'i'}, {U'ô', U'o'}, {U'ù', U'u'}, {U'û', U'u'},
      {U'É', U'E'}, {U'È', U'E'}, {U'À', U'A'}, {U'Ç', U'C'}, {U'°', U'o'}};
  for (const auto& [from, to] : kMap) {
    if (from == cp) return to;
  }
  return U'?';
}

}  // namespace

FontSet::FontSet(const std::vector<std::filesystem::path>& files) : files_(files) {
  FT_Library lib = nullptr;
  if (FT_Init_FreeType(&lib) != 0) throw core::DataError("FreeType could not start");
  library_ = lib;
  for (const auto& file : files) {
    FT_Face face = nullptr;
    if (FT_New_Face(lib, file.c_str(), 0, &face) != 0) {
      for (void* f : faces_) FT_Done_Face(as_face(f));
      FT_Done_FreeType(lib);
      throw core::DataError("font " + file.string() + ": missing or unreadable");
    }
    faces_.push_back(face);
    FT_Set_Pixel_Sizes(face, 0, 200);
    double ratio = 0.7;
    if (FT_Load_Char(face, 'H', FT_LOAD_RENDER) == 0 && face->glyph->bitmap.rows > 0) {
      ratio = face->glyph->bitmap.rows / 200.0;
    }
    cap_ratios_.push_back(ratio);
  }
  if (faces_.empty()) {
    FT_Done_FreeType(lib);
    throw core::DataError("samples: no font configured");
  }
}

FontSet::~FontSet() {
  for (void* f : faces_) FT_Done_Face(as_face(f));
  if (library_ != nullptr) FT_Done_FreeType(static_cast<FT_Library>(library_));
}

size_t FontSet::find(std::string_view name) const {
  for (size_t i = 0; i < files_.size(); ++i) {
    if (files_[i].filename().string().find(name) != std::string::npos) return i;
  }
  return 0;
}

const Glyph& FontSet::glyph(size_t font, int pixel_size, char32_t codepoint) {
  const auto key = std::make_tuple(font, pixel_size, codepoint);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;

  FT_Face face = as_face(faces_.at(font));
  FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(std::max(pixel_size, 4)));
  FT_UInt index = FT_Get_Char_Index(face, codepoint);
  if (index == 0 && codepoint != U' ') index = FT_Get_Char_Index(face, base_letter(codepoint));
  if (index == 0 && codepoint != U' ') index = FT_Get_Char_Index(face, U'?');
  Glyph g;
  if (FT_Load_Glyph(face, index, FT_LOAD_RENDER) == 0) {
    const FT_GlyphSlot slot = face->glyph;
    const FT_Bitmap& bm = slot->bitmap;
    if (bm.rows > 0 && bm.width > 0 && bm.pixel_mode == FT_PIXEL_MODE_GRAY) {
      g.coverage.create(static_cast<int>(bm.rows), static_cast<int>(bm.width), CV_8U);
      for (unsigned r = 0; r < bm.rows; ++r) {
        const std::ptrdiff_t row = static_cast<std::ptrdiff_t>(r) * bm.pitch;
        std::memcpy(g.coverage.ptr(static_cast<int>(r)), bm.buffer + row, bm.width);
      }
    }
    g.left = slot->bitmap_left;
    g.top = slot->bitmap_top;
    g.advance = slot->advance.x / 64.0;
  }
  return cache_.emplace(key, std::move(g)).first->second;
}

std::u32string decode_utf8(std::string_view text) {
  std::u32string out;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    int extra = c < 0x80           ? 0
                : (c >> 5) == 0x6  ? 1
                : (c >> 4) == 0xE  ? 2
                : (c >> 3) == 0x1E ? 3
                                   : -1;
    if (extra < 0 || i + extra >= text.size()) {
      out.push_back(U'?');
      ++i;
      continue;
    }
    char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc >> 6) != 0x2) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    out.push_back(ok ? cp : U'?');
    i += ok ? extra + 1 : 1;
  }
  return out;
}

}  // namespace carescan::synth
