#include <gtest/gtest.h>

#include <filesystem>

#include "core/digest.h"
#include "store/store.h"

namespace carescan::store {
namespace {

class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "carescan-blob-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(BlobStoreTest, StoresBytesUnderTheirDigestAndLeavesNoTemporaries) {
  BlobStore blobs(dir_);
  const std::string bytes = "%PDF-1.4 a care sheet";
  const auto sha = blobs.put(bytes);
  EXPECT_EQ(sha, core::sha256_hex(bytes));
  EXPECT_EQ(blobs.path_of(sha), dir_ / sha.substr(0, 2) / sha.substr(2));
  EXPECT_TRUE(blobs.contains(sha));
  EXPECT_EQ(blobs.get(sha), bytes);
  EXPECT_EQ(blobs.put(bytes), sha);

  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
    if (entry.is_regular_file()) {
      ++files;
      EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos) << entry.path();
    }
  }
  EXPECT_EQ(files, 1);
}

TEST_F(BlobStoreTest, RefusesNamesThatAreNotDigests) {
  BlobStore blobs(dir_);
  EXPECT_THROW((void)blobs.path_of("../../etc/passwd"), StoreError);
  EXPECT_THROW((void)blobs.get(std::string(64, 'a')), StoreError);
  EXPECT_FALSE(blobs.contains(std::string(64, 'b')));
}

}  // namespace
}  // namespace carescan::store
