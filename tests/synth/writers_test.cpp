#include "synth/writers.h"

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <poppler-document.h>
#include <poppler-page.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>

namespace carescan::synth {
namespace {

namespace fs = std::filesystem;

cv::Size a4_at(double dpi) {
  return {static_cast<int>(std::lround(210 / 25.4 * dpi)),
          static_cast<int>(std::lround(297 / 25.4 * dpi))};
}

// A page with some structure so compression has something to do: a frame, text, a shaded band.
CapturedPage page_of(int channels, double dpi, bool binary = false) {
  CapturedPage page;
  page.dpi = dpi;
  page.record.dpi = dpi;
  cv::Mat image(a4_at(dpi), channels == 3 ? CV_8UC3 : CV_8UC1, cv::Scalar::all(255));
  cv::rectangle(image, {40, 40, image.cols - 80, image.rows - 80}, cv::Scalar::all(0), 3);
  if (!binary) cv::rectangle(image, {60, 300, image.cols - 120, 60}, cv::Scalar::all(200), -1);
  // A block of blue ink: a red/blue swap anywhere on the way shows up in its mean.
  if (channels == 3) cv::rectangle(image, {100, 500, 600, 300}, {170, 60, 20}, -1);
  cv::putText(image, "FEUILLE DE SOINS", {100, 200}, cv::FONT_HERSHEY_SIMPLEX, 2.0,
              channels == 3 ? cv::Scalar(170, 60, 20) : cv::Scalar::all(0), 4,
              binary ? cv::LINE_8 : cv::LINE_AA);
  page.image = image;
  return page;
}

class WritersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("carescan-writers-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string bytes_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  // Writes the same pages twice and checks the two files are byte for byte identical.
  fs::path write_twice(const std::string& name, FileFormat format,
                       const std::vector<CapturedPage>& pages) {
    fs::path first = dir_ / (name + "." + std::string(extension(format)));
    const fs::path second = dir_ / (name + "-again." + std::string(extension(format)));
    write_pages(first, format, pages);
    write_pages(second, format, pages);
    const std::string a = bytes_of(first);
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, bytes_of(second)) << name << " is not deterministic";
    return first;
  }

