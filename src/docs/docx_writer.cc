// DocxBytes / WriteDocx: Office Open XML word-processing documents assembled with libzip.
//
// The package is built in memory (a libzip buffer source opened for writing), so nothing touches
// the file system until WriteDocx writes the finished bytes atomically. Every part is fixed text
// except word/document.xml, docProps/core.xml and the footer; zip entry times are fixed so the
// same Document always gives the same bytes.

#include <zip.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "docs/docs.h"
#include "docs/internal.h"

namespace accredit::docs {
namespace {

using internal::XmlEscape;

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// A4 portrait with 2 cm margins, in twentieths of a point.
constexpr int kPageWidth = 11906;
constexpr int kPageHeight = 16838;
constexpr int kMargin = 1134;
constexpr int kTextWidth = kPageWidth - 2 * kMargin;  // 9638

constexpr std::string_view kXmlDecl =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view kNsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view kNsR =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

constexpr std::string_view kContentTypes =
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
    R"(<Default Extension="xml" ContentType="application/xml"/>)"
    R"(<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)"
    R"(<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>)"
    R"(<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>)"
    R"(<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>)"
    R"(<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>)"
    R"(<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>)"
    R"(<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>)"
    R"(</Types>)";

constexpr std::string_view kPackageRels =
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>)"
    R"(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>)"
    R"(</Relationships>)";

constexpr std::string_view kDocumentRels =
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>)"
    R"(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>)"
    R"(<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>)"
    R"(</Relationships>)";

constexpr std::string_view kFooterRelId = "rId4";

constexpr std::string_view kSettings =
    R"(<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
    R"(<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>)"
    R"(<w:characterSpacingControl w:val="doNotCompress"/>)"
    R"(<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>)"
    R"(</w:settings>)";

constexpr std::string_view kNumbering =
    R"(<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
    R"(<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>)"
    R"(<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#8226;"/>)"
    R"(<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>)"
    R"(</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>)";

constexpr std::string_view kApp =
    R"(<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" )"
    R"(xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">)"
    R"(<Application>accredit</Application><DocSecurity>0</DocSecurity></Properties>)";

// Borders used by the table style and repeated on each table (not every consumer resolves
// table-style borders).
constexpr std::string_view kTableBorders =
    R"(<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="595959"/>)"
    R"(<w:left w:val="single" w:sz="4" w:space="0" w:color="595959"/>)"
    R"(<w:bottom w:val="single" w:sz="4" w:space="0" w:color="595959"/>)"
    R"(<w:right w:val="single" w:sz="4" w:space="0" w:color="595959"/>)"
    R"(<w:insideH w:val="single" w:sz="4" w:space="0" w:color="595959"/>)"
    R"(<w:insideV w:val="single" w:sz="4" w:space="0" w:color="595959"/></w:tblBorders>)";

constexpr std::string_view kHeaderFill = "D9E2F3";

