#include "service/engine_sink.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/json_util.h"
#include "service/http_body.h"
#include "service/problem.h"

namespace carescan::service {
namespace {

// A key names a file: keep it to what claim ids are made of.
bool safe_key(const std::string& key) {
  if (key.empty() || key.size() > 128) return false;
  for (char c : key) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Written whole, synced, then renamed: a crash leaves either no file or the full claim.
void write_durably(const std::filesystem::path& path, const std::string& bytes) {
  const auto tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0640);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("cannot write " + tmp);
    }
    done += static_cast<size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  std::filesystem::rename(tmp, path);
}

class SinkHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit SinkHandler(EngineSink& sink) : sink_(sink) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    try {
      if (request.getURI() == "/stats" && request.getMethod() == "GET") {
        const auto c = sink_.counts();
        Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        body->set("stored", c.stored);
        body->set("duplicates", c.duplicates);
        body->set("refused", c.refused);
        send_json(response, 200, body);
        return;
      }
      if (request.getMethod() != "POST") {
        throw Problem(405, "method-not-allowed", "Method not allowed",
                      "the engine sink takes POST /claims");
      }
      const std::string body = read_body(request, 16 << 20);
      const auto answer = sink_.receive(request.get("Idempotency-Key", ""), body);
      if (answer.replayed) response.set("Idempotent-Replayed", "true");
      send_text(response, answer.status,
                answer.status < 300 ? "application/json" : "application/problem+json", answer.body);
    } catch (const Problem& p) {
      send_problem(response, p, request.getURI());
    }
  }

 private:
  EngineSink& sink_;
};

class SinkFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit SinkFactory(EngineSink& sink) : sink_(sink) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new SinkHandler(sink_);
  }

 private:
  EngineSink& sink_;
};

std::string problem_body(int status, const std::string& detail) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  body->set("type", "https://carescan.example/problems/engine-sink");
  body->set("title", "Claim refused");
  body->set("status", status);
  body->set("detail", detail);
  return core::to_json(body);
}

}  // namespace

EngineSink::EngineSink(const std::string& address, int port, std::filesystem::path data_dir,
                       int fail_first)
    : dir_(std::move(data_dir) / "claims"), fail_remaining_(fail_first) {
  std::filesystem::create_directories(dir_);
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    if (entry.path().extension() == ".json") ++counts_.stored;
  }
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(address, static_cast<uint16_t>(port)));
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(4);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new SinkFactory(*this), socket, params);
}

EngineSink::~EngineSink() {
  stop();
}

void EngineSink::start() {
  server_->start();
}

void EngineSink::stop() {
  if (server_) server_->stopAll(true);
}

int EngineSink::port() const {
  return server_->port();
}

SinkCounts EngineSink::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

EngineSink::Answer EngineSink::receive(const std::string& key, const std::string& body) {
  std::lock_guard lock(mutex_);
  if (fail_remaining_ > 0) {
    --fail_remaining_;
    ++counts_.refused;
    return {503, problem_body(503, "the engine is failing on purpose (--fail-first)")};
  }
  if (!safe_key(key)) {
    ++counts_.refused;
    return {400, problem_body(400, "Idempotency-Key is missing or not a claim id")};
  }
  const auto path = dir_ / (key + ".json");
  if (std::filesystem::exists(path)) {
    ++counts_.duplicates;
    return {200, read_file(path), true};
  }
  try {
    auto claim = core::parse_json_object(body, "claim");
    if (!claim->has("claim_id") || claim->getValue<std::string>("claim_id") != key) {
      ++counts_.refused;
      return {422, problem_body(422, "claim_id in the body differs from the Idempotency-Key")};
    }
  } catch (const std::exception& e) {
    ++counts_.refused;
    return {400, problem_body(400, std::string("the body is not a claim: ") + e.what())};
  }
  write_durably(path, body);
  ++counts_.stored;
  return {201, body};
}

}  // namespace carescan::service
