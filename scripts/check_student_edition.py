#!/usr/bin/env python3
"""Checks a built student edition (scripts/test_student_edition.sh runs it; Python's standard
library only).

Usage: scripts/check_student_edition.py EDITION SWIFT_TEST_LOG

EDITION is the edition's folder, built with its tests; SWIFT_TEST_LOG what `swift test` printed
there. Fails (exit status 1, one line per problem) unless:

1. the edition has no Exercises/Solutions and carries .github/workflows/classroom.yml;
2. in the log, every exercise (as `tenfold progress --json` lists them) has its XCTest,
   YourExercises.testExerciseN_M, and each failed with its diagnosis (`exercise N.M is not
   implemented yet` and how to ask for a hint); no other test failed, and the other tests ran;
3. `tenfold check 1.1` exits with status 1, prints the diagnosis and nothing on standard error;
4. `tenfold progress --junit FILE` writes JUnit XML that parses, with one test case per exercise,
   each a failure; `tenfold progress --require-all` exits non-zero;
5. `tenfold exercises stubs` refuses cleanly: there are no solutions to generate from.
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree


def run(*arguments, cwd):
    return subprocess.run([str(a) for a in arguments], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_outcomes(log):
    """{test name: (status, the text printed while it ran)} from XCTest's log."""
    outcomes = {}
    started = {}
    lines = log.split("\n")
    for number, line in enumerate(lines):
        match = re.search(r"Test Case '(?:[\w.]+\.)?(\w+\.\w+)' (started|passed|failed|skipped)", line)
        if not match:
            continue
        name, event = match.groups()
        if event == "started":
            started[name] = number
        else:
            outcomes[name] = (event, "\n".join(lines[started.get(name, number):number + 1]))
    return outcomes


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    edition, log = pathlib.Path(sys.argv[1]).resolve(), pathlib.Path(sys.argv[2]).read_text(errors="replace")
    tenfold = edition / ".build" / "debug" / "tenfold"
    problems = []

    if (edition / "Exercises" / "Solutions").exists():
        problems.append("the edition holds Exercises/Solutions")
    if not (edition / ".github" / "workflows" / "classroom.yml").is_file():
        problems.append("the edition has no .github/workflows/classroom.yml")

    progress = run(tenfold, "progress", "--json", cwd=edition)
    ids = [exercise["id"] for exercise in json.loads(progress.stdout)["exercises"]]
    if not ids:
        problems.append("tenfold progress --json lists no exercises")

    outcomes = test_outcomes(log)
    learner = {f"YourExercises.testExercise{i.replace('.', '_')}": i for i in ids}
    for name, id in learner.items():
        status, text = outcomes.get(name, ("missing", ""))
        if status != "failed":
            problems.append(f"{name}: {status}, expected to fail on the stub")
        elif f"exercise {id} is not implemented yet" not in text or f"make hint N={id}" not in text:
            problems.append(f"{name} failed without the diagnosis of `tenfold check {id}`:\n{text}")
    others = {name: status for name, (status, _) in outcomes.items() if name not in learner}
    failed = sorted(name for name, status in others.items() if status == "failed")
    if failed:
        problems.append(f"{len(failed)} other test(s) failed: {', '.join(failed)}")
    passed = sum(status == "passed" for status in others.values())
    if passed < 50:
        problems.append(f"only {passed} other tests passed; did the whole suite run?")
    if "Fatal error" in log:
        problems.append("a test crashed (Fatal error in the log)")

    check = run(tenfold, "check", "1.1", cwd=edition)
    if check.returncode != 1 or "exercise 1.1 is not implemented yet" not in check.stdout or check.stderr.strip():
        problems.append(f"tenfold check 1.1 should fail cleanly with the diagnosis: status {check.returncode}, "
                        f"output {check.stdout!r}, errors {check.stderr!r}")

    with tempfile.TemporaryDirectory() as folder:
        report = pathlib.Path(folder) / "junit.xml"
        junit = run(tenfold, "progress", "--junit", report, cwd=edition)
        try:
            root = ElementTree.parse(report).getroot()
            cases = root.iter("testcase")
            names = [case.get("name", "") for case in cases]
            if [name.split(" ")[0] for name in names] != ids:
                problems.append(f"the JUnit report lists {names}, not the exercises {ids}")
            if len(list(root.iter("failure"))) != len(ids) or root.get("failures") != str(len(ids)):
                problems.append("the JUnit report should show every exercise failing on the stubs")
        except (OSError, ElementTree.ParseError) as error:
            problems.append(f"tenfold progress --junit (status {junit.returncode}) wrote no readable JUnit XML: {error}")
    if run(tenfold, "progress", "--require-all", cwd=edition).returncode == 0:
        problems.append("tenfold progress --require-all exits 0 on the stubs")

    stubs = run(tenfold, "exercises", "stubs", cwd=edition)
    if stubs.returncode == 0 or "no solutions found" not in stubs.stderr or "Fatal error" in stubs.stderr:
        problems.append(f"tenfold exercises stubs should refuse cleanly without solutions: {stubs.stderr!r}")

    summary = (f"{len(ids)} exercise tests fail with their diagnoses, {passed} other tests pass; "
               "tenfold check, progress --junit and --require-all behave")
    if problems:
        sys.exit("\n".join(f"✗ {problem}" for problem in problems) + f"\ncheck_student_edition: {len(problems)} problem(s)")
    print(f"check_student_edition: {summary}")


if __name__ == "__main__":
    main()
