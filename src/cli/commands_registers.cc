// The generic register commands: `accredit <singular> list|show|add|edit|delete|import|export`
// for every RegisterDef, `accredit link ...`, `accredit evidence upload` and the hidden
// `accredit registers describe --markdown` (docs/REGISTERS.md).

#include "cli/commands_registers.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include <CLI/CLI.hpp>

namespace accredit::cli::internal {
namespace {

using registers::DerivedDef;
using registers::FieldDef;
using Json = nlohmann::json;
using registers::FieldType;
using registers::RegisterDef;
using registers::RegisterService;

// Nouns written by hand (or planned by issue 3 for the documents); a register whose singular is
// one of these is reached by its plural name. "evidence" is not here: the evidence register's
// noun also carries `upload`.
constexpr std::string_view kReservedNouns[] = {
    "init", "serve",   "user", "token",     "audit", "calendar", "contract", "supplier",
    "demo", "version", "link", "registers", "rmd",   "matrix",   "soa",      "help"};

std::string Dump(const Json& j) {
  return DumpJson(j, 2) + "\n";
}

// "field=value" pairs into a JSON object of strings (the service accepts strings for every
// field type, as from forms and CSV).
Result<Json> ParsePairs(const std::vector<std::string>& pairs, std::string_view option) {
  Json obj = Json::object();
  for (const auto& p : pairs) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Err(ErrorCode::kInvalidArgument, "must be FIELD=VALUE, got \"" + p + "\"",
                 std::string(option));
    }
    obj[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return obj;
}

Result<std::string> ReadWholeFile(const std::string& path, std::string_view field) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), {});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Err(ErrorCode::kNotFound, "cannot read the file", std::string(field));
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return Err(ErrorCode::kUnavailable, "cannot read the file", std::string(field));
  }
  return text;
}

// --set pairs, or the object in --from-json (both may be given: --set wins).
Result<Json> InputObject(const RegisterArgs& rargs) {
  Json input = Json::object();
  if (!rargs.from_json.empty()) {
    ACC_ASSIGN_OR_RETURN(const std::string text, ReadWholeFile(rargs.from_json, "from-json"));
    input = Json::parse(text, nullptr, false);
    if (input.is_discarded() || !input.is_object()) {
      return Err(ErrorCode::kInvalidArgument, "must hold one JSON object", "from-json");
    }
  }
  ACC_ASSIGN_OR_RETURN(const Json sets, ParsePairs(rargs.sets, "set"));
  for (const auto& [k, v] : sets.items()) {
    input[k] = v;
  }
  if (input.empty()) {
    return Err(ErrorCode::kInvalidArgument,
               "nothing to write: give --set FIELD=VALUE or --from-json FILE", "set");
  }
  return input;
}

Result<registers::ListQuery> Query(const RegisterArgs& rargs) {
  registers::ListQuery query;
  ACC_ASSIGN_OR_RETURN(const Json filters, ParsePairs(rargs.filters, "filter"));
  for (const auto& [k, v] : filters.items()) {
    query.filters[k] = v.get<std::string>();
  }
  query.q = rargs.q;
  query.sort = rargs.sort;
  query.limit = rargs.limit;
  query.offset = rargs.offset;
  return query;
}

// One value as table/"show" text: strings as is, lists joined with "; ", booleans yes/no.
std::string Cell(const Json& v) {
  if (v.is_null()) {
    return "";
  }
  if (v.is_string()) {
    return v.get<std::string>();
  }
  if (v.is_boolean()) {
    return v.get<bool>() ? "yes" : "no";
  }
  if (v.is_array()) {
    std::string s;
    for (const auto& e : v) {
      if (!s.empty()) {
        s += "; ";
      }
      s += Cell(e);
    }
    return s;
  }
  return DumpJson(v);
}

// Cuts at a character boundary (UTF-8) so a table stays readable.
std::string Clip(std::string s, std::size_t width) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') {
      c = ' ';
    }
  }
  if (s.size() <= width) {
    return s;
  }
  std::size_t cut = width - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return s.substr(0, cut) + "...";
}

