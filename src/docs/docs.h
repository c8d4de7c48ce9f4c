#pragma once

// docs: the writing layer. A small, format-neutral document model (Document: headings,
// paragraphs, lists, tables, notices, page breaks) and a spreadsheet model (Workbook of Sheets),
// with writers for HTML (print-friendly, standalone), Markdown (GitHub), DOCX (real Word styles,
// title page, "Page X of Y" footer), XLSX (frozen header, filters, widths) and CSV (RFC 4180,
// injection-safe). Plus a section-by-section diff of two document versions and a JSON form of a
// Document so a frozen version can be stored and re-rendered exactly.
//
// Generators (RMD, compliance matrix, Statement of Applicability) build these models from the
// registers; nothing here reads the database, the clock or the environment. All functions are
// pure apart from the Write* functions, which write one file atomically (temporary file in the
// same directory, then rename), so a failed write never leaves a half-written file behind.
// Thread safety: every function is thread-safe (no shared state). See docs/DOCUMENTS.md.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/core.h"

namespace accredit::docs {

// ---------------------------------------------------------------------------------------------
// Document model
// ---------------------------------------------------------------------------------------------

// A section heading. `text` is shown as given, numbering included ("5.7 Residual risks"); writers
// never number headings themselves. `anchor` is an optional stable id ("a3-5-7") used for HTML ids
// and to match sections across versions in DiffDocuments; when empty, the text is used.
// Level 1 and 2 headings start sections for DiffDocuments; level 3 belongs to its section.
struct Heading {
  int level = 1;  // 1..3
  std::string text;
  std::string anchor;  // [A-Za-z0-9_-]* ; may be empty
};

// A piece of paragraph text with emphasis. "\n" in text is a line break.
struct Run {
  std::string text;
  bool bold = false;
  bool italic = false;
};

struct Paragraph {
  std::vector<Run> runs;
};

// Convenience: a paragraph of one plain run.
Paragraph Text(std::string text);

struct BulletList {
  std::vector<std::string> items;
};

// Per-row emphasis in tables and sheets: kWarning (amber: a gap or something to look at) and
// kDanger (light red: e.g. a residual risk above appetite, an expired certificate).
enum class RowStyle : std::uint8_t { kNormal, kWarning, kDanger };
std::string_view RowStyleName(RowStyle s);  // "normal", "warning", "danger"

struct Table {
  std::string caption;                         // may be empty
  std::vector<std::string> header;             // REQUIRED non-empty; repeated on every printed page
  std::vector<std::vector<std::string>> rows;  // each row has exactly header.size() cells
  // Relative column widths (any positive unit; normalised to the text width). Empty = equal.
  // When set, it has exactly header.size() entries.
  std::vector<double> column_widths_hint;
  // Empty (all normal) or exactly rows.size() entries.
  std::vector<RowStyle> row_styles;
};

// A clearly marked call-out. kGap marks missing content, e.g. "No risks have been recorded." where
// a register is empty; every writer prints it with a visible label ("GAP:", "WARNING:", "NOTE:").
enum class NoticeKind : std::uint8_t { kGap, kWarning, kInfo };
std::string_view NoticeKindName(NoticeKind k);   // "gap", "warning", "info"
std::string_view NoticeKindLabel(NoticeKind k);  // "GAP", "WARNING", "NOTE"

struct Notice {
  NoticeKind kind = NoticeKind::kInfo;
  std::string text;
};

struct PageBreak {};

using Block = std::variant<Heading, Paragraph, BulletList, Table, Notice, PageBreak>;

// A document. The writers put title, subtitle, version and date on a title page (DOCX, HTML) or
// at the top (Markdown); all four are free text ("Version 3", "2024-05-01").
struct Document {
  std::string title;  // REQUIRED non-empty
  std::string subtitle;
  std::string version;
  std::string date;
  std::vector<Block> blocks;
};

// Checks the structural rules stated on the structs above. Every writer calls it first.
// Errors: kInvalidArgument with `field` naming the offender, e.g. "blocks[4].rows[2]".
// Text needs no validation: writers escape everything and replace invalid UTF-8 and characters
// not allowed in XML with U+FFFD.
Status Validate(const Document& doc);

// ---------------------------------------------------------------------------------------------
// Document writers. All validate first (see Validate) and are deterministic: the same Document
// gives the same bytes.
// ---------------------------------------------------------------------------------------------

// Standalone HTML5 (UTF-8) with embedded print CSS: A4 @page, title page, tables with borders,
// header rows repeated on each printed page, rows kept together, notices boxed. All text is
// HTML-escaped. Headings get id=anchor when an anchor is given.
Result<std::string> RenderHtml(const Document& doc);

// GitHub-flavoured Markdown: the title is the only "#" heading, so document headings are shifted
// one level down ("##" for level 1). Tables are GitHub tables with "|" escaped and line breaks in
// cells as <br>; notices are block quotes starting "**GAP:**" etc. Markdown and HTML special
// characters in text are escaped so text always renders literally.
Result<std::string> RenderMarkdown(const Document& doc);

// A real Office Open XML word-processing document (.docx): Word styles Title, Subtitle,
// Heading1..3 (with outline levels: they show in the navigation pane), Normal, Caption, a bordered
// table style with a repeated header row, a list bullet style; A4 portrait; a title page followed
// by a page break; a "Page X of Y" footer (PAGE / NUMPAGES fields) on every page.
Result<std::string> DocxBytes(const Document& doc);
Status WriteDocx(const Document& doc, const std::filesystem::path& path);

// ---------------------------------------------------------------------------------------------
// Spreadsheet model
// ---------------------------------------------------------------------------------------------

struct Column {
  std::string header;
  double width = 15;  // in Excel character units, 1..255
  bool wrap = false;  // wrap text in this column's cells
};

enum class CellKind : std::uint8_t { kText, kNumber, kDate };

// One cell. kDate cells hold an ISO date "YYYY-MM-DD" in `text`: a real date (formatted
// yyyy-mm-dd) in XLSX, the text itself in CSV. kNumber cells must be finite.
struct Cell {
  CellKind kind = CellKind::kText;
  std::string text;
  double number = 0;

