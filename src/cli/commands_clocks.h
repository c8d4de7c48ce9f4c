#pragma once

// Internal to the cli module: the obligation commands of issue 4 (docs/CLI.md):
//   accredit obligations [--at INSTANT] [--overdue] [--open] [--state S] [--due-within 10wd|10d]
//                        [--clause 5.13] [--customer] [--json]
//   accredit gate [--at INSTANT] [--json]      (exit 0: may process; 5: may not)

#include <memory>
#include <string>

#include "cli/commands_registers.h"

namespace accredit::cli::internal {

struct ClockArgs {
  std::string at;  // empty: now
  bool overdue = false;
  bool open = false;
  std::string state;
  std::string due_within;
  std::string clause;
  bool customer = false;
  bool json = false;
};

std::unique_ptr<ClockArgs> AddClockCommands(CLI::App& app, const Args& args, const Clock& clock,
                                            std::ostream& out, CommandList& commands);

}  // namespace accredit::cli::internal
