#include "testing/testing.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace accredit::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");  // NOLINT(concurrency-mt-unsafe): tests, startup
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/accredit-test-XXXXXX";
  char* made = mkdtemp(tmpl.data());
  if (made == nullptr) {
    std::abort();
  }
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path SourceDir() {
  const char* env = std::getenv("ACC_SOURCE_DIR");  // NOLINT(concurrency-mt-unsafe)
  if (env != nullptr && *env != '\0') {
    return env;
  }
#ifdef ACC_SOURCE_DIR
  return ACC_SOURCE_DIR;
#else
  return std::filesystem::current_path();
#endif
}

std::filesystem::path SharedDir() {
  return SourceDir().parent_path() / "shared";
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace accredit::testing
