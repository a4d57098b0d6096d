#!/usr/bin/env python3
"""The function order of the release `tocsin` binary (crates/cli/link-order.txt).

Most of Tocsin's resident memory is pages of its own code: the kernel maps the cached
pages of the file around every page fault (64 KiB at a time), so code run at start and
while idle, scattered over the 10 MB text segment, made most of it resident. The linker
places the functions named in link-order.txt first, in that order, so the code that runs
sits together and the rest is never touched (ARCHITECTURE.md, "Deliberate choices").

  generate --binary B --send DIR --idle DIR --load DIR
      writes the order, to standard output, from callgrind profiles of `tocsin send`,
      of an idle `tocsin serve` and of a short `tocsin-bench` run (scripts/link-order.sh
      makes them). Functions run by `send` and by the idle server come first, then the
      ones only `send` runs, then the ones only the idle server runs, then the ones only
      the load runs; by name within each group, so a new profile gives a readable diff.
  check BINARY
      how many of the names in link-order.txt the binary defines, and whether they come
      first in it; fails below 90 % of either: the code or the dependencies moved on and
      the order needs making again, or the build did not apply it.
"""

import argparse
import os
import re
import subprocess
import sys

ORDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates", "cli", "link-order.txt")
MIN_COVERAGE = 0.90


def code_symbols(binary):
    """The code symbols the binary defines, by address (its symbol table)."""
    out = subprocess.run(
        ["nm", "--defined-only", "--numeric-sort", binary], capture_output=True, text=True, check=True
    ).stdout
    names = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            names.append(parts[2])
    return names


def defined_functions(binary):
    return set(code_symbols(binary))


def profiled_functions(directory, binary):
    """Functions of `binary` with any cost in the callgrind outputs of `directory`.

    The profiles must be written with --compress-strings=no and --demangle=no, so that
    every `fn=` line carries the symbol's own name.
    """
    wanted = os.path.realpath(binary)
    seen = set()
    files = [os.path.join(directory, f) for f in sorted(os.listdir(directory))]
    if not files:
        sys.exit(f"no callgrind output in {directory}")
    for path in files:
        obj = fn = None
        with open(path, encoding="utf-8", errors="replace") as profile:
            for line in profile:
                if line.startswith("ob="):
                    obj = os.path.realpath(line[3:].strip())
                elif line.startswith("fn="):
                    # callgrind marks recursion levels with 'N; the symbol is the same.
                    fn = re.sub(r"'\d+$", "", line[3:].strip())
                elif line[:1].isdigit() or line[:1] in "+-*":
                    if obj == wanted and fn:
                        seen.add(fn)
    return seen


def generate(args):
    defined = defined_functions(args.binary)
    send = profiled_functions(args.send, args.binary) & defined
    idle = profiled_functions(args.idle, args.binary) & defined
    load = profiled_functions(args.load, args.binary) & defined
    groups = [send & idle, send - idle, idle - send, load - send - idle]
    for group in groups:
        for name in sorted(group):
            print(name)
    sizes = ", ".join(str(len(g)) for g in groups)
    print(f"link order: {sum(map(len, groups))} functions ({sizes})", file=sys.stderr)


def check(args):
    with open(ORDER, encoding="utf-8") as f:
        names = [line.strip() for line in f if line.strip()]
    if not names:
        sys.exit(f"{ORDER} is empty")
    by_address = code_symbols(args.binary)
    listed = set(names)
    found = sum(1 for n in set(by_address) if n in listed)
    share = found / len(listed)
    print(f"link order: {found} of {len(listed)} names of link-order.txt are in {args.binary} ({share:.0%})")
    if share < MIN_COVERAGE:
        sys.exit(
            f"below {MIN_COVERAGE:.0%}: the release binary no longer matches link-order.txt "
            "(code or dependencies changed); make it again with scripts/link-order.sh"
        )
    # The linker applied the order: the listed functions are the first code of the binary.
    first = sum(1 for n in by_address[:found] if n in listed)
    print(f"link order: {first} of the binary's first {found} functions are listed ({first / found:.0%})")
    if first / found < MIN_COVERAGE:
        sys.exit(
            "the listed functions are not at the front of the binary: the build did not pass "
            "link-order.txt to the linker (crates/cli/build.rs: release, x86_64 Linux, LLD)"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="write the order from callgrind profiles")
    g.add_argument("--binary", required=True)
    g.add_argument("--send", required=True)
    g.add_argument("--idle", required=True)
    g.add_argument("--load", required=True)
    g.set_defaults(run=generate)
    c = sub.add_parser("check", help="how much of the order a binary still matches")
    c.add_argument("binary")
    c.set_defaults(run=check)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
