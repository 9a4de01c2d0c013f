#include "synth/sample_set.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/json_util.h"

namespace carescan::synth {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("carescan-samples-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

std::string bytes_of(const fs::path& file) {
  std::ifstream is(file, std::ios::binary);
  std::ostringstream os;
  os << is.rdbuf();
  return os.str();
}

const core::Config& config() {
  static const core::Config kConfig =
      core::load_config(std::string(CARESCAN_SOURCE_ROOT) + "/config/carescan.json");
  return kConfig;
}

const std::vector<CaptureProfile> kAll{CaptureProfile::kScan, CaptureProfile::kPhotocopy,
                                       CaptureProfile::kFax, CaptureProfile::kPhoto};
const std::vector<std::string> kForms{"ambulatoire", "ald", "dentaire"};

TEST(SampleSet, SameSeedGivesTheSameBytesAndEveryFileHasItsTruth) {
  const fs::path a = scratch("a"), b = scratch("b");
  const PlanRequest req{10, 7, kAll, kForms};
  const auto summary = generate_samples(config(), req, a);
  generate_samples(config(), req, b);
  EXPECT_EQ(summary.pages, 10);
  EXPECT_GE(summary.bundles, 2);

  const auto manifest = core::read_json_object(a / "manifest.json");
  const auto files = manifest->getArray("files");
  ASSERT_EQ(static_cast<int>(files->size()), summary.files);
  int pages = 0;
  for (unsigned i = 0; i < files->size(); ++i) {
    const auto entry = files->getObject(i);
    const std::string file = entry->getValue<std::string>("file");
    const std::string truth_name = entry->getValue<std::string>("truth");
    ASSERT_TRUE(fs::exists(a / file)) << file;
    const auto truth = core::read_json_object(a / truth_name);
    EXPECT_EQ(truth->getValue<std::string>("schema"), "carescan.truth/v1");
    EXPECT_EQ(truth->getValue<std::string>("file"), file);
    const auto truth_pages = truth->getArray("pages");
    EXPECT_EQ(static_cast<int>(truth_pages->size()), entry->getValue<int>("pages"));
    for (unsigned p = 0; p < truth_pages->size(); ++p) {
      const auto page = truth_pages->getObject(p);
      EXPECT_EQ(page->getValue<int>("page"), static_cast<int>(p) + 1);
      EXPECT_TRUE(page->getObject("capture")->has("format"));
      EXPECT_EQ(page->getObject("capture")->getValue<std::string>("profile"),
                entry->getValue<std::string>("profile"));
    }
    pages += static_cast<int>(truth_pages->size());
    EXPECT_EQ(bytes_of(a / file), bytes_of(b / file)) << file;
    EXPECT_EQ(bytes_of(a / truth_name), bytes_of(b / truth_name)) << truth_name;
  }
  EXPECT_EQ(pages, 10);
  EXPECT_EQ(bytes_of(a / "manifest.json"), bytes_of(b / "manifest.json"));
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(SampleSet, DifferentSeedGivesDifferentPages) {
  const fs::path a = scratch("s1"), b = scratch("s2");
  generate_samples(config(), {1, 21, {CaptureProfile::kScan}, {"ald"}}, a);
  generate_samples(config(), {1, 22, {CaptureProfile::kScan}, {"ald"}}, b);
  const auto name_a = core::read_json_object(a / "manifest.json")
                          ->getArray("files")
                          ->getObject(0)
                          ->getValue<std::string>("file");
  const auto name_b = core::read_json_object(b / "manifest.json")
                          ->getArray("files")
                          ->getObject(0)
                          ->getValue<std::string>("file");
  EXPECT_NE(bytes_of(a / name_a), bytes_of(b / name_b));
  const auto fields = [](const fs::path& dir, const std::string& name) {
    const auto stem = fs::path(name).stem().string();
    return core::to_json(core::read_json_object(dir / (stem + ".truth.json"))
                             ->getArray("pages")
                             ->getObject(0)
                             ->getObject("fields"));
  };
  EXPECT_NE(fields(a, name_a), fields(b, name_b));
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(SampleSet, CommandWritesTheRequestedPagesAndSaysSo) {
  const fs::path out = scratch("cli");
  const std::string cmd = std::string(CARESCAN_BINARY) +
                          " samples --count 2 --seed 3 --profile clean --forms dentaire --out " +
                          out.string() + " > " + (out.string() + ".log");
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string log = bytes_of(out.string() + ".log");
  EXPECT_NE(log.find("2 pages"), std::string::npos) << log;
  EXPECT_TRUE(fs::exists(out / "0000-dentaire-clean.png"));
  EXPECT_TRUE(fs::exists(out / "0001-dentaire-clean.truth.json"));
  const std::string bad = std::string(CARESCAN_BINARY) +
                          " samples --count 1 --profile xerox --out " + out.string() +
                          " 2> /dev/null";
  EXPECT_NE(std::system(bad.c_str()), 0);
  fs::remove_all(out);
  fs::remove(out.string() + ".log");
}

}  // namespace
}  // namespace carescan::synth