std::string StylesXml() {
  std::string s;
  s += R"(<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)";
  s += R"(<w:docDefaults><w:rPrDefault><w:rPr>)"
       R"(<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>)"
       R"(<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>)"
       R"(<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/>)"
       R"(</w:pPr></w:pPrDefault></w:docDefaults>)";
  s += R"(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>)"
       R"(<w:qFormat/></w:style>)";
  s += R"(<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">)"
       R"(<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>)"
       R"(</w:style>)";
  s += R"(<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/>)"
       R"(<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>)"
       R"(<w:pPr><w:spacing w:before="3600" w:after="240"/></w:pPr>)"
       R"(<w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="52"/><w:szCs w:val="52"/></w:rPr>)"
       R"(</w:style>)";
  s += R"(<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/>)"
       R"(<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>)"
       R"(<w:pPr><w:spacing w:after="960"/></w:pPr>)"
       R"(<w:rPr><w:color w:val="404040"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>)"
       R"(</w:style>)";

  const struct {
    int level;
    int size;
    int before;
  } headings[] = {{1, 32, 480}, {2, 26, 360}, {3, 22, 240}};

  for (const auto& h : headings) {
    const std::string n = std::to_string(h.level);
    s += R"(<w:style w:type="paragraph" w:styleId="Heading)" + n + R"("><w:name w:val="heading )" +
         n +
         R"("/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/>)"
         R"(<w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=")" +
         std::to_string(h.before) + R"(" w:after="120"/><w:outlineLvl w:val=")" +
         std::to_string(h.level - 1) +
         R"("/></w:pPr><w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val=")" +
         std::to_string(h.size) + R"("/><w:szCs w:val=")" + std::to_string(h.size) +
         R"("/></w:rPr></w:style>)";
  }
  s += R"(<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/>)"
       R"(<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>)"
       R"(<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/></w:pPr>)"
       R"(<w:rPr><w:b/><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr></w:style>)";
  s += R"(<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/>)"
       R"(<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:numPr><w:ilvl w:val="0"/>)"
       R"(<w:numId w:val="1"/></w:numPr><w:spacing w:after="60"/></w:pPr></w:style>)";
  s += R"(<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/>)"
       R"(<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="0" w:line="240" )"
       R"(w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>)"
       R"(</w:style>)";
  s += R"(<w:style w:type="paragraph" w:styleId="TableHeading"><w:name w:val="Table Heading"/>)"
       R"(<w:basedOn w:val="TableText"/><w:qFormat/><w:pPr><w:keepNext/></w:pPr>)"
       R"(<w:rPr><w:b/></w:rPr></w:style>)";

  const struct {
    std::string_view id;
    std::string_view name;
    std::string_view border;
    std::string_view fill;
  } notices[] = {{"NoticeGap", "Notice Gap", "C00000", "FDE9E7"},
                 {"NoticeWarning", "Notice Warning", "BF8F00", "FFF2CC"},
                 {"NoticeInfo", "Notice Info", "2F5597", "DEEBF7"}};

  for (const auto& n : notices) {
    s += R"(<w:style w:type="paragraph" w:styleId=")" + std::string(n.id) + R"("><w:name w:val=")" +
         std::string(n.name) +
         R"("/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:keepLines/>)"
         R"(<w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color=")" +
         std::string(n.border) + R"("/><w:left w:val="single" w:sz="24" w:space="4" w:color=")" +
         std::string(n.border) + R"("/><w:bottom w:val="single" w:sz="4" w:space="4" w:color=")" +
         std::string(n.border) + R"("/><w:right w:val="single" w:sz="4" w:space="4" w:color=")" +
         std::string(n.border) + R"("/></w:pBdr><w:shd w:val="clear" w:color="auto" w:fill=")" +
         std::string(n.fill) +
         R"("/><w:spacing w:before="120" w:after="120"/>)"
         R"(<w:ind w:left="113" w:right="113"/></w:pPr></w:style>)";
  }
  s += R"(<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/>)"
       R"(<w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/><w:jc w:val="center"/>)"
       R"(</w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>)";
  s += R"(<w:style w:type="table" w:default="1" w:styleId="TableNormal">)"
       R"(<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>)"
       R"(<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>)"
       R"(<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>)"
       R"(<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>)"
       R"(</w:tblCellMar></w:tblPr></w:style>)";
  s += R"(<w:style w:type="table" w:styleId="AccreditTable"><w:name w:val="Accredit Table"/>)"
       R"(<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>)"
       R"(<w:pPr><w:spacing w:after="0"/></w:pPr><w:tblPr>)";
  s += kTableBorders;
  s += R"(<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>)"
       R"(<w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>)"
       R"(</w:tblPr><w:trPr><w:cantSplit/></w:trPr>)"
       R"(<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:trPr><w:tblHeader/></w:trPr>)"
       R"(<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill=")";
  s += kHeaderFill;
  s += R"("/></w:tcPr></w:tblStylePr></w:style>)";
  s += R"(</w:styles>)";
  return s;
}

std::string FooterXml() {
  auto field = [](std::string_view instr, std::string_view cached) {
    return std::string(R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r>)") +
           R"(<w:r><w:instrText xml:space="preserve"> )" + std::string(instr) +
           R"( </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>)" +
           std::string(cached) + R"(</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>)";
  };
  std::string s = "<w:ftr xmlns:w=\"" + std::string(kNsW) + "\" xmlns:r=\"" + std::string(kNsR) +
                  "\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>";
  s += R"(<w:r><w:t xml:space="preserve">Page </w:t></w:r>)";
  s += field("PAGE", "1");
  s += R"(<w:r><w:t xml:space="preserve"> of </w:t></w:r>)";
  s += field("NUMPAGES", "1");
  s += "</w:p></w:ftr>";
  return s;
}

