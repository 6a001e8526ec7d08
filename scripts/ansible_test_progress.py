# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Follow an ``ansible-test sanity`` or ``ansible-test integration`` run for a person.

    ansible-test integration ... 2>&1 | python ansible_test_progress.py integration LOG JUNIT [TARGET...]

Reads ansible-test's output on stdin, keeps all of it in LOG, and prints one line per sanity
test or integration target when it ends: its result, its name and how long it took. A failed
item's own output (its last lines) is printed under it, so a failure reads without the log.

With ``integration``, JUNIT is written: one test case per target. The TARGETs named on the
command line are the ones that must run: one that ansible-test did not run (an alias that
hides it, a typo) counts as failed. With ``sanity``, ansible-test writes its own junit files
(``--junit``), which scripts/test.sh counts; JUNIT is not written.

Exit status 0; the result is in the junit files.
"""

import re
import sys
import time
from xml.sax.saxutils import quoteattr, escape

# 2.17 quotes the test name with ', newer releases with ".
START = {
    "sanity": re.compile(r"""^Running sanity test ['"]([^'"]+)['"](?: on Python (\S+))?"""),
    "integration": re.compile(r"^Running (\S+) integration test (?:role|script)$"),
}
# ansible-test's own error lines (ansible-playbook's are "[ERROR]:" or "ERROR!").
FAILURE = re.compile(r"^(ERROR|FATAL): ")
FAILED_LIST = re.compile(r"^(?:ERROR|FATAL): The \d+ (?:sanity|integration) test\(s\) listed below")
TAIL_LINES = 150


class Item:
    def __init__(self, name):
        self.name = name
        self.started = time.monotonic()
        self.seconds = 0.0
        self.lines = []
        self.failed = False
        # ansible-test's setup targets (setup/always/..., setup/once/...) run before a target.
        self.is_setup = name.startswith(("setup_", "prepare_"))

    def finish(self):
        self.seconds = time.monotonic() - self.started


def fmt_seconds(seconds):
    return "%dm%02ds" % divmod(int(round(seconds)), 60)


def report(item):
    result = "FAIL" if item.failed else "ok"
    print("   %-4s %-48s %8s" % (result, item.name, fmt_seconds(item.seconds)), flush=True)
    if item.failed:
        tail = item.lines[-TAIL_LINES:]
        if len(item.lines) > len(tail):
            print("        ... (%d earlier lines in the log)" % (len(item.lines) - len(tail)))
        for line in tail:
            print("        | " + line)
        sys.stdout.flush()


def follow(kind, stream, log):
    """Items in the order they ran, and the names ansible-test listed as failed at the end."""
    items, listed_failed, current, in_failed_list = [], set(), None, False
    for raw in stream:
        log.write(raw)
        log.flush()
        line = raw.rstrip("\n")
        if in_failed_list:
            if line.strip():
                listed_failed.add(line.strip())
            continue
        if FAILED_LIST.match(line):
            in_failed_list = True
            continue
        start = START[kind].match(line)
        if start:
            name = start.group(1)
            if kind == "sanity" and start.group(2):
                name += " --python " + start.group(2)
            setup = current if current and current.is_setup else None
            if setup and setup.failed:
                # ansible-test gives up on a target whose setup failed, without naming it here.
                setup.finish()
                setup.name += " (setup of the next target)"
                report(setup)
                setup = None
            if current and not current.is_setup:
                current.finish()
                report(current)
            current = Item(name)
            if current.is_setup:
                pass  # shown as part of the target it prepares, not as an item of its own
            else:
                if setup:  # the target's setup run counts in the target's time and output
                    current.started, current.lines, current.failed = setup.started, setup.lines, setup.failed
                items.append(current)
            continue
        if current:
            current.lines.append(line)
            if FAILURE.match(line):
                current.failed = True
    if current and not current.is_setup:
        current.finish()
        if current.name in listed_failed:
            current.failed = True
        report(current)
    return items, listed_failed


def write_junit(path, suite, items, expected, listed_failed):
    seen = {item.name for item in items}
    cases = []
    for item in items:
        body = ""
        if item.failed:
            body = "<failure message=%s>%s</failure>" % (
                quoteattr("%s failed" % item.name), escape("\n".join(item.lines[-TAIL_LINES:])))
        cases.append('<testcase classname=%s name=%s time="%.1f">%s</testcase>' % (
            quoteattr(suite), quoteattr(item.name), item.seconds, body))
    for name in expected:
        if name not in seen:
            why = ("failed before it started: its setup failed (see above)" if name in listed_failed
                   else "ansible-test did not run it: check its aliases")
            print("   FAIL %-48s (%s)" % (name, why), flush=True)
            cases.append('<testcase classname=%s name=%s><failure message=%s/></testcase>' % (
                quoteattr(suite), quoteattr(name), quoteattr(why)))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('<?xml version="1.0" encoding="utf-8"?>\n<testsuites><testsuite name=%s>\n%s\n</testsuite></testsuites>\n'
                     % (quoteattr(suite), "\n".join(cases)))


def main(argv):
    kind, log_path, junit_path, expected = argv[1], argv[2], argv[3], argv[4:]
    if kind not in START:
        raise SystemExit("usage: %s sanity|integration LOG JUNIT [TARGET...]" % argv[0])
    with open(log_path, "w", encoding="utf-8") as log:
        items, listed_failed = follow(kind, sys.stdin, log)
    for item in items:
        item.failed = item.failed or item.name in listed_failed
    if kind == "integration":
        write_junit(junit_path, kind, items, expected, listed_failed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
