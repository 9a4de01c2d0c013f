// `carescan eval` end to end on a set made by `carescan samples`.
#include <gtest/gtest.h>

#include "claim/schema_check.h"
#include "cli/run_binary.h"

namespace carescan::testing {
namespace {

TEST(EvalCli, ScoresAGeneratedSetAndWritesItsFigures) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("carescan_eval_cli_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const auto made = run_carescan("samples --count 3 --seed 99 --out " + quoted(dir.string()));
  if (made.exit_code != 0 || !std::filesystem::exists(dir / "manifest.json")) {
    GTEST_SKIP() << "carescan samples is not available: " << made.err;
  }
  const auto figures = dir / "figures.json";
  const auto claims = dir / "claims.jsonl";
  const auto r =
      run_carescan("eval " + quoted(dir.string()) + " --json-out " + quoted(figures.string()) +
                   " --claims-out " + quoted(claims.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("pages per second"), std::string::npos) << r.out;
  const auto json = core::read_json_object(figures);
  EXPECT_GE(json->getValue<int>("pages"), 3);
  EXPECT_EQ(json->getObject("form_type")->getValue<int>("total"), json->getValue<int>("pages"));
  EXPECT_GT(json->getValue<double>("pages_per_second"), 0);
  EXPECT_GT(json->getValue<long>("peak_memory_kb"), 0);
  // The generated scans' claims, like the hand-made ones, match the contract.
  const auto check = check_claim_lines(claims);
  EXPECT_TRUE(check.valid) << check.errors;
  std::filesystem::remove_all(dir);
}

TEST(EvalCli, ScoresSeveralSetsAsOneAndFitsThresholdsOnThemAll) {
  const auto root =
      std::filesystem::temp_directory_path() / ("carescan_eval_two_" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  const auto first = root / "setA";
  const auto second = root / "setB";
  for (const auto& [dir, seed] : {std::pair{first, 98}, std::pair{second, 97}}) {
    const auto made = run_carescan("samples --count 2 --seed " + std::to_string(seed) + " --out " +
                                   quoted(dir.string()));
    if (made.exit_code != 0 || !std::filesystem::exists(dir / "manifest.json")) {
      GTEST_SKIP() << "carescan samples is not available: " << made.err;
    }
  }
  const auto figures = root / "figures.json";
  const auto thresholds = root / "thresholds.json";
  const auto r = run_carescan("eval " + quoted(first.string()) + " " + quoted(second.string()) +
                              " --json-out " + quoted(figures.string()) + " --fit-thresholds " +
                              quoted(thresholds.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(core::read_json_object(figures)->getValue<int>("pages"), 4);
  const auto fitted = core::read_json_object(thresholds);
  EXPECT_EQ(fitted->getValue<std::string>("fitted_on"), "setA+setB");
  EXPECT_EQ(fitted->getValue<int>("pages"), 4);
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace carescan::testing
