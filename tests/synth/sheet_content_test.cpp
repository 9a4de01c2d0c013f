#include "synth/sheet_content.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "core/cin.h"
#include "core/config.h"
#include "core/json_util.h"
#include "forms/template_loader.h"
#include "synth/truth.h"

namespace carescan::synth {
namespace {

using core::Money;

struct Fixture {
  core::Config config =
      core::load_config(std::string(CARESCAN_SOURCE_ROOT) + "/config/carescan.json");
  std::vector<forms::FormTemplate> templates = forms::load_templates(config.forms_dir);
  Vocabulary vocabulary = load_vocabulary(config.samples.vocabulary);
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

// 40 sheets of each form, each from its own seed as the generator draws them.
std::vector<SheetContent> many_sheets(int per_form = 40) {
  std::vector<SheetContent> out;
  for (const auto& tpl : fixture().templates) {
    for (int i = 0; i < per_form; ++i) {
      Rng rng(derive_seed(99, static_cast<std::uint64_t>(i)));
      out.push_back(generate_content(tpl, fixture().vocabulary, rng));
    }
  }
  return out;
}

Money sum_of(const SheetContent& s, const std::string& table) {
  Money m;
  for (const auto& l : s.lines) {
    if (l.table == table) m += l.amount;
  }
  return m;
}

bool has_defect(const SheetContent& s, const std::string& d) {
  return std::find(s.defects.begin(), s.defects.end(), d) != s.defects.end();
}

TEST(SheetContent, SectionTotalsAreTheSumOfTheirRows) {
  for (const auto& s : many_sheets()) {
    const std::map<std::string, std::optional<Money>> totals{{"medical_acts", s.medical_total},
                                                             {"pharmacy_items", s.pharmacy_total},
                                                             {"dental_acts", s.dental_total}};
    for (const auto& [table, total] : totals) {
      if (s.has_table(table)) {
        ASSERT_TRUE(total.has_value()) << s.form << " " << table;
        EXPECT_EQ(*total, sum_of(s, table)) << s.form << " " << table;
      } else {
        EXPECT_FALSE(total.has_value()) << s.form << " " << table;
      }
    }
  }
}

TEST(SheetContent, DeclaredTotalIsSectionsPlusOtherActsUnlessADefectSaysOtherwise) {
  int checked = 0;
  for (const auto& s : many_sheets()) {
    ASSERT_TRUE(s.total_amount.has_value());
    const Money expected = s.medical_total.value_or(Money{}) + s.pharmacy_total.value_or(Money{}) +
                           s.dental_total.value_or(Money{}) + sum_of(s, "other_acts");
    if (has_defect(s, "total_mismatch")) {
      EXPECT_NE(*s.total_amount, expected);
    } else {
      EXPECT_EQ(*s.total_amount, expected) << s.form;
      ++checked;
    }
    EXPECT_FALSE(s.lines.empty());
  }
  EXPECT_GT(checked, 100);
}

TEST(SheetContent, DatesAreRealOrderedAndWithinTheCareSpan) {
  const auto& v = fixture().vocabulary;
  for (const auto& s : many_sheets()) {
    for (const auto& l : s.lines) {
      EXPECT_TRUE(core::is_real_date(l.date.year, l.date.month, l.date.day));
      EXPECT_GE(l.date, v.first_day);
      EXPECT_LE(l.date, v.last_day);
      if (!has_defect(s, "signature_before_care")) {
        EXPECT_LE(l.date, s.signature_date);
      }
    }
    EXPECT_LE(s.signature_date, v.last_day);
    EXPECT_GE(s.signature_date.year, 2024);
    if (has_defect(s, "signature_before_care")) {
      EXPECT_LT(s.signature_date, s.lines.front().date);
    }
    if (s.birth_date) {
      const int age = core::age_on(*s.birth_date, s.signature_date);
      EXPECT_GE(age, 17);
      if (has_defect(s, "over_age")) {
        EXPECT_GT(age, 30);
      } else {
        EXPECT_LE(age, 30);
      }
    }
  }
}

TEST(SheetContent, CinMatchesTheStrictPattern) {
  const std::regex strict("^[A-Z]{1,2}[0-9]{5,6}$");
  for (const auto& s : many_sheets()) {
    EXPECT_TRUE(std::regex_match(s.cin, strict)) << core::mask_cin(s.cin);
    EXPECT_EQ(core::classify_cin(s.cin), core::CinShape::kStrict);
  }
}

TEST(SheetContent, RowsAreConsecutiveAndWithinTheTemplate) {
  for (const auto& tpl : fixture().templates) {
    for (int i = 0; i < 40; ++i) {
      Rng rng(derive_seed(7, static_cast<std::uint64_t>(i)));
      const SheetContent s = generate_content(tpl, fixture().vocabulary, rng);
      std::map<std::string, int> next;
      for (const auto& l : s.lines) {
        const auto* table = tpl.field(l.table);
        ASSERT_NE(table, nullptr) << l.table;
        EXPECT_LT(l.row, static_cast<int>(table->rows.size()));
        EXPECT_EQ(l.row, next[l.table]++);
      }
      for (int t : s.teeth) EXPECT_NE(tpl.field("tooth_" + std::to_string(t)), nullptr);
      for (const auto& l : s.lines) {
        if (l.tooth) {
          EXPECT_NE(std::find(s.teeth.begin(), s.teeth.end(), *l.tooth), s.teeth.end());
        }
      }
    }
  }
}

TEST(SheetContent, TruthUsesTheContractVocabulary) {
  const std::set<std::string> tables{"medical_acts", "pharmacy_items", "other_acts", "dental_acts"};
  const std::set<std::string> forms{"ambulatoire", "ald", "dentaire"};
  const std::regex money("^[0-9]+\\.[0-9]{2}$"), iso("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
      sheet_number("^[A-Z] [0-9]{7}$"), caps("^[A-Z]+( [A-Z]+)*$"), digits9("^[0-9]{9}$");
  for (const auto& s : many_sheets()) {
    const auto page = sheet_truth(s);
    EXPECT_TRUE(forms.count(page->getValue<std::string>("form_type")));
    const auto fields = page->getObject("fields");
    for (const char* key : {"sheet_number", "insured_name", "cin", "birth_date", "sex",
                            "institution", "signature_place", "signature_date", "insured_signature",
                            "total_amount", "medical_total", "pharmacy_total", "dental_total"}) {
      EXPECT_TRUE(fields->has(key)) << key;
    }
    EXPECT_TRUE(std::regex_match(fields->getValue<std::string>("sheet_number"), sheet_number));
    EXPECT_TRUE(std::regex_match(fields->getValue<std::string>("insured_name"), caps));
    EXPECT_TRUE(std::regex_match(fields->getValue<std::string>("signature_date"), iso));
    EXPECT_TRUE(fields->get("insured_signature").isBoolean());
    for (const char* key : {"total_amount", "medical_total", "pharmacy_total", "dental_total"}) {
      if (!fields->isNull(key)) {
        EXPECT_TRUE(std::regex_match(fields->getValue<std::string>(key), money));
      }
    }
    if (!fields->isNull("sex")) {
      const auto sex = fields->getValue<std::string>("sex");
      EXPECT_TRUE(sex == "M" || sex == "F");
    }
    const char* inpe = s.form == "dentaire" ? "dentist_inpe" : "doctor_inpe";
    ASSERT_TRUE(fields->has(inpe));
    if (!fields->isNull(inpe)) {
      EXPECT_TRUE(std::regex_match(fields->getValue<std::string>(inpe), digits9));
    }
    if (s.form == "ald") {
      EXPECT_TRUE(
          std::regex_match(fields->getValue<std::string>("ald_code"), std::regex("^[0-9]{2}$")));
      EXPECT_TRUE(
          std::regex_match(fields->getValue<std::string>("pec_number"), std::regex("^[0-9]{10}$")));
    }
    const auto lines = page->getArray("lines");
    ASSERT_EQ(lines->size(), s.lines.size());
    for (unsigned i = 0; i < lines->size(); ++i) {
      const auto l = lines->getObject(i);
      EXPECT_TRUE(tables.count(l->getValue<std::string>("table")));
      EXPECT_TRUE(std::regex_match(l->getValue<std::string>("date"), iso));
      EXPECT_TRUE(std::regex_match(l->getValue<std::string>("amount"), money));
      for (const char* key : {"description", "code", "coefficient", "quantity", "tooth"}) {
        EXPECT_TRUE(l->has(key)) << key;
      }
    }
  }
}

TEST(SheetContent, DefectsAreRareAndNamed) {
  const std::set<std::string> known{"total_mismatch", "signature_before_care", "over_age"};
  const auto sheets = many_sheets(150);
  int with_defect = 0;
  for (const auto& s : sheets) {
    for (const auto& d : s.defects) EXPECT_TRUE(known.count(d)) << d;
    if (!s.defects.empty()) ++with_defect;
  }
  const double share = static_cast<double>(with_defect) / static_cast<double>(sheets.size());
  EXPECT_GT(share, 0.005);
  EXPECT_LT(share, 0.07);
}

TEST(SheetContent, SameSeedSameSheetAndDifferentSeedDifferentSheet) {
  const auto& tpl = fixture().templates.front();
  Rng a(derive_seed(5, 3)), b(derive_seed(5, 3)), c(derive_seed(6, 3));
  const auto ta = core::to_json(sheet_truth(generate_content(tpl, fixture().vocabulary, a)));
  const auto tb = core::to_json(sheet_truth(generate_content(tpl, fixture().vocabulary, b)));
  const auto tc = core::to_json(sheet_truth(generate_content(tpl, fixture().vocabulary, c)));
  EXPECT_EQ(ta, tb);
  EXPECT_NE(ta, tc);
}

}  // namespace
}  // namespace carescan::synth
