#include "forms/bend.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <vector>

#include "forms/register.h"

namespace carescan::forms {
namespace {

// Places are measured on patches of the map (75 dpi) this many pixels a side, 21 mm: a
// patch holds a few rules, and a bow turns a rule by well under a pixel across it.
constexpr int kPatch = 64;
constexpr int kStep = 40;
// The largest shift sought, map pixels (3.4 mm): a bowed photo leaves up to about 2 mm after its
// homography; the comb cells and table rows repeat every 5 mm or more, so a shift within this
// reach cannot be taken for the neighbouring cell's.
constexpr int kReach = 10;
// A rule across at least this share of the patch gives a profile a peak worth matching.
constexpr double kMinRuleShare = 0.4;
// The profiles' normalised correlation at the best shift, and its lead over the best shift
// elsewhere (a repeated pattern's other period), for a place to count.
constexpr double kMinCorrelation = 0.6;
constexpr double kMinLead = 0.1;
// Places per direction for a quadratic of six terms to be trusted; residuals beyond this many
// map pixels are some other rule's echo, and the fit is made again without them.
constexpr std::size_t kMinPlaces = 10;
constexpr double kOutlierPx = 1.5;

struct Place {
  double x = 0;
  double y = 0;
  double shift = 0;
  double weight = 0;
};

std::array<double, 6> terms(double u, double v) {
  return {1, u, v, u * u, u * v, v * v};
}

double evaluate(const std::array<double, 6>& c, double u, double v) {
  const auto m = terms(u, v);
  double sum = 0;
  for (std::size_t k = 0; k < 6; ++k) sum += c[k] * m[k];
  return sum;
}

// One value per row (`along_rows`) or per column of `patch`: what a rule across it stands out by.
std::vector<double> profile(const cv::Mat& patch, bool along_rows) {
  cv::Mat sums;
  cv::reduce(patch, sums, along_rows ? 1 : 0, cv::REDUCE_SUM, CV_64F);
  return {sums.begin<double>(), sums.end<double>()};
}

double correlation(const std::vector<double>& a, const std::vector<double>& b, std::size_t b_from) {
  const std::size_t n = a.size();
  double mean_a = 0, mean_b = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mean_a += a[i];
    mean_b += b[b_from + i];
  }
  mean_a /= static_cast<double>(n);
  mean_b /= static_cast<double>(n);
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double da = a[i] - mean_a;
    const double db = b[b_from + i] - mean_b;
    ab += da * db;
    aa += da * da;
    bb += db * db;
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0;
}

// The shift s (page[i + s] matches tmpl[i]) where the profiles agree best, to a fraction of a
// pixel, with its correlation; `page` runs kReach further than `tmpl` at both ends.
std::optional<std::pair<double, double>> best_shift(const std::vector<double>& tmpl,
                                                    const std::vector<double>& page) {
  // score[i] is the shift i - kReach's.
  std::vector<double> score(2 * kReach + 1);
  for (std::size_t i = 0; i < score.size(); ++i) score[i] = correlation(tmpl, page, i);
  const auto best = static_cast<int>(std::max_element(score.begin(), score.end()) - score.begin());
  const double peak = score[static_cast<std::size_t>(best)];
  if (peak < kMinCorrelation || best == 0 || best == 2 * kReach) return std::nullopt;
  // The best elsewhere: any local maximum two pixels or more from the peak.
  double other = -1;
  for (int i = 1; i < 2 * kReach; ++i) {
    const auto at = static_cast<std::size_t>(i);
    if (std::abs(i - best) < 2 || score[at] < score[at - 1] || score[at] < score[at + 1]) continue;
    other = std::max(other, score[at]);
  }
  if (peak - other < kMinLead) return std::nullopt;
  const auto at = static_cast<std::size_t>(best);
  const double left = score[at - 1], right = score[at + 1];
  const double curvature = left - 2 * peak + right;
  const double fraction = curvature < 0 ? 0.5 * (left - right) / curvature : 0;
  return std::make_pair(best - kReach + std::clamp(fraction, -0.5, 0.5), peak);
}

// Weighted least squares of the quadratic through `places`, twice: the second time without the
// places the first fit misses by more than kOutlierPx. nullopt when too few places are left.
std::optional<std::array<double, 6>> fit_quadratic(std::vector<Place> places, cv::Size2d frame) {
  std::array<double, 6> coefficients{};
  for (int round = 0; round < 2; ++round) {
    if (places.size() < kMinPlaces) return std::nullopt;
    cv::Mat design(static_cast<int>(places.size()), 6, CV_64F);
    cv::Mat goal(static_cast<int>(places.size()), 1, CV_64F);
    for (std::size_t i = 0; i < places.size(); ++i) {
      const auto row = static_cast<int>(i);
      const auto m = terms(places[i].x / frame.width, places[i].y / frame.height);
      for (int k = 0; k < 6; ++k) design.at<double>(row, k) = m[k] * places[i].weight;
      goal.at<double>(row, 0) = places[i].shift * places[i].weight;
    }
    cv::Mat solution;
    if (!cv::solve(design, goal, solution, cv::DECOMP_SVD)) return std::nullopt;
    for (int k = 0; k < 6; ++k) coefficients[static_cast<std::size_t>(k)] = solution.at<double>(k);
    std::erase_if(places, [&](const Place& p) {
      return std::abs(evaluate(coefficients, p.x / frame.width, p.y / frame.height) - p.shift) >
             kOutlierPx;
    });
  }
  return coefficients;
}

}  // namespace

