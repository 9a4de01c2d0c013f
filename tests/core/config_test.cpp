#include "core/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "core/json_util.h"

namespace {

std::filesystem::path repo_config() {
  return std::filesystem::path(CARESCAN_SOURCE_ROOT) / "config" / "carescan.json";
}

}  // namespace

TEST(Config, LoadsTheRepositoryConfig) {
  const auto cfg = carescan::core::load_config(repo_config());
  EXPECT_EQ(cfg.validation.deposit_deadline_days, 60);
  EXPECT_EQ(cfg.validation.max_age_years, 30);
  EXPECT_TRUE(std::filesystem::exists(cfg.forms_dir)) << cfg.forms_dir;
  EXPECT_FALSE(cfg.samples.handwriting_fonts.empty());
}

TEST(Config, EnvironmentOverridesPaths) {
  const auto cfg = carescan::core::load_config(
      repo_config(), {{"CARESCAN_DATA_DIR", "/tmp/elsewhere"}, {"CARESCAN_WORKERS", "3"}});
  EXPECT_EQ(cfg.data_dir, "/tmp/elsewhere");
  EXPECT_EQ(cfg.reader.workers, 3);
}

TEST(Config, NamesTheMissingKey) {
  const auto dir = std::filesystem::temp_directory_path() / "carescan_config_test" / "config";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "bad.json") << R"({"insurer": {"name": "CNOPS"}})";
  try {
    carescan::core::load_config(dir / "bad.json");
    FAIL() << "expected a DataError";
  } catch (const carescan::core::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("\"paths\""), std::string::npos) << e.what();
  }
}

TEST(Config, RejectsABadWorkerCount) {
  EXPECT_THROW(carescan::core::load_config(repo_config(), {{"CARESCAN_WORKERS", "zero"}}),
               carescan::core::DataError);
}

TEST(Config, HandwritingModelsCanBeTurnedOffFromTheEnvironment) {
  const auto on = carescan::core::load_config(repo_config());
  EXPECT_TRUE(on.reader.handwriting_model);
  EXPECT_TRUE(std::filesystem::exists(on.reader.comb_model)) << on.reader.comb_model;
  const auto off =
      carescan::core::load_config(repo_config(), {{"CARESCAN_READER_HANDWRITING_MODEL", "0"}});
  EXPECT_FALSE(off.reader.handwriting_model);
  EXPECT_THROW(
      carescan::core::load_config(repo_config(), {{"CARESCAN_READER_HANDWRITING_MODEL", "no"}}),
      carescan::core::DataError);
}

TEST(Config, StorageFollowsTheDataDirUnlessSetAndTakesItsUrlFromTheEnvironment) {
  const auto cfg = carescan::core::load_config(repo_config(), {{"CARESCAN_DATA_DIR", "/tmp/d"}});
  EXPECT_EQ(cfg.storage.url, "sqlite:carescan.db");
  EXPECT_EQ(cfg.storage.data_dir, "/tmp/d");
  EXPECT_GE(cfg.storage.max_page_attempts, 1);
  EXPECT_EQ(cfg.mailroom.office, "mailroom");
  EXPECT_EQ(cfg.mailroom.dir, cfg.root / "var" / "mailroom");

  const auto pg = carescan::core::load_config(
      repo_config(), {{"CARESCAN_STORAGE_URL", "postgresql://carescan@db:5432/carescan"}});
  EXPECT_EQ(pg.storage.url, "postgresql://carescan@db:5432/carescan");

  // A copy of the repository's file with one bad value; models/ is linked so that only the
  // storage section can be wrong.
  const auto root = std::filesystem::temp_directory_path() / "carescan_config_storage";
  std::filesystem::create_directories(root / "config");
  if (!std::filesystem::exists(root / "models")) {
    std::filesystem::create_directory_symlink(repo_config().parent_path().parent_path() / "models",
                                              root / "models");
  }
  auto text = carescan::core::to_json(carescan::core::read_json_object(repo_config()));
  const std::string attempts = "\"max_page_attempts\":3";
  ASSERT_NE(text.find(attempts), std::string::npos) << text;
  text.replace(text.find(attempts), attempts.size(), "\"max_page_attempts\":0");
  std::ofstream(root / "config" / "carescan.json") << text;
  try {
    carescan::core::load_config(root / "config" / "carescan.json");
    FAIL() << "expected a DataError";
  } catch (const carescan::core::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("max_page_attempts"), std::string::npos) << e.what();
  }
}

