#include "service/mailroom.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace carescan::service {
namespace {

constexpr std::string_view kPart = ".part";

bool hidden_or_partial(const std::string& name) {
  return name.empty() || name.front() == '.' || name.ends_with(kPart) ||
         name.ends_with(".reason.txt");
}

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open the file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// NAME, or NAME-2, NAME-3... when a file of that name was already archived.
std::filesystem::path free_name(const std::filesystem::path& dir, const std::string& name) {
  auto target = dir / name;
  const std::filesystem::path p(name);
  for (int n = 2; std::filesystem::exists(target); ++n) {
    target = dir / (p.stem().string() + "-" + std::to_string(n) + p.extension().string());
  }
  return target;
}

}  // namespace

MailroomDirs MailroomDirs::under(const std::filesystem::path& dir) {
  return {dir / "inbox", dir / "archive", dir / "failed"};
}

void MailroomDirs::create() const {
  for (const auto& d : {inbox, archive, failed}) std::filesystem::create_directories(d);
}

Mailroom::Mailroom(MailroomDirs dirs, Receiver receiver)
    : dirs_(std::move(dirs)), receiver_(std::move(receiver)) {
  dirs_.create();
}

std::vector<std::filesystem::path> Mailroom::candidates() const {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dirs_.inbox)) {
    if (entry.is_regular_file() && !hidden_or_partial(entry.path().filename().string())) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<MailroomOutcome> Mailroom::poll() {
  std::set<std::string> parts_now;
  std::map<std::string, Seen> seen_now;
  std::vector<MailroomOutcome> outcomes;
  for (const auto& entry : std::filesystem::directory_iterator(dirs_.inbox)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.ends_with(kPart)) parts_now.insert(name);
  }
  for (const auto& file : candidates()) {
    const std::string name = file.filename().string();
    std::error_code error;
    const Seen now{std::filesystem::file_size(file, error),
                   std::filesystem::last_write_time(file, error)};
    if (error) continue;  // gone between listing and looking: the next poll will tell
    const bool renamed_from_part = parts_.contains(name + std::string(kPart));
    const auto before = seen_.find(name);
    const bool stable =
        before != seen_.end() && before->second.size == now.size && before->second.time == now.time;
    if (renamed_from_part || stable) {
      outcomes.push_back(take(file));
    } else {
      seen_now[name] = now;
    }
  }
  seen_ = std::move(seen_now);
  parts_ = std::move(parts_now);
  return outcomes;
}

std::vector<MailroomOutcome> Mailroom::take_all(const Progress& progress) {
  std::vector<MailroomOutcome> outcomes;
  const auto files = candidates();
  for (const auto& file : files) {
    outcomes.push_back(take(file));
    if (progress) progress(outcomes.back(), outcomes.size(), files.size());
  }
  seen_.clear();
  return outcomes;
}

MailroomOutcome Mailroom::take(const std::filesystem::path& file) {
  MailroomOutcome out;
  out.name = file.filename().string();
  try {
    IncomingFile incoming{out.name, read_all(file), {}};
    incoming.media_type = io::sniff_media_type(incoming.bytes);
    if (incoming.bytes.empty()) {
      out.receipt.reason = "the file is empty";
    } else if (incoming.media_type.empty()) {
      out.receipt.reason =
          "not a PNG, JPEG, TIFF or PDF file (the type is read from the content, not the name)";
    } else {
      out.receipt = receiver_(incoming);
    }
  } catch (const std::exception& e) {
    out.receipt = {};
    out.receipt.reason = e.what();
  }
  if (out.receipt.taken) {
    out.moved_to = free_name(dirs_.archive, out.name);
  } else {
    out.moved_to = free_name(dirs_.failed, out.name);
    std::ofstream(out.moved_to.string() + ".reason.txt") << out.receipt.reason << "\n";
  }
  std::filesystem::rename(file, out.moved_to);
  return out;
}

MailroomWatcher::MailroomWatcher(Mailroom& mailroom, std::chrono::milliseconds interval,
                                 std::function<void(const MailroomOutcome&)> report) {
  thread_ = std::thread([this, &mailroom, interval, report = std::move(report)] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        for (const auto& outcome : mailroom.poll()) {
          if (report) report(outcome);
        }
      } catch (const std::exception& e) {
        // The inbox vanished or a move failed: report and keep watching, the folder may return.
        if (report) report({"", Receipt{false, e.what(), 0, 0, false}, {}});
      }
      lock.lock();
      wake_.wait_for(lock, interval, [this] { return stopping_; });
    }
  });
}

MailroomWatcher::~MailroomWatcher() {
  stop();
}

void MailroomWatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Receiver store_receiver(store::Store& store, store::BlobStore& blobs, store::Id office_id,
                        io::DecodeLimits limits) {
  return [&store, &blobs, office_id, limits](const IncomingFile& file) {
    Receipt receipt;
    io::Document scan;
    try {
      scan = io::decode_bytes(file.bytes, limits);
    } catch (const std::exception& e) {
      receipt.reason = std::string("the scan cannot be read: ") + e.what();
      return receipt;
    }
    if (scan.pages.empty()) {
      receipt.reason = "the file has no pages";
      return receipt;
    }
    store::NewDocument doc;
    doc.office_id = office_id;
    doc.sha256 = blobs.put(file.bytes);
    doc.filename = file.name;
    doc.media_type = scan.media_type;
    doc.size_bytes = static_cast<std::int64_t>(file.bytes.size());
    doc.page_count = static_cast<int>(scan.pages.size());
    doc.channel = "mailroom";
    const auto intake = store.add_document(doc);
    receipt.taken = true;
    receipt.document_id = intake.document.id;
    receipt.pages = doc.page_count;
    receipt.duplicate = !intake.created;
    return receipt;
  };
}

}  // namespace carescan::service
