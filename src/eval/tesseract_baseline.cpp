#include "eval/tesseract_baseline.h"

#include <tesseract/baseapi.h>

#include <cctype>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

#include "core/date.h"
#include "core/money.h"

namespace carescan::eval {
namespace {

// Capital letters and digits only: the baseline is not penalised for spacing or punctuation.
std::string squeeze(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return !needle.empty() && haystack.find(needle) != std::string::npos;
}

bool date_found(const std::string& text, const std::string& iso) {
  auto d = core::parse_iso_date(iso);
  if (!d) return false;
  const std::string written = squeeze(d->french());  // ddmmyyyy
  return contains(text, written) || contains(text, written.substr(0, 4) + written.substr(6));
}

bool amount_found(const std::string& text, const std::string& decimal) {
  auto m = core::parse_money(decimal);
  if (!m) return false;
  if (contains(text, squeeze(m->french(false)))) return true;
  return m->centimes % 100 == 0 && contains(text, std::to_string(m->centimes / 100));
}

}  // namespace

void find_key_values(const std::string& text, const TruthPage& truth, BaselineFinds& out) {
  if (!truth.care_sheet) return;
  const std::string page = squeeze(text);
  auto field = [&](const std::string& id) -> Value {
    auto it = truth.fields.find(id);
    return it == truth.fields.end() ? std::nullopt : it->second;
  };
  auto record = [&](const std::string& kind, bool found, bool key) {
    out.by_kind[kind].add(found);
    if (key) out.key_fields.add(found);
  };
  if (auto cin = field("cin")) record("cin", contains(page, squeeze(*cin)), true);
  if (auto name = field("insured_name")) {
    record("insured_name", contains(page, squeeze(*name)), true);
  }
  if (auto date = field("signature_date")) record("signature_date", date_found(page, *date), true);
  if (auto total = field("total_amount")) {
    record("total_amount", amount_found(page, *total), true);
  }
  for (const auto& line : truth.lines) {
    if (auto it = line.cells.find("date"); it != line.cells.end() && it->second) {
      record("line_date", date_found(page, *it->second), false);
    }
    if (auto it = line.cells.find("amount"); it != line.cells.end() && it->second) {
      record("line_amount", amount_found(page, *it->second), false);
    }
  }
}

FullPageTesseract::FullPageTesseract(const std::string& tessdata_dir, const std::string& languages)
    : api_(std::make_unique<tesseract::TessBaseAPI>()) {
  if (api_->Init(tessdata_dir.empty() ? nullptr : tessdata_dir.c_str(), languages.c_str()) != 0) {
    throw std::runtime_error("cannot start Tesseract with languages " + languages);
  }
  api_->SetPageSegMode(tesseract::PSM_AUTO);
}

FullPageTesseract::~FullPageTesseract() {
  if (api_) api_->End();
}

std::string FullPageTesseract::read(const cv::Mat& image) {
  cv::Mat grey;
  if (image.channels() == 3) {
    cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  } else if (image.channels() == 4) {
    cv::cvtColor(image, grey, cv::COLOR_BGRA2GRAY);
  } else {
    grey = image;
  }
  if (grey.depth() != CV_8U) grey.convertTo(grey, CV_8U);
  if (!grey.isContinuous()) grey = grey.clone();
  api_->SetImage(grey.data, grey.cols, grey.rows, 1, static_cast<int>(grey.step));
  std::unique_ptr<char[]> text(api_->GetUTF8Text());
  api_->Clear();
  return text ? std::string(text.get()) : std::string();
}

}  // namespace carescan::eval
