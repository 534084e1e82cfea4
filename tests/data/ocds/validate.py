#!/usr/bin/env python3
"""Validates an OCDS release package against the vendored OCDS 1.1.5 schema patched with the
extensions the package declares (JSON Merge Patch, as the OCDS extension mechanism does).

Usage: validate.py PACKAGE.json
Prints one line per problem and exits 1 when there is any; prints "valid" otherwise.
Problems: schema errors (jsonschema Draft 4 with format checks), an extension URL that is
not one of the vendored copies, and fields that no schema declares (OCDS allows them, but a
typo in a field name would otherwise pass silently).
"""
import datetime
import json
import pathlib
import re
import sys

import jsonschema

HERE = pathlib.Path(__file__).resolve().parent
STANDARD = HERE / "standard-1.1.5"
EXTENSIONS = {  # declared URL -> vendored copy
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
    "v1.1.5/extension.json": "lots-v1.1.5",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/"
    "v1.1.5/extension.json": "location-v1.1.5",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_renewal_extension/"
    "cf26577519ced7a0429652aaa2358e3ab7d39fa3/extension.json": "renewal-cf26577",
}
RELEASE_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


def merge(base, patch):
    """RFC 7386 JSON Merge Patch."""
    if not isinstance(patch, dict):
        return patch
    out = dict(base) if isinstance(base, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge(out.get(k), v)
    return out


FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def date_time(text):
    """RFC 3339 date-time (jsonschema's own check needs a package Debian 12 lacks)."""
    if not isinstance(text, str):
        return True
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", text):
        raise ValueError(f"{text!r} is not an RFC 3339 date-time")
    datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return True


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def undeclared(data, schema, root, where="release"):
    """Fields of data that the (patched) release schema does not declare."""
    while "$ref" in schema:
        schema = root["definitions"][schema["$ref"].split("/")[-1]]
    found = []
    if isinstance(data, dict):
        props = schema.get("properties", {})
        for k, v in data.items():
            if k not in props:
                found.append(f"{where}.{k}: field not declared by the schema or its extensions")
            else:
                found += undeclared(v, props[k], root, f"{where}.{k}")
    elif isinstance(data, list) and "items" in schema:
        for i, v in enumerate(data):
            found += undeclared(v, schema["items"], root, f"{where}[{i}]")
    return found


def main():
    package = load(sys.argv[1])
    problems = []
    release_schema = load(STANDARD / "release-schema.json")
    for url in package.get("extensions", []):
        if url not in EXTENSIONS:
            problems.append(f"extensions: {url} is not a vendored (pinned) extension")
            continue
        release_schema = merge(release_schema, load(HERE / EXTENSIONS[url] / "release-schema.json"))
    package_schema = load(STANDARD / "release-package-schema.json")
    resolver = jsonschema.RefResolver.from_schema(
        package_schema, store={RELEASE_URL: release_schema, package_schema["id"]: package_schema})
    validator = jsonschema.Draft4Validator(
        package_schema, resolver=resolver, format_checker=FORMATS)
    for e in sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path)):
        problems.append("/".join(str(p) for p in e.absolute_path) + ": " + e.message)
    for i, release in enumerate(package.get("releases", [])):
        problems += undeclared(release, release_schema, release_schema, f"releases[{i}]")
    for p in problems:
        print(p)
    if not problems:
        print("valid")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
