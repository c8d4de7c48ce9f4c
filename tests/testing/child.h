#pragma once

// A child process for tests that run the real binaries (`accredit serve`, the SMTP sink).

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace accredit::testing {

// A child process (fork + execv), optionally with its standard output read line by line on a
// thread; stdout/stderr otherwise go to files. Killed (SIGKILL) on destruction if still running.
class Child {
 public:
  Child(std::vector<std::string> argv, const std::string& out_file, bool pipe_stdout)
      : argv_(std::move(argv)) {
    int fds[2] = {-1, -1};
    if (pipe_stdout) {
      EXPECT_EQ(::pipe(fds), 0);
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      const int log = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(log, 2);
      if (pipe_stdout) {
        ::dup2(fds[1], 1);
        ::close(fds[0]);
        ::close(fds[1]);
      } else {
        ::dup2(log, 1);
      }
      std::vector<char*> args;
      for (std::string& a : argv_) {
        args.push_back(a.data());
      }
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    if (pipe_stdout) {
      ::close(fds[1]);
      reader_ = std::thread([this, fd = fds[0]] { Read(fd); });
    }
  }

  ~Child() {
    if (pid_ > 0 && !exited_) {
      Signal(SIGKILL);
      Wait();
    }
    if (reader_.joinable()) {
      reader_.join();
    }
  }

  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  void Signal(int sig) const { ::kill(pid_, sig); }

  pid_t Pid() const { return pid_; }

  int Wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exited_ = true;
    return status;
  }

  // Waits until a line equal to `line` was printed; false on timeout or end of output.
  bool WaitForLine(const std::string& line, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      return std::find(lines_.begin(), lines_.end(), line) != lines_.end() || eof_;
    }) && std::find(lines_.begin(), lines_.end(), line) != lines_.end();
  }

  // The first line (the sink's port).
  std::string FirstLine(std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return !lines_.empty() || eof_; });
    return lines_.empty() ? "" : lines_.front();
  }

 private:
  void Read(int fd) {
    std::string partial;
    char buf[512];
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof(buf));
      if (n <= 0) {
        break;
      }
      partial.append(buf, static_cast<std::size_t>(n));
      std::size_t nl = 0;
      while ((nl = partial.find('\n')) != std::string::npos) {
        std::lock_guard lock(mu_);
        lines_.push_back(partial.substr(0, nl));
        partial.erase(0, nl + 1);
        cv_.notify_all();
      }
    }
    ::close(fd);
    std::lock_guard lock(mu_);
    eof_ = true;
    cv_.notify_all();
  }

  std::vector<std::string> argv_;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;  // guarded by mu_
  bool eof_ = false;                // guarded by mu_
};

// Runs `argv` to its end with output to `out_file`; its exit code, or -1 when it did not exit.
inline int RunToEnd(std::vector<std::string> argv, const std::string& out_file) {
  Child c(std::move(argv), out_file, false);
  const int status = c.Wait();
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The port of an `accredit serve` child from its "accredit listening on http://H:P" line, or -1
// when it did not start within `timeout`.
inline int ListeningPort(Child& serve, std::chrono::seconds timeout) {
  const std::string first = serve.FirstLine(timeout);
  std::smatch m;
  if (!std::regex_search(first, m, std::regex(R"(listening on https?://[^:]+:(\d+))"))) {
    return -1;
  }
  return std::stoi(m[1].str());
}

}  // namespace accredit::testing
