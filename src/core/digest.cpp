#include "core/digest.h"

#include <Poco/SHA2Engine.h>

namespace carescan::core {

std::string sha256_hex(std::string_view bytes) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(bytes.data(), static_cast<unsigned>(bytes.size()));
  return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace carescan::core
