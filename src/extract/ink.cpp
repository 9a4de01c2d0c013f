#include "extract/ink.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <vector>

namespace carescan::extract {
namespace {

// Straight rules longer than `fraction` of the region's side in that direction: borders of boxes
// and table cells. Handwritten strokes are shorter and rarely perfectly straight.
cv::Mat long_rules(const cv::Mat& ink, double fraction) {
  return straight_runs(ink, std::max(25, static_cast<int>(ink.cols * fraction)),
                       std::max(25, static_cast<int>(ink.rows * fraction)));
}

// What opening `ink` with a 1 x `length` rectangle (OpenCV's morphologyEx, centred anchor, its
// default borders) leaves, computed with running counts instead of a min and a max over the
// window at every pixel: same result, a fraction of the time on the long rules of a page
// (tests/extract/ink_test.cpp compares the two).
cv::Mat row_runs(const cv::Mat& ink, int length) {
  cv::Mat out = cv::Mat::zeros(ink.size(), CV_8U);
  const int cols = ink.cols;
  const int anchor = length / 2;
  std::vector<int> gaps(static_cast<std::size_t>(cols) + 1);  // paper pixels before x
  std::vector<int> kept(static_cast<std::size_t>(cols) + 1);  // eroded pixels before x
  // How many of `before`'s pixels lie in the window [x - anchor, x - anchor + length), cut to
  // the row; never empty, since length > anchor.
  const auto in_window = [&](const std::vector<int>& before, int x) {
    return before[std::min(cols, x - anchor + length)] - before[std::max(0, x - anchor)];
  };
  for (int y = 0; y < ink.rows; ++y) {
    const unsigned char* px = ink.ptr<unsigned char>(y);
    for (int x = 0; x < cols; ++x) gaps[x + 1] = gaps[x] + (px[x] == 0 ? 1 : 0);
    if (gaps[cols] == cols) continue;
    // Eroded: the window is ink wherever it meets the row (outside counts as ink for an
    // erosion).
    for (int x = 0; x < cols; ++x) kept[x + 1] = kept[x] + (in_window(gaps, x) == 0 ? 1 : 0);
    // Dilated with the same window, unreflected as OpenCV does: any eroded pixel in it (outside
    // counts as paper).
    unsigned char* o = out.ptr<unsigned char>(y);
    for (int x = 0; x < cols; ++x) {
      if (in_window(kept, x) > 0) o[x] = 255;
    }
  }
  return out;
}

// Clears the ink of every component whose `keep` entry is 0 (`labels` from
// connectedComponents on `ink`).
void keep_components(cv::Mat& ink, const cv::Mat& labels, const std::vector<unsigned char>& keep) {
  for (int y = 0; y < ink.rows; ++y) {
    const int* label = labels.ptr<int>(y);
    unsigned char* px = ink.ptr<unsigned char>(y);
    for (int x = 0; x < ink.cols; ++x) {
      if (px[x] != 0 && keep[label[x]] == 0) px[x] = 0;
    }
  }
}

cv::Rect box_of(const cv::Mat& stats, int i) {
  return {stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
          stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT)};
}

// Whether a small component lies between two strokes of the writing, level with them: where a
// comma or a full stop sits, and where dust seldom falls.
bool between_strokes(const cv::Rect& speck, const std::vector<cv::Rect>& strokes) {
  const int x = speck.x + speck.width / 2;
  const int y = speck.y + speck.height / 2;
  bool left = false;
  bool right = false;
  for (const auto& s : strokes) {
    const int reach = s.height;
    if (y < s.y || y > s.br().y + reach / 3) continue;
    left = left || (s.br().x <= x + speck.width && x - s.br().x <= reach);
    right = right || (s.x >= x - speck.width && s.x - x <= reach);
  }
  return left && right;
}

// Drops components under `min_pixels`, but keeps one of at least a third of that between two
// strokes: a comma written with a light pen leaves fewer pixels than a speck of dust, and an
// amount read without its comma is a hundred times too large.
void drop_specks(cv::Mat& ink, int min_pixels) {
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<unsigned char> keep(static_cast<std::size_t>(n), 0);
  std::vector<cv::Rect> strokes;
  for (int i = 1; i < n; ++i) {
    keep[i] = stats.at<int>(i, cv::CC_STAT_AREA) >= min_pixels;
    if (keep[i] != 0) strokes.push_back(box_of(stats, i));
  }
  const int least = std::max(3, min_pixels / 3);
  for (int i = 1; i < n; ++i) {
    if (keep[i] == 0 && stats.at<int>(i, cv::CC_STAT_AREA) >= least) {
      keep[i] = between_strokes(box_of(stats, i), strokes) ? 1 : 0;
    }
  }
  keep_components(ink, labels, keep);
}

struct Component {
  cv::Rect box;
  int area = 0;
};

// Letter height: the component height that half of the ink lies at or under. Ink-weighted, so
// that many small dashes do not outvote a few letters.
int letter_height(std::vector<Component> parts) {
  std::sort(parts.begin(), parts.end(),
            [](const Component& a, const Component& b) { return a.box.height < b.box.height; });
  long total = 0;
  for (const auto& c : parts) total += c.area;
  long seen = 0;
  for (const auto& c : parts) {
    seen += c.area;
    if (2 * seen >= total) return c.box.height;
  }
  return parts.back().box.height;
}

}  // namespace

