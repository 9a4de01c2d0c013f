#include "forms/register.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>
#include <optional>
#include <vector>

namespace carescan::forms {
namespace {

cv::Mat scaled(const cv::Mat& map, double factor) {
  cv::Mat out;
  cv::resize(map, out, {}, factor, factor, cv::INTER_AREA);
  return out;
}

cv::Mat blurred(const cv::Mat& map, double sigma) {
  cv::Mat out;
  cv::GaussianBlur(map, out, {0, 0}, sigma);
  return out;
}

// A warp found at one pyramid level, expressed at a level `factor` times larger.
cv::Mat rescale_warp(const cv::Mat& warp, double factor) {
  const cv::Mat s = (cv::Mat_<double>(3, 3) << factor, 0, 0, 0, factor, 0, 0, 0, 1);
  return s * warp * s.inv();
}

cv::Mat as_3x3(const cv::Mat& warp) {
  cv::Mat out = cv::Mat::eye(3, 3, CV_64F);
  if (warp.rows == 3) {
    warp.convertTo(out, CV_64F);
    return out;
  }
  warp.convertTo(out.rowRange(0, 2), CV_64F);
  return out;
}

// One ECC run; returns false when it fails to converge (ECC throws in that case).
bool ecc(const cv::Mat& tmpl, const cv::Mat& page, cv::Mat& warp3x3, int motion, int iterations,
         double eps) {
  cv::Mat warp;
  if (motion == cv::MOTION_HOMOGRAPHY) {
    warp3x3.convertTo(warp, CV_32F);
  } else {
    warp3x3.rowRange(0, 2).convertTo(warp, CV_32F);
  }
  try {
    cv::findTransformECC(tmpl, page, warp, motion,
                         {cv::TermCriteria::COUNT | cv::TermCriteria::EPS, iterations, eps},
                         cv::noArray(), 1);
  } catch (const cv::Exception&) {
    return false;
  }
  warp3x3 = as_3x3(warp);
  if (motion == cv::MOTION_HOMOGRAPHY) warp3x3 /= warp3x3.at<double>(2, 2);
  return true;
}

}  // namespace

cv::Mat warp_to_template(const cv::Mat& page, cv::Size size, const cv::Mat& page_from_template,
                         const Bend& bend, double outside) {
  cv::Mat warped;
  if (bend.empty()) {
    cv::warpPerspective(page, warped, page_from_template, size,
                        cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_CONSTANT, outside);
    return warped;
  }
  std::vector<cv::Point2d> points;
  points.reserve(static_cast<std::size_t>(size.area()));
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) points.push_back(bend.apply({double(x), double(y)}));
  }
  cv::perspectiveTransform(points, points, page_from_template);
  cv::Mat map(size, CV_32FC2);
  for (int y = 0; y < size.height; ++y) {
    auto* row = map.ptr<cv::Vec2f>(y);
    for (int x = 0; x < size.width; ++x) {
      const cv::Point2d& p = points[static_cast<std::size_t>(y) * size.width + x];
      row[x] = {static_cast<float>(p.x), static_cast<float>(p.y)};
    }
  }
  cv::remap(page, warped, map, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, outside);
  return warped;
}

