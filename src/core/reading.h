#pragma once
// What the reader made of one care-sheet page: values in the claim contract's vocabulary.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace carescan::core {

enum class Source { kOcr, kIcr, kDetector, kReviewer, kComputed };

// [x, y, width, height] in pixels of the stored page image after orientation.
struct PixelBox {
  double x = 0;
  double y = 0;
  double w = 0;
  double h = 0;
};

// Another value the ink of a field may hold: `log_odds` = log(P(this) / P(the value read)), <= 0.
struct OtherValue {
  std::string value;  // normalised like ReadField::value
  std::string raw;
  double log_odds = 0;
};

// One field as read. `value` is normalised to the contract: ISO dates ("2025-03-12"), money
// as "1250.00", CIN as "BE123456", booleans as "true"/"false" with `boolean` set; nullopt when
// the field is blank on the sheet (or nothing usable was read: then confidence says so).
struct ReadField {
  std::optional<std::string> value;
  bool boolean = false;
  double confidence = 0;  // calibrated: among fields at c, about a fraction c are right
  Source source = Source::kOcr;
  std::optional<std::string> raw;  // what the recogniser read before normalisation
  std::optional<PixelBox> box;
  // Another source agrees with this reading: the amounts of a section add up to its written
  // total, the section totals to the declared total; every word of a name is in the name list;
  // the line model reads a CIN's comb as the cell classifier did. Its own calibration curve.
  bool corroborated = false;
  // Another source casts doubt on it: a name word one letter off a listed one. Its own curve.
  bool doubted = false;
  // The value is not the recogniser's first choice but one the sheet's sums chose among its
  // others (extract/arithmetic.h); `confidence` is then that choice's. Its own curve.
  bool mended = false;
  // An amount's next likeliest values, likeliest first: the sheet's sums may choose one.
  std::vector<OtherValue> others;
};

// One filled table row. Cells by contract name: date, amount, description, code, quantity, tooth.
struct ReadLine {
  std::string table;  // medical_acts, pharmacy_items, other_acts, dental_acts
  int row = 0;        // 0-based within its table
  std::map<std::string, ReadField> cells;
};

enum class Severity { kError, kWarning };

struct Finding {
  std::string rule;  // stable name, e.g. "total_matches_sections"
  Severity severity = Severity::kError;
  std::vector<std::string> fields;  // field ids, or "lines[3].amount"
  std::string message;              // for a reviewer; never holds a CIN or a name in clear
};

struct PageReading {
  std::string form_type;  // ambulatoire, ald, dentaire; empty when not a care sheet
  double form_confidence = 0;
  std::string reject_reason;  // set when the page is not a care sheet / unreadable
  // The reader itself failed on this page: a person must look at it; never an automatic reject.
  bool read_failed = false;
  double registration_quality = 0;          // 0..1
  int rotation_degrees = 0;                 // applied to make the page upright
  std::map<std::string, ReadField> fields;  // by field id: sheet_number, insured_name, cin, ...
  std::vector<ReadLine> lines;
};

}  // namespace carescan::core
