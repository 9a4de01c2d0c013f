// extract_bench DIR [--limit N] [--threads N] [--show-errors]
// Runs the page reader over a generated set (`carescan samples`) and prints, per field, the
// exact-match rate against the truth files, the confidence calibration and the pages per second.
// --show-errors prints wrong readings: meant for synthetic sets only (CINs are masked anyway).

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/cin.h"
#include "core/config.h"
#include "core/json_util.h"
#include "forms/template_loader.h"
#include "io/decode.h"
#include "pipeline/page_reader.h"

namespace fs = std::filesystem;
using namespace carescan;

namespace {

struct Job {
  fs::path file;
  Poco::JSON::Object::Ptr truth;
};

struct Tally {
  int n = 0;
  int right = 0;
  double confidence = 0;
  int sure = 0;  // read at confidence >= 0.9
  int sure_right = 0;
};

std::optional<std::string> truth_value(const Poco::JSON::Object::Ptr& obj, const std::string& key) {
  if (!obj->has(key) || obj->isNull(key)) return std::nullopt;
  const auto v = obj->get(key);
  if (v.type() == typeid(bool)) return v.extract<bool>() ? "true" : "false";
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    auto arr = v.extract<Poco::JSON::Array::Ptr>();
    std::vector<std::string> items;
    for (unsigned i = 0; i < arr->size(); ++i) items.push_back(arr->getElement<std::string>(i));
    std::sort(items.begin(), items.end());
    if (items.empty()) return std::nullopt;
    std::string joined;
    for (const auto& t : items) joined += (joined.empty() ? "" : ",") + t;
    return joined;
  }
  return v.convert<std::string>();
}

std::string shown(const std::string& key, const std::optional<std::string>& v) {
  if (!v) return "null";
  return key == "cin" ? core::mask_cin(*v) : *v;
}

class Scores {
 public:
  void add(const std::string& key, const std::optional<std::string>& expected,
           const core::ReadField* got, bool show) {
    const std::optional<std::string> value = got != nullptr ? got->value : std::nullopt;
    const double confidence = got != nullptr ? got->confidence : 0.0;
    const bool right = value == expected;
    std::lock_guard lock(mutex_);
    Tally& t = tallies_[key];
    ++t.n;
    t.right += right;
    t.confidence += confidence;
    if (confidence >= 0.9) {
      ++t.sure;
      t.sure_right += right;
    }
    const int bin = std::min(9, static_cast<int>(confidence * 10));
    ++bins_[bin].first;
    bins_[bin].second += right;
    if (show && !right) {
      std::printf(
          "  %-22s expected %-28s read %-28s raw %-28s conf %.2f\n", key.c_str(),
          shown(key, expected).c_str(), shown(key, value).c_str(),
          got && got->raw ? (key == "cin" ? core::mask_cin(*got->raw) : *got->raw).c_str() : "-",
          confidence);
    }
  }
  void print() const {
    std::printf("\n%-24s %6s %8s %9s %10s %10s\n", "field", "n", "exact%", "mean conf", "n@>=0.9",
                "exact@>=0.9");
    for (const auto& [key, t] : tallies_) {
      std::printf("%-24s %6d %7.1f%% %9.2f %10d %9.1f%%\n", key.c_str(), t.n, 100.0 * t.right / t.n,
                  t.confidence / t.n, t.sure, t.sure ? 100.0 * t.sure_right / t.sure : 0.0);
    }
    std::printf("\ncalibration (all fields and cells)\n%-12s %8s %8s\n", "confidence", "n",
                "right%");
    for (const auto& [bin, nr] : bins_) {
      if (nr.first == 0) continue;
      std::printf("%.1f-%.1f      %8d %7.1f%%\n", bin / 10.0, (bin + 1) / 10.0, nr.first,
                  100.0 * nr.second / nr.first);
    }
  }

 private:
  std::mutex mutex_;
  std::map<std::string, Tally> tallies_;
  std::map<int, std::pair<int, int>> bins_;
};