void keep_writing_band(cv::Mat& ink) {
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  if (n <= 2) return;
  std::vector<Component> parts(static_cast<std::size_t>(n));
  for (int i = 1; i < n; ++i) {
    parts[i] = {box_of(stats, i), stats.at<int>(i, cv::CC_STAT_AREA)};
  }
  const int height = letter_height({parts.begin() + 1, parts.end()});
  if (height < 8) return;
  std::vector<unsigned char> letter(parts.size(), 0);
  int top = ink.rows;
  int bottom = 0;
  for (int i = 1; i < n; ++i) {
    if (2 * parts[i].box.height < height) continue;
    letter[i] = 1;
    top = std::min(top, parts[i].box.y);
    bottom = std::max(bottom, parts[i].box.br().y);
  }
  const int slack = height * 3 / 10;
  const int gap = height * 3 / 2;
  std::vector<unsigned char> keep(parts.size(), 1);
  keep[0] = 0;
  for (int i = 1; i < n; ++i) {
    if (letter[i] != 0) continue;
    const cv::Rect& b = parts[i].box;
    const int centre = b.y + b.height / 2;
    bool near = false;
    for (int j = 1; j < n && !near; ++j) {
      if (letter[j] == 0) continue;
      const cv::Rect& l = parts[j].box;
      near = b.x <= l.br().x + gap && l.x <= b.br().x + gap;
    }
    keep[i] = near && centre >= top - slack && centre <= bottom + slack;
  }
  keep_components(ink, labels, keep);
}

