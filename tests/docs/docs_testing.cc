#include "docs_testing.h"

#include <sys/wait.h>
#include <zip.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include <gtest/gtest.h>

namespace accredit::docs::testing {
namespace {

struct ZipClose {
  void operator()(zip_t* z) const { zip_discard(z); }
};

using ZipPtr = std::unique_ptr<zip_t, ZipClose>;

ZipPtr OpenZip(const std::filesystem::path& path) {
  int err = 0;
  ZipPtr z(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err));
  if (!z) {
    ADD_FAILURE() << "cannot open zip " << path << " (libzip error " << err << ")";
  }
  return z;
}

struct PipeClose {
  void operator()(FILE* f) const { pclose(f); }
};

}  // namespace

const std::vector<std::string>& Annex3Headings() {
  static const std::vector<std::string> kHeadings = {
      "1 Executive Summary",
      "2 Change History",
      "3 References, Links and Dependencies",
      "4 System Description",
      "5 Risk Assessment",
      "6 In-Service Controls",
      "7 Security Operating Procedures",
      "8 Major Hardware and Software and End of Support Dates",
      "9 Incident Management Process",
      "10 Security Requirements for User Organisations",
      "11 Required Changes Register",
      "12 Personal Data Processing Statement",
  };
  return kHeadings;
}

Document SampleRmd() {
  Document doc;
  doc.title = "Risk Management Documentation";
  doc.subtitle = "Network Operations Services — Information Management System";
  doc.version = "Version 3";
  doc.date = "2024-05-01";
  const auto& hs = Annex3Headings();
  for (std::size_t i = 0; i < hs.size(); ++i) {
    doc.blocks.push_back(Heading{1, hs[i], "a3-" + std::to_string(i + 1)});
    if (i == 0) {
      Paragraph p;
      p.runs.push_back(Run{"This document describes ", false, false});
      p.runs.push_back(Run{"how risks are managed", true, false});
      p.runs.push_back(Run{" for the IMS.", false, true});
      doc.blocks.push_back(p);
    } else if (i == 3) {
      doc.blocks.push_back(Heading{2, "4.1 Background", "a3-4-1"});
      doc.blocks.push_back(Text("The Provider runs the network operations service."));
      doc.blocks.push_back(BulletList{{"Core IMS: operations platform", "Wider IMS: office IT"}});
    } else if (i == 4) {
      doc.blocks.push_back(Heading{2, "5.5 Risk Assessment Table", "a3-5-5"});
      Table t;
      t.caption = "Risk assessment";
      t.header = {"Risk ID",       "Inherent risk", "Inherent level",
                  "Vulnerability", "Controls",      "Residual level"};
      t.rows = {{"R1", "Ransomware encrypts the operations platform", "High",
                 "Unpatched edge devices", "C1, C4", "Medium"},
                {"R2", "Insider exfiltrates customer data", "Very high", "Broad admin rights", "C2",
                 "High"}};
      t.column_widths_hint = {1, 4, 1.5, 3, 1.5, 1.5};
      t.row_styles = {RowStyle::kNormal, RowStyle::kDanger};
      doc.blocks.push_back(t);
    } else if (i == 10) {
      doc.blocks.push_back(Notice{NoticeKind::kGap, "No required changes have been recorded."});
    } else {
      doc.blocks.push_back(Text("Content for section " + std::to_string(i + 1) + "."));
    }
    if (i == 5) {
      doc.blocks.push_back(PageBreak{});
    }
  }
  return doc;
}

std::vector<std::string> ZipEntries(const std::filesystem::path& zip) {
  std::vector<std::string> names;
  ZipPtr z = OpenZip(zip);
  if (!z) {
    return names;
  }
  const zip_int64_t n = zip_get_num_entries(z.get(), 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(z.get(), static_cast<zip_uint64_t>(i), 0);
    if (name != nullptr) {
      names.emplace_back(name);
    }
  }
  return names;
}

std::optional<std::string> ZipEntry(const std::filesystem::path& zip, const std::string& name) {
  ZipPtr z = OpenZip(zip);
  if (!z) {
    return std::nullopt;
  }
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(z.get(), name.c_str(), 0, &st) != 0) {
    return std::nullopt;
  }
  zip_file_t* f = zip_fopen(z.get(), name.c_str(), 0);
  if (f == nullptr) {
    return std::nullopt;
  }
  std::string content(static_cast<std::size_t>(st.size), '\0');
  const zip_int64_t got = zip_fread(f, content.data(), st.size);
  zip_fclose(f);
  if (got != static_cast<zip_int64_t>(st.size)) {
    return std::nullopt;
  }
  return content;
}

CommandResult RunCommand(const std::string& command) {
  CommandResult r;
  std::unique_ptr<FILE, PipeClose> pipe(popen((command + " 2>&1").c_str(), "r"));
  if (!pipe) {
    return r;
  }
  char buf[4096];
  std::size_t n = 0;
  while ((n = fread(buf, 1, sizeof(buf), pipe.get())) > 0) {
    r.output.append(buf, n);
  }
  const int status = pclose(pipe.release());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

bool XmlWellFormed(const std::string& xml, const std::filesystem::path& scratch,
                   std::string* diagnostics) {
  static int counter = 0;
  const std::filesystem::path file = scratch / ("part" + std::to_string(counter++) + ".xml");
  {
    std::ofstream out(file, std::ios::binary);
    out << xml;
  }
  const CommandResult r = RunCommand("xmllint --noout " + ShellQuote(file.string()));
  *diagnostics = r.output;
  return r.exit_code == 0;
}

std::optional<std::filesystem::path> ConvertWithLibreOffice(const std::filesystem::path& input,
                                                            const std::string& to,
                                                            const std::string& out_ext,
                                                            const std::filesystem::path& scratch,
                                                            std::string* diagnostics) {
  const CommandResult which = RunCommand("command -v soffice");
  if (which.exit_code != 0) {
    *diagnostics =
        "soffice not found: install libreoffice-writer-nogui and libreoffice-calc-nogui "
        "(scripts/install-deps.sh --test)";
    return std::nullopt;
  }
  const std::filesystem::path home = scratch / "home";
  const std::filesystem::path outdir = scratch / "out";
  std::filesystem::create_directories(home);
  std::filesystem::create_directories(outdir);
  // A fresh profile per run: HOME and UserInstallation both point into the scratch directory,
  // so a developer's own LibreOffice settings (or a running instance) never interfere.
  const std::string cmd = "HOME=" + ShellQuote(home.string()) +
                          " timeout 300 soffice -env:UserInstallation=file://" + home.string() +
                          "/lo-profile --headless --norestore --nolockcheck --convert-to " +
                          ShellQuote(to) + " --outdir " + ShellQuote(outdir.string()) + " " +
                          ShellQuote(input.string());
  const CommandResult r = RunCommand(cmd);
  const std::filesystem::path produced = outdir / (input.stem().string() + "." + out_ext);
  *diagnostics = "exit " + std::to_string(r.exit_code) + ": " + r.output;
  if (r.exit_code != 0 || !std::filesystem::exists(produced)) {
    return std::nullopt;
  }
  return produced;
}

}  // namespace accredit::docs::testing
