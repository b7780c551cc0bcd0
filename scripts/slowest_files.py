"""Print the test files that took longest, from a JUnit XML report pytest wrote.

    python scripts/slowest_files.py var/test-report.xml [how-many]

A test's time in the report includes its set-up and tear-down, so a file's total counts its
fixtures too. Under pytest-xdist the files run side by side: the totals add up to more than
the wall-clock time.
"""

import sys
import xml.etree.ElementTree as ET
from collections import Counter


def main() -> None:
    report, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    seconds: Counter[str] = Counter()
    tests: Counter[str] = Counter()
    for case in ET.parse(report).iter("testcase"):
        # "civicbridge.core.tests.test_url_walk" or "…test_url_walk.SomeClass": the file.
        parts = case.get("classname", "").split(".")
        while parts and not parts[-1].startswith("test_"):
            parts.pop()
        path = "/".join(parts) + ".py" if parts else case.get("classname", "?")
        seconds[path] += float(case.get("time", 0))
        tests[path] += 1
    print(f"Slowest test files ({report}):")
    for path, total in seconds.most_common(count):
        print(f"  {total:7.1f} s  {tests[path]:4d} tests  {path}")


if __name__ == "__main__":
    main()
