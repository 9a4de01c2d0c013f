#include "forms/match.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/json_util.h"
#include "forms/classify.h"
#include "forms/line_map.h"
#include "forms/register.h"

namespace carescan::forms {

struct FormMatcher::Impl {
  std::vector<FormTemplate> templates;
  std::vector<std::string> names;
  std::vector<cv::Size> sizes;      // reference image sizes, template px
  std::vector<cv::Mat> rules;       // rule maps in the reduced template frame
  std::vector<cv::Mat> signatures;  // for classification
  core::MatchSettings settings;
};

namespace {

// Pixel-centre-exact scaling from one raster to another of the same content.
cv::Mat scaling(cv::Size from, cv::Size to) {
  const double sx = double(to.width) / from.width;
  const double sy = double(to.height) / from.height;
  return (cv::Mat_<double>(3, 3) << sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5, 0, 0, 1);
}

cv::Size map_size(cv::Size full) {
  return {(full.width + kMapReduction / 2) / kMapReduction,
          (full.height + kMapReduction / 2) / kMapReduction};
}

}  // namespace

void clear_sheet_edges(cv::Mat& rules) {
  // A copied or scanned sheet smaller than the glass, or shifted on it, leaves its own edge as a
  // dark line a few millimetres in from the image's border, further in than the edge band: the
  // longest "rule" on the page, and on no template (their outermost rules are 10 mm in, and none
  // runs the whole page's length there). Lines that long in the outer zone are cleared.
  constexpr int kEdgeZone = 24;           // map pixels, 8 mm
  constexpr double kEdgeLineSpan = 0.85;  // of the page's side
  const cv::Mat strong = rules > kRuleLevel;
  const int zone_rows = std::min(kEdgeZone, rules.rows / 4);
  const int zone_cols = std::min(kEdgeZone, rules.cols / 4);
  for (int y = 0; y < rules.rows; ++y) {
    if (y >= zone_rows && y < rules.rows - zone_rows) continue;
    if (cv::countNonZero(strong.row(y)) > kEdgeLineSpan * rules.cols) rules.row(y).setTo(0);
  }
  for (int x = 0; x < rules.cols; ++x) {
    if (x >= zone_cols && x < rules.cols - zone_cols) continue;
    if (cv::countNonZero(strong.col(x)) > kEdgeLineSpan * rules.rows) rules.col(x).setTo(0);
  }
}

FormMatcher::FormMatcher(std::vector<FormTemplate> templates, core::MatchSettings settings) {
  auto impl = std::make_shared<Impl>();
  impl->settings = settings;
  impl->templates = std::move(templates);
  for (const auto& t : impl->templates) {
    const cv::Mat ref = cv::imread(t.image.string(), cv::IMREAD_GRAYSCALE);
    if (ref.empty()) throw core::DataError("cannot read the reference image " + t.image.string());
    impl->names.push_back(t.form);
    impl->sizes.push_back(ref.size());
    impl->rules.push_back(rule_map(ref, map_size(ref.size())));
    impl->signatures.push_back(classification_signature(impl->rules.back()));
  }
  impl_ = std::move(impl);
}

const std::vector<FormTemplate>& FormMatcher::templates() const {
  return impl_->templates;
}

MatchResult FormMatcher::match(const cv::Mat& prepared_grey) const {
  return register_page(prepared_grey, classify(prepared_grey));
}

PageLayout FormMatcher::classify(const cv::Mat& prepared_grey) const {
  PageLayout layout;
  if (prepared_grey.empty() || impl_->templates.empty()) {
    layout.classification.reason = "empty page";
    return layout;
  }
  // Compare in the frame of the first template; all references share the A4 page size.
  cv::Size frame = map_size(impl_->sizes.front());
  if (prepared_grey.cols > prepared_grey.rows) std::swap(frame.width, frame.height);
  cv::Mat small;
  cv::resize(prepared_grey, small, frame, 0, 0, cv::INTER_AREA);
  cv::Mat page_rules = rule_map(small, frame);
  // Copiers and scanners leave dark bands along the page's edges, where the sheets print nothing
  // (their outer frame starts 10 mm in): such bands must not pull the alignment.
  constexpr int kEdgeBand = 8;  // map pixels, 2.7 mm
  page_rules.rowRange(0, kEdgeBand).setTo(0);
  page_rules.rowRange(page_rules.rows - kEdgeBand, page_rules.rows).setTo(0);
  page_rules.colRange(0, kEdgeBand).setTo(0);
  page_rules.colRange(page_rules.cols - kEdgeBand, page_rules.cols).setTo(0);
  clear_sheet_edges(page_rules);

  layout.classification = classify_page({page_rules, ink_fraction(small)}, impl_->signatures,
                                        impl_->names, impl_->settings);
  layout.rules = std::move(page_rules);
  return layout;
}

MatchResult FormMatcher::register_page(const cv::Mat& prepared_grey,
                                       const PageLayout& layout) const {
  MatchResult result = align(layout, prepared_grey.size());
  auto& reg = result.registered;
  if (reg.form == nullptr || reg.page_from_template.empty()) return result;
  const cv::Mat upright = rotate_clockwise(prepared_grey, result.classification.rotation_degrees);
  reg.image =
      warp_to_template(upright, template_size(*reg.form), reg.page_from_template, reg.bend, 255);
  return result;
}

cv::Size FormMatcher::template_size(const FormTemplate& form) const {
  for (std::size_t i = 0; i < impl_->templates.size(); ++i) {
    if (&impl_->templates[i] == &form) return impl_->sizes[i];
  }
  return {};
}

MatchResult FormMatcher::align(const PageLayout& layout, cv::Size prepared_size) const {
  MatchResult result;
  auto& cls = result.classification;
  cls = layout.classification;
  if (cls.form.empty() || layout.rules.empty()) return result;

  const auto index = static_cast<std::size_t>(
      std::find(impl_->names.begin(), impl_->names.end(), cls.form) - impl_->names.begin());
  const FormTemplate& form = impl_->templates[index];
  const cv::Mat& tmpl_rules = impl_->rules[index];
  const cv::Size tmpl_size = impl_->sizes[index];
  const cv::Size upright_size = cls.rotation_degrees % 180 == 0
                                    ? prepared_size
                                    : cv::Size(prepared_size.height, prepared_size.width);
  cv::Mat upright_rules = rotate_clockwise(layout.rules, cls.rotation_degrees);
  if (upright_rules.size() != tmpl_rules.size()) {
    cv::resize(upright_rules, upright_rules, tmpl_rules.size(), 0, 0, cv::INTER_LINEAR);
  }

  auto& reg = result.registered;
  reg.form = &form;
  RuleRegistration fit =
      register_rules(upright_rules, tmpl_rules, impl_->settings.retry_below_coverage);
  if (fit.quality < impl_->settings.unbend_below_quality) {
    fit = unbend(upright_rules, tmpl_rules, std::move(fit));
  }
  if (!fit.converged) {
    reg.reason = fit.failure;
    return result;
  }
  reg.page_from_template = scaling(tmpl_rules.size(), upright_size) * fit.page_from_template *
                           scaling(tmpl_size, tmpl_rules.size());
  if (!fit.bend.empty())
    reg.bend = fit.bend.scaled(static_cast<double>(tmpl_size.width) / tmpl_rules.cols);
  reg.quality = fit.quality;
  // Another form fails to line up everywhere, a bent care sheet only in places: judged on the
  // whole sheet's share, not on its worst region (generated unrelated forms: layout confidence
  // about 0.6, rule overlap 0.25).
  const core::MatchSettings& settings = impl_->settings;
  if (cls.confidence < settings.loose_layout_confidence &&
      fit.coverage < settings.unrelated_coverage) {
    const double quality = fit.coverage;
    result = {};
    result.classification.reason = "no care-sheet layout found";
    result.classification.confidence = 1 - quality;
    return result;
  }
  reg.ok = reg.quality >= settings.min_registration_quality;
  if (!reg.ok) {
    reg.reason = "the page could not be aligned with the " + form.form + " template (only " +
                 std::to_string(static_cast<int>(reg.quality * 100)) +
                 " % of its printed rules line up)";
  }
  return result;
}

}  // namespace carescan::forms
