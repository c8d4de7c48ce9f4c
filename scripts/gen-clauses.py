#!/usr/bin/env python3
"""Generate web/catalog/schedule-2.4.json from the Schedule 2.4 clause map (CLAUSES.md).

Usage (from the repository root):
    python3 scripts/gen-clauses.py                       # writes web/catalog/schedule-2.4.json
    python3 scripts/gen-clauses.py --output -            # prints to stdout
    python3 scripts/gen-clauses.py --input PATH --output PATH

Standard library only. The output is deterministic (same input, same bytes), so the checked-in
JSON can be compared with a fresh run (tests/catalog/catalog_test.cc does this).

Parsing rules (see docs/CATALOGUES.md):
  * "## <n> Title" opens body paragraph S2.4-<n>; each "- <n.m> text" bullet is a clause, and
    "5.1–5.2" ranges give one clause per number with the same text.
  * Inside a bullet, a not yet seen number that extends the bullet's number (e.g. "5.4.3"
    inside 5.4, "7.1.1.2" inside 7.1) and is preceded by white space starts a sub-item; its text runs to the next sub-item. "(5.4.1)" style references are
    preceded by "(" and are not sub-items.
  * "## Annex 1" bullets "- A1-<k> ..." give S2.4-A1-<k>, their relative sub-items S2.4-A1-<k.m>.
  * Annex 3 is one paragraph split on ";" outside parentheses: "A3-<k> ..." sections with
    relative sub-items (S2.4-A3-<k.m>) and "Annex X ..." (S2.4-A3-X).
  * A missing intermediate paragraph (11.1, A1-5.1) is synthesised so every parent chain ends at
    a top-level clause.
Kinds, deadlines and consequences are hand-curated in OVERRIDES below; every key there must be
a parsed clause (the script fails otherwise, so the table cannot silently drift).
"""

import argparse
import hashlib
import json
import os
import re
import sys

PREFIX = "S2.4-"

KINDS = {
    "obligation", "deadline", "prohibition", "consequence", "customer", "definition",
    "informative", "template",
}