namespace {

using carescan::core::DataError;
using carescan::core::load_config;

// A copy of the repository's config, changed by `edit`, in a folder of its own beside a link to
// models/ so that only the edited value can be wrong. Returns the copy's path.
std::filesystem::path config_variant(const std::string& name,
                                     const std::function<void(Poco::JSON::Object::Ptr&)>& edit) {
  const auto root = std::filesystem::temp_directory_path() / ("carescan_config_" + name);
  std::filesystem::create_directories(root / "config");
  if (!std::filesystem::exists(root / "models")) {
    std::filesystem::create_directory_symlink(repo_config().parent_path().parent_path() / "models",
                                              root / "models");
  }
  auto obj = carescan::core::read_json_object(repo_config());
  edit(obj);
  std::ofstream(root / "config" / "carescan.json") << carescan::core::to_json(obj, 2);
  return root / "config" / "carescan.json";
}

Poco::JSON::Object::Ptr section(const Poco::JSON::Object::Ptr& obj, const std::string& a,
                                const std::string& b = "") {
  auto s = obj->getObject(a);
  return b.empty() ? s : s->getObject(b);
}

// The DataError's message, or "" when the file loads.
std::string load_error(const std::filesystem::path& file,
                       const std::map<std::string, std::string>& env = {}) {
  try {
    (void)load_config(file, env);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

std::filesystem::path write_thresholds(const std::string& name, const std::string& text) {
  auto file = std::filesystem::temp_directory_path() / ("carescan_thresholds_" + name);
  std::ofstream(file) << text;
  return file;
}

}  // namespace

TEST(Config, ExtractionSettingsComeFromTheReaderSectionWithTheCodeDefaults) {
  const auto cfg = load_config(repo_config());
  const carescan::core::ExtractionSettings defaults;
  const auto& e = cfg.reader.extraction;
  EXPECT_EQ(e.ink_below, defaults.ink_below);
  EXPECT_EQ(e.printed_below, defaults.printed_below);
  EXPECT_EQ(e.printed_dilate_px, defaults.printed_dilate_px);
  EXPECT_EQ(e.min_component_px, defaults.min_component_px);
  EXPECT_EQ(e.blank_max_ink_px, defaults.blank_max_ink_px);
  EXPECT_EQ(e.cell_blank_max_ink_px, defaults.cell_blank_max_ink_px);
  EXPECT_DOUBLE_EQ(e.margin_mm, defaults.margin_mm);
  EXPECT_EQ(e.tick_min_ink_px, defaults.tick_min_ink_px);
  EXPECT_EQ(e.signature_min_ink_px, defaults.signature_min_ink_px);
  EXPECT_EQ(e.comb_year_min, defaults.comb_year_min);
  EXPECT_EQ(e.comb_year_max, defaults.comb_year_max);
  EXPECT_DOUBLE_EQ(e.sum_mend_max_log_odds, defaults.sum_mend_max_log_odds);
  EXPECT_DOUBLE_EQ(e.care_date_mend_max_log_odds, defaults.care_date_mend_max_log_odds);

  const auto changed = config_variant("extraction_ok", [](Poco::JSON::Object::Ptr& o) {
    section(o, "reader", "extraction")->set("tick_min_ink_px", 90);
    section(o, "reader", "extraction")->remove("margin_mm");
  });
  const auto cfg2 = load_config(changed);
  EXPECT_EQ(cfg2.reader.extraction.tick_min_ink_px, 90);
  EXPECT_DOUBLE_EQ(cfg2.reader.extraction.margin_mm, defaults.margin_mm);  // missing: default
}

TEST(Config, RejectsBadExtractionValuesNamingTheKey) {
  const std::vector<std::pair<std::string, std::function<void(Poco::JSON::Object::Ptr&)>>> cases = {
      {"ink_below", [](auto& o) { section(o, "reader", "extraction")->set("ink_below", 300); }},
      {"margin_mm", [](auto& o) { section(o, "reader", "extraction")->set("margin_mm", -1.0); }},
      {"blank_max_ink_px",
       [](auto& o) { section(o, "reader", "extraction")->set("blank_max_ink_px", 2.5); }},
      {"tick_min_inks",
       [](auto& o) { section(o, "reader", "extraction")->set("tick_min_inks", 1); }},
      {"comb_year_min",
       [](auto& o) { section(o, "reader", "extraction")->set("comb_year_min", 2100); }},
      {"cell_classifier",
       [](auto& o) { section(o, "reader", "extraction")->set("cell_classifier", true); }},
      {"signature_min_ink_px",
       [](auto& o) { section(o, "reader", "extraction")->set("signature_min_ink_px", "many"); }},
      {"signature_outside_weight",
       [](auto& o) { section(o, "reader", "extraction")->set("signature_outside_weight", 0.0); }},
      {"signature_window_days",
       [](auto& o) { section(o, "reader", "extraction")->set("signature_window_days", -5); }},
      {"sum_mend_max_log_odds",
       [](auto& o) { section(o, "reader", "extraction")->set("sum_mend_max_log_odds", -1.0); }},
      {"care_date_mend_max_log_odds",
       [](auto& o) {
         section(o, "reader", "extraction")->set("care_date_mend_max_log_odds", 60.0);
       }},
  };
  for (const auto& [key, edit] : cases) {
    const std::string error = load_error(config_variant("extraction_bad", edit));
    EXPECT_NE(error.find(key), std::string::npos) << key << ": " << error;
    EXPECT_NE(error.find("extraction"), std::string::npos) << key << ": " << error;
  }
}

TEST(Config, MatchingSettingsComeFromTheReaderSectionAndAreChecked) {
  const auto cfg = carescan::core::load_config(repo_config());
  const carescan::core::MatchSettings defaults;
  EXPECT_DOUBLE_EQ(cfg.reader.matching.min_registration_quality, defaults.min_registration_quality);
  const auto changed = config_variant("matching_ok", [](Poco::JSON::Object::Ptr& o) {
    section(o, "reader", "matching")->set("min_registration_quality", 0.7);
  });
  EXPECT_DOUBLE_EQ(carescan::core::load_config(changed).reader.matching.min_registration_quality,
                   0.7);
  const std::vector<std::pair<std::string, std::function<void(Poco::JSON::Object::Ptr&)>>> cases = {
      {"min_registration_quality",
       [](auto& o) { section(o, "reader", "matching")->set("min_registration_quality", 1.5); }},
      {"min_layout_scores",
       [](auto& o) { section(o, "reader", "matching")->set("min_layout_scores", 0.5); }},
      {"confident_layout_score",
       [](auto& o) { section(o, "reader", "matching")->set("confident_layout_score", 0.3); }},
  };
  for (const auto& [key, edit] : cases) {
    const std::string error = load_error(config_variant("matching_bad", edit));
    EXPECT_NE(error.find(key), std::string::npos) << key << ": " << error;
    EXPECT_NE(error.find("matching"), std::string::npos) << key << ": " << error;
  }
}

TEST(Config, WordPriorBonusIsANonNegativeLogProbability) {
  const auto reader = carescan::core::load_config(repo_config()).reader;
  EXPECT_DOUBLE_EQ(reader.name_prior_bonus, 4.5);
  EXPECT_TRUE(std::filesystem::exists(reader.place_prior)) << reader.place_prior;
  for (const std::string key : {"name_prior_bonus", "place_prior_bonus"}) {
    const std::string error = load_error(
        config_variant("bonus_bad", [&key](auto& o) { o->getObject("reader")->set(key, -1.0); }));
    EXPECT_NE(error.find(key), std::string::npos) << error;
  }
}

TEST(Config, FittedThresholdsReplaceTheConfiguredOnesOfTheFieldsTheyName) {
  const auto file = write_thresholds("ok.json", R"({
    "schema": "carescan.thresholds/v1",
    "fields": {
      "cin": {"threshold": 0.97},
      "insured_name": {"threshold": null},
      "not_a_key_field": {"threshold": 0.5}
    }})");
  const auto plain = load_config(repo_config(), {{"CARESCAN_CLAIMS_THRESHOLDS", ""}});
  const auto cfg = load_config(repo_config(), {{"CARESCAN_CLAIMS_THRESHOLDS", file.string()}});
  EXPECT_DOUBLE_EQ(cfg.claims.accept_min_confidence.at("cin"), 0.97);
  // No threshold met the target: the field never goes through on its own.
  EXPECT_GT(cfg.claims.accept_min_confidence.at("insured_name"), 1.0);
  // The fields the file does not name keep the configured value; the file adds no key field.
  EXPECT_DOUBLE_EQ(cfg.claims.accept_min_confidence.at("total_amount"),
                   plain.claims.accept_min_confidence.at("total_amount"));
  EXPECT_EQ(cfg.claims.accept_min_confidence.count("not_a_key_field"), 0U);
  EXPECT_EQ(cfg.claims.accept_min_confidence.size(), plain.claims.accept_min_confidence.size());
  EXPECT_EQ(cfg.claims.fitted_fields, (std::vector<std::string>{"cin", "insured_name"}));
  EXPECT_TRUE(plain.claims.fitted_fields.empty());
}

TEST(Config, RejectsABadThresholdsFile) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"schema", R"({"schema": "other", "fields": {}})"},
      {"fields.cin.threshold",
       R"({"schema": "carescan.thresholds/v1", "fields": {"cin": {"threshold": 1.5}}})"},
      {"\"threshold\" is missing",
       R"({"schema": "carescan.thresholds/v1", "fields": {"cin": {"precision": 1}}})"},
  };
  for (const auto& [expected, text] : cases) {
    const auto file = write_thresholds("bad.json", text);
    const std::string error =
        load_error(repo_config(), {{"CARESCAN_CLAIMS_THRESHOLDS", file.string()}});
    EXPECT_NE(error.find(expected), std::string::npos) << expected << ": " << error;
  }
  const std::string missing =
      load_error(repo_config(), {{"CARESCAN_CLAIMS_THRESHOLDS", "/nonexistent/thresholds.json"}});
  EXPECT_NE(missing.find("claims.thresholds"), std::string::npos) << missing;
}

