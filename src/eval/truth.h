#pragma once
// The ground truth of a generated set (docs/truth-format.md), as strings comparable with claims.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace carescan::eval {

using Value = std::optional<std::string>;  // null on the sheet -> nullopt

struct TruthLine {
  std::string table;
  int row = 0;
  std::map<std::string, Value> cells;  // date, amount, description, code, coefficient, ...
};

struct TruthPage {
  int page = 1;
  bool care_sheet = false;
  std::string form_type;  // "" for a distractor
  std::string distractor;
  std::string profile;  // capture profile: scan, photocopy, fax, photo, clean
  // Claim vocabulary: booleans "true"/"false", teeth "11,36" (null when none ticked).
  std::map<std::string, Value> fields;
  std::vector<TruthLine> lines;
  std::vector<std::string> defects;
};

struct TruthFile {
  std::filesystem::path file;  // the sample beside its truth file
  std::vector<TruthPage> pages;
};

// Parses one `*.truth.json`; `dir` is where the sample file lives. Throws core::DataError.
TruthFile parse_truth(const std::string& json_text, const std::filesystem::path& dir);

// Every sample of a set, in the manifest's order (name order when it has none). `limit` > 0
// keeps the first `limit` files.
std::vector<TruthFile> load_truth_set(const std::filesystem::path& dir, int limit = 0);

}  // namespace carescan::eval