# id (without "S2.4-") -> dict with any of: kind, deadline, consequence, title.
# Deadlines use: "<n> WD" (Working Days), "<n> days" (calendar), "<n> hours", "<n> months",
# "monthly", "quarterly", "annual", "by 31 March", or "before <event>" for a precondition.
MD = "material Default"
OVERRIDES = {
    "1": {"kind": "definition"},
    "2.1": {"kind": "informative"},
    "2.3": {"kind": "informative"},
    "3.1": {"kind": "definition"},
    "3.2": {"kind": "customer"},
    "4.1": {"kind": "customer"},
    "4.2": {"kind": "informative"},
    "4.3": {"kind": "informative"},
    "5.1": {"kind": "customer"},
    "5.2": {"kind": "customer"},
    "5.3": {"kind": "deadline", "deadline": "before the Operational Service Commencement Date"},
    "5.5": {"kind": "deadline", "deadline": "10 WD (resubmission); 15 WD (approval target)",
            "consequence": "rejection after resubmission goes to the Dispute Resolution Procedure; "
                           "non-compliance with S2.4-5.4 is a reasonable ground to refuse approval"},
    "5.6": {"kind": "deadline", "deadline": "annual"},
    "5.7": {"kind": "customer", "deadline": "by the date in the Accreditation Plan"},
    "5.7.1": {"kind": "customer"},
    "5.7.2": {"kind": "customer"},
    "5.8": {"kind": "deadline", "deadline": "20 WD",
            "consequence": "a further Rejection Notice is a " + MD + " (S2.4-5.9)"},
    "5.9": {"kind": "consequence", "consequence": MD + "; the Customer may terminate"},
    "5.10": {"kind": "informative"},
    "5.11": {"kind": "prohibition"},
    "5.12": {"kind": "deadline", "deadline": "annual"},
    "5.13": {"kind": "deadline", "deadline": "2 WD"},
    "5.13.1": {"kind": "deadline", "deadline": "2 WD"},
    "5.13.2": {"kind": "deadline", "deadline": "2 WD"},
    "5.13.3": {"kind": "deadline", "deadline": "2 WD"},
    "5.13.4": {"kind": "deadline", "deadline": "2 WD"},
    "5.13.5": {"kind": "deadline", "deadline": "2 WD"},
    "5.13.6": {"kind": "deadline", "deadline": "2 WD"},
    "5.13.7": {"kind": "deadline", "deadline": "2 WD"},
    "5.13.8": {"kind": "deadline", "deadline": "2 WD"},
    "5.14": {"kind": "deadline", "deadline": "10 WD"},
    "5.15": {"kind": "consequence", "consequence": MD},
    "5.15.1": {"kind": "consequence", "consequence": "stop processing Customer Data on the Core IMS"},
    "5.15.2": {"kind": "consequence", "deadline": "the Customer's timescales",
               "consequence": "termination"},
    "6.2": {"kind": "deadline", "deadline": "6 months (from the Effective Date)"},
    "6.2.1": {"kind": "deadline", "deadline": "6 months (from the Effective Date)"},
    "6.2.2": {"kind": "deadline", "deadline": "6 months (from the Effective Date)"},
    "6.3": {"kind": "deadline", "deadline": "before the party uses the Core IMS for Customer Data"},
    "6.4": {"kind": "deadline", "deadline": "before the supplier uses the Core IMS"},
    "6.6": {"kind": "deadline", "deadline": "before any secure destruction"},
    "6.7": {"kind": "deadline", "deadline": "2 WD"},
    "7.1.1.1": {"kind": "deadline",
                "deadline": "before submitting the RMD for an Accreditation Decision"},
    "7.1.1.3": {"kind": "deadline", "deadline": "12 months"},
    "7.1.2": {"kind": "deadline", "deadline": "monthly"},
    "7.1.3": {"kind": "deadline", "deadline": "as soon as reasonably practicable"},
    "7.2": {"kind": "deadline", "deadline": "as soon as practicable"},
    "7.5": {"kind": "customer"},
    "7.6": {"kind": "customer"},
    "7.7": {"kind": "customer"},
    "7.8": {"kind": "customer"},
    "7.10": {"kind": "informative"},
    "7.12": {"kind": "consequence", "consequence": MD},
    "7.13": {"kind": "deadline", "deadline": "by 31 March"},
    "8.1": {"kind": "informative"},
    "8.2.1": {"kind": "definition"},
    "8.2.2": {"kind": "definition"},
    "8.3": {"kind": "deadline", "deadline": "7 days / 30 days / 60 days",
            "consequence": MD + " (S2.4-8.8)"},
    "8.3.1": {"kind": "deadline", "deadline": "7 days", "consequence": MD + " (S2.4-8.8)"},
    "8.3.2": {"kind": "deadline", "deadline": "30 days", "consequence": MD + " (S2.4-8.8)"},
    "8.3.3": {"kind": "deadline", "deadline": "60 days", "consequence": MD + " (S2.4-8.8)"},
    "8.4": {"kind": "informative"},
    "8.4.1": {"kind": "informative"},
    "8.4.2": {"kind": "deadline", "deadline": "5 days (extension)"},
    "8.4.3": {"kind": "informative"},
    "8.6.6": {"kind": "deadline", "deadline": "5 WD (after the end of each month)"},
    "8.7": {"kind": "deadline", "deadline": "immediately"},
    "8.8": {"kind": "consequence", "consequence": MD},
    "9.3": {"kind": "informative"},
    "9.3.1": {"kind": "informative"},
    "9.3.2": {"kind": "informative"},
    "10.1": {"kind": "deadline", "deadline": "24 hours (Major Incident); quarterly (incident log)",
             "consequence": MD + " if not remedied (S2.4-10.5)"},
    "10.3.1": {"kind": "deadline", "deadline": "immediately"},
    "10.3.2": {"kind": "deadline", "deadline": "2 WD",
               "consequence": MD + " if not remedied (S2.4-10.5)"},
    "10.5": {"kind": "consequence", "consequence": MD + " if not remedied"},
    "11.1": {"kind": "obligation", "title": "The Provider shall (lead-in to 11.1.1-11.1.5)"},
    "11.1.1": {"kind": "prohibition"},
    "A1-2.1": {"kind": "prohibition"},
    "A1-4.4": {"kind": "prohibition"},
    "A1-4.6": {"kind": "deadline", "deadline": "1 WD"},
    "A1-5.1": {"kind": "obligation", "title": "Identification and authentication"},
    "A1-5.5": {"kind": "deadline", "deadline": "90 days (inactivity)"},
    "A1-7.2": {"kind": "deadline", "deadline": "before certificate expiry"},
    "A1-8": {"kind": "informative"},
    "A3": {"title": "Risk Management Documentation template (header: date, version)"},
}