cv::Point2d Bend::apply(cv::Point2d p) const {
  if (empty()) return p;
  const double u = p.x / frame.width, v = p.y / frame.height;
  return {p.x + std::clamp(evaluate(dx, u, v), -limit, limit),
          p.y + std::clamp(evaluate(dy, u, v), -limit, limit)};
}

Bend Bend::scaled(double factor) const {
  Bend out = *this;
  for (auto& c : out.dx) c *= factor;
  for (auto& c : out.dy) c *= factor;
  out.frame = {frame.width * factor, frame.height * factor};
  out.limit = limit * factor;
  return out;
}

double Bend::largest_offset() const {
  if (empty()) return 0;
  double largest = 0;
  constexpr int kSamples = 9;
  for (int j = 0; j < kSamples; ++j) {
    for (int i = 0; i < kSamples; ++i) {
      const double u = i / double(kSamples - 1), v = j / double(kSamples - 1);
      const cv::Point2d p(u * frame.width, v * frame.height);
      largest = std::max(largest, cv::norm(apply(p) - p));
    }
  }
  return largest;
}

std::optional<Bend> fit_bend(const cv::Mat& page_rules_in_template, const cv::Mat& template_rules) {
  CV_Assert(page_rules_in_template.size() == template_rules.size());
  const cv::Size size = template_rules.size();
  std::vector<Place> across, down;  // x shifts, y shifts
  const cv::Mat strong = template_rules > kRuleLevel;
  for (int y = kReach; y + kPatch + kReach <= size.height; y += kStep) {
    for (int x = kReach; x + kPatch + kReach <= size.width; x += kStep) {
      const cv::Rect patch(x, y, kPatch, kPatch);
      const double cx = x + kPatch / 2.0, cy = y + kPatch / 2.0;
      const cv::Mat hits = strong(patch) / 255;
      cv::Mat rows_hit, cols_hit;
      cv::reduce(hits, rows_hit, 1, cv::REDUCE_SUM, CV_32S);
      cv::reduce(hits, cols_hit, 0, cv::REDUCE_SUM, CV_32S);
      double most_in_a_row = 0, most_in_a_col = 0;
      cv::minMaxLoc(rows_hit, nullptr, &most_in_a_row);
      cv::minMaxLoc(cols_hit, nullptr, &most_in_a_col);
      // A horizontal rule across the patch tells its vertical shift, a vertical one its
      // horizontal shift.
      if (most_in_a_row >= kMinRuleShare * kPatch) {
        const cv::Rect taller(x, y - kReach, kPatch, kPatch + 2 * kReach);
        if (auto s = best_shift(profile(template_rules(patch), true),
                                profile(page_rules_in_template(taller), true))) {
          down.push_back({cx, cy, s->first, s->second});
        }
      }
      if (most_in_a_col >= kMinRuleShare * kPatch) {
        const cv::Rect wider(x - kReach, y, kPatch + 2 * kReach, kPatch);
        if (auto s = best_shift(profile(template_rules(patch), false),
                                profile(page_rules_in_template(wider), false))) {
          across.push_back({cx, cy, s->first, s->second});
        }
      }
    }
  }
  const cv::Size2d frame(size.width, size.height);
  const auto fit_x = fit_quadratic(std::move(across), frame);
  const auto fit_y = fit_quadratic(std::move(down), frame);
  if (!fit_x && !fit_y) return std::nullopt;
  Bend bend;
  bend.frame = frame;
  bend.limit = kReach;
  if (fit_x) bend.dx = *fit_x;
  if (fit_y) bend.dy = *fit_y;
  return bend;
}

}  // namespace carescan::forms
