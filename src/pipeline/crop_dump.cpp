#include "pipeline/crop_dump.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "core/json_util.h"
#include "eval/truth.h"
#include "extract/fields.h"
#include "forms/template_loader.h"
#include "io/decode.h"
#include "pipeline/page_reader.h"

namespace carescan::pipeline {
namespace {

using Poco::JSON::Object;

// One crop ready to write: the PNG's bytes and its labels.tsv line without the file name.
struct EncodedCrop {
  bool comb = false;
  std::vector<unsigned char> png;
  std::string label_columns;
};

struct FileCrops {
  std::vector<EncodedCrop> crops;
  long pages = 0;
  long skipped = 0;
  long missed = 0;
};

// What the page's writer drew, when the truth says (`"written"`, see docs/truth-format.md):
// field id -> text, and per (table, row) the column -> text.
struct Written {
  std::map<std::string, std::string> fields;
  std::map<std::pair<std::string, int>, std::map<std::string, std::string>> lines;
};

std::map<int, Written> written_of(const std::filesystem::path& sample) {
  std::map<int, Written> out;
  auto truth_path = sample;
  truth_path.replace_extension(".truth.json");
  const auto root = core::read_json_object(truth_path);
  const auto pages = root->getArray("pages");
  for (unsigned p = 0; pages && p < pages->size(); ++p) {
    const auto page = pages->getObject(p);
    if (!page || !page->has("written") || page->isNull("written")) continue;
    const auto written = page->getObject("written");
    Written& w = out[page->optValue<int>("page", 1)];
    if (const auto fields = written->getObject("fields")) {
      for (const auto& [key, value] : *fields) {
        if (!value.isEmpty()) w.fields[key] = value.convert<std::string>();
      }
    }
    if (const auto lines = written->getArray("lines")) {
      for (unsigned i = 0; i < lines->size(); ++i) {
        const auto line = lines->getObject(i);
        if (!line || !line->has("table") || !line->has("row")) continue;
        auto& cells = w.lines[{line->getValue<std::string>("table"), line->getValue<int>("row")}];
        for (const auto& [key, value] : *line) {
          if (key != "table" && key != "row" && !value.isEmpty()) {
            cells[key] = value.convert<std::string>();
          }
        }
      }
    }
  }
  return out;
}

// Tabs and line breaks would break the TSV; the values never hold them, but a crop dump must
// not go silently wrong if one does.
std::string tsv_safe(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\t' || c == '\n'; }, ' ');
  return text;
}

std::string value_or_empty(const eval::Value& value) {
  return value ? *value : std::string();
}

// Labels one page's crops and encodes them.
void label_page(const std::vector<extract::FieldCrop>& crops, const forms::FormTemplate& form,
                const eval::TruthPage& truth, const Written* written, FileCrops& out) {
  std::map<std::string, std::vector<std::string>> comb_labels;  // per comb field
  for (const auto& spec : form.fields) {
    if (!spec.is_comb()) continue;
    const auto it = truth.fields.find(spec.id);
    comb_labels[spec.id] =
        comb_cell_labels(spec, it == truth.fields.end() ? std::nullopt : it->second);
    for (const auto& label : comb_labels[spec.id]) out.missed += label != "_" ? 1 : 0;
  }
  for (const auto& crop : crops) {
    EncodedCrop encoded;
    std::ostringstream columns;
    if (crop.cell >= 0) {
      const auto& labels = comb_labels[crop.field];
      const std::string label =
          crop.cell < static_cast<int>(labels.size()) ? labels[crop.cell] : "_";
      if (label != "_") --out.missed;
      encoded.comb = true;
      columns << crop.field << '\t' << crop.cell << '\t' << label;
    } else if (crop.row < 0) {
      const auto it = truth.fields.find(crop.field);
      std::string drawn;
      if (written != nullptr) {
        if (auto w = written->fields.find(crop.field); w != written->fields.end())
          drawn = w->second;
      }
      columns << crop.field << '\t' << recognize::to_string(crop.content) << '\t'
              << tsv_safe(it == truth.fields.end() ? "" : value_or_empty(it->second)) << '\t'
              << tsv_safe(drawn);
    } else {
      // Rows the sheet does not have are noise: they teach a line model nothing it can use.
      const auto line = std::find_if(truth.lines.begin(), truth.lines.end(), [&](const auto& l) {
        return l.table == crop.field && l.row == crop.row;
      });
      if (line == truth.lines.end()) continue;
      const auto cell = line->cells.find(extract::contract_column(crop.column));
      std::string drawn;
      if (written != nullptr) {
        if (auto w = written->lines.find({crop.field, crop.row}); w != written->lines.end()) {
          if (auto c = w->second.find(crop.column); c != w->second.end()) drawn = c->second;
        }
      }
      columns << crop.field << '.' << crop.column << '\t' << recognize::to_string(crop.content)
              << '\t' << tsv_safe(cell == line->cells.end() ? "" : value_or_empty(cell->second))
              << '\t' << tsv_safe(drawn);
    }
    encoded.label_columns = columns.str();
    cv::imencode(".png", crop.image, encoded.png);
    out.crops.push_back(std::move(encoded));
  }
}

FileCrops crops_of_file(const eval::TruthFile& truth, PageReader& reader,
                        const forms::FormMatcher& matcher, const io::DecodeLimits& limits) {
  FileCrops out;
  std::vector<const eval::TruthPage*> sheets;
  for (const auto& page : truth.pages) {
    if (page.care_sheet) sheets.push_back(&page);
  }
  out.pages = static_cast<long>(sheets.size());
  if (sheets.empty()) return out;
  try {
    const auto written = written_of(truth.file);
    const io::Document doc = io::decode_file(truth.file, limits);
    for (const auto* sheet : sheets) {
      const auto page = std::find_if(doc.pages.begin(), doc.pages.end(),
                                     [&](const auto& p) { return p.number == sheet->page; });
      std::string form_type;
      const auto crops = page == doc.pages.end() ? std::vector<extract::FieldCrop>{}
                                                 : reader.crops(*page, form_type);
      const forms::FormTemplate* form = nullptr;
      for (const auto& t : matcher.templates()) {
        if (t.form == form_type) form = &t;
      }
      if (crops.empty() || form == nullptr || form_type != sheet->form_type) {
        ++out.skipped;
        continue;
      }
      const auto w = written.find(sheet->page);
      label_page(crops, *form, *sheet, w == written.end() ? nullptr : &w->second, out);
    }
  } catch (const std::exception& e) {
    std::cerr << "carescan: crops: " << truth.file.filename().string() << ": " << e.what() << "\n";
    out.skipped = out.pages;
    out.crops.clear();
  }
  return out;
}

std::string numbered(long n) {
  std::ostringstream name;
  name << std::setw(6) << std::setfill('0') << n << ".png";
  return name.str();
}

}  // namespace

std::vector<std::string> comb_cell_labels(const forms::FieldSpec& spec,
                                          const std::optional<std::string>& value) {
  const std::size_t n = spec.cells.size();
  std::vector<std::string> labels(n, "_");
  if (!value || value->empty()) return labels;
  std::string chars;  // left-aligned characters
  if (spec.kind == forms::FieldKind::kDate && value->size() == 10) {
    chars = value->substr(8, 2) + value->substr(5, 2) + value->substr(0, 4);
  } else if (spec.kind == forms::FieldKind::kAmount && n >= 2) {
    const auto dot = value->find('.');
    const std::string whole = value->substr(0, dot);
    std::string cents = dot == std::string::npos ? "00" : value->substr(dot + 1);
    cents.resize(2, '0');
    labels[n - 2] = cents.substr(0, 1);
    labels[n - 1] = cents.substr(1, 1);
    for (std::size_t i = 0; i < whole.size() && i < n - 2; ++i) {
      labels[n - 3 - i] = whole.substr(whole.size() - 1 - i, 1);
    }
    return labels;
  } else {
    chars = *value;
  }
  for (std::size_t i = 0; i < chars.size() && i < n; ++i) labels[i] = chars.substr(i, 1);
  return labels;
}

CropDumpStats dump_crops(const core::Config& config, const CropDumpOptions& options) {
  const auto truth = eval::load_truth_set(options.samples, options.limit);
  const forms::FormMatcher matcher(forms::load_templates(config.forms_dir), config.reader.matching);
  const auto limits = io::DecodeLimits::from(config.reader);
  const auto comb_dir = options.out / "comb";
  const auto line_dir = options.out / "line";
  std::filesystem::create_directories(comb_dir);
  std::filesystem::create_directories(line_dir);
  std::ofstream comb_tsv(comb_dir / "labels.tsv");
  std::ofstream line_tsv(line_dir / "labels.tsv");
  if (!comb_tsv || !line_tsv) throw core::DataError("cannot write in " + options.out.string());

  // Workers read files in any order; the writer takes them in set order, so that the same set
  // always gives the same numbering.
  std::vector<std::optional<FileCrops>> done(truth.size());
  std::mutex mutex;
  std::condition_variable ready;
  std::atomic<std::size_t> next{0};
  // Readers are built here, where a failure to start one can still be reported.
  std::vector<std::unique_ptr<PageReader>> readers;
  for (int w = 0; w < std::max(1, options.workers); ++w) {
    readers.push_back(std::make_unique<PageReader>(config, matcher));
  }
  std::vector<std::thread> threads;
  for (auto& owned : readers) {
    threads.emplace_back([&, reader = owned.get()] {
      for (std::size_t i = next++; i < truth.size(); i = next++) {
        FileCrops crops = crops_of_file(truth[i], *reader, matcher, limits);
        std::lock_guard lock(mutex);
        done[i] = std::move(crops);
        ready.notify_all();
      }
    });
  }
  CropDumpStats stats;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    FileCrops file;
    {
      std::unique_lock lock(mutex);
      ready.wait(lock, [&] { return done[i].has_value(); });
      file = std::move(*done[i]);
      done[i].reset();
    }
    stats.pages += file.pages;
    stats.pages_skipped += file.skipped;
    stats.comb_missed += file.missed;
    for (const auto& crop : file.crops) {
      long& count = crop.comb ? stats.comb_crops : stats.line_crops;
      const std::string name = numbered(count++);
      std::ofstream png((crop.comb ? comb_dir : line_dir) / name, std::ios::binary);
      png.write(reinterpret_cast<const char*>(crop.png.data()),
                static_cast<std::streamsize>(crop.png.size()));
      (crop.comb ? comb_tsv : line_tsv) << name << '\t' << crop.label_columns << '\n';
    }
  }
  for (auto& t : threads) t.join();
  if (!comb_tsv || !line_tsv) throw core::DataError("cannot write in " + options.out.string());
  return stats;
}

}  // namespace carescan::pipeline
