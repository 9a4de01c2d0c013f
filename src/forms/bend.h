#pragma once
// What a homography cannot fit on a sheet that does not lie flat (a phone photo of a bowed page):
// a smooth offset from where the homography puts each template point to where the printed rules
// show it is.

#include <array>
#include <opencv2/core.hpp>
#include <optional>

namespace carescan::forms {

// offset(p) = sum_k c_k m_k(u, v), u = p.x / frame.width, v = p.y / frame.height,
// m = {1, u, v, u^2, uv, v^2}: a bow is a parabola across the sheet, and a quadratic in both
// directions also takes a curl along its length.
struct Bend {
  std::array<double, 6> dx{};
  std::array<double, 6> dy{};
  cv::Size2d frame;  // of the template, in the pixels the offsets are in
  double limit = 0;  // no offset goes further, either way on either axis: the quadratic is only
                     // measured where the sheet has rules

  [[nodiscard]] bool empty() const { return frame.width <= 0 || frame.height <= 0; }
  // Where the point `p` of the template really lies, in the same (unbent) template frame.
  [[nodiscard]] cv::Point2d apply(cv::Point2d p) const;
  // The same bend in a frame `factor` times larger (the map's to the template's pixels).
  [[nodiscard]] Bend scaled(double factor) const;
  // The largest offset over the frame, sampled on a grid.
  [[nodiscard]] double largest_offset() const;
};

// The bend left between `page_rules_in_template` (a page's rule map already warped into the
// template's map frame by its homography) and `template_rules`, both rule maps of one size. Local
// shifts are measured across the sheet wherever the template has rules to measure them on, and
// the quadratic fitted to them; nullopt when too few places could be measured.
std::optional<Bend> fit_bend(const cv::Mat& page_rules_in_template, const cv::Mat& template_rules);

}  // namespace carescan::forms