RuleOverlap rule_overlap(const cv::Mat& page_rules, const cv::Mat& template_rules,
                         const cv::Mat& page_from_template, const Bend& bend) {
  const cv::Mat warped =
      warp_to_template(page_rules, template_rules.size(), page_from_template, bend, 0);
  // Faded fax lines keep a fifth of their darkness; the template's rules are solid.
  const cv::Mat page_mask = warped > 0.08;
  const cv::Mat tmpl_mask = template_rules > kRuleLevel;
  cv::Mat near_page;
  cv::dilate(page_mask, near_page, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  const cv::Mat found = tmpl_mask & near_page;
  const int total = cv::countNonZero(tmpl_mask);
  if (total == 0) return {};
  const double whole = cv::countNonZero(found) / static_cast<double>(total);
  double worst = whole;
  // A homography that fits most of a bent photo can still leave one corner several millimetres
  // off, and that corner's fields would be read from the wrong boxes: the share is also taken
  // per region of a 3x3 grid, and the page is only as good as its worst region. Regions with
  // few rules (margins) say too little to count.
  constexpr int kGrid = 3;
  const int min_region_rules = total / (kGrid * kGrid * 4);
  for (int gy = 0; gy < kGrid; ++gy) {
    for (int gx = 0; gx < kGrid; ++gx) {
      const cv::Rect region(gx * tmpl_mask.cols / kGrid, gy * tmpl_mask.rows / kGrid,
                            (gx + 1) * tmpl_mask.cols / kGrid - gx * tmpl_mask.cols / kGrid,
                            (gy + 1) * tmpl_mask.rows / kGrid - gy * tmpl_mask.rows / kGrid);
      const int rules = cv::countNonZero(tmpl_mask(region));
      if (rules < std::max(min_region_rules, 1)) continue;
      worst = std::min(worst, cv::countNonZero(found(region)) / static_cast<double>(rules));
    }
  }
  return {whole, worst};
}

namespace {

// Coarse to fine from one initial shift (quarter-map pixels): affine ECC at a quarter of the map
// (≈ 19 dpi), blurred enough to reach a page shifted by a centimetre, then a homography at half
// of it (≈ 37 dpi): about 0.2 mm at the page corners on scans. A last level on the map itself
// gains 0.1 mm for three times the time.
RuleRegistration register_from(const cv::Mat& page_q, const cv::Mat& tmpl_q, const cv::Mat& page_h,
                               const cv::Mat& tmpl_h, const cv::Mat& page_rules,
                               const cv::Mat& template_rules, cv::Point2d shift) {
  RuleRegistration out;
  cv::Mat warp = cv::Mat::eye(3, 3, CV_64F);
  warp.at<double>(0, 2) = shift.x;
  warp.at<double>(1, 2) = shift.y;
  if (!ecc(tmpl_q, page_q, warp, cv::MOTION_AFFINE, 60, 1e-4)) {
    out.failure = "the printed structure could not be aligned with the template";
    return out;
  }
  warp = rescale_warp(warp, 2);
  // Stopping once the correlation gains under 1e-4 an iteration, not 1e-5, costs 29 ms a page
  // instead of 45 and moves the rules found by under 0.01 (tests/bench/stage_bench, seed 83311);
  // at 1e-3 a few pages lose a tenth of their rules.
  ecc(tmpl_h, page_h, warp, cv::MOTION_HOMOGRAPHY, 15, 1e-4);
  warp = rescale_warp(warp, 2);
  out.page_from_template = warp;
  out.converged = true;
  const RuleOverlap overlap = rule_overlap(page_rules, template_rules, warp);
  out.quality = overlap.worst_region;
  out.coverage = overlap.whole;
  return out;
}

bool better(const RuleRegistration& a, const RuleRegistration& b) {
  if (a.converged != b.converged) return a.converged;
  return a.quality + a.coverage > b.quality + b.coverage;
}

}  // namespace

// Well-registered generated pages find 0.9 of the rules and more; a photo's bowed sheet misses
// rules in one region only, which another start does not mend.
RuleRegistration register_rules(const cv::Mat& page_rules, const cv::Mat& template_rules,
                                double retry_below_coverage) {
  const cv::Mat page_q = blurred(scaled(page_rules, 0.25), 1.5);
  const cv::Mat tmpl_q = blurred(scaled(template_rules, 0.25), 1.5);
  const cv::Mat page_h = blurred(scaled(page_rules, 0.5), 1.0);
  const cv::Mat tmpl_h = blurred(scaled(template_rules, 0.5), 1.0);
  // Phase correlation's peak is the usual start; on a sheet of repeated rows and cells (the
  // dental chart, the tables) it can lock one period off, and ECC then settles there with a
  // third of the rules missed: such a fit is tried again from the unshifted page.
  const cv::Point2d shift = cv::phaseCorrelate(tmpl_q, page_q);
  RuleRegistration best =
      register_from(page_q, tmpl_q, page_h, tmpl_h, page_rules, template_rules, shift);
  if (best.converged && best.coverage >= retry_below_coverage) return best;
  RuleRegistration again =
      register_from(page_q, tmpl_q, page_h, tmpl_h, page_rules, template_rules, {0, 0});
  return better(again, best) ? again : best;
}

RuleRegistration unbend(const cv::Mat& page_rules, const cv::Mat& template_rules,
                        RuleRegistration fit) {
  // Less than this many map pixels anywhere (a millimetre) is a flat sheet's noise; and a bend
  // must line up this much more of the rules, whole sheet and worst region together, to be
  // worth a second resampling path.
  constexpr double kMinBendPx = 0.5;
  constexpr double kMinGain = 0.01;
  if (!fit.converged) return fit;
  const cv::Mat flat =
      warp_to_template(page_rules, template_rules.size(), fit.page_from_template, {}, 0);
  const std::optional<Bend> bend = fit_bend(flat, template_rules);
  if (!bend || bend->largest_offset() < kMinBendPx) return fit;
  const RuleOverlap bent = rule_overlap(page_rules, template_rules, fit.page_from_template, *bend);
  if (bent.whole + bent.worst_region < fit.coverage + fit.quality + kMinGain) return fit;
  fit.bend = *bend;
  fit.quality = bent.worst_region;
  fit.coverage = bent.whole;
  return fit;
}

}  // namespace carescan::forms
