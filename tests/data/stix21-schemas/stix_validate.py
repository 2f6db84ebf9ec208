#!/usr/bin/env python3
"""Validate STIX 2.1 bundles against the schemas beside this file.

    stix_validate.py [--lockstep] BUNDLE.json...

Exit 0 when every bundle is valid, 1 when one is not (each problem printed
as FILE: objects[i] (id).property: what is wrong), 2 on bad usage or an
unreadable file, 77 when python3-jsonschema is not installed (CTest's and
GoogleTest's "skipped").

Three layers, all from the STIX 2.1 specification (see README.md):
  1. the JSON Schemas (bundle.json and the per-type files): required
     properties, property types, identifier and timestamp forms, ranges,
     non-empty lists;
  2. rules between two values, which JSON Schema cannot state: an id's type
     part is its object's type, modified >= created, last_seen >=
     first_seen, last_observed >= first_observed, valid_until > valid_from,
     stop_time > start_time, observed-data object_refs name SCOs or SROs,
     no two objects with the same id and modified;
  3. with --lockstep, what lockstep's export promises beyond the
     specification: every reference resolves inside the bundle, the open
     vocabularies lockstep fills use only their suggested values, and every
     STIX pattern has one of the forms lockstep writes,
     [domain-name:value = '<domain>'], [ipv4-addr:value = '<address>'] and
     [url:value = '<url>'], with ' and \\ escaped in the literal.
"""

import argparse
import json
import os
import re
import sys

try:
    import jsonschema
except ImportError:
    print("skipped: python3-jsonschema is not installed (Debian: apt-get install python3-jsonschema)")
    sys.exit(77)

SCHEMA_DIR = os.path.dirname(os.path.abspath(__file__))

# 6 STIX Cyber-observable Objects: the types the specification defines.
SCO_TYPES = {
    "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message", "file",
    "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url",
    "user-account", "windows-registry-key", "x509-certificate",
}

# The open vocabularies lockstep fills, by property (common.json holds the values).
LOCKSTEP_VOCABULARIES = {
    ("identity", "identity_class"): "identity-class-ov",
    ("indicator", "indicator_types"): "indicator-type-ov",
    ("indicator", "pattern_type"): "pattern-type-ov",
    ("report", "report_types"): "report-type-ov",
}

# The pattern forms lockstep writes (9 STIX Patterning: a comparison
# expression of one object path, '=' and a string literal in which ' and \
# are escaped by a backslash).
PATTERN = re.compile(r"^\[(domain-name|ipv4-addr|url):value = '((?:[^'\\]|\\['\\])*)'\]$")
# RFC 1034 host names with an alphabetic (or IDNA, xn--) top-level label.
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$",
                    re.IGNORECASE)
IPV4 = re.compile(r"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$")
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+\S*$")


def load_schemas(directory):
    schemas = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith(".json"):
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                schemas[name] = json.load(f)
            jsonschema.Draft202012Validator.check_schema(schemas[name])
    return schemas


def make_validator(schemas):
    """A Draft 2020-12 validator of bundle.json whose relative $refs
    ("common.json#/$defs/core") find the other files, on jsonschema 4.10
    (Debian 12, RefResolver) as on newer releases (the referencing library)."""
    root = schemas["bundle.json"]
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
    except ImportError:
        resolver = jsonschema.RefResolver(base_uri="bundle.json", referrer=root, store=schemas)
        return jsonschema.Draft202012Validator(root, resolver=resolver)
    registry = Registry().with_resources(
        (name, Resource(contents=s, specification=DRAFT202012)) for name, s in schemas.items())
    return jsonschema.Draft202012Validator(root, registry=registry)


def jsonschema_version():
    try:
        from importlib.metadata import version
        return version("jsonschema")
    except Exception:  # an installation without metadata
        return "?"


def time_key(t):
    """A timestamp as something that orders like the time (fractions padded)."""
    main, _, fraction = t.rstrip("Z").partition(".")
    return (main, fraction.ljust(9, "0"))


def where(path, objects):
    """objects[3] (indicator--...).pattern from a JSON path."""
    parts = list(path)
    text = ""
    if len(parts) >= 2 and parts[0] == "objects" and isinstance(parts[1], int):
        index = parts[1]
        oid = objects[index].get("id") if index < len(objects) and isinstance(objects[index], dict) else None
        text = f"objects[{index}]" + (f" ({oid})" if isinstance(oid, str) else "")
        parts = parts[2:]
    for p in parts:
        text += f"[{p}]" if isinstance(p, int) else ("." if text else "") + str(p)
    return text or "bundle"


def no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    for k in keys:
        if keys.count(k) > 1:
            raise ValueError(f"the key '{k}' appears twice in one object")
    return dict(pairs)


