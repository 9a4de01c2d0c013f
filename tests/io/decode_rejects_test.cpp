// Bad input must give a clear DecodeError, never a crash or a decompression bomb.

#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "decode_testing.h"
#include "io/decode.h"

using carescan::io::decode_bytes;
using carescan::io::DecodeLimits;
using carescan::io::testing::error_of;

namespace {

std::string be32(std::uint32_t v) {
  return {char(v >> 24), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)};
}

std::string jpeg_of(cv::Size size) {
  cv::Mat img(size, CV_8UC1);
  cv::randu(img, 0, 255);
  std::vector<unsigned char> buf;
  cv::imencode(".jpg", img, buf);
  return {buf.begin(), buf.end()};
}

// A well-formed PDF of `pages` empty A4 pages, with a correct cross-reference table.
std::string pdf_with_pages(int pages) {
  std::vector<std::string> objects;
  std::string kids;
  for (int i = 0; i < pages; ++i) kids += std::to_string(3 + i) + " 0 R ";
  objects.emplace_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>");
  for (int i = 0; i < pages; ++i) {
    objects.emplace_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
  }
  std::string out = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const auto offset : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

// The pages as one multi-page TIFF (1-bit pages as G4), as Leptonica writes it; takes `pixa`.
std::string multipage_tiff(PIXA* pixa) {
  l_uint8* data = nullptr;
  size_t size = 0;
  const bool written = pixaWriteMemMultipageTiff(&data, &size, pixa) == 0;
  pixaDestroy(&pixa);
  if (!written) return {};
  std::string bytes(reinterpret_cast<char*>(data), size);
  lept_free(data);
  return bytes;
}

}  // namespace

TEST(DecodeRejects, PngWhoseHeaderPromisesTooManyPixelsBeforeDecoding) {
  std::string png = "\x89PNG\r\n\x1a\n";
  png += be32(13) + "IHDR" + be32(100000) + be32(100000) + std::string("\x08\x00\x00\x00\x00", 5);
  png += be32(0);  // CRC, never checked: the size alone must stop it
  png += be32(0) + "IEND" + be32(0);
  const auto error = error_of(png);
  EXPECT_NE(error.find("too large"), std::string::npos) << error;
}

TEST(DecodeRejects, JpegLargerThanThePixelLimit) {
  DecodeLimits limits;
  limits.max_pixels_per_page = 1000;
  EXPECT_NE(error_of(jpeg_of({100, 100}), limits).find("too large"), std::string::npos);
}

TEST(DecodeRejects, TruncatedJpeg) {
  const auto jpeg = jpeg_of({300, 200});
  const auto error = error_of(std::string_view(jpeg).substr(0, jpeg.size() / 2));
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
}

TEST(DecodeRejects, TruncatedPng) {
  cv::Mat img(200, 300, CV_8UC1);
  cv::randu(img, 0, 255);
  std::vector<unsigned char> buf;
  cv::imencode(".png", img, buf);
  const std::string png(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(buf.size() / 2));
  EXPECT_FALSE(error_of(png).empty());
}

TEST(DecodeRejects, TextFileSayingWhatItIs) {
  const auto error = error_of("Bonjour, voici ma feuille de soins.\n");
  EXPECT_EQ(error, "a text file is not a supported scan (PNG, JPEG, TIFF or PDF)");
}

TEST(DecodeRejects, ZipArchiveSayingWhatItIs) {
  const auto error = error_of(std::string("PK\x03\x04\x14\x00\x00\x00", 8) + "payload");
  EXPECT_NE(error.find("ZIP archive"), std::string::npos) << error;
}

TEST(DecodeRejects, PdfWithMorePagesThanAllowed) {
  DecodeLimits limits;
  limits.max_pdf_pages = 3;
  const auto error = error_of(pdf_with_pages(5), limits);
  EXPECT_NE(error.find("5 pages"), std::string::npos) << error;
}

TEST(DecodeRejects, DamagedPdf) {
  EXPECT_FALSE(error_of("%PDF-1.4\ngarbage").empty());
}

TEST(Decode, RendersEachPdfPageAtTheConfiguredDpi) {
  DecodeLimits limits;
  limits.pdf_dpi = 100;
  const auto doc = decode_bytes(pdf_with_pages(2), limits);
  ASSERT_EQ(doc.pages.size(), 2u);
  EXPECT_EQ(doc.media_type, "application/pdf");
  EXPECT_NEAR(doc.pages[1].image.cols, 827, 2);  // 595 pt at 100 dpi
  EXPECT_EQ(doc.pages[1].number, 2);
  EXPECT_EQ(doc.pages[1].dpi, 100);
}

TEST(Decode, ReadsMultiPageG4FaxTiffWithItsResolution) {
  PIXA* pixa = pixaCreate(2);
  for (int i = 0; i < 2; ++i) {
    PIX* pix = pixCreate(1728, 2200, 1);
    pixSetResolution(pix, 200, 200);
    pixRenderLine(pix, 100, 300 + i * 500, 1600, 300 + i * 500, 4, L_SET_PIXELS);
    pixaAddPix(pixa, pix, L_INSERT);
  }
  const std::string bytes = multipage_tiff(pixa);
  ASSERT_FALSE(bytes.empty());
  const auto doc = decode_bytes(bytes, {});
  ASSERT_EQ(doc.pages.size(), 2u);
  EXPECT_EQ(doc.media_type, "image/tiff");
  EXPECT_EQ(doc.pages[0].dpi, 200);
  EXPECT_EQ(doc.pages[1].image.size(), cv::Size(1728, 2200));
  // The drawn rule of page 2 is black on white.
  EXPECT_EQ(doc.pages[1].image.at<unsigned char>(800, 800), 0);
  EXPECT_EQ(doc.pages[1].image.at<unsigned char>(100, 800), 255);
}

TEST(DecodeRejects, TiffWithMorePagesThanAllowed) {
  PIXA* pixa = pixaCreate(4);
  for (int i = 0; i < 4; ++i) pixaAddPix(pixa, pixCreate(64, 64, 1), L_INSERT);
  const std::string bytes = multipage_tiff(pixa);
  ASSERT_FALSE(bytes.empty());
  DecodeLimits limits;
  limits.max_pdf_pages = 3;
  EXPECT_NE(error_of(bytes, limits).find("more than 3 pages"), std::string::npos);
}
