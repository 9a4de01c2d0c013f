#pragma once
// Says which care sheet a prepared page is (and which way up), then registers it to its template.

#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/config.h"
#include "forms/bend.h"
#include "forms/template.h"

namespace carescan::forms {

struct Classification {
  std::string form;  // "" = not a care sheet
  double confidence = 0;
  int rotation_degrees = 0;  // 0/90/180/270 clockwise rotation applied to the prepared page to
                             // make it upright
  std::string reason;        // why not a care sheet, or ""
};

struct RegisteredPage {
  const FormTemplate* form = nullptr;
  cv::Mat image;  // grey, warped into the template's pixel frame: same size as the reference
                  // image (2480x3508 at the template's dpi), so field box_mm * dpi / 25.4 is
                  // the field's pixel box
  cv::Mat page_from_template;  // 3x3 CV_64F: template px -> prepared-page px (after the
                               // rotation above)
  Bend bend;  // template px: where a template point really lies before page_from_template
              // takes it to the page, on a sheet that did not lie flat; empty for most pages
  double quality = 0;  // 0..1: how well the printed structure lines up after registration
  bool ok = false;     // false: could not be registered -> the page goes to review, never
                       // silently misread
  std::string reason;
};

struct MatchResult {
  Classification classification;
  RegisteredPage registered;
};

// The first half of a match: the page's rule map at map scale and what it was classified as.
struct PageLayout {
  cv::Mat rules;  // CV_32F rule map of the prepared page as it lies, in the reduced frame
  Classification classification;
};

// Clears, in a page's rule map (map scale), the lines near its border that run almost its whole
// length: the sheet's own edge on a copier's or scanner's bed, never a printed rule.
void clear_sheet_edges(cv::Mat& rules);

// Built once, then const and thread-safe: shared by all worker threads.
class FormMatcher {
 public:
  explicit FormMatcher(std::vector<FormTemplate> templates, core::MatchSettings settings = {});
  // classify() then register_page(): the two halves are public so that callers can time them.
  MatchResult match(const cv::Mat& prepared_grey) const;
  PageLayout classify(const cv::Mat& prepared_grey) const;
  MatchResult register_page(const cv::Mat& prepared_grey, const PageLayout& layout) const;
  // register_page without the warped image (`registered.image` stays empty): the alignment of a
  // prepared page of `prepared_size` pixels, for a caller that resamples the page itself.
  MatchResult align(const PageLayout& layout, cv::Size prepared_size) const;
  // The reference image's size of one of `templates()`: the registered page's size.
  cv::Size template_size(const FormTemplate& form) const;
  const std::vector<FormTemplate>& templates() const;

 private:
  struct Impl;  // templates and their precomputed line maps; shared so copies stay cheap
  std::shared_ptr<const Impl> impl_;
};

}  // namespace carescan::forms
