#pragma once
// Aligns a page's printed rules with its template's, coarse to fine, and measures how well.

#include <opencv2/core.hpp>
#include <string>

#include "forms/bend.h"

namespace carescan::forms {

struct RuleRegistration {
  cv::Mat page_from_template;  // 3x3 CV_64F, in rule-map pixels
  Bend bend;  // in rule-map pixels, applied to template points before the homography; empty: flat
  double quality = 0;   // share of the template's rules found after alignment, in its worst region
  double coverage = 0;  // the same share over the whole sheet
  bool converged = false;
  std::string failure;  // why it did not converge, or ""
};

// A rule map's pixels at or above this lie on a printed rule.
inline constexpr float kRuleLevel = 0.25F;

// `page_rules` and `template_rules` are rule maps of the same size (the template frame reduced by
// kMapReduction), the page already upright and roughly filling the frame.
// A fit that finds fewer than `retry_below_coverage` of the rules over the whole sheet is tried
// once more from the unshifted page.
RuleRegistration register_rules(const cv::Mat& page_rules, const cv::Mat& template_rules,
                                double retry_below_coverage);

struct RuleOverlap {
  double whole = 0;         // over the whole sheet
  double worst_region = 0;  // in the worst region of a 3x3 grid
};

// Share of `template_rules` pixels with a page rule within one map pixel, after warping the page
// (through `bend` first, when there is one).
RuleOverlap rule_overlap(const cv::Mat& page_rules, const cv::Mat& template_rules,
                         const cv::Mat& page_from_template, const Bend& bend = {});

// `page` seen in the template's frame of `size`: each template point p taken from the page at
// page_from_template(bend(p)), bilinear, `outside` beyond the page. Pixel by pixel under a bend:
// for rule maps and tests; the reader warps full pages tile by tile (preprocess::warp_through).
cv::Mat warp_to_template(const cv::Mat& page, cv::Size size, const cv::Mat& page_from_template,
                         const Bend& bend, double outside);

// `fit` with the bend a homography leaves on a sheet that does not lie flat, when measuring one
// and warping through it lines up more of the rules; `fit` as it was otherwise.
RuleRegistration unbend(const cv::Mat& page_rules, const cv::Mat& template_rules,
                        RuleRegistration fit);

}  // namespace carescan::forms