SUB_NUMBER = re.compile(r"(\d+(?:\.\d+)+)(?=\s)")
TRAILING = re.compile(r"(?:[\s;:,\u2014\u2013-]+|\b(?:and|or|either)\s*)$")


def clean(text):
    text = text.replace("**", "")
    text = re.sub(r"\s+", " ", text).strip()
    while True:
        stripped = TRAILING.sub("", text)
        if stripped == text:
            break
        text = stripped
    if text.endswith(".") and not text.endswith("etc."):
        text = text[:-1]
    return text


def split_sub_items(head, rest):
    """Splits `rest` (text after number `head`) into [(relative id, text)], head first."""
    defined = {head}
    starts = []
    for m in SUB_NUMBER.finditer(rest):
        num = m.group(1)
        if m.start() > 0 and not rest[m.start() - 1].isspace():
            continue
        # A sub-item extends the bullet's number; a missing level (A1-5's "5.1.1" without a 5.1)
        # is synthesised later by Builder.ensure.
        if num.startswith(head + ".") and num not in defined:
            defined.add(num)
            starts.append((num, m.start(), m.end()))
    out = []
    first = starts[0][1] if starts else len(rest)
    out.append((head, clean(rest[:first])))
    for i, (num, _, end) in enumerate(starts):
        stop = starts[i + 1][1] if i + 1 < len(starts) else len(rest)
        out.append((num, clean(rest[end:stop])))
    return out


def split_outside_parens(text, sep):
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


class Builder:
    def __init__(self):
        self.clauses = []
        self.by_id = {}

    def add(self, rel_id, parent_rel, title):
        if rel_id in self.by_id:
            raise SystemExit("gen-clauses: duplicate clause id %s" % rel_id)
        entry = {"id": rel_id, "parent": parent_rel, "title": title}
        self.by_id[rel_id] = entry
        self.clauses.append(entry)

    def add_tree(self, top, prefix, head, rest):
        """Adds head and its sub-items; `prefix` is "" for the body, "A1-" for Annex 1 etc."""
        for num, text in split_sub_items(head, rest):
            rel = prefix + num
            if "." in num:
                parent = prefix + num.rsplit(".", 1)[0]
                self.ensure(parent, top, prefix)
            else:
                parent = top
            self.add(rel, parent, text)

    def ensure(self, rel, top, prefix):
        """Synthesises a missing intermediate paragraph (e.g. 11.1) and its ancestors."""
        if rel in self.by_id:
            return
        num = rel[len(prefix):]
        if "." in num:
            parent = prefix + num.rsplit(".", 1)[0]
            self.ensure(parent, top, prefix)
        else:
            parent = top
        self.add(rel, parent, "Paragraph %s (no lead-in text in the clause map)" % rel)


