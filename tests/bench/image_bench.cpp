// Measures the image side of the reader on a generated set: form type and orientation accuracy,
// registration error at the sheet's corners (against the truth's corners_px) and quality, and
// CPU milliseconds per page (one thread) for decode, prepare and match, per capture profile.
// By default the reader's path (measure_page, classification and alignment on the reduced page;
// the full page's one resampling into the template frame is not counted); with --full-page the
// full-resolution prepared page through FormMatcher::match, for comparison.
// Usage: image_bench SET_DIR [FORMS_DIR] [--full-page]

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <opencv2/core.hpp>
#include <sstream>

#include "forms/match.h"
#include "forms/template_loader.h"
#include "guarded_main.h"
#include "io/decode.h"
#include "preprocess/prepare.h"

namespace fs = std::filesystem;
using namespace carescan;

namespace {

struct Tally {
  int pages = 0, form_right = 0, rotation_right = 0, registered = 0, corner_pages = 0;
  double worst_corner_mm = 0, sum_corner_mm = 0, sum_quality = 0;
  double ms_decode = 0, ms_prepare = 0, ms_match = 0;
};

// CPU time of this thread: the machine is shared, and one page is one core's work in the reader.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

cv::Point2d apply(const cv::Mat& h, cv::Point2d p) {
  const cv::Mat v = h * (cv::Mat_<double>(3, 1) << p.x, p.y, 1.0);
  return {v.at<double>(0) / v.at<double>(2), v.at<double>(1) / v.at<double>(2)};
}

// From the upright page (after the classifier's clockwise rotation) back to the prepared page.
cv::Point2d unrotate(cv::Point2d p, int degrees, cv::Size prepared) {
  switch (degrees) {
    case 90:
      return {p.y, prepared.height - 1 - p.x};
    case 180:
      return {prepared.width - 1 - p.x, prepared.height - 1 - p.y};
    case 270:
      return {prepared.width - 1 - p.y, p.x};
    default:
      return p;
  }
}

}  // namespace

