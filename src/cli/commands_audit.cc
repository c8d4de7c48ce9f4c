// `accredit audit verify|checkpoint|export`.

#include <chrono>
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/commands.h"

namespace accredit::cli::internal {
namespace {

Result<std::string> ReadWholeFile(const std::string& path, std::string_view field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Err(ErrorCode::kNotFound, "cannot read the file", std::string(field));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

Result<int> RunAuditVerify(const Args& args, App& app, std::ostream& out) {
  ACC_RETURN_IF_ERROR(auth::Authorize(Operator(), auth::Action::kAuditVerify));
  ACC_ASSIGN_OR_RETURN(auto conn, app.store->Acquire());
  audit::VerifyReport report;
  if (!args.checkpoint_file.empty()) {
    ACC_ASSIGN_OR_RETURN(const std::string text, ReadWholeFile(args.checkpoint_file, "checkpoint"));
    auto parsed = audit::Checkpoint::FromJson(text);
    if (!parsed) {
      Error e = parsed.error();
      e.field = e.field.empty() ? "checkpoint" : "checkpoint: " + e.field;
      return e;
    }
    ACC_ASSIGN_OR_RETURN(report, app.audit->Verify(*conn, &*parsed, app.checkpoint_key.get()));
    report.checkpoint = std::move(*parsed);
    report.checkpoint_source = audit::CheckpointSource::kArgument;
  } else {
    // The newest checkpoint of audit_checkpoints and of the checkpoint file.
    ACC_ASSIGN_OR_RETURN(report, app.audit->VerifyNewest(*conn));
  }
  for (const std::string& note : report.notes) {
    out << "note: " << note << "\n";
  }
  const std::string against =
      report.checkpoint
          ? "the " + audit::DescribeCheckpoint(*report.checkpoint, report.checkpoint_source)
          : std::string();
  if (!report.ok) {
    return Err(ErrorCode::kDataLoss, "audit log verification FAILED" +
                                         (against.empty() ? "" : " against " + against) + ": " +
                                         report.reason);
  }
  out << "audit log OK: " << report.records << " records";
  if (report.checkpoint) {
    out << " (consistent with " << against << ")";
  } else {
    out << " (no checkpoint found: hash chain checked only)";
  }
  out << "\n";
  return 0;
}

Result<int> RunAuditCheckpoint(const Args& args, App& app, std::ostream& out) {
  ACC_RETURN_IF_ERROR(auth::Authorize(Operator(), auth::Action::kAuditVerify));
  // Kept in audit_checkpoints and the checkpoint file (and sent to the witness), then exported.
  ACC_ASSIGN_OR_RETURN(const audit::Checkpoint cp, app.audit->TakeCheckpoint(*app.store));
  ACC_RETURN_IF_ERROR(WriteOutput(args.out_file, cp.ToJson() + "\n", out));
  if (!args.out_file.empty() && args.out_file != "-") {
    out << "checkpoint of " << cp.size << " records written\n";
  }
  return 0;
}

Result<int> RunAuditExport(const Args& args, App& app, std::ostream& out) {
  ACC_RETURN_IF_ERROR(auth::Authorize(Operator(), auth::Action::kAuditExport));
  audit::Filter filter;
  if (!args.entity_type.empty()) {
    filter.entity_type = args.entity_type;
  }
  if (!args.actor.empty()) {
    filter.actor = args.actor;
  }
  if (!args.from.empty()) {
    ACC_ASSIGN_OR_RETURN(const Date from, ParseDate(args.from, "from"));
    filter.from = LondonStartOfDay(from);
  }
  if (!args.to.empty()) {
    ACC_ASSIGN_OR_RETURN(const Date to, ParseDate(args.to, "to"));
    // --to names the last day included; the filter's bound is exclusive.
    filter.to = LondonEndOfDay(to) + std::chrono::milliseconds(1);
  }
  filter.newest_first = false;
  ACC_ASSIGN_OR_RETURN(auto conn, app.store->Acquire());
  std::ofstream file;
  std::ostream* sink = &out;
  if (!args.out_file.empty() && args.out_file != "-") {
    file.open(args.out_file, std::ios::binary | std::ios::trunc);
    if (!file) {
      return Err(ErrorCode::kUnavailable, "cannot write the output file", "out");
    }
    sink = &file;
  }
  if (args.format == "json") {
    ACC_RETURN_IF_ERROR(app.audit->ExportJson(*conn, filter, *sink));
  } else {
    ACC_RETURN_IF_ERROR(app.audit->ExportCsv(*conn, filter, *sink));
  }
  if (file.is_open()) {
    file.close();
    if (!file) {
      return Err(ErrorCode::kUnavailable, "cannot write the output file", "out");
    }
  }
  return 0;
}

}  // namespace accredit::cli::internal
