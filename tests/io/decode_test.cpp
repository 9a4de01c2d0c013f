#include "io/decode.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "decode_testing.h"

using carescan::io::decode_bytes;
using carescan::io::sniff_media_type;
using carescan::io::testing::error_of;

namespace {

std::string encode(const cv::Mat& image, const std::string& ext) {
  std::vector<unsigned char> buf;
  cv::imencode(ext, image, buf);
  return {buf.begin(), buf.end()};
}

}  // namespace

TEST(Decode, SniffsTypeFromMagicBytes) {
  cv::Mat img(20, 30, CV_8UC1, cv::Scalar(200));
  EXPECT_EQ(sniff_media_type(encode(img, ".png")), "image/png");
  EXPECT_EQ(sniff_media_type(encode(img, ".jpg")), "image/jpeg");
  EXPECT_EQ(sniff_media_type(std::string("II*\0rest", 8)), "image/tiff");
  EXPECT_EQ(sniff_media_type("%PDF-1.4\n"), "application/pdf");
  EXPECT_EQ(sniff_media_type("hello"), "");
}

TEST(Decode, RejectsEmptyFile) {
  EXPECT_EQ(error_of(""), "the file is empty");
}

TEST(Decode, DecodesPngWithHash) {
  cv::Mat img(40, 30, CV_8UC1, cv::Scalar(17));
  const auto doc = decode_bytes(encode(img, ".png"), {});
  ASSERT_EQ(doc.pages.size(), 1u);
  EXPECT_EQ(doc.pages[0].image.size(), img.size());
  EXPECT_EQ(doc.sha256.size(), 64u);
}