// Display width in code points (good enough for the Latin text in our registers).
std::size_t Width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

// Labels of the records that the listed kRef columns point at ("2" -> "2 Northgate ..."), so a
// table names parties and sites instead of bare ids. Best effort: a register the operator may
// not read just shows ids.
using RefLabels = std::map<std::string, std::map<std::int64_t, std::string>>;

RefLabels LoadRefLabels(const RegisterDef& def, App& app) {
  RefLabels labels;
  for (const auto& f : def.fields) {
    if (!f.in_list || f.type != FieldType::kRef) {
      continue;
    }
    const RegisterDef* target = RegisterService::Find(f.ref);
    if (target == nullptr) {
      continue;
    }
    auto choices = app.register_service->RefChoices(Operator(), *target);
    if (!choices) {
      continue;
    }
    for (const auto& [id, label] : *choices) {
      labels[f.name][id] = label;
    }
  }
  return labels;
}

void PrintTable(const RegisterDef& def, const registers::ListResult& result,
                const registers::ListQuery& query, const RefLabels& ref_labels, std::ostream& out) {
  std::vector<std::string> keys = {"id"};
  std::vector<std::string> headers = {"ID"};
  auto upper = [](std::string s) {
    for (char& c : s) {
      c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : (c == '_' ? ' ' : c);
    }
    return s;
  };
  for (const auto& f : def.fields) {
    if (f.in_list) {
      keys.push_back(f.name);
      headers.push_back(upper(f.name));
    }
  }
  for (const auto& d : def.derived) {
    if (d.in_list) {
      keys.push_back(d.name);
      headers.push_back(upper(d.name));
    }
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : result.items) {
    std::vector<std::string> row;
    for (const auto& k : keys) {
      std::string text = item.contains(k) ? Cell(item[k]) : "";
      if (auto labels = ref_labels.find(k);
          labels != ref_labels.end() && item[k].is_number_integer()) {
        if (auto l = labels->second.find(item[k].get<std::int64_t>()); l != labels->second.end()) {
          text += " " + l->second;
        }
      }
      row.push_back(Clip(std::move(text), 40));
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> widths;
  for (const auto& h : headers) {
    widths.push_back(Width(h));
  }
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line += std::string(widths[i] - Width(row[i]) + 2, ' ');
      }
    }
    out << line << "\n";
  };
  print_row(headers);
  for (const auto& row : rows) {
    print_row(row);
  }
  const std::int64_t shown = static_cast<std::int64_t>(result.items.size());
  if (shown < result.total) {
    out << "(" << shown << " of " << result.total << " shown from offset " << query.offset
        << "; use --limit/--offset)\n";
  } else {
    out << "(" << result.total << (result.total == 1 ? " record" : " records") << ")\n";
  }
}

Json LinkJson(const registers::Link& l) {
  return Json{{"id", l.id},
              {"from_register", l.from_register},
              {"from_id", l.from_id},
              {"relation", l.relation},
              {"to_register", l.to_register},
              {"to_key", l.to_key}};
}

void PrintLinks(const std::vector<registers::Link>& links, std::ostream& out) {
  for (const auto& l : links) {
    out << "  [" << l.id << "] " << l.from_register << " " << l.from_id << " " << l.relation << " "
        << l.to_register << " " << l.to_key << "\n";
  }
}

void PrintRecord(const RegisterDef& def, const Json& record,
                 const std::vector<registers::Link>& links, std::ostream& out) {
  std::size_t width = 2;
  for (const auto& f : def.fields) {
    width = std::max(width, Width(f.label));
  }
  for (const auto& d : def.derived) {
    width = std::max(width, Width(d.label));
  }
  auto line = [&](const std::string& label, const Json& v) {
    out << label << ":" << std::string(width - Width(label) + 1, ' ') << Cell(v) << "\n";
  };
  line("ID", record.value("id", Json()));
  for (const auto& f : def.fields) {
    line(f.label, record.contains(f.name) ? record[f.name] : Json());
  }
  for (const auto& d : def.derived) {
    line(d.label, record.contains(d.name) ? record[d.name] : Json());
  }
  out << "Links:" << (links.empty() ? " (none)" : "") << "\n";
  PrintLinks(links, out);
}