  static Cell Str(std::string s) { return Cell{CellKind::kText, std::move(s), 0}; }

  static Cell Num(double n) { return Cell{CellKind::kNumber, {}, n}; }

  static Cell IsoDate(std::string iso) { return Cell{CellKind::kDate, std::move(iso), 0}; }
};

struct Sheet {
  // REQUIRED: 1..31 characters, none of []:*?/\ , not starting or ending with ', unique in the
  // workbook (case-insensitive).
  std::string name;
  std::vector<Column> columns;          // REQUIRED non-empty
  std::vector<std::vector<Cell>> rows;  // each row has exactly columns.size() cells
  std::vector<RowStyle> row_styles;     // empty (all normal) or exactly rows.size() entries
};

struct Workbook {
  std::string title;  // document properties; may be empty
  std::string author;
  std::string subject;
  // ISO 8601 UTC instant ("2024-05-01T09:00:00Z") stored as the creation time; pass the injected
  // Clock's Now(). Empty: libxlsxwriter stamps the current time (output then not byte-stable).
  std::string created;
  std::vector<Sheet> sheets;  // REQUIRED non-empty
};

// Structural checks as for Validate(Document); `field` like "sheets[1].rows[7][2]".
Status Validate(const Workbook& book);
Status ValidateSheet(const Sheet& sheet);

// Writes an .xlsx with libxlsxwriter. Every sheet: bold shaded header row, frozen (ySplit=1),
// autofilter over header + data, column widths, wrapped text where Column::wrap, highlight fill on
// kWarning (amber) / kDanger (light red) rows, A4 landscape, header row repeated when printed.
// Text is stored as strings, never as formulas. Errors: kInvalidArgument (validation), kInternal
// (libxlsxwriter or file system failure; the message names no path).
Status WriteXlsx(const Workbook& book, const std::filesystem::path& path);

// The same workbook as bytes, for HTTP downloads. libxlsxwriter only writes files, so it writes a
// file in `scratch_dir` (which must exist and be writable) and removes it again.
Result<std::string> XlsxBytes(const Workbook& book, const std::filesystem::path& scratch_dir);

// RFC 4180 CSV of one sheet: header line then one line per row, CRLF line endings, UTF-8 without
// BOM; a field is quoted when it holds a comma, double quote, CR or LF, and quotes are doubled.
// CSV-injection guard: a text cell that starts with '=', '+', '-', '@', TAB or CR is prefixed with
// a single quote ("'=SUM(A1)") so spreadsheet programs show it as text instead of running it.
// Number and date cells are never prefixed (-3 stays -3). Numbers use the shortest form that
// reads back exactly ("0.1", "5", "1e+300"). Row styles are not represented in CSV.
Result<std::string> RenderCsv(const Sheet& sheet);

// The guard above for one field, exposed for other CSV producers.
std::string CsvInjectionSafe(std::string_view text);

// ---------------------------------------------------------------------------------------------
// Versions: JSON form and section diff
// ---------------------------------------------------------------------------------------------

// A stable JSON form of a Document ({"format":"accredit.document","format_version":1,...}),
// compact, deterministic. Invalid UTF-8 in text is replaced by U+FFFD.
std::string ToJson(const Document& doc);

// Parses ToJson output. Unknown keys are rejected (so a typo never silently drops content).
// Errors: kInvalidArgument with `field` naming the JSON path ("blocks[3].rows[0][1]").
// The result passes Validate.
Result<Document> DocumentFromJson(std::string_view json);

enum class DiffStatus : std::uint8_t { kUnchanged, kAdded, kRemoved, kChanged };
std::string_view DiffStatusName(DiffStatus s);  // "unchanged", "added", "removed", "changed"

// One section of the comparison. A section is a level-1 or level-2 heading with the blocks up to
// the next level-1 or level-2 heading; blocks before the first heading form a section with an
// empty heading. `heading` is the heading text in the newer version (older for kRemoved).
// `lines` is a unified diff of the sections' canonical text (see SectionText): hunks start with
// "@@ -a,b +c,d @@", then lines prefixed ' ' (context, up to 3), '-' (only in a) and '+' (only in
// b). kAdded: every line '+'; kRemoved: every line '-'; kUnchanged: empty.
struct SectionDiff {
  std::string heading;
  std::string anchor;
  DiffStatus status = DiffStatus::kUnchanged;
  std::vector<std::string> lines;
};

// Compares `a` (older) with `b` (newer) section by section. Sections are matched by key (anchor,
// else heading text; the n-th occurrence of a key matches the n-th) in order (longest common
// subsequence of keys), so the result lists every section of both documents once, in document
// order. Title, subtitle, version and date changes are reported as a first section with heading
// "(document properties)" only when they differ.
std::vector<SectionDiff> DiffDocuments(const Document& a, const Document& b);

// The canonical plain-text form of a run of blocks that DiffDocuments compares: one line per
// heading, paragraph line, list item, table caption/header/row ("| a | b |", with " [danger]"
// for highlighted rows), notice ("[GAP] text") and page break ("[page break]").
std::vector<std::string> SectionText(const std::vector<Block>& blocks);

}  // namespace accredit::docs
