#!/bin/sh
# kcidb-validate.sh: is a document what a KCIDB instance would take?
#
#   kcidb-validate.sh SCHEMA DOCUMENT
#
# Debian's python3-jsonschema (Draft7Validator, the schema's draft) run
# by Debian's own python: the python3 first on PATH may be another one,
# without the module.  Formats are checked too: "uri" through
# python3-rfc3987, "email"; bookworm has no checker for "date-time" (it
# needs rfc3339-validator, which Debian 12 does not package), so times
# are not checked: the lab's documents carry none.  Prints each error
# with where it is (the first ten), and exits 1 if there is any.
set -u
[ $# = 2 ] || { echo "usage: kcidb-validate.sh SCHEMA DOCUMENT" >&2; exit 2; }
exec /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
try:
    import jsonschema, rfc3987  # noqa: F401 (rfc3987 makes "uri" checked)
except ImportError as e:
    sys.exit(f"kcidb-validate: error: {e.name} is missing: make deps installs it")
schema_path, doc_path = sys.argv[1:]
try:
    schema = json.load(open(schema_path))
    doc = json.load(open(doc_path))
except (OSError, ValueError) as e:
    sys.exit(f"kcidb-validate: error: {e}")
v = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors[:10]:
    where = "/".join(str(p) for p in e.absolute_path) or "(top)"
    print(f"kcidb-validate: {doc_path}: {where}: {e.message}")
if len(errors) > 10:
    print(f"kcidb-validate: {doc_path}: and {len(errors) - 10} more errors")
sys.exit(1 if errors else 0)
PY
