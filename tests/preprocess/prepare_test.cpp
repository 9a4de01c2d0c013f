#include "preprocess/prepare.h"

#include <gtest/gtest.h>

using carescan::preprocess::prepare_page;

TEST(Prepare, EstimatesDpiFromA4WidthWhenFileDoesNotSay) {
  carescan::core::Page page{cv::Mat(3508, 2480, CV_8UC1, cv::Scalar(255)), 1, 0};
  const auto prepared = prepare_page(page);
  EXPECT_NEAR(prepared.dpi_estimate, 300, 5);
  EXPECT_EQ(prepared.grey.type(), CV_8UC1);
}