std::string CoreXml(const Document& doc) {
  std::string s =
      R"(<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" )"
      R"(xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" )"
      R"(xmlns:dcmitype="http://purl.org/dc/dcmitype/" )"
      R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">)";
  s += "<dc:title>" + XmlEscape(doc.title) + "</dc:title>";
  if (!doc.subtitle.empty()) {
    s += "<dc:subject>" + XmlEscape(doc.subtitle) + "</dc:subject>";
  }
  s += "<dc:creator>accredit</dc:creator>";
  if (!doc.version.empty()) {
    s += "<cp:version>" + XmlEscape(doc.version) + "</cp:version>";
  }
  if (auto d = ParseDate(doc.date); d.has_value()) {
    s += R"(<dcterms:created xsi:type="dcterms:W3CDTF">)" + FormatDate(*d) +
         "T00:00:00Z</dcterms:created>";
  }
  s += "</cp:coreProperties>";
  return s;
}

// Runs for `text` with run properties `rpr` (may be empty); "\n" -> <w:br/>, "\t" -> <w:tab/>.
std::string RunsXml(std::string_view text, std::string_view rpr) {
  const std::string esc = XmlEscape(text);
  std::string out = "<w:r>";
  if (!rpr.empty()) {
    out += "<w:rPr>" + std::string(rpr) + "</w:rPr>";
  }
  std::string pending;
  auto flush = [&] {
    if (!pending.empty()) {
      out += "<w:t xml:space=\"preserve\">" + pending + "</w:t>";
      pending.clear();
    }
  };
  for (const char c : esc) {
    if (c == '\n') {
      flush();
      out += "<w:br/>";
    } else if (c == '\t') {
      flush();
      out += "<w:tab/>";
    } else {
      pending.push_back(c);
    }
  }
  flush();
  out += "</w:r>";
  return out;
}

std::string ParagraphXml(std::string_view style, std::string_view body) {
  std::string out = "<w:p>";
  if (!style.empty()) {
    out += "<w:pPr><w:pStyle w:val=\"" + std::string(style) + "\"/></w:pPr>";
  }
  out += body;
  out += "</w:p>";
  return out;
}

// Word bookmark names: a letter first, then letters, digits and '_', at most 40 characters.
std::string BookmarkName(std::string_view anchor) {
  std::string name = "s_";
  for (const char c : anchor) {
    name.push_back(c == '-' ? '_' : c);
  }
  return name.substr(0, 40);
}

std::vector<int> ColumnWidths(const Table& t) {
  const std::size_t n = t.header.size();
  std::vector<int> widths(n, 0);
  double total = 0;
  for (std::size_t c = 0; c < n; ++c) {
    total += t.column_widths_hint.empty() ? 1.0 : t.column_widths_hint[c];
  }
  int used = 0;
  for (std::size_t c = 0; c < n; ++c) {
    const double w = t.column_widths_hint.empty() ? 1.0 : t.column_widths_hint[c];
    widths[c] = static_cast<int>(w / total * kTextWidth);
    used += widths[c];
  }
  widths[n - 1] += kTextWidth - used;  // rounding remainder to the last column
  return widths;
}

void TableXml(const Table& t, std::string& out) {
  if (!t.caption.empty()) {
    out += ParagraphXml("Caption", RunsXml(t.caption, ""));
  }
  const std::vector<int> widths = ColumnWidths(t);
  out += R"(<w:tbl><w:tblPr><w:tblStyle w:val="AccreditTable"/><w:tblW w:w=")" +
         std::to_string(kTextWidth) + R"(" w:type="dxa"/>)";
  out += kTableBorders;
  out += R"(<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" )"
         R"(w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>)";
  out += "<w:tblGrid>";
  for (const int w : widths) {
    out += "<w:gridCol w:w=\"" + std::to_string(w) + "\"/>";
  }
  out += "</w:tblGrid>";
  auto cell = [&](std::size_t c, const std::string& text, std::string_view fill,
                  std::string_view style) {
    out += "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(widths[c]) + "\" w:type=\"dxa\"/>";
    if (!fill.empty()) {
      out += "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"" + std::string(fill) + "\"/>";
    }
    out += "</w:tcPr>" + ParagraphXml(style, RunsXml(text, "")) + "</w:tc>";
  };
  out += "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>";
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    cell(c, t.header[c], kHeaderFill, "TableHeading");
  }
  out += "</w:tr>";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const RowStyle s = r < t.row_styles.size() ? t.row_styles[r] : RowStyle::kNormal;
    const std::string_view fill = s == RowStyle::kDanger    ? "F8CBAD"
                                  : s == RowStyle::kWarning ? "FFF2CC"
                                                            : "";
    out += "<w:tr><w:trPr><w:cantSplit/></w:trPr>";
    for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
      cell(c, t.rows[r][c], fill, "TableText");
    }
    out += "</w:tr>";
  }
  out += "</w:tbl>";
  // A paragraph after every table: keeps adjacent tables apart and a body never ends in a table.
  out += R"(<w:p><w:pPr><w:spacing w:after="60"/></w:pPr></w:p>)";
}

