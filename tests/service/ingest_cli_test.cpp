// `carescan ingest` end to end: the real binary on a batch folder, the real SQLite store after.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "cli/run_binary.h"
#include "store/store.h"

namespace carescan::testing {
namespace {

class IngestCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "carescan-ingest-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    batch_ = root_ / "batch";
    std::filesystem::create_directories(batch_);
    // The binary inherits it: the store goes to the test's folder, not the repository's var/.
    ::setenv("CARESCAN_DATA_DIR", (root_ / "var").c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("CARESCAN_DATA_DIR");
    std::filesystem::remove_all(root_);
  }

  void fill_batch() const {
    const std::filesystem::path source = CARESCAN_SOURCE_ROOT;
    std::filesystem::copy_file(source / "config/forms/ambulatoire.png", batch_ / "blank-sheet.png");
    std::filesystem::copy_file(source / "samples/0008-distractor-fax.tiff", batch_ / "letter.tiff");
    std::ofstream(batch_ / "notes.pdf") << "not a scan at all";
  }

  RunResult ingest() const { return run_carescan("ingest --workers 1 " + quoted(batch_.string())); }

  std::filesystem::path root_;
  std::filesystem::path batch_;
};

TEST_F(IngestCli, QueuesReadsAndSortsABatchAndTakesNothingTwice) {
  fill_batch();
  auto r = ingest();
  EXPECT_EQ(r.exit_code, 1) << "one file failed\n" << r.err;
  EXPECT_NE(r.out.find("files: 3  queued: 2  (already received: 0)  failed: 1"), std::string::npos)
      << r.out;
  EXPECT_NE(
      r.out.find("pages: 2  accepted: 0  needs_review: 1  rejected: 1  failed: 0  waiting: 0"),
      std::string::npos)
      << r.out;
  EXPECT_TRUE(std::filesystem::exists(batch_ / "archive" / "blank-sheet.png"));
  EXPECT_TRUE(std::filesystem::exists(batch_ / "archive" / "letter.tiff"));
  EXPECT_TRUE(std::filesystem::exists(batch_ / "failed" / "notes.pdf.reason.txt"));
  EXPECT_FALSE(std::filesystem::exists(batch_ / "notes.pdf"));

  {
    auto store = store::open_store("sqlite:carescan.db", root_ / "var");
    const auto office = store->find_office_by_code("mailroom");
    ASSERT_TRUE(office);
    store::ClaimQuery all;
    all.office_id = office->id;
    const auto claims = store->list_claims(all).items;
    ASSERT_EQ(claims.size(), 2u);
    for (const auto& c : claims) {
      EXPECT_NE(c.json.find("\"mailroom\""), std::string::npos) << "channel of the claim";
      EXPECT_EQ(store->find_document(c.document_id)->channel, "mailroom");
    }
  }

  fill_batch();
  r = ingest();
  EXPECT_NE(r.out.find("files: 3  queued: 2  (already received: 2)  failed: 1"), std::string::npos)
      << r.out;
  EXPECT_TRUE(std::filesystem::exists(batch_ / "archive" / "blank-sheet-2.png"));
  auto store = store::open_store("sqlite:carescan.db", root_ / "var");
  EXPECT_EQ(store->list_claims({}).items.size(), 2u) << "the same files again add no claim";
  EXPECT_EQ(store->counts().received + store->counts().processing, 0);
}

TEST_F(IngestCli, RefusesAFolderThatDoesNotExist) {
  const auto r = run_carescan("ingest " + quoted((root_ / "nowhere").string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not a folder"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace carescan::testing
