#pragma once

// Shared test helpers: temporary directories and paths into the source tree.

#include <filesystem>
#include <string>

namespace accredit::testing {

// A fresh directory under $TMPDIR, removed recursively on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& Path() const { return path_; }

  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The repository root (from ACC_SOURCE_DIR) and ../shared beside it.
std::filesystem::path SourceDir();
std::filesystem::path SharedDir();
std::string ReadFile(const std::filesystem::path& p);

}  // namespace accredit::testing
