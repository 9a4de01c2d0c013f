// The mailroom against a real inbox folder and a real SQLite store.
#include "service/mailroom.h"

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

namespace carescan::service {
namespace {

std::string png_bytes(int seed) {
  cv::Mat image(300, 200, CV_8UC1, cv::Scalar(255));
  cv::putText(image, "feuille " + std::to_string(seed), {10, 150}, cv::FONT_HERSHEY_SIMPLEX, 0.6,
              cv::Scalar(0));
  std::vector<uchar> buffer;
  cv::imencode(".png", image, buffer);
  return {buffer.begin(), buffer.end()};
}

void write(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class MailroomTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "carescan-mail-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dirs_ = MailroomDirs::under(root_ / "mailroom");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // A receiver that takes everything and remembers the names, in order.
  Receiver recording() {
    return [this](const IncomingFile& f) {
      received_.push_back(f.name + ":" + f.media_type);
      return Receipt{true, "", 1, 1, false};
    };
  }

  std::filesystem::path root_;
  MailroomDirs dirs_;
  std::vector<std::string> received_;
};

TEST_F(MailroomTest, TakesAFileOnceItsSizeHeldStillAcrossTwoPolls) {
  Mailroom mailroom(dirs_, recording());
  write(dirs_.inbox / "a.png", png_bytes(1));
  EXPECT_TRUE(mailroom.poll().empty()) << "first sight: maybe still being written";
  const auto outcomes = mailroom.poll();
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_TRUE(outcomes[0].receipt.taken);
  EXPECT_EQ(outcomes[0].moved_to, dirs_.archive / "a.png");
  EXPECT_TRUE(std::filesystem::exists(dirs_.archive / "a.png"));
  EXPECT_FALSE(std::filesystem::exists(dirs_.inbox / "a.png"));
  EXPECT_EQ(received_, std::vector<std::string>{"a.png:image/png"});
  EXPECT_TRUE(mailroom.poll().empty());
}

TEST_F(MailroomTest, WaitsWhileAFileGrows) {
  Mailroom mailroom(dirs_, recording());
  const std::string bytes = png_bytes(2);
  write(dirs_.inbox / "b.png", bytes.substr(0, 100));
  EXPECT_TRUE(mailroom.poll().empty());
  write(dirs_.inbox / "b.png", bytes);
  EXPECT_TRUE(mailroom.poll().empty()) << "the size changed since the last poll";
  EXPECT_EQ(mailroom.poll().size(), 1u);
  EXPECT_EQ(slurp(dirs_.archive / "b.png"), bytes);
}

TEST_F(MailroomTest, IgnoresPartFilesAndTakesTheRenamedFileAtOnce) {
  Mailroom mailroom(dirs_, recording());
  write(dirs_.inbox / "c.png.part", png_bytes(3));
  EXPECT_TRUE(mailroom.poll().empty());
  EXPECT_TRUE(mailroom.poll().empty()) << "a .part file is never taken, stable or not";
  std::filesystem::rename(dirs_.inbox / "c.png.part", dirs_.inbox / "c.png");
  const auto outcomes = mailroom.poll();
  ASSERT_EQ(outcomes.size(), 1u) << "renamed from .part: complete without a second look";
  EXPECT_EQ(outcomes[0].name, "c.png");
}

TEST_F(MailroomTest, RefusesWhatIsNotAScanWithAReasonBesideIt) {
  Mailroom mailroom(dirs_, recording());
  write(dirs_.inbox / "notes.pdf", "Dear office, here are my sheets");
  write(dirs_.inbox / "empty.png", "");
  const auto outcomes = mailroom.take_all();
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_TRUE(received_.empty()) << "the receiver never sees them";
  EXPECT_TRUE(std::filesystem::exists(dirs_.failed / "notes.pdf"));
  EXPECT_NE(slurp(dirs_.failed / "notes.pdf.reason.txt").find("not a PNG, JPEG, TIFF or PDF"),
            std::string::npos);
  EXPECT_NE(slurp(dirs_.failed / "empty.png.reason.txt").find("empty"), std::string::npos);
}

TEST_F(MailroomTest, ReceiverRefusalOrFailureGoesToFailed) {
  Mailroom mailroom(dirs_, [](const IncomingFile& f) -> Receipt {
    if (f.name == "boom.png") throw std::runtime_error("disk full");
    return Receipt{false, "too many pages", 0, 0, false};
  });
  write(dirs_.inbox / "boom.png", png_bytes(4));
  write(dirs_.inbox / "big.png", png_bytes(5));
  mailroom.take_all();
  EXPECT_EQ(slurp(dirs_.failed / "boom.png.reason.txt"), "disk full\n");
  EXPECT_EQ(slurp(dirs_.failed / "big.png.reason.txt"), "too many pages\n");
}

TEST_F(MailroomTest, QueuesDocumentsInTheStoreAndArchivesDuplicatesUnderANewName) {
  auto store = store::open_store("sqlite:carescan.db", root_);
  store::BlobStore blobs(root_ / "blobs");
  const auto office = store->create_office("mailroom", "Mailroom");
  Mailroom mailroom(dirs_, store_receiver(*store, blobs, office.id, io::DecodeLimits{}));

  const std::string bytes = png_bytes(6);
  write(dirs_.inbox / "sheet.png", bytes);
  write(dirs_.inbox / "broken.png", bytes.substr(0, 40));
  auto outcomes = mailroom.take_all();
  ASSERT_EQ(outcomes.size(), 2u);
  const auto& sheet = outcomes[0].name == "sheet.png" ? outcomes[0] : outcomes[1];
  const auto& broken = outcomes[0].name == "sheet.png" ? outcomes[1] : outcomes[0];
  ASSERT_TRUE(sheet.receipt.taken) << sheet.receipt.reason;
  EXPECT_FALSE(broken.receipt.taken);
  EXPECT_NE(broken.receipt.reason.find("cannot be read"), std::string::npos);

  const auto doc = store->find_document(sheet.receipt.document_id);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->channel, "mailroom");
  EXPECT_EQ(doc->office_id, office.id);
  EXPECT_EQ(doc->page_count, 1);
  EXPECT_EQ(doc->media_type, "image/png");
  EXPECT_EQ(blobs.get(doc->sha256), bytes);
  EXPECT_EQ(store->counts().received, 1);