// The register name a command line names: a register's name or singular, or a catalogue
// ("catalog:iso27001-2013") as is.
Result<std::string> RegisterName(const std::string& text, std::string_view field) {
  if (text.rfind("catalog:", 0) == 0 && text.size() > 8) {
    return text;
  }
  const RegisterDef* def = RegisterService::Find(text);
  if (def == nullptr) {
    return Err(ErrorCode::kInvalidArgument,
               "no register \"" + text + "\" (see `accredit --help` for the nouns)",
               std::string(field));
  }
  return def->name;
}

std::string ContentTypeFor(const std::string& filename) {
  std::string ext = std::filesystem::path(filename).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".pdf", "application/pdf"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".txt", "text/plain"},
      {".csv", "text/csv"},
      {".json", "application/json"},
      {".xml", "application/xml"},
      {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".zip", "application/zip"},
  };
  for (const auto& [e, type] : kTypes) {
    if (ext == e) {
      return std::string(type);
    }
  }
  return "application/octet-stream";
}

// --- the commands ----------------------------------------------------------------------------

Result<int> RunList(const RegisterDef& def, const RegisterArgs& rargs, App& app,
                    std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const auto query, Query(rargs));
  ACC_ASSIGN_OR_RETURN(const auto result, app.register_service->List(Operator(), def, query));
  if (rargs.json) {
    Json arr = Json::array();
    for (const auto& item : result.items) {
      arr.push_back(item);
    }
    out << Dump(arr);
  } else {
    PrintTable(def, result, query, LoadRefLabels(def, app), out);
  }
  return 0;
}

Result<int> RunShow(const RegisterDef& def, const RegisterArgs& rargs, App& app,
                    std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(Json record, app.register_service->Get(Operator(), def, rargs.id));
  ACC_ASSIGN_OR_RETURN(const auto links, app.register_service->LinksOf(Operator(), def.name,
                                                                       std::to_string(rargs.id)));
  if (rargs.json) {
    Json arr = Json::array();
    for (const auto& l : links) {
      arr.push_back(LinkJson(l));
    }
    record["links"] = std::move(arr);
    out << Dump(record);
  } else {
    PrintRecord(def, record, links, out);
  }
  return 0;
}

Result<int> RunAdd(const RegisterDef& def, const RegisterArgs& rargs, App& app, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const Json input, InputObject(rargs));
  ACC_ASSIGN_OR_RETURN(const Json created, app.register_service->Create(Operator(), def, input));
  if (rargs.json) {
    out << Dump(created);
  } else {
    out << "Created " << def.singular << " " << DumpJson(created.value("id", Json())) << "\n";
  }
  return 0;
}

Result<int> RunEdit(const RegisterDef& def, const RegisterArgs& rargs, App& app,
                    std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const Json patch, InputObject(rargs));
  ACC_ASSIGN_OR_RETURN(const Json updated,
                       app.register_service->Update(Operator(), def, rargs.id, patch));
  if (rargs.json) {
    out << Dump(updated);
  } else {
    out << "Updated " << def.singular << " " << rargs.id << "\n";
  }
  return 0;
}

Result<int> RunDelete(const RegisterDef& def, const RegisterArgs& rargs, App& app,
                      std::ostream& out) {
  ACC_RETURN_IF_ERROR(app.register_service->Delete(Operator(), def, rargs.id));
  out << "Deleted " << def.singular << " " << rargs.id << "\n";
  return 0;
}