def check(bundle, validator, schemas, lockstep):
    problems = []
    objects = bundle.get("objects", []) if isinstance(bundle, dict) else []
    objects = objects if isinstance(objects, list) else []
    for error in sorted(validator.iter_errors(bundle), key=lambda e: list(map(str, e.absolute_path))):
        problems.append(f"{where(error.absolute_path, objects)}: {error.message}")

    ids = {o.get("id") for o in objects if isinstance(o, dict)}
    seen = set()
    for i, o in enumerate(objects):
        if not isinstance(o, dict):
            continue
        at = where(["objects", i], objects)
        otype, oid = o.get("type"), o.get("id")
        if isinstance(oid, str) and isinstance(otype, str) and oid.split("--")[0] != otype:
            problems.append(f"{at}.id: the id's type part is not the object's type '{otype}' (2.9 Identifier)")
        if (oid, o.get("modified")) in seen:
            problems.append(f"{at}: a second object with this id and modified (3.3 Object Versioning)")
        seen.add((oid, o.get("modified")))

        def ordered(first, last, strict, section):
            a, b = o.get(first), o.get(last)
            if isinstance(a, str) and isinstance(b, str) and (time_key(b) < time_key(a) or
                                                              (strict and time_key(b) == time_key(a))):
                word = "later than" if strict else "later than or equal to"
                problems.append(f"{at}.{last}: {b} is not {word} {first} {a} ({section})")

        ordered("created", "modified", False, "3.2 Common Properties")
        if otype == "intrusion-set":
            ordered("first_seen", "last_seen", False, "4.9 Intrusion Set")
        if otype == "observed-data":
            ordered("first_observed", "last_observed", False, "4.14 Observed Data")
            for j, ref in enumerate(o.get("object_refs", []) if isinstance(o.get("object_refs"), list) else []):
                rtype = ref.split("--")[0] if isinstance(ref, str) else ""
                if rtype not in SCO_TYPES and rtype != "relationship":
                    problems.append(f"{at}.object_refs[{j}]: {ref} is neither an SCO nor an SRO (4.14 Observed Data)")
        if otype == "indicator":
            ordered("valid_from", "valid_until", True, "4.7 Indicator")
        if otype == "relationship":
            ordered("start_time", "stop_time", True, "5.1 Relationship")

        if not lockstep:
            continue
        def refs(value, key):
            if isinstance(value, dict):
                for k, v in value.items():
                    yield from refs(v, k)
            elif isinstance(value, list):
                for v in value:
                    yield from refs(v, key)
            elif isinstance(value, str) and (key.endswith("_ref") or key.endswith("_refs")):
                yield key, value
        for key, ref in refs(o, ""):
            if ref not in ids:
                problems.append(f"{at}.{key}: {ref} is not in the bundle (lockstep's bundles are self-contained)")
        for (vtype, prop), vocab in LOCKSTEP_VOCABULARIES.items():
            if otype != vtype or prop not in o:
                continue
            allowed = schemas["common.json"]["$defs"][vocab]["enum"]
            for v in o[prop] if isinstance(o[prop], list) else [o[prop]]:
                if v not in allowed:
                    problems.append(f"{at}.{prop}: '{v}' is not a suggested value of {vocab} (10 Vocabularies)")
        if otype == "indicator" and isinstance(o.get("pattern"), str):
            m = PATTERN.match(o["pattern"])
            if not m:
                problems.append(f"{at}.pattern: {o['pattern']!r} is not [domain-name:value = '...'], "
                                "[ipv4-addr:value = '...'] or [url:value = '...'] with ' and \\ escaped "
                                "(9 STIX Patterning)")
            else:
                literal = re.sub(r"\\(.)", r"\1", m.group(2))
                if m.group(1) == "domain-name" and not DOMAIN.match(literal):
                    problems.append(f"{at}.pattern: '{literal}' is not a domain name (6.4 Domain Name)")
                if m.group(1) == "ipv4-addr" and not IPV4.match(literal):
                    problems.append(f"{at}.pattern: '{literal}' is not an IPv4 address (6.8 IPv4 Address)")
                if m.group(1) == "url" and not URL.match(literal):
                    problems.append(f"{at}.pattern: '{literal}' is not a URL with a scheme and a host")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundles", nargs="+")
    parser.add_argument("--schemas", default=SCHEMA_DIR, help="directory of the schemas (default: beside this script)")
    parser.add_argument("--lockstep", action="store_true", help="also check what lockstep's export promises")
    args = parser.parse_args()
    schemas = load_schemas(args.schemas)
    validator = make_validator(schemas)
    failed = False
    for path in args.bundles:
        try:
            with open(path, encoding="utf-8") as f:
                bundle = json.load(f, object_pairs_hook=no_duplicate_keys)
        except (OSError, ValueError) as e:
            print(f"{path}: cannot read: {e}")
            return 2
        problems = check(bundle, validator, schemas, args.lockstep)
        for p in problems:
            print(f"{path}: {p}")
        n = len(bundle.get("objects", [])) if isinstance(bundle, dict) and isinstance(bundle.get("objects"), list) else 0
        if problems:
            print(f"{path}: INVALID, {len(problems)} problems")
            failed = True
        else:
            print(f"{path}: valid STIX 2.1, {n} objects (jsonschema {jsonschema_version()})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
