#pragma once
// The ground truth of generated samples (docs/truth-format.md, `carescan.truth/v1`).

#include <Poco/JSON/Object.h>

#include <string>

#include "synth/fill.h"
#include "synth/sheet_content.h"

namespace carescan::synth {

// A care sheet's page: care_sheet, form_type, distractor, fields, lines, defects, written (no
// "page" or "capture": the writer of the file adds them).
Poco::JSON::Object::Ptr sheet_truth(const SheetContent& content, const Written& written = {});

// The "written" object: {"fields": {id: text}, "lines": [{"table", "row", column: text...}]}.
Poco::JSON::Object::Ptr written_truth(const Written& written);

// A distractor page: `kind` is "blank", "letter" or "unrelated_form".
Poco::JSON::Object::Ptr distractor_truth(const std::string& kind);

// An object that keeps its keys in insertion order, as the format shows them.
Poco::JSON::Object::Ptr ordered_object();

}  // namespace carescan::synth