Result<int> RunImport(const RegisterDef& def, const RegisterArgs& rargs, App& app,
                      std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const std::string csv, ReadWholeFile(rargs.file, "file"));
  ACC_ASSIGN_OR_RETURN(const auto report, app.register_service->ImportCsv(Operator(), def, csv));
  out << "Imported " << (report.created + report.updated) << " " << def.name << " ("
      << report.created << " created, " << report.updated << " updated)\n";
  return 0;
}

Result<int> RunExport(const RegisterDef& def, const RegisterArgs& rargs, App& app,
                      std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(auto query, Query(rargs));
  std::ostringstream csv;
  ACC_RETURN_IF_ERROR(app.register_service->ExportCsv(Operator(), def, query, csv));
  ACC_RETURN_IF_ERROR(WriteOutput(rargs.out_file, csv.str(), out));
  return 0;
}

Result<int> RunLinkAdd(const RegisterArgs& rargs, App& app, std::ostream& out) {
  registers::Link link;
  ACC_ASSIGN_OR_RETURN(link.from_register, RegisterName(rargs.from_register, "from_register"));
  if (link.from_register.rfind("catalog:", 0) == 0) {
    return Err(ErrorCode::kInvalidArgument, "a link starts at a register record, not a catalogue",
               "from_register");
  }
  link.from_id = rargs.id;
  link.relation = rargs.relation;
  ACC_ASSIGN_OR_RETURN(link.to_register, RegisterName(rargs.to_register, "to_register"));
  link.to_key = rargs.to_key;
  ACC_ASSIGN_OR_RETURN(const auto created, app.register_service->AddLink(Operator(), link));
  if (rargs.json) {
    out << Dump(LinkJson(created));
  } else {
    out << "Created link " << created.id << ": " << created.from_register << " " << created.from_id
        << " " << created.relation << " " << created.to_register << " " << created.to_key << "\n";
  }
  return 0;
}

Result<int> RunLinkList(const RegisterArgs& rargs, App& app, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const std::string reg, RegisterName(rargs.from_register, "register"));
  ACC_ASSIGN_OR_RETURN(const auto links,
                       app.register_service->LinksOf(Operator(), reg, rargs.to_key));
  if (rargs.json) {
    Json arr = Json::array();
    for (const auto& l : links) {
      arr.push_back(LinkJson(l));
    }
    out << Dump(arr);
  } else {
    PrintLinks(links, out);
    out << "(" << links.size() << (links.size() == 1 ? " link" : " links") << ")\n";
  }
  return 0;
}

Result<int> RunLinkRemove(const RegisterArgs& rargs, App& app, std::ostream& out) {
  ACC_RETURN_IF_ERROR(app.register_service->RemoveLink(Operator(), rargs.id));
  out << "Removed link " << rargs.id << "\n";
  return 0;
}

Result<int> RunEvidenceUpload(const RegisterArgs& rargs, App& app, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const std::string bytes, ReadWholeFile(rargs.file, "file"));
  const std::string filename = std::filesystem::path(rargs.file).filename().string();
  Json fields = Json::object();
  fields["title"] = rargs.title;
  if (!rargs.description.empty()) {
    fields["description"] = rargs.description;
  }
  ACC_ASSIGN_OR_RETURN(const Json created,
                       app.register_service->CreateEvidence(Operator(), fields, filename,
                                                            ContentTypeFor(filename), bytes));
  if (rargs.json) {
    out << Dump(created);
  } else {
    out << "Uploaded evidence " << DumpJson(created.value("id", Json()));
    if (created.contains("sha256")) {
      out << " (sha256 " << Cell(created["sha256"]) << ")";
    }
    out << "\n";
  }
  return 0;
}

}  // namespace

std::string RegisterNoun(const RegisterDef& def) {
  for (const auto reserved : kReservedNouns) {
    if (def.singular == reserved) {
      return def.name;
    }
  }
  return def.singular;
}

