#pragma once

// Internal to the cli module: the generic register commands of issue 3. One noun per
// registers::RegisterDef (`accredit <singular> list|show|add|edit|delete|import|export`), plus
// `accredit link add|list|remove`, `accredit evidence upload` and the hidden
// `accredit registers describe --markdown` that prints docs/REGISTERS.md. See docs/CLI.md.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"

namespace CLI {
class App;
}  // namespace CLI

namespace accredit::cli::internal {

// The dispatcher's command table: a parsed sub-command and what to run for it.
using CommandList = std::vector<std::pair<CLI::App*, std::function<Result<int>()>>>;

// Storage for the options of the generic commands. Owned by the dispatcher for as long as the
// CLI::App that binds to it.
struct RegisterArgs {
  std::vector<std::string> filters;  // --filter field=value
  std::vector<std::string> sets;     // --set field=value
  std::string q;
  std::string sort;
  int limit = 50;
  std::int64_t offset = 0;
  std::int64_t id = 0;
  std::string from_json;  // --from-json FILE, "-" for stdin
  std::string file;
  std::string out_file;
  bool json = false;
  bool markdown = false;
  // link.
  std::string from_register;
  std::string relation;
  std::string to_register;
  std::string to_key;
  // evidence.
  std::string title;
  std::string description;
};

// Adds the generic nouns to `app` (after every hand-written noun, so clashes are detected) and
// their commands to `commands`. A RegisterDef whose singular is already a noun (e.g. "supplier")
// gets its plural name as the noun instead ("suppliers"). Commands open the database named by
// `args.db_path` when they run and print to `out`. The returned storage must outlive parsing and
// running.
std::unique_ptr<RegisterArgs> AddRegisterCommands(CLI::App& app, const Args& args,
                                                  const Clock& clock, std::ostream& out,
                                                  CommandList& commands);

// The CLI noun of a register: its singular, or its plural name when the singular is one of the
// hand-written nouns.
std::string RegisterNoun(const registers::RegisterDef& def);

}  // namespace accredit::cli::internal
