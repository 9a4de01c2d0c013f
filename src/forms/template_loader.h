#pragma once
// Loads form templates from config/forms, with errors that say which file and field is wrong.

#include <filesystem>
#include <string>
#include <vector>

#include "forms/template.h"

namespace carescan::forms {

// `<form>.fields.json` with its blank reference image `<form>.png` beside it.
// Throws core::DataError on a malformed template.
FormTemplate load_template(const std::filesystem::path& fields_json);
FormTemplate parse_template(const std::string& json_text, const std::string& source_name);

// Every `*.fields.json` in `dir`, sorted by form name; throws when there is none.
std::vector<FormTemplate> load_templates(const std::filesystem::path& dir);

}  // namespace carescan::forms