void score_page(const Poco::JSON::Object::Ptr& truth_page, const core::PageReading& reading,
                Scores& scores, bool show, const std::string& name) {
  const bool care_sheet = truth_page->getValue<bool>("care_sheet");
  const std::string expected_form =
      care_sheet ? truth_page->getValue<std::string>("form_type") : "";
  if (show && reading.form_type != expected_form) {
    std::printf("%s: form expected '%s' read '%s' (%s)\n", name.c_str(), expected_form.c_str(),
                reading.form_type.c_str(), reading.reject_reason.c_str());
  }
  core::ReadField form_field;
  form_field.value = reading.form_type;
  form_field.confidence = reading.form_confidence;
  scores.add("form_type", expected_form, &form_field, false);
  if (!care_sheet) return;
  if (show) std::printf("%s (registration %.2f)\n", name.c_str(), reading.registration_quality);
  auto fields = truth_page->getObject("fields");
  for (const auto& key : fields->getNames()) {
    auto it = reading.fields.find(key);
    scores.add(key, truth_value(fields, key), it == reading.fields.end() ? nullptr : &it->second,
               show);
  }
  auto lines = truth_page->getArray("lines");
  for (unsigned i = 0; i < lines->size(); ++i) {
    auto line = lines->getObject(i);
    const auto table = line->getValue<std::string>("table");
    const int row = line->getValue<int>("row");
    const core::ReadLine* found = nullptr;
    for (const auto& l : reading.lines) {
      if (l.table == table && l.row == row) found = &l;
    }
    for (const auto& column : line->getNames()) {
      if (column == "table" || column == "row" || line->isNull(column)) continue;
      const core::ReadField* cell = nullptr;
      if (found != nullptr && found->cells.count(column)) cell = &found->cells.at(column);
      scores.add("line." + column, truth_value(line, column), cell, show);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Tesseract's OpenMP threads must be capped before libgomp starts: see tesseract_recognizer.h.
  if (std::getenv("OMP_THREAD_LIMIT") == nullptr) {
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execv("/proc/self/exe", argv);
  }
  if (argc < 2) {
    std::cerr << "usage: extract_bench DIR [--limit N] [--threads N] [--show-errors]\n";
    return 2;
  }
  const fs::path dir = argv[1];
  std::size_t limit = 1u << 30;
  int threads = 2;
  bool show = false;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--limit" && i + 1 < argc) limit = std::stoul(argv[++i]);
    if (arg == "--threads" && i + 1 < argc) threads = std::stoi(argv[++i]);
    if (arg == "--show-errors") show = true;
  }
  const auto env = core::carescan_environment();
  const core::Config config = core::load_config(core::default_config_path(env), env);
  const forms::FormMatcher matcher(forms::load_templates(config.forms_dir), config.reader.matching);

  std::vector<Job> jobs;
  std::vector<fs::path> truth_files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().string().ends_with(".truth.json")) truth_files.push_back(entry.path());
  }
  std::sort(truth_files.begin(), truth_files.end());
  for (const auto& path : truth_files) {
    if (jobs.size() >= limit) break;
    auto truth = core::read_json_object(path);
    jobs.push_back({dir / truth->getValue<std::string>("file"), truth});
  }

  Scores scores;
  std::atomic<std::size_t> next{0};
  std::atomic<int> pages{0};
  std::mutex print_mutex;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&] {
      pipeline::PageReader reader(config, matcher);
      for (std::size_t j = next++; j < jobs.size(); j = next++) {
        const auto document = io::decode_file(jobs[j].file, io::DecodeLimits::from(config.reader));
        auto truth_pages = jobs[j].truth->getArray("pages");
        for (std::size_t p = 0; p < document.pages.size() && p < truth_pages->size(); ++p) {
          const auto reading = reader.read(document.pages[p]);
          ++pages;
          std::lock_guard lock(print_mutex);
          score_page(truth_pages->getObject(static_cast<unsigned>(p)), reading, scores, show,
                     jobs[j].file.filename().string());
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  scores.print();
  std::printf("\n%d pages in %.1f s with %d threads: %.2f pages/s (decode included)\n",
              pages.load(), seconds, threads, pages / seconds);
  return 0;
}