TEST(Config, ThresholdFitSettingsAreCheckedAndDefaultToTheTarget) {
  const auto cfg = load_config(repo_config());
  EXPECT_DOUBLE_EQ(cfg.claims.fit.target_precision, 0.998);
  EXPECT_GE(cfg.claims.fit.min_count, 2);
  EXPECT_DOUBLE_EQ(cfg.claims.fit.min_threshold, 0.5);
  const std::vector<std::pair<std::string, std::function<void(Poco::JSON::Object::Ptr&)>>> cases = {
      {"target_precision",
       [](auto& o) { section(o, "claims", "fit")->set("target_precision", 0); }},
      {"target_precision",
       [](auto& o) { section(o, "claims", "fit")->set("target_precision", 1.2); }},
      {"min_count", [](auto& o) { section(o, "claims", "fit")->set("min_count", 0); }},
      {"use_lower_bound", [](auto& o) { section(o, "claims", "fit")->set("use_lower_bound", 1); }},
      {"min_threshold", [](auto& o) { section(o, "claims", "fit")->set("min_threshold", -0.1); }},
  };
  for (const auto& [key, edit] : cases) {
    const std::string error = load_error(config_variant("fit_bad", edit));
    EXPECT_NE(error.find(key), std::string::npos) << key << ": " << error;
  }
}
