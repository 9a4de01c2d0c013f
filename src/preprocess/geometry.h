#pragma once
// Estimates, on a reduced copy of a page, where the sheet lies: its outline in a photo, its skew.

#include <array>
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

namespace carescan::preprocess {

// Where the sheet may lie in a photo, each outline as four corners (top-left, top-right,
// bottom-right, bottom-left as seen in the image). Both kinds come from the same part of the
// photo brighter than Otsu's level, found once.
struct SheetOutlines {
  // The outlines the sheet may have when the image shows it lying on a darker background: the
  // likeliest first, then the others by how well their sides follow a step in the photo. Light
  // falling off across a sheet can make a side cut through the paper follow a clearer step than
  // the sheet's own dim edge: the printed layout then says which outline is the sheet
  // (pipeline/page_reader.cpp). Empty when the sheet fills the image (a scan) or no clear
  // outline exists.
  std::vector<std::array<cv::Point2f, 4>> candidates;
  // The outline of a sheet that the photo's frame cuts (a phone held close): its sides that the
  // photo shows, each visible along part of its length, carried on to where they meet, corners
  // outside the photo included. nullopt when the whole sheet is in the photo, or fewer or more
  // than four sides show.
  std::optional<std::array<cv::Point2f, 4>> past_frame;
};
SheetOutlines sheet_outlines(const cv::Mat& grey_small);

// Skew of the printed rules in degrees, counter-clockwise positive (as cv::getRotationMatrix2D
// takes it), folded into [-45, 45); 0 when too few long lines are found.
double estimate_skew_deg(const cv::Mat& grey_small);

}  // namespace carescan::preprocess