std::string DocumentXml(const Document& doc) {
  std::string out;
  out.reserve(8192 + doc.blocks.size() * 256);
  out += "<w:document xmlns:w=\"" + std::string(kNsW) + "\" xmlns:r=\"" + std::string(kNsR) +
         "\"><w:body>";
  // Title page.
  out += ParagraphXml("Title", RunsXml(doc.title, ""));
  if (!doc.subtitle.empty()) {
    out += ParagraphXml("Subtitle", RunsXml(doc.subtitle, ""));
  }
  if (!doc.version.empty()) {
    out += ParagraphXml("", RunsXml("Version: ", "<w:b/>") + RunsXml(doc.version, ""));
  }
  if (!doc.date.empty()) {
    out += ParagraphXml("", RunsXml("Date: ", "<w:b/>") + RunsXml(doc.date, ""));
  }
  out += R"(<w:p><w:r><w:br w:type="page"/></w:r></w:p>)";

  int bookmark_id = 0;
  for (const Block& block : doc.blocks) {
    std::visit(
        Overloaded{
            [&](const Heading& h) {
              std::string body;
              if (!h.anchor.empty()) {
                body += "<w:bookmarkStart w:id=\"" + std::to_string(bookmark_id) + "\" w:name=\"" +
                        BookmarkName(h.anchor) + "\"/>";
              }
              body += RunsXml(h.text, "");
              if (!h.anchor.empty()) {
                body += "<w:bookmarkEnd w:id=\"" + std::to_string(bookmark_id++) + "\"/>";
              }
              out += ParagraphXml("Heading" + std::to_string(h.level), body);
            },
            [&](const Paragraph& p) {
              std::string body;
              for (const Run& r : p.runs) {
                std::string rpr;
                if (r.bold) {
                  rpr += "<w:b/>";
                }
                if (r.italic) {
                  rpr += "<w:i/>";
                }
                body += RunsXml(r.text, rpr);
              }
              out += ParagraphXml("", body);
            },
            [&](const BulletList& l) {
              for (const std::string& item : l.items) {
                out += ParagraphXml("ListBullet", RunsXml(item, ""));
              }
            },
            [&](const Table& t) { TableXml(t, out); },
            [&](const Notice& n) {
              const std::string_view style = n.kind == NoticeKind::kGap       ? "NoticeGap"
                                             : n.kind == NoticeKind::kWarning ? "NoticeWarning"
                                                                              : "NoticeInfo";
              out += ParagraphXml(style,
                                  RunsXml(std::string(NoticeKindLabel(n.kind)) + ": ", "<w:b/>") +
                                      RunsXml(n.text, ""));
            },
            [&](const PageBreak&) { out += R"(<w:p><w:r><w:br w:type="page"/></w:r></w:p>)"; },
        },
        block);
  }
  out += "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"" + std::string(kFooterRelId) +
         "\"/><w:pgSz w:w=\"" + std::to_string(kPageWidth) + "\" w:h=\"" +
         std::to_string(kPageHeight) + "\"/><w:pgMar w:top=\"" + std::to_string(kMargin) +
         "\" w:right=\"" + std::to_string(kMargin) + "\" w:bottom=\"" + std::to_string(kMargin) +
         "\" w:left=\"" + std::to_string(kMargin) +
         "\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/><w:pgNumType w:start=\"1\"/>"
         "<w:cols w:space=\"708\"/><w:docGrid w:linePitch=\"360\"/></w:sectPr>";
  out += "</w:body></w:document>";
  return out;
}

struct ZipSourceFree {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};

struct ZipDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};

