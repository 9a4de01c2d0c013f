#include "eval/truth.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/json_util.h"

namespace carescan::eval {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// A truth value in the claim's string vocabulary.
Value as_value(const Var& v) {
  if (v.isEmpty()) return std::nullopt;
  if (v.type() == typeid(bool)) return v.extract<bool>() ? "true" : "false";
  if (v.type() == typeid(Array::Ptr)) {
    auto arr = v.extract<Array::Ptr>();
    if (arr->size() == 0) return std::nullopt;
    std::string joined;
    for (unsigned i = 0; i < arr->size(); ++i) {
      joined += (i == 0 ? "" : ",") + arr->get(i).convert<std::string>();
    }
    return joined;
  }
  return v.convert<std::string>();
}

std::string string_or_empty(const Object::Ptr& obj, const std::string& key) {
  return obj->has(key) && !obj->isNull(key) ? obj->getValue<std::string>(key) : std::string();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::DataError("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "NAME.EXT" -> "NAME.truth.json" (docs/truth-format.md).
std::string truth_name_of(const std::string& sample) {
  return std::filesystem::path(sample).replace_extension(".truth.json").string();
}

// manifest.json: {"files": [...]} where an entry is a sample's name or an object with "file"
// (and "truth", the truth file's name). Returns truth file names.
std::vector<std::string> manifest_truth_files(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  const auto path = dir / "manifest.json";
  if (!std::filesystem::exists(path)) return out;
  auto manifest = core::read_json_object(path);
  if (!manifest->has("files")) return out;
  auto files = manifest->getArray("files");
  for (unsigned i = 0; files && i < files->size(); ++i) {
    if (files->get(i).isString()) {
      out.push_back(truth_name_of(files->getElement<std::string>(i)));
    } else if (auto entry = files->getObject(i); entry && entry->has("truth")) {
      out.push_back(entry->getValue<std::string>("truth"));
    } else if (entry && entry->has("file")) {
      out.push_back(truth_name_of(entry->getValue<std::string>("file")));
    }
  }
  return out;
}

}  // namespace

TruthFile parse_truth(const std::string& json_text, const std::filesystem::path& dir) {
  auto obj = core::parse_json_object(json_text, "truth file");
  const std::string where = "truth file";
  TruthFile out;
  out.file = dir / core::require_string(obj, "file", where);
  auto pages = core::require_array(obj, "pages", where);
  for (unsigned i = 0; i < pages->size(); ++i) {
    auto p = pages->getObject(i);
    TruthPage page;
    page.page = static_cast<int>(core::require_number(p, "page", where));
    page.care_sheet = p->getValue<bool>("care_sheet");
    page.form_type = string_or_empty(p, "form_type");
    page.distractor = string_or_empty(p, "distractor");
    if (p->has("capture") && !p->isNull("capture")) {
      page.profile = string_or_empty(p->getObject("capture"), "profile");
    }
    if (auto fields = p->getObject("fields")) {
      for (const auto& [key, value] : *fields) page.fields[key] = as_value(value);
    }
    if (auto lines = p->getArray("lines")) {
      for (unsigned j = 0; j < lines->size(); ++j) {
        auto l = lines->getObject(j);
        TruthLine line;
        line.table = core::require_string(l, "table", where + ": line");
        line.row = static_cast<int>(core::require_number(l, "row", where + ": line"));
        for (const auto& [key, value] : *l) {
          if (key != "table" && key != "row") line.cells[key] = as_value(value);
        }
        page.lines.push_back(std::move(line));
      }
    }
    if (p->has("defects") && !p->isNull("defects")) {
      auto defects = p->getArray("defects");
      for (unsigned j = 0; j < defects->size(); ++j) {
        page.defects.push_back(defects->getElement<std::string>(j));
      }
    }
    out.pages.push_back(std::move(page));
  }
  return out;
}

std::vector<TruthFile> load_truth_set(const std::filesystem::path& dir, int limit) {
  std::vector<std::filesystem::path> truth_files;
  for (const auto& name : manifest_truth_files(dir)) truth_files.push_back(dir / name);
  if (truth_files.empty()) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (name.size() > 11 && name.ends_with(".truth.json")) truth_files.push_back(entry.path());
    }
    std::sort(truth_files.begin(), truth_files.end());
  }
  if (truth_files.empty()) throw core::DataError(dir.string() + ": no *.truth.json files");
  if (limit > 0 && static_cast<size_t>(limit) < truth_files.size()) truth_files.resize(limit);
  std::vector<TruthFile> out;
  for (const auto& path : truth_files) {
    try {
      out.push_back(parse_truth(read_file(path), dir));
    } catch (const Poco::Exception& e) {
      throw core::DataError(path.string() + ": " + e.displayText());
    }
  }
  return out;
}

}  // namespace carescan::eval
