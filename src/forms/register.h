#pragma once
// Aligns a page's printed rules with its template's, coarse to fine, and measures how well.

#include <opencv2/core.hpp>
#include <string>

namespace carescan::forms {

struct RuleRegistration {
  cv::Mat page_from_template;  // 3x3 CV_64F, in rule-map pixels
  double quality = 0;  // share of the template's rules found after alignment, in its worst region
  bool converged = false;
  std::string failure;  // why it did not converge, or ""
};

// `page_rules` and `template_rules` are rule maps of the same size (the template frame reduced by
// kMapReduction), the page already upright and roughly filling the frame.
RuleRegistration register_rules(const cv::Mat& page_rules, const cv::Mat& template_rules);

// Share of `template_rules` pixels with a page rule within one map pixel, after warping the page.
double rule_overlap(const cv::Mat& page_rules, const cv::Mat& template_rules,
                    const cv::Mat& page_from_template);

}  // namespace carescan::forms
