#pragma once
// Writes captured pages as the files a mailroom receives: PNG, JPEG, TIFF, G4 TIFF and PDF.

#include <filesystem>
#include <string_view>
#include <vector>

#include "synth/capture.h"

namespace carescan::synth {

enum class FileFormat { kPng, kJpeg, kTiff, kTiffG4, kPdf };

std::string_view extension(FileFormat format);  // "png","jpg","tiff","tiff","pdf"

// PNG and JPEG take exactly one page; TIFF and PDF take one or more. Binary pages are stored as
// CCITT G4, pages with a JPEG quality in their record as JPEG (in TIFF and PDF too), others
// losslessly. kTiffG4 makes every page 1-bit. The same pages give the same bytes. Throws
// std::runtime_error naming the file.
void write_pages(const std::filesystem::path& file, FileFormat format,
                 const std::vector<CapturedPage>& pages);

}  // namespace carescan::synth
