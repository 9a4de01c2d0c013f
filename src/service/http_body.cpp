#include "service/http_body.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>

#include <istream>

#include "service/problem.h"

namespace carescan::service {
namespace {

Problem too_large(std::size_t max_bytes) {
  return Problem(413, "too-large", "The file is too large",
                 "the body exceeds the limit of " + std::to_string(max_bytes) +
                     " bytes (service.max_body_bytes)");
}

std::string read_limited(std::istream& in, std::size_t max_bytes) {
  std::string out;
  char buf[64 * 1024];
  while (in) {
    in.read(buf, sizeof buf);
    const auto n = static_cast<std::size_t>(in.gcount());
    if (out.size() + n > max_bytes) throw too_large(max_bytes);
    out.append(buf, n);
  }
  return out;
}

class FilePart : public Poco::Net::PartHandler {
 public:
  explicit FilePart(std::size_t max_bytes) : max_bytes_(max_bytes) {}
  void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
    std::string disposition;
    Poco::Net::NameValueCollection params;
    Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition,
                                              params);
    const bool is_file = params.has("filename");
    const bool preferred = params.get("name", "") == "file";
    std::string bytes = read_limited(stream, max_bytes_);
    if (is_file && (!found_ || (preferred && !preferred_found_))) {
      upload_.bytes = std::move(bytes);
      upload_.filename = params.get("filename", "");
      found_ = true;
      preferred_found_ = preferred;
    }
  }
  [[nodiscard]] bool found() const { return found_; }
  Upload take() { return std::move(upload_); }

 private:
  std::size_t max_bytes_;
  Upload upload_;
  bool found_ = false;
  bool preferred_found_ = false;
};

}  // namespace

std::string read_body(Poco::Net::HTTPServerRequest& request, std::size_t max_bytes) {
  if (request.hasContentLength() && request.getContentLength64() > 0 &&
      static_cast<std::size_t>(request.getContentLength64()) > max_bytes) {
    throw too_large(max_bytes);
  }
  return read_limited(request.stream(), max_bytes);
}

Upload read_upload(Poco::Net::HTTPServerRequest& request, std::size_t max_bytes) {
  const std::string type = request.getContentType();
  if (type.rfind("multipart/form-data", 0) != 0) {
    Upload raw;
    raw.bytes = read_body(request, max_bytes);
    return raw;
  }
  if (request.hasContentLength() && request.getContentLength64() > 0 &&
      static_cast<std::size_t>(request.getContentLength64()) > max_bytes + 64 * 1024) {
    throw too_large(max_bytes);
  }
  FilePart part(max_bytes);
  try {
    Poco::Net::HTMLForm form;
    form.setFieldLimit(16);
    form.load(request, request.stream(), part);
  } catch (const Problem&) {
    throw;
  } catch (const Poco::Exception& e) {
    throw bad_request("the multipart body cannot be read: " + e.displayText());
  }
  if (!part.found()) {
    throw bad_request("the multipart body has no file part (send the scan as field \"file\")");
  }
  return part.take();
}

}  // namespace carescan::service
