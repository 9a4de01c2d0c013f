#include "core/config.h"

#include <gtest/gtest.h>

#include <fstream>

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
