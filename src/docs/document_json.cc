// ToJson / DocumentFromJson: the stored form of a frozen document version.
//
// Parsing uses nlohmann's non-throwing parse and checks every type before reading, so no
// exception leaves this file; the catch below is a last guard for library-internal surprises.

#include <set>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "docs/docs.h"

namespace accredit::docs {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kFormat = "accredit.document";
constexpr int kFormatVersion = 1;

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

Json BlockJson(const Block& block) {
  return std::visit(
      Overloaded{
          [](const Heading& h) {
            return Json{
                {"type", "heading"}, {"level", h.level}, {"text", h.text}, {"anchor", h.anchor}};
          },
          [](const Paragraph& p) {
            Json runs = Json::array();
            for (const Run& r : p.runs) {
              runs.push_back(Json{{"text", r.text}, {"bold", r.bold}, {"italic", r.italic}});
            }
            return Json{{"type", "paragraph"}, {"runs", std::move(runs)}};
          },
          [](const BulletList& l) {
            return Json{{"type", "bullets"}, {"items", l.items}};
          },
          [](const Table& t) {
            Json styles = Json::array();
            for (const RowStyle s : t.row_styles) {
              styles.push_back(std::string(RowStyleName(s)));
            }
            return Json{{"type", "table"},
                        {"caption", t.caption},
                        {"header", t.header},
                        {"rows", t.rows},
                        {"column_widths_hint", t.column_widths_hint},
                        {"row_styles", std::move(styles)}};
          },
          [](const Notice& n) {
            return Json{{"type", "notice"},
                        {"kind", std::string(NoticeKindName(n.kind))},
                        {"text", n.text}};
          },
          [](const PageBreak&) {
            return Json{{"type", "page_break"}};
          },
      },
      block);
}

Error Bad(std::string message, std::string field) {
  return Err(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}

// Reads an object's members with type checks; remembers which keys were read so unknown keys
// can be rejected.
class ObjectReader {
 public:
  ObjectReader(const Json& j, std::string path) : j_(j), path_(std::move(path)) {}

  std::string Field(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  Result<std::string> String(std::string_view key, bool required) {
    used_.insert(std::string(key));
    const auto it = j_.find(key);
    if (it == j_.end()) {
      if (required) {
        return Bad("is required", Field(key));
      }
      return std::string();
    }
    if (!it->is_string()) {
      return Bad("must be a string", Field(key));
    }
    return it->get_ref<const std::string&>();
  }

  Result<bool> Bool(std::string_view key) {
    used_.insert(std::string(key));
    const auto it = j_.find(key);
    if (it == j_.end()) {
      return false;
    }
    if (!it->is_boolean()) {
      return Bad("must be true or false", Field(key));
    }
    return it->get<bool>();
  }

  // A member that must be an array (missing = empty array when !required).
  Result<const Json*> Array(std::string_view key, bool required) {
    used_.insert(std::string(key));
    const auto it = j_.find(key);
    if (it == j_.end()) {
      if (required) {
        return Bad("is required", Field(key));
      }
      return &kEmpty;
    }
    if (!it->is_array()) {
      return Bad("must be an array", Field(key));
    }
    return &*it;
  }

  Result<const Json*> Any(std::string_view key) {
    used_.insert(std::string(key));
    const auto it = j_.find(key);
    if (it == j_.end()) {
      return Bad("is required", Field(key));
    }
    return &*it;
  }

  Status NoUnknownKeys() const {
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      if (used_.count(it.key()) == 0) {
        return Bad("unknown key", Field(it.key()));
      }
    }
    return Status::Ok();
  }

 private:
  static inline const Json kEmpty = Json::array();
  const Json& j_;
  std::string path_;
  std::set<std::string> used_;
};

Result<std::vector<std::string>> StringArray(const Json& arr, const std::string& path) {
  std::vector<std::string> out;
  out.reserve(arr.size());
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string()) {
      return Bad("must be a string", path + "[" + std::to_string(i) + "]");
    }
    out.push_back(arr[i].get<std::string>());
  }
  return out;
}

