#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/digest.h"
#include "store/store.h"

namespace carescan::store {
namespace {

void fsync_path(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw StoreError("cannot open " + path.string() + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw StoreError("cannot sync " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

BlobStore::BlobStore(std::filesystem::path root) : root_(std::move(root)) {}

std::filesystem::path BlobStore::path_of(const std::string& sha256) const {
  if (sha256.size() != 64 || sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
    throw StoreError("store: \"" + sha256 + "\" is not a SHA-256");
  }
  return root_ / sha256.substr(0, 2) / sha256.substr(2);
}

bool BlobStore::contains(const std::string& sha256) const {
  return std::filesystem::exists(path_of(sha256));
}

std::string BlobStore::put(std::string_view bytes) {
  std::string sha256 = core::sha256_hex(bytes);
  const auto target = path_of(sha256);
  if (std::filesystem::exists(target)) return sha256;
  std::filesystem::create_directories(target.parent_path());
  // Unique per process and thread, so two writers of the same bytes never share a temporary.
  std::ostringstream tmp_name;
  tmp_name << target.filename().string() << ".tmp." << ::getpid() << "."
           << std::hash<std::thread::id>{}(std::this_thread::get_id());
  const auto tmp = target.parent_path() / tmp_name.str();
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) throw StoreError("cannot write " + tmp.string());
  }
  fsync_path(tmp, O_RDONLY);
  std::filesystem::rename(tmp, target);
  // The rename itself is durable only once the folder is synced.
  fsync_path(target.parent_path(), O_RDONLY | O_DIRECTORY);
  return sha256;
}

std::string BlobStore::get(const std::string& sha256) const {
  std::ifstream in(path_of(sha256), std::ios::binary);
  if (!in) throw StoreError("store: no blob " + sha256);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace carescan::store