cv::Mat straight_runs(const cv::Mat& ink, int horizontal, int vertical) {
  cv::Mat rules = cv::Mat::zeros(ink.size(), CV_8U);
  if (ink.cols > horizontal) rules |= row_runs(ink, horizontal);
  if (ink.rows > vertical) {
    cv::Mat turned;
    cv::transpose(ink, turned);
    cv::Mat runs;
    cv::transpose(row_runs(turned, vertical), runs);
    rules |= runs;
  }
  cv::dilate(rules, rules, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
  return rules;
}

void keep_strokes(cv::Mat& ink, const std::vector<cv::Rect>& boxes) {
  if (ink.empty() || boxes.empty()) return;
  int box_height = boxes.front().height;
  for (const auto& box : boxes) box_height = std::min(box_height, box.height);
  // Dots first: a stroke cut by the runs taken away below would fall apart into dot-sized
  // pieces.
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<unsigned char> keep(static_cast<std::size_t>(n), 0);
  const int dot = std::max(3, box_height / 4);
  for (int i = 1; i < n; ++i) {
    keep[i] =
        std::max(stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT)) >= dot;
  }
  keep_components(ink, labels, keep);
  const int run = std::max(8, box_height / 2);
  const cv::Mat runs = straight_runs(ink, run, run) & ink;
  // A run centred in a box's middle half, no longer than the box and a fifth of it thick is no
  // line of the box: it is the crossing of an X drawn inside it, as thick as a phone photo's blur
  // makes it (seed 778: most of the ticked boxes read as empty on photos lost their X this way).
  // A copier's streak or a fax's stray line is thin, even where the printed walls cut it.
  const int m = cv::connectedComponentsWithStats(runs, labels, stats, centroids, 8, CV_32S);
  std::vector<unsigned char> kept(static_cast<std::size_t>(m), 0);
  kept[0] = 1;  // ink in no run
  for (int i = 1; i < m; ++i) {
    const cv::Point centre(static_cast<int>(centroids.at<double>(i, 0)),
                           static_cast<int>(centroids.at<double>(i, 1)));
    const cv::Rect extent = box_of(stats, i);
    for (const auto& box : boxes) {
      const cv::Rect middle(box.x + box.width / 4, box.y + box.height / 4, box.width / 2,
                            box.height / 2);
      if (middle.contains(centre) && extent.width <= box.width && extent.height <= box.height &&
          std::min(extent.width, extent.height) >= box.height / 5) {
        kept[i] = 1;
      }
    }
  }
  keep_components(ink, labels, kept);
}

void drop_slivers(cv::Mat& ink, double max_thickness, int min_length) {
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
  std::vector<unsigned char> keep(static_cast<std::size_t>(n), 1);
  for (int i = 1; i < n; ++i) {
    const cv::Rect box = box_of(stats, i);
    const int length = std::max(box.width, box.height);
    const double thickness = stats.at<int>(i, cv::CC_STAT_AREA) / static_cast<double>(length);
    keep[i] = length < min_length || thickness > max_thickness ? 1 : 0;
  }
  keep_components(ink, labels, keep);
}

cv::Mat printed_mask(const cv::Mat& reference_grey, const ExtractionSettings& settings) {
  cv::Mat mask;
  cv::threshold(reference_grey, mask, settings.printed_below, 255, cv::THRESH_BINARY_INV);
  const int k = 2 * settings.printed_dilate_px + 1;
  cv::dilate(mask, mask, cv::getStructuringElement(cv::MORPH_ELLIPSE, {k, k}));
  return mask;
}

InkRegion find_ink(const cv::Mat& page, const cv::Mat& printed, cv::Rect rect,
                   const ExtractionSettings& settings) {
  InkRegion region;
  region.rect = rect & cv::Rect(0, 0, page.cols, page.rows);
  if (region.rect.empty()) return region;
  cv::threshold(page(region.rect), region.ink, settings.ink_below, 255, cv::THRESH_BINARY_INV);
  if (!printed.empty()) region.ink.setTo(0, printed(region.rect));
  region.ink.setTo(0, long_rules(region.ink, 0.7));
  drop_specks(region.ink, settings.min_component_px);
  region.pixels = cv::countNonZero(region.ink);
  return region;
}

cv::Mat ink_to_image(const cv::Mat& ink, int pad) {
  if (ink.empty()) return {};
  const cv::Rect bounds = cv::boundingRect(ink);
  if (bounds.empty()) return {};
  cv::Mat image;
  cv::bitwise_not(ink(bounds), image);
  cv::copyMakeBorder(image, image, pad, pad, pad, pad, cv::BORDER_CONSTANT, cv::Scalar(255));
  return image;
}

}  // namespace carescan::extract
