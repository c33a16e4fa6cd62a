#!/usr/bin/env python3
"""Compares the expected numbers Docs/Teaching.md states with what chapters printed (their run
records), so that the guide never drifts from the chapters. Python's standard library only.

Usage: scripts/check_teaching_numbers.py --records DIR --chapter N [--chapter M …]
                                         [--tolerance T] [--guide Docs/Teaching.md]

Each unit of the guide (a `## Unit N: …` section) has a table of expected numbers whose rows
name what the chapter prints in its own tables:

    | printed as                                | seed 1 | seeds 1, 2, 3 |
    | `BERT-A, validation, after 600 updates`   | 5.871  | …             |
    | `BERT-A^d` in `validation loss`           | 6.109  | …             |

The first cell's code span is a row's first cell in one of the chapter's tables
(DIR/chapterN/record.json); a second code span names the column, else the row's first number
is meant. A label found in no table may be the text that precedes the number in what a cell
printed (`MC-BERT seed 1: validation replace_rate`). The second cell is the number at seed 1. A number passes when it differs from the
record's by at most T (default 0) plus half a unit of its last printed digit.

`make test-teaching-numbers` runs chapter 1 and checks unit 1 with the tolerance that covers
another thread count (see the script it runs, scripts/test_teaching_numbers.sh).
"""
import argparse
import json
import pathlib
import re
import sys

ROW = re.compile(r"^\|\s*`([^`]+)`(?:\s+in\s+`([^`]+)`)?\s*\|\s*([-+]?\d+(?:\.\d+)?)\s*\|")


def expected_numbers(guide, chapter):
    """[(row label, column or None, number text)] of unit `chapter` in the guide."""
    rows, inside = [], False
    for line in guide.split("\n"):
        heading = re.match(r"^## Unit (\d+)\b", line)
        if heading:
            inside = int(heading.group(1)) == chapter
        elif line.startswith("## "):
            inside = False
        elif inside:
            match = ROW.match(line)
            if match:
                rows.append(match.groups())
    return rows


def printed_number(record, label, column):
    """The number the record's tables print for row `label` (in `column`), else the number that
    follows `label` in what a cell printed (a line such as `ELECTRA seed 1: validation
    replace_rate 0.947`), or None."""
    return table_number(record, label, column) or (None if column else text_number(record, label))


def text_number(record, label):
    pattern = re.compile(re.escape(label) + r"\s*([-+]?\d+(?:\.\d+)?)")
    for entry in record["entries"]:
        match = pattern.search(entry.get("cell", {}).get("output", ""))
        if match:
            return match.group(1), float(match.group(1))
    return None


def table_number(record, label, column):
    for entry in record["entries"]:
        for table in entry.get("cell", {}).get("tables", []):
            headers = [h.strip() for h in table["headers"]]
            if column is not None and column not in headers:
                continue
            for row in table["rows"]:
                if not row or row[0].strip() != label:
                    continue
                cells = [row[headers.index(column)]] if column is not None else row[1:]
                for cell in cells:
                    try:
                        return cell.strip(), float(cell.replace(",", ""))
                    except ValueError:
                        continue
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", required=True, help="the folder holding chapterN/record.json")
    parser.add_argument("--chapter", type=int, action="append", required=True, help="a chapter whose unit to check")
    parser.add_argument("--tolerance", type=float, default=0.0, help="allowed difference beyond the printed rounding")
    parser.add_argument("--guide", default="Docs/Teaching.md")
    arguments = parser.parse_args()
    guide = pathlib.Path(arguments.guide).read_text(encoding="utf-8")
    problems, checked = [], 0
    for chapter in arguments.chapter:
        path = pathlib.Path(arguments.records) / f"chapter{chapter}" / "record.json"
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            sys.exit(f"check_teaching_numbers: cannot read {path} ({error}); run the chapter first")
        rows = expected_numbers(guide, chapter)
        if not rows:
            problems.append(f"unit {chapter} of {arguments.guide} states no expected numbers")
        command = " ".join([f"chapter{chapter}"] + record.get("arguments", [])[1:])
        for label, column, text in rows:
            name = label + (f" in {column}" if column else "")
            found = printed_number(record, label, column)
            if found is None:
                problems.append(f"chapter {chapter}: `{name}` is in no table and no printed line of {path}")
                continue
            printed, value = found
            decimals = len(text.split(".")[1]) if "." in text else 0
            allowed = arguments.tolerance + 0.5 * 10 ** -decimals
            difference = abs(value - float(text))
            checked += 1
            mark = "✓" if difference <= allowed + 1e-12 else "✗"
            print(f"{mark} chapter {chapter} · {name}: `{command}` printed {printed}, the guide says {text} "
                  f"(difference {difference:.4g}, allowed {allowed:.4g})")
            if mark == "✗":
                problems.append(f"chapter {chapter}: {name} printed {printed}, {arguments.guide} says {text}")
    for problem in problems:
        print(f"✗ {problem}")
    if problems:
        sys.exit(f"check_teaching_numbers: {len(problems)} problem(s)")
    print(f"check_teaching_numbers: {checked} numbers agree with the guide")


if __name__ == "__main__":
    main()
