// WriteXlsx / XlsxBytes with libxlsxwriter.

#include <xlsxwriter.h>

#include <array>
#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <system_error>

#include "docs/docs.h"
#include "docs/internal.h"

namespace accredit::docs {
namespace {

Error LxwError(std::string_view what, lxw_error code) {
  return Err(ErrorCode::kInternal, "cannot write the spreadsheet", "",
             std::string(what) + ": " + lxw_strerror(code));
}

// Owns an open lxw_workbook and the temporary file it writes. workbook_close() both writes and
// frees, so the destructor of an unfinished workbook closes it and removes the file.
class WorkbookHandle {
 public:
  WorkbookHandle(lxw_workbook* wb, std::filesystem::path tmp) : wb_(wb), tmp_(std::move(tmp)) {}

  ~WorkbookHandle() {
    if (wb_ != nullptr) {
      workbook_close(wb_);
    }
    std::error_code ignored;
    std::filesystem::remove(tmp_, ignored);
  }

  WorkbookHandle(const WorkbookHandle&) = delete;
  WorkbookHandle& operator=(const WorkbookHandle&) = delete;

  lxw_workbook* Get() const { return wb_; }

  const std::filesystem::path& TmpPath() const { return tmp_; }

  // Writes the file. The handle is released whatever the outcome.
  Status Close() {
    const lxw_error err = workbook_close(wb_);
    wb_ = nullptr;
    if (err != LXW_NO_ERROR) {
      return LxwError("workbook_close", err);
    }
    return Status::Ok();
  }

 private:
  lxw_workbook* wb_;
  std::filesystem::path tmp_;
};

// Cell formats: [row style][wrap][date].
struct Formats {
  lxw_format* header = nullptr;
  std::array<std::array<std::array<lxw_format*, 2>, 2>, 3> cell{};
};

Formats MakeFormats(lxw_workbook* wb) {
  Formats f;
  f.header = workbook_add_format(wb);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xD9E2F3);
  format_set_text_wrap(f.header);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_TOP);
  format_set_border(f.header, LXW_BORDER_THIN);
  format_set_border_color(f.header, 0x808080);
  const std::array<lxw_color_t, 3> fills = {0, 0xFFF2CC, 0xF8CBAD};  // normal, warning, danger
  for (std::size_t s = 0; s < 3; ++s) {
    for (std::size_t wrap = 0; wrap < 2; ++wrap) {
      for (std::size_t date = 0; date < 2; ++date) {
        lxw_format* fmt = workbook_add_format(wb);
        format_set_align(fmt, LXW_ALIGN_VERTICAL_TOP);
        format_set_border(fmt, LXW_BORDER_THIN);
        format_set_border_color(fmt, 0xBFBFBF);
        if (fills[s] != 0) {
          format_set_bg_color(fmt, fills[s]);
        }
        if (wrap == 1) {
          format_set_text_wrap(fmt);
        }
        if (date == 1) {
          format_set_num_format(fmt, "yyyy-mm-dd");
        }
        f.cell[s][wrap][date] = fmt;
      }
    }
  }
  return f;
}