std::unique_ptr<RegisterArgs> AddRegisterCommands(CLI::App& app, const Args& args,
                                                  const Clock& clock, std::ostream& out,
                                                  CommandList& commands) {
  auto rargs = std::make_unique<RegisterArgs>();
  RegisterArgs& r = *rargs;

  auto with_app = [&args, &clock, &out,
                   &r](std::function<Result<int>(const RegisterArgs&, App&, std::ostream&)> fn) {
    return [&args, &clock, &out, &r, fn]() -> Result<int> {
      ACC_ASSIGN_OR_RETURN(auto opened, Open(clock, args));
      if (opened->register_service == nullptr) {
        return Err(ErrorCode::kInternal, "the register service is not available");
      }
      return fn(r, *opened, out);
    };
  };
  auto existing_noun = [&app](const std::string& name) -> CLI::App* {
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      if (sub->get_name() == name) {
        return sub;
      }
    }
    return nullptr;
  };
  auto id_option = [&r](CLI::App* sub) {
    sub->add_option("id", r.id, "Record id")->required()->check(CLI::PositiveNumber);
  };
  auto json_flag = [&r](CLI::App* sub) {
    sub->add_flag("--json", r.json, "JSON output");
  };
  auto query_options = [&r](CLI::App* sub) {
    sub->add_option("--filter", r.filters,
                    "FIELD=VALUE: exact match (text fields: contains); repeatable");
    sub->add_option("--q", r.q, "Free text over the text fields");
    sub->add_option("--sort", r.sort, "FIELD, or -FIELD for descending (default id)");
  };
  auto write_options = [&r](CLI::App* sub) {
    sub->add_option("--set", r.sets, "FIELD=VALUE (repeatable; see docs/REGISTERS.md for formats)");
    sub->add_option("--from-json", r.from_json, "Read the fields from a JSON object (- = stdin)");
  };

  CLI::App* evidence_noun = nullptr;
  for (const RegisterDef& def : RegisterService::Defs()) {
    std::string noun = RegisterNoun(def);
    if (existing_noun(noun) != nullptr) {
      noun = def.name;
      if (existing_noun(noun) != nullptr) {
        continue;  // Documented in docs/CLI.md; unreachable with the current nouns.
      }
    }
    const RegisterDef* d = &def;  // Defs() is a static vector: stable for the program's life.
    auto* sub = app.add_subcommand(noun, def.title + " (" + def.clause + ")");
    sub->require_subcommand(1);
    if (def.name == "evidence" || def.singular == "evidence") {
      evidence_noun = sub;
    }

    auto* list = sub->add_subcommand("list", "List " + def.title + " (table, or --json)");
    query_options(list);
    list->add_option("--limit", r.limit, "At most N records (1-500, default 50)");
    list->add_option("--offset", r.offset, "Skip the first N records");
    json_flag(list);
    commands.emplace_back(list, with_app([d](const RegisterArgs& a, App& o, std::ostream& s) {
                            return RunList(*d, a, o, s);
                          }));

    auto* show = sub->add_subcommand("show", "Show one record: fields, derived values, links");
    id_option(show);
    json_flag(show);
    commands.emplace_back(show, with_app([d](const RegisterArgs& a, App& o, std::ostream& s) {
                            return RunShow(*d, a, o, s);
                          }));

    if (def.generic_create) {  // evidence is created by `upload` instead
      auto* add = sub->add_subcommand("add", "Create a record");
      write_options(add);
      json_flag(add);
      commands.emplace_back(add, with_app([d](const RegisterArgs& a, App& o, std::ostream& s) {
                              return RunAdd(*d, a, o, s);
                            }));
    }

    auto* edit = sub->add_subcommand("edit", "Change fields of a record");
    id_option(edit);
    write_options(edit);
    json_flag(edit);
    commands.emplace_back(edit, with_app([d](const RegisterArgs& a, App& o, std::ostream& s) {
                            return RunEdit(*d, a, o, s);
                          }));

    auto* del = sub->add_subcommand("delete", "Delete a record");
    id_option(del);
    commands.emplace_back(del, with_app([d](const RegisterArgs& a, App& o, std::ostream& s) {
                            return RunDelete(*d, a, o, s);
                          }));

    auto* imp =
        sub->add_subcommand("import", "Import a CSV file (all or nothing; docs/REGISTERS.md)");
    imp->add_option("file", r.file, "The CSV file (- = stdin)")->required();
    commands.emplace_back(imp, with_app([d](const RegisterArgs& a, App& o, std::ostream& s) {
                            return RunImport(*d, a, o, s);
                          }));

    auto* exp = sub->add_subcommand("export", "Export as CSV (columns: docs/REGISTERS.md)");
    query_options(exp);
    exp->add_option("--out", r.out_file, "Write to this file (default stdout)");
    commands.emplace_back(exp, with_app([d](const RegisterArgs& a, App& o, std::ostream& s) {
                            return RunExport(*d, a, o, s);
                          }));
  }

  // evidence upload: on the evidence register's noun, or a noun of its own.
  if (evidence_noun == nullptr && existing_noun("evidence") == nullptr) {
    evidence_noun = app.add_subcommand("evidence", "Evidence files");
    evidence_noun->require_subcommand(1);
  }
  if (evidence_noun != nullptr) {
    auto* upload = evidence_noun->add_subcommand(
        "upload", "Store a file as evidence (SHA-256, content-addressed, size-limited)");
    upload->add_option("file", r.file, "The file")->required();
    upload->add_option("--title", r.title, "Title")->required();
    upload->add_option("--description", r.description, "Description");
    json_flag(upload);
    commands.emplace_back(upload, with_app(RunEvidenceUpload));
  }

  // link
  if (existing_noun("link") == nullptr) {
    auto* link = app.add_subcommand("link", "Links between records (many-to-many)");
    link->require_subcommand(1);
    auto* link_add =
        link->add_subcommand("add",
                             "Link FROM_REGISTER FROM_ID RELATION TO_REGISTER TO_KEY, e.g. "
                             "`link add control 4 mitigates risk 7` or "
                             "`link add control 4 implements catalog:iso27001-2013 A.12.6.1`");
    link_add->add_option("from_register", r.from_register, "Register name or noun")->required();
    link_add->add_option("from_id", r.id, "Record id")->required()->check(CLI::PositiveNumber);
    link_add->add_option("relation", r.relation, "mitigates, implements, addresses, supports, ...")
        ->required();
    link_add->add_option("to_register", r.to_register, "Register name or noun, or catalog:<name>")
        ->required();
    link_add->add_option("to_key", r.to_key, "Record id or catalogue id")->required();
    json_flag(link_add);
    commands.emplace_back(link_add, with_app(RunLinkAdd));
    auto* link_list = link->add_subcommand("list", "Links from or to one record");
    link_list->add_option("register", r.from_register, "Register name or noun")->required();
    link_list->add_option("id", r.to_key, "Record id (or catalogue id)")->required();
    json_flag(link_list);
    commands.emplace_back(link_list, with_app(RunLinkList));
    auto* link_remove = link->add_subcommand("remove", "Remove a link by its id");
    link_remove->add_option("link_id", r.id, "Link id")->required()->check(CLI::PositiveNumber);
    commands.emplace_back(link_remove, with_app(RunLinkRemove));
  }

  // registers describe --markdown (hidden: prints docs/REGISTERS.md from the definitions).
  if (existing_noun("registers") == nullptr) {
    auto* regs = app.add_subcommand("registers", "");  // an empty description hides it
    regs->group("");
    regs->require_subcommand(1);
    auto* describe = regs->add_subcommand("describe", "Describe the registers' CSV columns");
    describe->add_flag("--markdown", r.markdown, "Markdown (docs/REGISTERS.md); the only format");
    commands.emplace_back(describe, [&out]() -> Result<int> {
      out << registers::RegistersMarkdown();
      return 0;
    });
  }
  return rargs;
}

}  // namespace accredit::cli::internal
