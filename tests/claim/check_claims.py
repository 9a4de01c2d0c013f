"""Validates JSON Lines claim files against the claim-v1 contract; prints one error per line."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    for number, line in enumerate(open(path), 1):
        if not line.strip():
            continue
        for error in validator.iter_errors(json.loads(line)):
            bad += 1
            print(f"{path}:{number}: {'/'.join(map(str, error.path))}: {error.message}")
sys.exit(1 if bad else 0)
