#pragma once
// The mailroom: scanners and batch jobs drop files into an inbox folder; each complete file is
// handed over once, then moved to archive/ or to failed/ with NAME.reason.txt beside it.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "io/decode.h"
#include "store/store.h"

namespace carescan::service {

// <dir>/inbox, <dir>/archive and <dir>/failed.
struct MailroomDirs {
  std::filesystem::path inbox;
  std::filesystem::path archive;
  std::filesystem::path failed;
  static MailroomDirs under(const std::filesystem::path& dir);
  void create() const;
};

// A complete file from the inbox; `media_type` is sniffed from its bytes.
struct IncomingFile {
  std::string name;
  std::string bytes;
  std::string media_type;
};

// What the receiver made of a file: taken, or refused with a user-facing reason (no personal
// data: it is written beside the file and logged).
struct Receipt {
  bool taken = false;
  std::string reason;
  store::Id document_id = 0;
  int pages = 0;
  bool duplicate = false;  // the same bytes were received before: archived, nothing queued
};
using Receiver = std::function<Receipt(const IncomingFile&)>;

struct MailroomOutcome {
  std::string name;
  Receipt receipt;
  std::filesystem::path moved_to;
};

class Mailroom {
 public:
  Mailroom(MailroomDirs dirs, Receiver receiver);

  // Takes the files that are complete: a name that replaced NAME.part since the last poll (the
  // writer renamed it when done), or a file whose size and time held still since the last
  // poll. *.part files and hidden files are never taken.
  std::vector<MailroomOutcome> poll();
  // Takes every file now, for a batch whose writer is known to be done (`carescan ingest`);
  // `progress` sees each outcome with the count done and the total.
  using Progress = std::function<void(const MailroomOutcome&, std::size_t, std::size_t)>;
  std::vector<MailroomOutcome> take_all(const Progress& progress = {});

 private:
  struct Seen {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type time;
  };
  MailroomOutcome take(const std::filesystem::path& file);
  [[nodiscard]] std::vector<std::filesystem::path> candidates() const;

  MailroomDirs dirs_;
  Receiver receiver_;
  std::map<std::string, Seen> seen_;
  std::set<std::string> parts_;  // *.part names present at the last poll
};

// Polls a mailroom on its own thread every `interval` until stopped; `report` sees each outcome.
class MailroomWatcher {
 public:
  MailroomWatcher(Mailroom& mailroom, std::chrono::milliseconds interval,
                  std::function<void(const MailroomOutcome&)> report);
  ~MailroomWatcher();
  MailroomWatcher(const MailroomWatcher&) = delete;
  MailroomWatcher& operator=(const MailroomWatcher&) = delete;
  void stop();  // finishes the file in hand, then joins

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// The usual receiver: checks that the file decodes within `limits` (to count its pages and
// refuse what the reader could not open), keeps its bytes in `blobs` and queues it as a
// document of `office_id` on channel "mailroom".
Receiver store_receiver(store::Store& store, store::BlobStore& blobs, store::Id office_id,
                        io::DecodeLimits limits);

}  // namespace carescan::service
