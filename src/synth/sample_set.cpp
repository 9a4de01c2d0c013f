#include "synth/sample_set.h"

#include <Poco/JSON/Array.h>

#include <chrono>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "core/json_util.h"
#include "forms/template_loader.h"
#include "synth/distractors.h"
#include "synth/fill.h"
#include "synth/sheet_content.h"
#include "synth/truth.h"
#include "synth/vocabulary.h"

namespace carescan::synth {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

struct Blank {
  forms::FormTemplate tpl;
  cv::Mat image;
};

// Everything a page needs that is loaded once per set.
struct Material {
  std::map<std::string, Blank> forms;
  Vocabulary vocabulary;
  FontSet hands;
  FontSet print;
};

// The page's truth with "page" and "capture" in the order the format shows.
Object::Ptr page_entry(int page_number, const PlannedPage& p, const Object::Ptr& truth,
                       const CaptureRecord& record, FileFormat format) {
  Object::Ptr out = ordered_object();
  out->set("page", page_number);
  out->set("index", p.index);
  for (const char* key : {"care_sheet", "form_type", "distractor"}) out->set(key, truth->get(key));
  Object::Ptr capture = record.to_json();
  capture->set("format", std::string(format_name(format)));
  out->set("capture", capture);
  for (const char* key : {"fields", "lines", "defects", "written"}) out->set(key, truth->get(key));
  return out;
}

void write_text_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream os(file, std::ios::binary);
  os << text << "\n";
  if (!os) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace

std::string SampleSetSummary::one_line() const {
  std::ostringstream os;
  os << pages << " pages in " << files << " files (" << bundles << " bundles, " << distractors
     << " distractors); forms";
  for (const auto& [form, n] : per_form) os << " " << form << " " << n;
  os << "; profiles";
  for (const auto& [profile, n] : per_profile) os << " " << profile << " " << n;
  os << "; formats";
  for (const auto& [format, n] : per_format) os << " " << format << " " << n;
  os.setf(std::ios::fixed);
  os.precision(1);
  os << "; " << seconds << " s";
  return os.str();
}

SampleSetSummary generate_samples(const core::Config& config, const PlanRequest& request,
                                  const std::filesystem::path& out) {
  const auto start = std::chrono::steady_clock::now();
  Material m{{},
             load_vocabulary(config.samples.vocabulary),
             FontSet(config.samples.handwriting_fonts),
             FontSet(config.samples.print_fonts)};
  for (auto& tpl : forms::load_templates(config.forms_dir)) {
    cv::Mat image = cv::imread(tpl.image.string(), cv::IMREAD_GRAYSCALE);
    if (image.empty())
      throw core::DataError("form " + tpl.form + ": cannot read " + tpl.image.string());
    const std::string name = tpl.form;
    m.forms.emplace(name, Blank{std::move(tpl), std::move(image)});
  }
  for (const auto& form : request.forms) {
    if (m.forms.count(form) == 0)
      throw core::DataError("samples: no template for form \"" + form + "\"");
  }
  std::filesystem::create_directories(out);
  const FontKit fonts{m.hands, m.print};

  SampleSetSummary summary;
  Array::Ptr manifest_files = new Array;
  for (const PlannedFile& file : plan_samples(request)) {
    std::vector<CapturedPage> captured;
    Array::Ptr truth_pages = new Array;
    Array::Ptr kinds = new Array;
    for (const PlannedPage& p : file.pages) {
      Rng rng(p.seed);
      cv::Mat clean;
      Object::Ptr truth;
      if (p.distractor.empty()) {
        const Blank& blank = m.forms.at(p.form);
        const SheetContent content = generate_content(blank.tpl, m.vocabulary, rng);
        FilledSheet filled = fill_sheet(blank.tpl, blank.image, content, fonts, rng);
        clean = std::move(filled.page);
        truth = sheet_truth(content, filled.written);
        ++summary.per_form[p.form];
        kinds->add(p.form);
      } else {
        clean = distractor_page(p.distractor, m.vocabulary, fonts, rng);
        truth = distractor_truth(p.distractor);
        ++summary.distractors;
        kinds->add(p.distractor);
      }
      Rng capture_rng(derive_seed(p.seed, 1));
      captured.push_back(capture_page(clean, file.profile, capture_rng));
      truth_pages->add(page_entry(static_cast<int>(captured.size()), p, truth,
                                  captured.back().record, file.format));
      ++summary.per_profile[std::string(profile_name(file.profile))];
      ++summary.pages;
    }
    write_pages(out / file.name, file.format, captured);

    const std::string stem = std::filesystem::path(file.name).stem().string();
    Object::Ptr truth = ordered_object();
    truth->set("schema", "carescan.truth/v1");
    truth->set("file", file.name);
    Object::Ptr generator = ordered_object();
    generator->set("seed", request.seed);
    generator->set("index", file.pages.front().index);
    truth->set("generator", generator);
    truth->set("pages", truth_pages);
    write_text_file(out / (stem + ".truth.json"), core::to_json(truth, 2));

    Object::Ptr entry = ordered_object();
    entry->set("file", file.name);
    entry->set("truth", stem + ".truth.json");
    entry->set("format", std::string(format_name(file.format)));
    entry->set("profile", std::string(profile_name(file.profile)));
    entry->set("first_index", file.pages.front().index);
    entry->set("pages", static_cast<int>(file.pages.size()));
    entry->set("kinds", kinds);
    manifest_files->add(entry);
    ++summary.files;
    ++summary.per_format[std::string(format_name(file.format))];
    if (file.bundle) ++summary.bundles;
  }

  Object::Ptr manifest = ordered_object();
  manifest->set("schema", "carescan.samples/v1");
  manifest->set("seed", request.seed);
  manifest->set("count", request.count);
  Array::Ptr profiles = new Array, forms = new Array;
  for (auto p : request.profiles) profiles->add(std::string(profile_name(p)));
  for (const auto& f : request.forms) forms->add(f);
  manifest->set("profiles", profiles);
  manifest->set("forms", forms);
  manifest->set("files", manifest_files);
  write_text_file(out / "manifest.json", core::to_json(manifest, 2));

  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace carescan::synth