Result<Block> ParseBlock(const Json& j, const std::string& path) {
  if (!j.is_object()) {
    return Bad("must be an object", path);
  }
  ObjectReader r(j, path);
  ACC_ASSIGN_OR_RETURN(const std::string type, r.String("type", true));
  Block block;
  if (type == "heading") {
    Heading h;
    ACC_ASSIGN_OR_RETURN(const Json* level, r.Any("level"));
    if (!level->is_number_integer()) {
      return Bad("must be an integer", r.Field("level"));
    }
    const auto lv = level->get<std::int64_t>();
    if (lv < 1 || lv > 3) {
      return Bad("must be 1, 2 or 3", r.Field("level"));
    }
    h.level = static_cast<int>(lv);
    ACC_ASSIGN_OR_RETURN(h.text, r.String("text", true));
    ACC_ASSIGN_OR_RETURN(h.anchor, r.String("anchor", false));
    block = std::move(h);
  } else if (type == "paragraph") {
    Paragraph p;
    ACC_ASSIGN_OR_RETURN(const Json* runs, r.Array("runs", true));
    for (std::size_t i = 0; i < runs->size(); ++i) {
      const std::string rpath = r.Field("runs") + "[" + std::to_string(i) + "]";
      if (!(*runs)[i].is_object()) {
        return Bad("must be an object", rpath);
      }
      ObjectReader rr((*runs)[i], rpath);
      Run run;
      ACC_ASSIGN_OR_RETURN(run.text, rr.String("text", true));
      ACC_ASSIGN_OR_RETURN(run.bold, rr.Bool("bold"));
      ACC_ASSIGN_OR_RETURN(run.italic, rr.Bool("italic"));
      ACC_RETURN_IF_ERROR(rr.NoUnknownKeys());
      p.runs.push_back(std::move(run));
    }
    block = std::move(p);
  } else if (type == "bullets") {
    BulletList l;
    ACC_ASSIGN_OR_RETURN(const Json* items, r.Array("items", true));
    ACC_ASSIGN_OR_RETURN(l.items, StringArray(*items, r.Field("items")));
    block = std::move(l);
  } else if (type == "table") {
    Table t;
    ACC_ASSIGN_OR_RETURN(t.caption, r.String("caption", false));
    ACC_ASSIGN_OR_RETURN(const Json* header, r.Array("header", true));
    ACC_ASSIGN_OR_RETURN(t.header, StringArray(*header, r.Field("header")));
    ACC_ASSIGN_OR_RETURN(const Json* rows, r.Array("rows", false));
    for (std::size_t i = 0; i < rows->size(); ++i) {
      const std::string rpath = r.Field("rows") + "[" + std::to_string(i) + "]";
      if (!(*rows)[i].is_array()) {
        return Bad("must be an array", rpath);
      }
      ACC_ASSIGN_OR_RETURN(std::vector<std::string> row, StringArray((*rows)[i], rpath));
      t.rows.push_back(std::move(row));
    }
    ACC_ASSIGN_OR_RETURN(const Json* widths, r.Array("column_widths_hint", false));
    for (std::size_t i = 0; i < widths->size(); ++i) {
      if (!(*widths)[i].is_number()) {
        return Bad("must be a number",
                   r.Field("column_widths_hint") + "[" + std::to_string(i) + "]");
      }
      t.column_widths_hint.push_back((*widths)[i].get<double>());
    }
    ACC_ASSIGN_OR_RETURN(const Json* styles, r.Array("row_styles", false));
    ACC_ASSIGN_OR_RETURN(const std::vector<std::string> style_names,
                         StringArray(*styles, r.Field("row_styles")));
    for (std::size_t i = 0; i < style_names.size(); ++i) {
      const std::string& s = style_names[i];
      if (s == "normal") {
        t.row_styles.push_back(RowStyle::kNormal);
      } else if (s == "warning") {
        t.row_styles.push_back(RowStyle::kWarning);
      } else if (s == "danger") {
        t.row_styles.push_back(RowStyle::kDanger);
      } else {
        return Bad("must be normal, warning or danger",
                   r.Field("row_styles") + "[" + std::to_string(i) + "]");
      }
    }
    block = std::move(t);
  } else if (type == "notice") {
    Notice n;
    ACC_ASSIGN_OR_RETURN(const std::string kind, r.String("kind", true));
    if (kind == "gap") {
      n.kind = NoticeKind::kGap;
    } else if (kind == "warning") {
      n.kind = NoticeKind::kWarning;
    } else if (kind == "info") {
      n.kind = NoticeKind::kInfo;
    } else {
      return Bad("must be gap, warning or info", r.Field("kind"));
    }
    ACC_ASSIGN_OR_RETURN(n.text, r.String("text", true));
    block = std::move(n);
  } else if (type == "page_break") {
    block = PageBreak{};
  } else {
    return Bad("unknown block type", r.Field("type"));
  }
  ACC_RETURN_IF_ERROR(r.NoUnknownKeys());
  return block;
}

Result<Document> Parse(std::string_view text) {
  const Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Bad("is not valid JSON", "document");
  }
  if (!j.is_object()) {
    return Bad("must be a JSON object", "document");
  }
  ObjectReader r(j, "");
  ACC_ASSIGN_OR_RETURN(const std::string format, r.String("format", true));
  if (format != kFormat) {
    return Bad("must be \"accredit.document\"", "format");
  }
  ACC_ASSIGN_OR_RETURN(const Json* fv, r.Any("format_version"));
  if (!fv->is_number_integer() || fv->get<std::int64_t>() != kFormatVersion) {
    return Bad("unsupported format version", "format_version");
  }
  Document doc;
  ACC_ASSIGN_OR_RETURN(doc.title, r.String("title", true));
  ACC_ASSIGN_OR_RETURN(doc.subtitle, r.String("subtitle", false));
  ACC_ASSIGN_OR_RETURN(doc.version, r.String("version", false));
  ACC_ASSIGN_OR_RETURN(doc.date, r.String("date", false));
  ACC_ASSIGN_OR_RETURN(const Json* blocks, r.Array("blocks", true));
  for (std::size_t i = 0; i < blocks->size(); ++i) {
    ACC_ASSIGN_OR_RETURN(Block b, ParseBlock((*blocks)[i], "blocks[" + std::to_string(i) + "]"));
    doc.blocks.push_back(std::move(b));
  }
  ACC_RETURN_IF_ERROR(r.NoUnknownKeys());
  ACC_RETURN_IF_ERROR(Validate(doc));
  return doc;
}

}  // namespace

std::string ToJson(const Document& doc) {
  Json blocks = Json::array();
  for (const Block& b : doc.blocks) {
    blocks.push_back(BlockJson(b));
  }
  const Json j = {
      {"format", std::string(kFormat)}, {"format_version", kFormatVersion}, {"title", doc.title},
      {"subtitle", doc.subtitle},       {"version", doc.version},           {"date", doc.date},
      {"blocks", std::move(blocks)}};
  return DumpJson(j);
}

Result<Document> DocumentFromJson(std::string_view json) {
  try {
    return Parse(json);
  } catch (const Json::exception& e) {
    return Err(ErrorCode::kInvalidArgument, "is not a valid document", "document", e.what());
  }
}

}  // namespace accredit::docs