using ZipSourcePtr = std::unique_ptr<zip_source_t, ZipSourceFree>;
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;

Error ZipError(std::string_view what, zip_error_t* ze) {
  return Err(ErrorCode::kInternal, "cannot assemble the document", "",
             std::string(what) + ": " + (ze != nullptr ? zip_error_strerror(ze) : "?"));
}

// Zips `parts` (name, content) into bytes. Content must outlive the call.
Result<std::string> ZipParts(const std::vector<std::pair<std::string, std::string>>& parts) {
  zip_error_t ze;
  zip_error_init(&ze);
  ZipSourcePtr src(zip_source_buffer_create(nullptr, 0, 0, &ze));
  if (!src) {
    Error e = ZipError("zip_source_buffer_create", &ze);
    zip_error_fini(&ze);
    return e;
  }
  ZipPtr za(zip_open_from_source(src.get(), ZIP_TRUNCATE, &ze));
  if (!za) {
    Error e = ZipError("zip_open_from_source", &ze);
    zip_error_fini(&ze);
    return e;
  }
  zip_error_fini(&ze);
  zip_source_keep(src.get());  // the archive holds one reference, `src` the other

  // Fixed entry times keep the output byte-stable (2000-01-01 12:00 UTC).
  constexpr std::time_t kEntryTime = 946728000;
  for (const auto& [name, content] : parts) {
    zip_source_t* part = zip_source_buffer(za.get(), content.data(), content.size(), 0);
    if (part == nullptr) {
      return ZipError("zip_source_buffer", zip_get_error(za.get()));
    }
    const zip_int64_t idx = zip_file_add(za.get(), name.c_str(), part, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
      zip_source_free(part);
      return ZipError("zip_file_add", zip_get_error(za.get()));
    }
    if (zip_file_set_mtime(za.get(), static_cast<zip_uint64_t>(idx), kEntryTime, 0) < 0) {
      return ZipError("zip_file_set_mtime", zip_get_error(za.get()));
    }
  }
  if (zip_close(za.get()) < 0) {
    return ZipError("zip_close", zip_get_error(za.get()));
  }
  static_cast<void>(za.release());  // zip_close freed it

  if (zip_source_open(src.get()) < 0) {
    return ZipError("zip_source_open", zip_source_error(src.get()));
  }
  std::string bytes;
  if (zip_source_seek(src.get(), 0, SEEK_END) == 0) {
    const zip_int64_t size = zip_source_tell(src.get());
    if (size > 0 && zip_source_seek(src.get(), 0, SEEK_SET) == 0) {
      bytes.resize(static_cast<std::size_t>(size));
      const zip_int64_t got = zip_source_read(src.get(), bytes.data(), bytes.size());
      if (got != size) {
        bytes.clear();
      }
    }
  }
  zip_source_close(src.get());
  if (bytes.empty()) {
    return Err(ErrorCode::kInternal, "cannot assemble the document", "",
               "reading the in-memory archive failed");
  }
  return bytes;
}

}  // namespace

Result<std::string> DocxBytes(const Document& doc) {
  ACC_RETURN_IF_ERROR(Validate(doc));
  const std::string decl(kXmlDecl);
  std::vector<std::pair<std::string, std::string>> parts;
  parts.emplace_back("[Content_Types].xml", decl + std::string(kContentTypes));
  parts.emplace_back("_rels/.rels", decl + std::string(kPackageRels));
  parts.emplace_back("docProps/core.xml", decl + CoreXml(doc));
  parts.emplace_back("docProps/app.xml", decl + std::string(kApp));
  parts.emplace_back("word/document.xml", decl + DocumentXml(doc));
  parts.emplace_back("word/_rels/document.xml.rels", decl + std::string(kDocumentRels));
  parts.emplace_back("word/styles.xml", decl + StylesXml());
  parts.emplace_back("word/settings.xml", decl + std::string(kSettings));
  parts.emplace_back("word/numbering.xml", decl + std::string(kNumbering));
  parts.emplace_back("word/footer1.xml", decl + FooterXml());
  return ZipParts(parts);
}

Status WriteDocx(const Document& doc, const std::filesystem::path& path) {
  ACC_ASSIGN_OR_RETURN(const std::string bytes, DocxBytes(doc));
  return internal::WriteFileAtomically(path, bytes);
}

}  // namespace accredit::docs
