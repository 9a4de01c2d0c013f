#pragma once
// The reference receiver of delivered claims (`carescan engine-sink`): keeps each claim once,
// under its Idempotency-Key, and answers a repeated key with what it stored the first time.

#include <Poco/Net/HTTPServer.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace carescan::service {

struct SinkCounts {
  std::uint64_t stored = 0;      // distinct claims kept
  std::uint64_t duplicates = 0;  // posts whose key was already kept
  std::uint64_t refused = 0;     // bad posts, and the failures asked for by fail_first
};

class EngineSink {
 public:
  // Claims go to `<data_dir>/claims/<key>.json`. The first `fail_first` posts are answered 503,
  // so that a test can watch the sender back off and retry.
  EngineSink(const std::string& address, int port, std::filesystem::path data_dir,
             int fail_first = 0);
  ~EngineSink();
  EngineSink(const EngineSink&) = delete;
  EngineSink& operator=(const EngineSink&) = delete;

  void start();
  void stop();
  [[nodiscard]] int port() const;  // the bound port (useful when 0 was asked)
  [[nodiscard]] SinkCounts counts() const;

  // Handles one POST: 201 new, 200 duplicate (same body as first stored), 4xx bad, 503 failing.
  struct Answer {
    int status;
    std::string body;
    bool replayed = false;
  };
  Answer receive(const std::string& key, const std::string& body);

 private:
  std::filesystem::path dir_;
  mutable std::mutex mutex_;  // one writer decides "new or duplicate" at a time
  SinkCounts counts_;
  int fail_remaining_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace carescan::service
