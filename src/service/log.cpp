#include "service/log.h"

#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/json_util.h"

namespace carescan::service {

void log_event(const std::string& level, const std::string& event, const LogFields& fields) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  Poco::JSON::Object::Ptr line = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  line->set("ts", std::string(stamp));
  line->set("level", level);
  line->set("event", event);
  for (const auto& [k, v] : fields) line->set(k, v);
  // One write per line, so that lines from several threads do not interleave.
  const std::string text = core::to_json(line) + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace carescan::service
