#pragma once
// The reviewer page's static files (index.html, app.js, ...), embedded at build time.

#include <string_view>

namespace carescan::web {

struct WebAsset {
  std::string_view name;  // file name, no folder: "app.js"
  std::string_view media_type;
  std::string_view bytes;
};

// nullptr when no such file was embedded.
const WebAsset* find_asset(std::string_view name);

}  // namespace carescan::web