  write(dirs_.inbox / "sheet.png", bytes);
  outcomes = mailroom.take_all();
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_TRUE(outcomes[0].receipt.duplicate);
  EXPECT_EQ(outcomes[0].receipt.document_id, doc->id);
  EXPECT_EQ(outcomes[0].moved_to, dirs_.archive / "sheet-2.png");
  EXPECT_EQ(store->counts().received, 1) << "nothing queued twice";
}

TEST_F(MailroomTest, WatcherPicksUpFilesOnItsOwn) {
  Mailroom mailroom(dirs_, recording());
  std::mutex mutex;
  std::condition_variable done;
  std::vector<std::string> seen;
  MailroomWatcher watcher(mailroom, std::chrono::milliseconds(20), [&](const MailroomOutcome& o) {
    std::lock_guard lock(mutex);
    seen.push_back(o.name);
    done.notify_all();
  });
  write(dirs_.inbox / "d.png", png_bytes(7));
  std::unique_lock lock(mutex);
  ASSERT_TRUE(done.wait_for(lock, std::chrono::seconds(10), [&] { return !seen.empty(); }));
  EXPECT_EQ(seen, std::vector<std::string>{"d.png"});
  lock.unlock();
  watcher.stop();
  EXPECT_TRUE(std::filesystem::exists(dirs_.archive / "d.png"));
}

}  // namespace
}  // namespace carescan::service
