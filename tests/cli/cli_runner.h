#pragma once

// Runs accredit::cli::Main in-process with an argv array, capturing stdout and stderr through
// files in a TempDir (dup2), as the CLI tests need.

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "testing/testing.h"

namespace accredit::cli {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

// Redirects one file descriptor to a file for the lifetime of the object.
class Redirect {
 public:
  Redirect(int fd, const std::string& path) : fd_(fd), saved_(dup(fd)) {
    const int file = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(file, fd_);
    close(file);
  }

  ~Redirect() {
    dup2(saved_, fd_);
    close(saved_);
  }

  Redirect(const Redirect&) = delete;
  Redirect& operator=(const Redirect&) = delete;

 private:
  int fd_;
  int saved_;
};

// `accredit ARGS...`; the captured output files live in `dir`.
inline CliRun RunCli(std::vector<std::string> args, const testing::TempDir& dir) {
  args.insert(args.begin(), "accredit");
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  CliRun run;
  const std::string out_path = dir.File("stdout.txt");
  const std::string err_path = dir.File("stderr.txt");
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  {
    Redirect out(STDOUT_FILENO, out_path);
    Redirect err(STDERR_FILENO, err_path);
    run.code = Main(static_cast<int>(args.size()), argv.data());
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
  }
  run.out = testing::ReadFile(out_path);
  run.err = testing::ReadFile(err_path);
  return run;
}

}  // namespace accredit::cli
