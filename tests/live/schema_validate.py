#!/usr/bin/env python3
"""schema_validate.py SCHEMA FILE... - validate every line of nstrace JSON Lines
files against the JSON Schema (draft 2020-12). Prints the first failures with
their line numbers and exits 1 if any line fails, 0 if all pass."""
import json
import sys

import jsonschema


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    bad = total = 0
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            for n, raw in enumerate(f, 1):
                total += 1
                try:
                    line = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as e:
                    bad += 1
                    print(f"{path}:{n}: not JSON: {e}", file=sys.stderr)
                    continue
                errors = list(validator.iter_errors(line))
                if errors:
                    bad += 1
                    if bad <= 10:
                        for e in errors[:3]:
                            where = "/".join(str(p) for p in e.absolute_path)
                            print(f"{path}:{n}: {where or '(line)'}: {e.message[:300]}",
                                  file=sys.stderr)
    if total == 0:
        print("no lines to validate", file=sys.stderr)
        return 1
    print(f"{total - bad}/{total} lines valid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
