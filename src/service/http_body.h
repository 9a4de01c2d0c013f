#pragma once
// Reading request bodies within a size limit: raw bytes or the file part of a multipart form.

#include <Poco/Net/HTTPServerRequest.h>

#include <cstddef>
#include <string>

namespace carescan::service {

// Whole body; a Problem 413 as soon as it passes `max_bytes` (before reading it all when the
// client announced its length).
std::string read_body(Poco::Net::HTTPServerRequest& request, std::size_t max_bytes);

struct Upload {
  std::string bytes;
  std::string filename;  // as the client named it; informative only, never trusted for the type
};

// `multipart/form-data`: the first part that carries a file (field "file" preferred); anything
// else: the raw body.
Upload read_upload(Poco::Net::HTTPServerRequest& request, std::size_t max_bytes);

}  // namespace carescan::service
