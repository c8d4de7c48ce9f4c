#pragma once

// Internal to the cli module: the document commands of issue 3 (docs/RMD.md, docs/CLI.md):
//   accredit rmd generate --format html|docx|md --out FILE [--version N]
//   accredit rmd issue [--note TEXT]
//   accredit rmd versions [--json]
//   accredit rmd diff A B
//   accredit rmd check [--json]        (exit 5, failed precondition, when incomplete)
//   accredit matrix export --format xlsx|csv --out FILE
//   accredit soa export --format xlsx|csv --out FILE [--version N]

#include <memory>

#include "cli/commands_registers.h"

namespace accredit::cli::internal {

// Storage for the document commands' options; must outlive parsing and running.
struct DocumentArgs {
  std::string format;
  std::string out_file;
  std::int64_t version = 0;  // 0: the current registers (a draft)
  std::string note;
  std::int64_t a = 0;
  std::int64_t b = 0;
  bool json = false;
};

// Adds the nouns rmd, matrix and soa to `app` and their commands to `commands`. Commands open
// the database named by `args.db_path` when they run and print to `out`.
std::unique_ptr<DocumentArgs> AddDocumentCommands(CLI::App& app, const Args& args,
                                                  const Clock& clock, std::ostream& out,
                                                  CommandList& commands);

}  // namespace accredit::cli::internal
