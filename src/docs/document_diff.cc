// DiffDocuments: section-by-section comparison of two document versions.

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "docs/docs.h"

namespace accredit::docs {
namespace {

struct Section {
  std::string key;  // anchor or heading text, with "#n" for the n-th repeat
  std::string heading;
  std::string anchor;
  std::vector<std::string> lines;
};

std::vector<Section> SplitSections(const Document& doc) {
  std::vector<Section> sections;
  std::vector<Block> current;
  Section head;               // preamble: blocks before the first heading
  bool have_preamble = true;  // `head` is still the preamble
  std::map<std::string, int> seen;
  auto finish = [&](Section s, std::vector<Block>& blocks, bool is_preamble) {
    s.lines = SectionText(blocks);
    blocks.clear();
    if (is_preamble && s.lines.empty()) {
      return;
    }
    const int n = seen[s.key]++;
    if (n > 0) {
      s.key += "#" + std::to_string(n);
    }
    sections.push_back(std::move(s));
  };
  for (const Block& b : doc.blocks) {
    const auto* h = std::get_if<Heading>(&b);
    if (h != nullptr && h->level <= 2) {
      finish(std::move(head), current, have_preamble);
      have_preamble = false;
      head = Section{};
      head.heading = h->text;
      head.anchor = h->anchor;
      head.key = h->anchor.empty() ? "text:" + h->text : "anchor:" + h->anchor;
    }
    current.push_back(b);
  }
  finish(std::move(head), current, have_preamble);
  return sections;
}

enum class Op : std::uint8_t { kKeep, kDelete, kInsert };

// Longest-common-subsequence edit script of a -> b. Common prefix and suffix are stripped first;
// when the remaining middle is too large for the O(n*m) table, it is reported as all deleted then
// all inserted (still a correct, if not minimal, diff).
template <typename T, typename Eq>
std::vector<Op> EditScript(const std::vector<T>& a, const std::vector<T>& b, Eq eq) {
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && eq(a[pre], b[pre])) {
    ++pre;
  }
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         eq(a[a.size() - 1 - suf], b[b.size() - 1 - suf])) {
    ++suf;
  }
  const std::size_t n = a.size() - pre - suf;
  const std::size_t m = b.size() - pre - suf;
  std::vector<Op> ops(pre, Op::kKeep);
  constexpr std::size_t kMaxCells = 16u * 1024u * 1024u;
  if (n == 0 || m == 0 || (n + 1) * (m + 1) > kMaxCells) {
    ops.insert(ops.end(), n, Op::kDelete);
    ops.insert(ops.end(), m, Op::kInsert);
  } else {
    // lcs[i][j] = LCS length of a[pre+i..] and b[pre+j..].
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& {
      return lcs[i * (m + 1) + j];
    };
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        at(i, j) = eq(a[pre + i], b[pre + j]) ? at(i + 1, j + 1) + 1
                                              : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < n && j < m) {
      if (eq(a[pre + i], b[pre + j])) {
        ops.push_back(Op::kKeep);
        ++i;
        ++j;
      } else if (at(i + 1, j) >= at(i, j + 1)) {
        ops.push_back(Op::kDelete);
        ++i;
      } else {
        ops.push_back(Op::kInsert);
        ++j;
      }
    }
    ops.insert(ops.end(), n - i, Op::kDelete);
    ops.insert(ops.end(), m - j, Op::kInsert);
  }
  ops.insert(ops.end(), suf, Op::kKeep);
  return ops;
}