def parse(markdown):
    b = Builder()
    section = None  # ("body", n) | ("annex", k)
    annex3_text = []
    heading_body = re.compile(r"^## (\d+) (.+)$")
    heading_annex = re.compile(r"^## Annex (\d+) \u2014 (.+)$")
    bullet_body = re.compile(r"^- (\d+(?:\.\d+)*)(?:\u2013(\d+(?:\.\d+)*))? (.*)$")
    bullet_a1 = re.compile(r"^- A1-(\d+) (.*)$")
    for line in markdown.splitlines():
        m = heading_body.match(line)
        if m:
            section = ("body", m.group(1))
            b.add(m.group(1), "", clean(m.group(2)))
            continue
        m = heading_annex.match(line)
        if m:
            section = ("annex", m.group(1))
            b.add("A" + m.group(1), "", clean(m.group(2)))
            continue
        if line.startswith("#"):
            section = None
            continue
        if section is None:
            continue
        if section[0] == "body":
            m = bullet_body.match(line)
            if not m:
                continue
            first, last, rest = m.group(1), m.group(2), m.group(3)
            if last:
                # "5.1–5.2": one clause per number, same text.
                base = first.rsplit(".", 1)[0]
                lo, hi = int(first.rsplit(".", 1)[1]), int(last.rsplit(".", 1)[1])
                for k in range(lo, hi + 1):
                    b.add("%s.%d" % (base, k), section[1], clean(rest))
                continue
            top = section[1]
            if first.count(".") > 1:
                # "- 11.1.1 ..." bullets without their 11.1 lead-in.
                b.ensure(first.rsplit(".", 1)[0], top, "")
            b.add_tree(top, "", first, rest)
        elif section[1] == "1":
            m = bullet_a1.match(line)
            if m:
                b.add_tree("A1", "A1-", m.group(1), m.group(2))
        elif section[1] == "3":
            annex3_text.append(line)
    for part in split_outside_parens(" ".join(annex3_text), ";"):
        m = re.match(r"^A3-(\d+) (.*)$", part)
        if m:
            b.add_tree("A3", "A3-", m.group(1), m.group(2))
            continue
        m = re.match(r"^Annex ([A-Z]) (.*)$", part)
        if m:
            b.add("A3-" + m.group(1), "A3", clean(m.group(2)))
    return b.clauses


def finish(clauses):
    ids = {c["id"] for c in clauses}
    for key in OVERRIDES:
        if key not in ids:
            raise SystemExit("gen-clauses: override for unknown clause %s" % key)
    out = []
    for c in clauses:
        rel = c["id"]
        if c["parent"] == "":
            kind = "template" if rel == "A3" else "informative"
        elif rel.startswith("A3-"):
            kind = "template"
        else:
            kind = "obligation"
        o = OVERRIDES.get(rel, {})
        entry = {
            "id": PREFIX + rel,
            "parent": PREFIX + c["parent"] if c["parent"] else "",
            "title": o.get("title", c["title"]),
            "kind": o.get("kind", kind),
            "deadline": o.get("deadline", ""),
            "consequence": o.get("consequence", ""),
        }
        if entry["kind"] not in KINDS:
            raise SystemExit("gen-clauses: bad kind for %s" % rel)
        if entry["kind"] == "deadline" and not entry["deadline"]:
            raise SystemExit("gen-clauses: deadline clause %s has no deadline" % rel)
        if not entry["title"]:
            raise SystemExit("gen-clauses: clause %s has no title" % rel)
        out.append(entry)
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", default=os.path.join(root, "..", "shared", "seed", "CLAUSES.md"))
    ap.add_argument("--output", default=os.path.join(root, "web", "catalog", "schedule-2.4.json"))
    args = ap.parse_args()
    with open(args.input, "rb") as f:
        raw = f.read()
    clauses = finish(parse(raw.decode("utf-8")))
    doc = {
        "catalogue": "Schedule 2.4 (Security Management): clause map",
        "note": "Clause ids, short summaries, kind of duty and time limits, generated from the "
                "project's clause map by scripts/gen-clauses.py (kinds and deadlines curated in "
                "its OVERRIDES table). Summaries paraphrase the schedule; they are not its text.",
        "source": {
            "repository": "accredit project seed",
            "path": "seed/CLAUSES.md",
            "sha256": hashlib.sha256(raw).hexdigest(),
            "generator": "scripts/gen-clauses.py",
            "license_of_packaging": "Contract schedule of a UK government services contract "
                                    "(Highways England); clause map written for this project",
        },
        "counts": {"clauses": len(clauses)},
        "clauses": clauses,
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
