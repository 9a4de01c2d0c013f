// `carescan print-glyphs`: the reference sheet of printed capitals and digits the reader compares
// a lone printed glyph with (recognize/print_glyphs.h), rendered from the typed fonts.
#include <iostream>
#include <opencv2/imgcodecs.hpp>

#include "cli/commands.h"
#include "recognize/print_glyphs.h"
#include "synth/fonts.h"

namespace carescan::cli {
namespace {

// Large enough that the cell's 24 px are a reduction of the letter, not an enlargement.
constexpr int kRenderPx = 96;

cv::Mat reference_sheet(const std::vector<std::filesystem::path>& fonts) {
  synth::FontSet set(fonts);
  const auto& classes = recognize::PrintGlyphs::classes();
  const int cell = recognize::PrintGlyphs::kCell;
  cv::Mat sheet = cv::Mat::zeros(static_cast<int>(set.size()) * cell,
                                 static_cast<int>(classes.size()) * cell, CV_8U);
  for (std::size_t font = 0; font < set.size(); ++font) {
    for (std::size_t c = 0; c < classes.size(); ++c) {
      const auto& glyph = set.glyph(font, kRenderPx, static_cast<char32_t>(classes[c]));
      // glyph.top is the baseline's row in the bitmap; the capitals' top is cap height above it.
      const double cap_height = set.cap_ratio(font) * kRenderPx;
      recognize::PrintGlyphs::normalise(glyph.coverage, {glyph.top - cap_height, cap_height})
          .copyTo(sheet(
              cv::Rect(static_cast<int>(c) * cell, static_cast<int>(font) * cell, cell, cell)));
    }
  }
  return sheet;
}

}  // namespace

void add_print_glyphs_command(CLI::App& app, const Context& ctx, Runner& run) {
  auto out = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "print-glyphs",
      "Render the printed capitals and digits the reader compares a lone printed letter with");
  cmd->add_option("--out", *out, "PNG to write (reader.print_glyphs reads it)")->required();
  cmd->callback([&ctx, &run, out] {
    run = [&ctx, out] {
      const auto cfg = ctx.load();
      const cv::Mat sheet = reference_sheet(cfg.samples.print_fonts);
      if (!cv::imwrite(*out, sheet)) {
        std::cerr << "carescan print-glyphs: cannot write " << *out << "\n";
        return 1;
      }
      std::cout << "print-glyphs: " << cfg.samples.print_fonts.size() << " typefaces, "
                << recognize::PrintGlyphs::classes().size() << " glyphs each -> " << *out << "\n";
      return 0;
    };
  });
}

}  // namespace carescan::cli