// Unified diff hunks with up to `context` lines of context.
std::vector<std::string> UnifiedDiff(const std::vector<std::string>& a,
                                     const std::vector<std::string>& b, std::size_t context = 3) {
  const std::vector<Op> ops =
      EditScript(a, b, [](const std::string& x, const std::string& y) { return x == y; });
  // Line numbers before each op.
  std::vector<std::size_t> ai(ops.size() + 1);
  std::vector<std::size_t> bi(ops.size() + 1);
  for (std::size_t k = 0; k < ops.size(); ++k) {
    ai[k + 1] = ai[k] + (ops[k] != Op::kInsert ? 1 : 0);
    bi[k + 1] = bi[k] + (ops[k] != Op::kDelete ? 1 : 0);
  }
  std::vector<std::string> out;
  std::size_t k = 0;
  while (k < ops.size()) {
    if (ops[k] == Op::kKeep) {
      ++k;
      continue;
    }
    // A hunk: from `context` keeps before the change to `context` keeps after the last change
    // that is within 2*context of the previous one.
    const std::size_t start = k >= context ? k - context : 0;
    std::size_t end = k;
    while (end < ops.size()) {
      if (ops[end] != Op::kKeep) {
        ++end;
        continue;
      }
      std::size_t run = end;
      while (run < ops.size() && ops[run] == Op::kKeep) {
        ++run;
      }
      if (run < ops.size() && run - end <= 2 * context) {
        end = run;
      } else {
        end = std::min(end + context, ops.size());
        break;
      }
    }
    const std::size_t a_len = ai[end] - ai[start];
    const std::size_t b_len = bi[end] - bi[start];
    out.push_back("@@ -" + std::to_string(a_len == 0 ? ai[start] : ai[start] + 1) + "," +
                  std::to_string(a_len) + " +" +
                  std::to_string(b_len == 0 ? bi[start] : bi[start] + 1) + "," +
                  std::to_string(b_len) + " @@");
    for (std::size_t x = start; x < end; ++x) {
      switch (ops[x]) {
        case Op::kKeep:
          out.push_back(" " + a[ai[x]]);
          break;
        case Op::kDelete:
          out.push_back("-" + a[ai[x]]);
          break;
        case Op::kInsert:
          out.push_back("+" + b[bi[x]]);
          break;
      }
    }
    k = end;
  }
  return out;
}

std::vector<std::string> Prefixed(const std::vector<std::string>& lines, char prefix) {
  std::vector<std::string> out;
  out.reserve(lines.size());
  for (const std::string& l : lines) {
    out.push_back(prefix + l);
  }
  return out;
}

std::vector<std::string> PropertyLines(const Document& d) {
  return {"Title: " + d.title, "Subtitle: " + d.subtitle, "Version: " + d.version,
          "Date: " + d.date};
}

}  // namespace

std::vector<SectionDiff> DiffDocuments(const Document& a, const Document& b) {
  std::vector<SectionDiff> result;
  const std::vector<std::string> pa = PropertyLines(a);
  const std::vector<std::string> pb = PropertyLines(b);
  if (pa != pb) {
    result.push_back(
        SectionDiff{"(document properties)", "", DiffStatus::kChanged, UnifiedDiff(pa, pb)});
  }
  const std::vector<Section> sa = SplitSections(a);
  const std::vector<Section> sb = SplitSections(b);
  const std::vector<Op> ops =
      EditScript(sa, sb, [](const Section& x, const Section& y) { return x.key == y.key; });
  std::size_t i = 0;
  std::size_t j = 0;
  for (const Op op : ops) {
    switch (op) {
      case Op::kKeep: {
        const Section& x = sa[i++];
        const Section& y = sb[j++];
        if (x.lines == y.lines) {
          result.push_back(SectionDiff{y.heading, y.anchor, DiffStatus::kUnchanged, {}});
        } else {
          result.push_back(SectionDiff{y.heading, y.anchor, DiffStatus::kChanged,
                                       UnifiedDiff(x.lines, y.lines)});
        }
        break;
      }
      case Op::kDelete: {
        const Section& x = sa[i++];
        result.push_back(
            SectionDiff{x.heading, x.anchor, DiffStatus::kRemoved, Prefixed(x.lines, '-')});
        break;
      }
      case Op::kInsert: {
        const Section& y = sb[j++];
        result.push_back(
            SectionDiff{y.heading, y.anchor, DiffStatus::kAdded, Prefixed(y.lines, '+')});
        break;
      }
    }
  }
  return result;
}

}  // namespace accredit::docs