  fs::path dir_;
};

TEST_F(WritersTest, PngRoundTripsExactly) {
  const CapturedPage page = page_of(3, 200);
  const fs::path file = write_twice("page", FileFormat::kPng, {page});
  const cv::Mat back = cv::imread(file.string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(back.type(), page.image.type());
  EXPECT_EQ(cv::norm(back, page.image, cv::NORM_INF), 0);
}

TEST_F(WritersTest, JpegRoundTripsCloselyAndHonoursTheRecordedQuality) {
  CapturedPage page = page_of(1, 240);
  page.record.jpeg_quality = 95;
  const fs::path fine = write_twice("fine", FileFormat::kJpeg, {page});
  page.record.jpeg_quality = 30;
  const fs::path coarse = write_twice("coarse", FileFormat::kJpeg, {page});
  const cv::Mat back = cv::imread(fine.string(), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(back.size(), page.image.size());
  EXPECT_LT(cv::norm(back, page.image, cv::NORM_L1) / page.image.total(), 2.0);
  EXPECT_LT(fs::file_size(coarse), fs::file_size(fine));
}

TEST_F(WritersTest, PngAndJpegCarryTheScanResolutionButPhotosSayWhatPhonesSay) {
  CapturedPage scan = page_of(1, 240);
  CapturedPage photo = page_of(3, 180);
  photo.record.perspective = true;
  const std::vector<std::pair<std::string, CapturedPage>> cases{{"scan", scan}, {"photo", photo}};
  for (const auto& [name, page] : cases) {
    for (FileFormat format : {FileFormat::kPng, FileFormat::kJpeg}) {
      const fs::path file = dir_ / (name + "." + std::string(extension(format)));
      write_pages(file, format, {page});
      PIX* pix = pixRead(file.c_str());
      ASSERT_NE(pix, nullptr) << file;
      EXPECT_EQ(pixGetXRes(pix), page.record.perspective ? 72 : 240) << file;
      pixDestroy(&pix);
    }
  }
}

TEST_F(WritersTest, SingleImageFormatsRejectSeveralPagesNamingTheFile) {
  const fs::path file = dir_ / "two.png";
  try {
    write_pages(file, FileFormat::kPng, {page_of(1, 200), page_of(1, 200)});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  }
}

TEST_F(WritersTest, UnwritablePlaceGivesAnErrorNamingTheFile) {
  const fs::path file = dir_ / "missing-dir" / "page.tiff";
  for (FileFormat format : {FileFormat::kPng, FileFormat::kTiff, FileFormat::kPdf}) {
    try {
      write_pages(file, format, {page_of(1, 200)});
      ADD_FAILURE() << "expected an error for " << extension(format);
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    }
  }
}

TEST_F(WritersTest, MultiPageTiffKeepsEveryPageAndItsColours) {
  std::vector<CapturedPage> pages{page_of(1, 300), page_of(3, 200), page_of(1, 240, true),
                                  page_of(3, 240)};
  pages[3].record.jpeg_quality = 90;  // stored as JPEG-in-TIFF, like a scanner's TIFF
  const fs::path file = write_twice("bundle", FileFormat::kTiff, pages);
  std::vector<cv::Mat> back;
  ASSERT_TRUE(cv::imreadmulti(file.string(), back, cv::IMREAD_UNCHANGED));
  ASSERT_EQ(back.size(), pages.size());
  for (size_t i = 0; i < pages.size(); ++i) {
    ASSERT_EQ(back[i].size(), pages[i].image.size()) << "page " << i;
    ASSERT_EQ(back[i].type(), pages[i].image.type()) << "page " << i;
    const double tolerance = pages[i].record.jpeg_quality > 0 ? 3.0 : 0.0;
    EXPECT_LE(cv::norm(back[i], pages[i].image, cv::NORM_L1) / back[i].total(), tolerance)
        << "page " << i;
  }
  const cv::Rect ink(120, 520, 560, 260);
  const cv::Scalar blue = cv::mean(back[3](ink));
  EXPECT_GT(blue[0], blue[2] + 100) << "blue ink stays blue";
}

TEST_F(WritersTest, G4TiffPagesAreOneBitAt200Dpi) {
  const std::vector<CapturedPage> pages{page_of(1, 200, true), page_of(1, 200, true)};
  const fs::path file = write_twice("fax", FileFormat::kTiffG4, pages);
  for (int i = 0; i < 2; ++i) {
    PIX* pix = pixReadTiff(file.c_str(), i);
    ASSERT_NE(pix, nullptr) << "page " << i;
    EXPECT_EQ(pixGetDepth(pix), 1);
    EXPECT_EQ(pixGetXRes(pix), 200);
    EXPECT_EQ(pixGetYRes(pix), 200);
    EXPECT_EQ(pixGetWidth(pix), pages[0].image.cols);
    pixDestroy(&pix);
  }
  std::vector<cv::Mat> back;
  ASSERT_TRUE(cv::imreadmulti(file.string(), back, cv::IMREAD_GRAYSCALE));
  ASSERT_EQ(back.size(), 2U);
  EXPECT_EQ(cv::norm(back[0], pages[0].image, cv::NORM_INF), 0) << "black stays black";
}

TEST_F(WritersTest, PdfHasOneA4PagePerCapture) {
  const std::vector<CapturedPage> pages{page_of(3, 300), page_of(1, 240), page_of(1, 200, true)};
  const fs::path file = write_twice("bundle", FileFormat::kPdf, pages);
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(file.string()));
  ASSERT_NE(doc, nullptr);
  ASSERT_EQ(doc->pages(), 3);
  for (int i = 0; i < doc->pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    ASSERT_NE(page, nullptr);
    const poppler::rectf box = page->page_rect();
    EXPECT_NEAR(box.width(), 595.3, 2.0) << "page " << i;
    EXPECT_NEAR(box.height(), 841.9, 2.0) << "page " << i;
  }
}

}  // namespace
}  // namespace carescan::synth
