#!/usr/bin/env python3
"""Writes each module's `ModelProperties.swift`: every Fluent model's `properties`, listed by hand.

FluentKit finds a model's fields by reflection on every row it reads or writes (`Fields.properties`), which
was a fifth of the server's CPU on hot paths (BENCHMARKS.md, issue 15). `properties` is a requirement of
`Fields`, so a model may list its property wrappers itself. This script writes those lists from the
declarations (`@ID`, `@Field`, `@OptionalField`, `@Parent`, `@OptionalParent`, `@Timestamp`, `@Children`),
in declaration order. Run it after adding or removing a field; `ModelPropertiesTests` fails until you do.

    python3 scripts/model-properties.py          (from the repository's root)
"""
import os
import re
import sys

WRAPPERS = ("ID", "Field", "OptionalField", "Parent", "OptionalParent", "Timestamp", "Children")
CLASS = re.compile(r"^(public )?final class (\w+): Model\b")
PROPERTY = re.compile(r"^\s+@(" + "|".join(WRAPPERS) + r")\(.*\)\s+(?:public |internal )?var (\w+)\s*:")
OTHER_WRAPPER = re.compile(r"^\s+@(Group|CompositeID|OptionalChild|Siblings|Enum|OptionalEnum|Boolean|OptionalBoolean)\(")


def models_in(path):
    """(module-level models in declaration order) as (name, public, [property names])."""
    found = []
    current = None
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, 1):
            match = CLASS.match(line)
            if match:
                current = (match.group(2), bool(match.group(1)), [])
                found.append(current)
                continue
            if current is None:
                continue
            if line.startswith("}"):
                current = None
                continue
            if OTHER_WRAPPER.match(line):
                sys.exit(f"{path}:{number}: a property wrapper this script does not know; list it by hand or teach the script")
            match = PROPERTY.match(line)
            if match:
                current[2].append(match.group(2))
    return found


def main():
    root = "Sources"
    for module in sorted(os.listdir(root)):
        directory = os.path.join(root, module)
        if not os.path.isdir(directory):
            continue
        models = []
        for base, _, files in os.walk(directory):
            for name in sorted(files):
                if name.endswith(".swift") and name != "ModelProperties.swift":
                    models += models_in(os.path.join(base, name))
        target = os.path.join(directory, "ModelProperties.swift")
        if not models:
            if os.path.exists(target):
                os.remove(target)
            continue
        models.sort(key=lambda model: model[0])
        lines = [
            "// Written by scripts/model-properties.py: do not edit by hand; run it after changing a model's fields.",
            "import FluentKit",
            "",
            "// Each model's property wrappers, in declaration order, so FluentKit does not find them by reflection on",
            "// every row it reads or writes (issue 15). `ModelPropertiesTests` checks each list against reflection.",
        ]
        for name, public, properties in models:
            if not properties:
                sys.exit(f"{name}: no properties found")
            access = "public " if public else ""
            rows, row = [], ""
            for item in ["$" + p for p in properties]:
                if row and len(row) + len(item) + 2 > 104:
                    rows.append(row + ",")
                    row = ""
                row = item if not row else row + ", " + item
            rows.append(row)
            lines += ["", f"extension {name} {{", f"    {access}var properties: [any AnyProperty] {{", "        ["]
            lines += ["            " + r for r in rows]
            lines += ["        ]", "    }", "}"]
        with open(target, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        print(f"{target}: {len(models)} models: {', '.join(m[0] for m in models)}")


if __name__ == "__main__":
    main()