int run(int argc, char** argv) {
  std::vector<std::string> args;
  bool full_page = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--full-page") {
      full_page = true;
    } else {
      args.emplace_back(argv[i]);
    }
  }
  if (args.empty()) {
    std::fprintf(stderr, "usage: image_bench SET_DIR [FORMS_DIR] [--full-page]\n");
    return 2;
  }
  const fs::path set = args[0];
  const fs::path forms_dir =
      args.size() > 1 ? fs::path(args[1]) : fs::path(CARESCAN_SOURCE_ROOT) / "config/forms";
  cv::setNumThreads(1);  // as in the reader: one page per worker thread
  const forms::FormMatcher matcher(forms::load_templates(forms_dir));
  const io::DecodeLimits limits;
  std::map<std::string, Tally> tallies;
  std::vector<fs::path> truths;
  for (const auto& e : fs::directory_iterator(set)) {
    if (e.path().string().ends_with(".truth.json")) truths.push_back(e.path());
  }
  std::sort(truths.begin(), truths.end());
  for (const auto& truth_path : truths) {
    std::ifstream in(truth_path);
    std::stringstream text;
    text << in.rdbuf();
    const auto truth = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
    const fs::path file = set / truth->getValue<std::string>("file");
    double t = cpu_ms();
    const io::Document doc = io::decode_file(file, limits);
    const double decode_ms = (cpu_ms() - t) / doc.pages.size();
    const auto pages = truth->getArray("pages");
    for (std::size_t i = 0; i < doc.pages.size() && i < pages->size(); ++i) {
      const auto page_truth = pages->getObject(static_cast<unsigned>(i));
      const auto capture = page_truth->getObject("capture");
      const std::string profile = capture->getValue<std::string>("profile");
      const bool care_sheet = page_truth->getValue<bool>("care_sheet");
      const std::string form =
          care_sheet ? page_truth->getValue<std::string>("form_type") : std::string();
      const bool upside_down = capture->optValue<bool>("upside_down", false);
      for (const std::string& key : {profile, std::string("all")}) tallies[key].pages += 0;
      t = cpu_ms();
      const auto prepared = full_page ? preprocess::prepare_page(doc.pages[i])
                                      : preprocess::measure_page(doc.pages[i]);
      const double prepare_ms = (cpu_ms() - t);
      t = cpu_ms();
      const auto match = full_page
                             ? matcher.match(prepared.grey)
                             : matcher.align(matcher.classify(prepared.reduced), prepared.size);
      const double match_ms = (cpu_ms() - t);
      const auto& cls = match.classification;
      const bool form_right = cls.form == form;
      const bool rotation_right =
          !care_sheet || cls.rotation_degrees == (upside_down ? 180 : 0) ||
          (prepared.perspective_corrected && cls.rotation_degrees % 180 == 90);
      double corner_mm = -1;
      if (form_right && care_sheet && match.registered.ok && capture->has("corners_px")) {
        const auto corners = capture->getArray("corners_px");
        const double scale = doc.media_type == "application/pdf"
                                 ? limits.pdf_dpi / capture->getValue<double>("dpi")
                                 : 1.0;
        const cv::Size frame = matcher.template_size(*match.registered.form);
        const double w = frame.width, h = frame.height;
        const cv::Point2d tmpl[4] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
        corner_mm = 0;
        for (unsigned c = 0; c < 4; ++c) {
          const auto upright = apply(match.registered.page_from_template, tmpl[c]);
          const auto on_prepared = unrotate(upright, cls.rotation_degrees, prepared.size);
          const auto found = apply(prepared.original_from_prepared, on_prepared);
          const auto xy = corners->getArray(c);
          const cv::Point2d want(xy->getElement<double>(0) * scale,
                                 xy->getElement<double>(1) * scale);
          // The truth's resolution of the captured page (for a photo: the sheet's mean one).
          const double dpi = capture->getValue<double>("dpi") * scale;
          corner_mm = std::max(corner_mm, cv::norm(found - want) / dpi * 25.4);
        }
      }
      for (const std::string& key : {profile, std::string("all")}) {
        Tally& tally = tallies[key];
        ++tally.pages;
        tally.form_right += form_right;
        tally.rotation_right += form_right && rotation_right;
        tally.registered += care_sheet && match.registered.ok;
        tally.sum_quality += match.registered.quality;
        if (corner_mm >= 0) {
          ++tally.corner_pages;
          tally.sum_corner_mm += corner_mm;
          tally.worst_corner_mm = std::max(tally.worst_corner_mm, corner_mm);
        }
        tally.ms_decode += decode_ms;
        tally.ms_prepare += prepare_ms;
        tally.ms_match += match_ms;
      }
      if (!form_right || !rotation_right || (care_sheet && !match.registered.ok) || corner_mm > 3) {
        std::printf(
            "MISS %s p%zu: truth %s%s, got '%s' rot %d conf %.2f (%s) reg %s q %.2f %s "
            "corner %.1f mm\n",
            file.filename().c_str(), i + 1, care_sheet ? form.c_str() : "not a sheet",
            upside_down ? " upside down" : "", cls.form.c_str(), cls.rotation_degrees,
            cls.confidence, cls.reason.c_str(), match.registered.ok ? "ok" : "FAIL",
            match.registered.quality, match.registered.reason.c_str(), corner_mm);
      }
    }
  }
  std::printf("%-10s %5s %7s %7s %6s %8s %8s %6s %7s %7s %7s\n", "profile", "pages", "form%",
              "orient%", "reg%", "corner", "worst", "qual", "dec ms", "prep ms", "match ms");
  for (const auto& [name, t] : tallies) {
    const double n = t.pages;
    std::printf("%-10s %5d %7.1f %7.1f %6.1f %6.2fmm %6.2fmm %6.2f %7.0f %7.0f %7.0f\n",
                name.c_str(), t.pages, 100 * t.form_right / n, 100 * t.rotation_right / n,
                100 * t.registered / n, t.corner_pages ? t.sum_corner_mm / t.corner_pages : 0,
                t.worst_corner_mm, t.sum_quality / n, t.ms_decode / n, t.ms_prepare / n,
                t.ms_match / n);
  }
  return 0;
}

int main(int argc, char** argv) {
  return carescan::bench::guarded_main(run, argc, argv);
}
