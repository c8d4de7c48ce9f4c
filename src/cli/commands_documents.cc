// The document commands (commands_documents.h).

#include "cli/commands_documents.h"

#include <filesystem>
#include <iostream>

#include "docs/docs.h"
#include "reports/reports.h"

#include <CLI/CLI.hpp>

namespace accredit::cli::internal {
namespace {

// The app owns the catalogue and the reports service (cli::OpenApp is the composition root).
struct Session {
  std::unique_ptr<App> app;
  reports::Reports* reports = nullptr;
};

Result<Session> OpenReports(const Clock& clock, const Args& args) {
  Session s;
  ACC_ASSIGN_OR_RETURN(s.app, Open(clock, args));
  s.reports = s.app->reports.get();
  return s;
}

Status RequireOut(const DocumentArgs& d) {
  if (d.out_file.empty()) {
    return Err(ErrorCode::kInvalidArgument, "required", "out");
  }
  return Status::Ok();
}

Result<int> RmdGenerate(const Args& args, const DocumentArgs& d, const Clock& clock,
                        std::ostream& out) {
  ACC_RETURN_IF_ERROR(RequireOut(d));
  ACC_ASSIGN_OR_RETURN(auto s, OpenReports(clock, args));
  const auth::Principal actor = Operator();
  docs::Document doc;
  if (d.version > 0) {
    ACC_ASSIGN_OR_RETURN(doc, s.reports->RmdVersion(actor, d.version));
  } else {
    ACC_ASSIGN_OR_RETURN(doc, s.reports->BuildRmd(actor));
  }
  if (d.format == "docx") {
    ACC_RETURN_IF_ERROR(docs::WriteDocx(doc, d.out_file));
  } else {
    std::string text;
    if (d.format == "html") {
      ACC_ASSIGN_OR_RETURN(text, docs::RenderHtml(doc));
    } else {
      ACC_ASSIGN_OR_RETURN(text, docs::RenderMarkdown(doc));
    }
    ACC_RETURN_IF_ERROR(WriteOutput(d.out_file, text, out));
  }
  if (d.out_file != "-") {
    out << "wrote " << d.out_file << " (" << doc.version << ", " << doc.date << ")\n";
  }
  return 0;
}

Result<int> RmdIssue(const Args& args, const DocumentArgs& d, const Clock& clock,
                     std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(auto s, OpenReports(clock, args));
  ACC_ASSIGN_OR_RETURN(auto info, s.reports->IssueRmd(Operator(), d.note));
  out << "issued RMD version " << info.version << " (sha256 " << info.sha256 << ")\n";
  return 0;
}

Result<int> RmdVersions(const Args& args, const DocumentArgs& d, const Clock& clock,
                        std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(auto s, OpenReports(clock, args));
  ACC_ASSIGN_OR_RETURN(auto list, s.reports->ListRmdVersions(Operator()));
  if (d.json) {
    registers::Json arr = registers::Json::array();
    for (const auto& v : list) {
      arr.push_back({{"version", v.version},
                     {"issued_at", v.issued_at},
                     {"issued_by", v.issued_by},
                     {"note", v.note},
                     {"sha256", v.sha256}});
    }
    out << DumpJson(arr, 2) << "\n";
    return 0;
  }
  if (list.empty()) {
    out << "no RMD version has been issued\n";
  }
  for (const auto& v : list) {
    out << v.version << "\t" << v.issued_at << "\t" << v.issued_by << "\t" << v.note << "\n";
  }
  return 0;
}

Result<int> RmdDiff(const Args& args, const DocumentArgs& d, const Clock& clock,
                    std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(auto s, OpenReports(clock, args));
  ACC_ASSIGN_OR_RETURN(auto diff, s.reports->DiffRmd(Operator(), d.a, d.b));
  for (const auto& section : diff) {
    out << "== " << (section.heading.empty() ? "(start)" : section.heading) << ": "
        << docs::DiffStatusName(section.status) << "\n";
    for (const auto& line : section.lines) {
      out << line << "\n";
    }
  }
  return 0;
}

Result<int> RmdCheck(const Args& args, const DocumentArgs& d, const Clock& clock,
                     std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(auto s, OpenReports(clock, args));
  ACC_ASSIGN_OR_RETURN(auto report, s.reports->CheckReadiness(Operator()));
  if (d.json || args.json) {
    out << reports::ToJson(report) << "\n";
  } else {
    for (const auto& item : report.items) {
      out << (item.complete ? "complete   " : "INCOMPLETE ") << item.clause_id << " " << item.title
          << "\n";
      for (const auto& reason : item.reasons) {
        out << "    - " << reason << "\n";
      }
    }
    out << (report.complete ? "The RMD is complete (S2.4-5.4).\n"
                            : "The RMD is incomplete: the Customer may refuse approval "
                              "(S2.4-5.5).\n");
  }
  return report.complete ? 0 : ExitCodeFor(ErrorCode::kFailedPrecondition);
}

Result<int> ExportWorkbook(const Args& args, const DocumentArgs& d, const Clock& clock,
                           std::ostream& out, bool matrix) {
  ACC_RETURN_IF_ERROR(RequireOut(d));
  ACC_ASSIGN_OR_RETURN(auto s, OpenReports(clock, args));
  const auth::Principal actor = Operator();
  docs::Workbook book;
  if (matrix) {
    ACC_ASSIGN_OR_RETURN(book, s.reports->ComplianceMatrix(actor));
  } else if (d.version > 0) {
    ACC_ASSIGN_OR_RETURN(book, s.reports->SoaVersion(actor, d.version));
  } else {
    ACC_ASSIGN_OR_RETURN(book, s.reports->StatementOfApplicability(actor));
  }
  if (d.format == "xlsx") {
    ACC_RETURN_IF_ERROR(docs::WriteXlsx(book, d.out_file));
  } else {
    ACC_ASSIGN_OR_RETURN(auto csv, docs::RenderCsv(book.sheets.front()));
    ACC_RETURN_IF_ERROR(WriteOutput(d.out_file, csv, out));
  }
  if (d.out_file != "-") {
    out << "wrote " << d.out_file << " (" << book.sheets.front().rows.size() << " rows)\n";
  }
  return 0;
}

}  // namespace

std::unique_ptr<DocumentArgs> AddDocumentCommands(CLI::App& app, const Args& args,
                                                  const Clock& clock, std::ostream& out,
                                                  CommandList& commands) {
  auto d = std::make_unique<DocumentArgs>();
  DocumentArgs* da = d.get();
  auto cmd = [&args, &clock, &out,
              da](Result<int> (*fn)(const Args&, const DocumentArgs&, const Clock&,
                                    std::ostream&)) -> std::function<Result<int>()> {
    return [&args, &clock, &out, da, fn]() {
      return fn(args, *da, clock, out);
    };
  };

  auto* rmd = app.add_subcommand("rmd", "Risk Management Documentation (Annex 3 layout)");
  rmd->require_subcommand(1);
  auto* generate =
      rmd->add_subcommand("generate", "Write the RMD (current registers or a version)");
  generate->add_option("--format", da->format, "html | docx | md")
      ->required()
      ->check(CLI::IsMember({"html", "docx", "md"}));
  generate->add_option("--out", da->out_file, "Output file")->required();
  generate->add_option("--version", da->version, "An issued version instead of the current RMD");
  commands.emplace_back(generate, cmd(RmdGenerate));
  auto* issue = rmd->add_subcommand("issue", "Freeze the current RMD as the next version");
  issue->add_option("--note", da->note, "Why it is issued (kept with the version)");
  commands.emplace_back(issue, cmd(RmdIssue));
  auto* versions = rmd->add_subcommand("versions", "List the issued RMD versions");
  versions->add_flag("--json", da->json, "JSON output");
  commands.emplace_back(versions, cmd(RmdVersions));
  auto* diff = rmd->add_subcommand("diff", "Compare two issued versions section by section");
  diff->add_option("a", da->a, "Older version")->required();
  diff->add_option("b", da->b, "Newer version")->required();
  commands.emplace_back(diff, cmd(RmdDiff));
  auto* check = rmd->add_subcommand(
      "check", "Readiness against S2.4-5.4 and Annex 3 (exit 5 when incomplete)");
  check->add_flag("--json", da->json, "JSON output");
  commands.emplace_back(check, cmd(RmdCheck));

  auto add_export = [&](const std::string& noun, const std::string& help, bool matrix) {
    auto* n = app.add_subcommand(noun, help);
    n->require_subcommand(1);
    auto* e = n->add_subcommand("export", "Export as XLSX or CSV (CSV: the first sheet)");
    e->add_option("--format", da->format, "xlsx | csv")
        ->required()
        ->check(CLI::IsMember({"xlsx", "csv"}));
    e->add_option("--out", da->out_file, "Output file (\"-\" for stdout with csv)")->required();
    if (!matrix) {
      e->add_option("--version", da->version,
                    "The SoA frozen with this issued RMD version instead of the current one");
    }
    commands.emplace_back(e, [&args, &clock, &out, da, matrix]() {
      return ExportWorkbook(args, *da, clock, out, matrix);
    });
  };
  add_export("matrix", "Compliance matrix (S2.4-6.1)", true);
  add_export("soa", "Statement of Applicability (S2.4-5.4.3)", false);
  return d;
}

}  // namespace accredit::cli::internal