Status WriteSheet(lxw_workbook* wb, const Sheet& sheet, const Formats& fmts) {
  const std::string name = internal::CleanText(sheet.name);
  lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
  if (ws == nullptr) {
    return Err(ErrorCode::kInvalidArgument, "sheet name is not accepted", "name");
  }
  const auto last_col = static_cast<lxw_col_t>(sheet.columns.size() - 1);
  for (lxw_col_t c = 0; c <= last_col; ++c) {
    const Column& col = sheet.columns[c];
    lxw_error err =
        worksheet_set_column(ws, c, c, col.width, col.wrap ? fmts.cell[0][1][0] : nullptr);
    if (err != LXW_NO_ERROR) {
      return LxwError("worksheet_set_column", err);
    }
    const std::string header = internal::CleanText(col.header);
    err = worksheet_write_string(ws, 0, c, header.c_str(), fmts.header);
    if (err != LXW_NO_ERROR) {
      return LxwError("worksheet_write_string", err);
    }
  }
  for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    const std::size_t style =
        r < sheet.row_styles.size() ? static_cast<std::size_t>(sheet.row_styles[r]) : 0;
    for (lxw_col_t c = 0; c <= last_col; ++c) {
      const Cell& cell = sheet.rows[r][c];
      const std::size_t wrap = sheet.columns[c].wrap ? 1 : 0;
      lxw_error err = LXW_NO_ERROR;
      switch (cell.kind) {
        case CellKind::kNumber:
          err = worksheet_write_number(ws, row, c, cell.number, fmts.cell[style][wrap][0]);
          break;
        case CellKind::kDate: {
          const Date d = ParseDate(cell.text).value_or(Date{});  // validated before
          lxw_datetime dt{static_cast<int>(d.year()),
                          static_cast<int>(unsigned{d.month()}),
                          static_cast<int>(unsigned{d.day()}),
                          0,
                          0,
                          0.0};
          err = worksheet_write_datetime(ws, row, c, &dt, fmts.cell[style][wrap][1]);
          break;
        }
        case CellKind::kText: {
          // Always a string cell: text is never interpreted as a formula.
          const std::string text = internal::CleanText(cell.text);
          if (text.empty()) {
            err = worksheet_write_blank(ws, row, c, fmts.cell[style][wrap][0]);
          } else {
            err = worksheet_write_string(ws, row, c, text.c_str(), fmts.cell[style][wrap][0]);
          }
          break;
        }
      }
      if (err != LXW_NO_ERROR) {
        return Err(ErrorCode::kInvalidArgument, "cell cannot be written",
                   "rows[" + std::to_string(r) + "][" + std::to_string(c) + "]", lxw_strerror(err));
      }
    }
  }
  worksheet_freeze_panes(ws, 1, 0);
  const lxw_error err =
      worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(sheet.rows.size()), last_col);
  if (err != LXW_NO_ERROR) {
    return LxwError("worksheet_autofilter", err);
  }
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, 9);  // A4
  worksheet_fit_to_pages(ws, 1, 0);
  static_cast<void>(worksheet_repeat_rows(ws, 0, 0));  // print nicety only
  return Status::Ok();
}

}  // namespace

Status WriteXlsx(const Workbook& book, const std::filesystem::path& path) {
  ACC_RETURN_IF_ERROR(Validate(book));
  const std::filesystem::path tmp = internal::TempPathBeside(path);
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = nullptr;
  options.use_zip64 = LXW_FALSE;
  const std::string tmp_name = tmp.string();
  lxw_workbook* raw = workbook_new_opt(tmp_name.c_str(), &options);
  if (raw == nullptr) {
    return Err(ErrorCode::kInternal, "cannot write the spreadsheet", "", "workbook_new_opt");
  }
  WorkbookHandle wb(raw, tmp);

  std::string title = internal::CleanText(book.title);
  std::string author = internal::CleanText(book.author);
  std::string subject = internal::CleanText(book.subject);
  lxw_doc_properties props{};
  props.title = title.empty() ? nullptr : title.data();
  props.author = author.empty() ? nullptr : author.data();
  props.subject = subject.empty() ? nullptr : subject.data();
  if (!book.created.empty()) {
    const Instant t = ParseInstant(book.created, "created").value_or(Instant{});  // validated
    props.created = static_cast<time_t>(
        std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
  }
  const lxw_error perr = workbook_set_properties(wb.Get(), &props);
  if (perr != LXW_NO_ERROR) {
    return LxwError("workbook_set_properties", perr);
  }

  const Formats fmts = MakeFormats(wb.Get());
  for (std::size_t i = 0; i < book.sheets.size(); ++i) {
    Status s = WriteSheet(wb.Get(), book.sheets[i], fmts);
    if (!s.ok()) {
      Error e = s.error();
      e.field = "sheets[" + std::to_string(i) + "]" + (e.field.empty() ? "" : "." + e.field);
      return e;
    }
  }
  ACC_RETURN_IF_ERROR(wb.Close());
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    return Err(ErrorCode::kInternal, "cannot write the spreadsheet", "",
               "rename to " + path.string() + ": " + ec.message());
  }
  return Status::Ok();  // ~WorkbookHandle's remove of the (renamed) temporary is a no-op
}

Result<std::string> XlsxBytes(const Workbook& book, const std::filesystem::path& scratch_dir) {
  const std::filesystem::path path =
      internal::TempPathBeside(scratch_dir / "accredit-workbook.xlsx");
  ACC_RETURN_IF_ERROR(WriteXlsx(book, path));
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in) {
      bytes.clear();
    } else {
      bytes = std::move(ss).str();
    }
  }
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  if (bytes.empty()) {
    return Err(ErrorCode::kInternal, "cannot read the spreadsheet back", "", "read failed");
  }
  return bytes;
}

}  // namespace accredit::docs
