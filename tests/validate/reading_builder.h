#pragma once
// A well-formed ambulatoire reading that passes every rule, for tests to spoil one fact at a time.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/reading.h"
#include "validate/validate.h"

namespace carescan::testing {

inline core::ReadField field(std::string value, double confidence = 0.99) {
  core::ReadField f;
  f.value = std::move(value);
  f.confidence = confidence;
  return f;
}

inline core::ReadField blank() {
  return core::ReadField{};
}

inline core::ReadLine line(std::string table, int row, std::string date, std::string amount) {
  core::ReadLine l;
  l.table = std::move(table);
  l.row = row;
  l.cells["date"] = field(std::move(date));
  l.cells["amount"] = field(std::move(amount));
  return l;
}

// Received on 2025-03-20: care on 03-12/13, signed 03-14, 150.00 + 270.50 = 420.50.
inline core::PageReading good_reading() {
  core::PageReading r;
  r.form_type = "ambulatoire";
  r.form_confidence = 0.99;
  r.registration_quality = 0.95;
  r.fields["sheet_number"] = field("A 1234567");
  r.fields["insured_name"] = field("EL AMRANI YOUSSEF");
  r.fields["cin"] = field("BE123456");
  r.fields["birth_date"] = field("2003-04-12");
  r.fields["institution"] = field("FACULTE DES SCIENCES RABAT");
  r.fields["signature_place"] = field("RABAT");
  r.fields["signature_date"] = field("2025-03-14");
  auto signature = field("true");
  signature.boolean = true;
  signature.source = core::Source::kDetector;
  r.fields["insured_signature"] = signature;
  r.fields["total_amount"] = field("420.50");
  r.fields["medical_total"] = field("150.00");
  r.fields["pharmacy_total"] = field("270.50");
  r.fields["dental_total"] = blank();
  auto consultation = line("medical_acts", 0, "2025-03-12", "150.00");
  consultation.cells["description"] = field("Consultation");
  consultation.cells["code"] = field("Cs");
  consultation.cells["coefficient"] = field("1");
  r.lines.push_back(consultation);
  r.lines.push_back(line("pharmacy_items", 0, "2025-03-13", "200.50"));
  r.lines.push_back(line("pharmacy_items", 1, "2025-03-13", "70.00"));
  return r;
}

inline core::Date received_on() {
  return core::Date{2025, 3, 20};
}

inline core::Config repo_config() {
  return core::load_config(std::filesystem::path(CARESCAN_SOURCE_ROOT) / "config" /
                           "carescan.json");
}

inline std::vector<core::Finding> with_rule(const std::vector<core::Finding>& all,
                                            const std::string& rule) {
  std::vector<core::Finding> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const core::Finding& f) { return f.rule == rule; });
  return out;
}

// The rules' test fixture: the repository's config, a good reading to spoil, a day of receipt.
class RuleTest : public ::testing::Test {
 protected:
  core::Config config = repo_config();
  core::PageReading reading = good_reading();
  core::Date today = received_on();
  std::vector<core::Finding> run() const {
    return validate::validate_reading(reading, config, today);
  }
};

}  // namespace carescan::testing
