"""Validates a report against a vendored schema; used by cli/tests/schemas.rs.

Usage: python3 validate.py sarif|junit FILE

Exit 0 when the file is valid; otherwise exit 1 listing every violation (path and message),
so a failing test says what to fix. Needs the `jsonschema` and `xmlschema` packages, which
.ci/deps.sh installs; a missing one exits 3 with the install command rather than passing.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def sarif(path):
    import jsonschema

    with open(os.path.join(HERE, "sarif-2.1.0-rtm.5.json"), encoding="utf-8") as f:
        schema = json.load(f)
    with open(path, encoding="utf-8") as f:
        document = json.load(f)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path)) or '$'}: {e.message}"
            for e in validator.iter_errors(document)]


def junit(path):
    import xmlschema

    schema = xmlschema.XMLSchema10(os.path.join(HERE, "jenkins-junit.xsd"))
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(path)]


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("sarif", "junit"):
        sys.exit("usage: validate.py sarif|junit FILE")
    try:
        errors = {"sarif": sarif, "junit": junit}[sys.argv[1]](sys.argv[2])
    except ImportError as e:
        print(f"{e}: run `python3 -m pip install jsonschema xmlschema` (.ci/deps.sh does)", file=sys.stderr)
        sys.exit(3)
    for error in errors:
        print(error)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
