#pragma once

// Helpers for the docs tests: reading zip parts with libzip, running external tools
// (xmllint, LibreOffice, pdftotext) and a sample Annex 3-shaped document.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "docs/docs.h"

namespace accredit::docs::testing {

// The twelve Annex 3 section headings, numbered as in the RMD ("1 Executive Summary", ...).
const std::vector<std::string>& Annex3Headings();

// A document with every Annex 3 heading (level 1), sub-headings, a risk table with a highlighted
// row, a paragraph, a list, a gap notice and a page break.
Document SampleRmd();

// The names of all entries of a zip file (empty on failure, with a gtest failure recorded).
std::vector<std::string> ZipEntries(const std::filesystem::path& zip);
// One entry's content, or nullopt when missing.
std::optional<std::string> ZipEntry(const std::filesystem::path& zip, const std::string& name);

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

CommandResult RunCommand(const std::string& command);

// Single-quoted for /bin/sh.
std::string ShellQuote(const std::string& s);

// Runs `xmllint --noout` on `xml` (written to a file under `scratch`); true when well-formed,
// else false with xmllint's messages in `diagnostics`.
bool XmlWellFormed(const std::string& xml, const std::filesystem::path& scratch,
                   std::string* diagnostics);

// Converts `input` with headless LibreOffice (fresh profile under `scratch`) using the filter
// spec `to` ("pdf", "csv:..."), into `scratch`/out. Returns the produced file path or nullopt
// (with diagnostics). Fails (not skips) when soffice is not installed.
std::optional<std::filesystem::path> ConvertWithLibreOffice(const std::filesystem::path& input,
                                                            const std::string& to,
                                                            const std::string& out_ext,
                                                            const std::filesystem::path& scratch,
                                                            std::string* diagnostics);

}  // namespace accredit::docs::testing
