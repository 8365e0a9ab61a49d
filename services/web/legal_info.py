"""What the legal pages say that only the deployer knows (who publishes the hub, who hosts
it, the data protection officer, the accessibility audit), read from one TOML file,
HUB_LEGAL_FILE (deploy/local/legal.toml is an example). Pure: no Flask here.

A key left out is None and its page shows "À compléter par l'administration : …" where it
goes, so a deployer sees what is missing and a reader is never told something untrue. A key
the hub does not know, or a value of the wrong kind, stops the web app at its start with a
message naming it: a typo would otherwise leave a placeholder nobody understands."""
import tomllib
from datetime import date

# section -> key -> the kind of value: "text", "list" (of texts) or "date".
SCHEMA = {
    "publisher": {"name": "text", "address": "text", "phone": "text", "email": "text",
                  "siret": "text", "director": "text"},
    "host": {"name": "text", "address": "text", "phone": "text", "website": "text"},
    "personal_data": {"controller": "text", "purposes": "list", "recipients": "list",
                      "dpo": "text"},
    "accessibility": {"audit_date": "date", "auditor": "text", "non_conformities": "list",
                      "derogations": "list", "contact": "text"},
}


class LegalMisconfigured(SystemExit):
    pass


def empty():
    """Every key unset: what a hub without HUB_LEGAL_FILE shows (placeholders)."""
    return {section: dict.fromkeys(keys) for section, keys in SCHEMA.items()}


def load(path):
    """The legal information of the file at `path` ("" : none given)."""
    if not path:
        return empty()
    try:
        with open(path, "rb") as held:
            return parse(tomllib.load(held), path)
    except OSError as error:
        raise LegalMisconfigured(f"HUB_LEGAL_FILE={path!r}: cannot read it ({error}).") from None
    except tomllib.TOMLDecodeError as error:
        raise LegalMisconfigured(f"HUB_LEGAL_FILE={path!r}: not valid TOML ({error}).") from None


def parse(document, where="HUB_LEGAL_FILE"):
    """The legal information of a parsed TOML document, every key of SCHEMA present."""
    info = empty()
    for section, values in document.items():
        if section not in SCHEMA or not isinstance(values, dict):
            raise LegalMisconfigured(f"{where}: unknown section [{section}]; the sections are "
                                     f"{', '.join(SCHEMA)}.")
        for key, value in values.items():
            kind = SCHEMA[section].get(key)
            if kind is None:
                raise LegalMisconfigured(f"{where}: unknown key {section}.{key}; the keys of "
                                         f"[{section}] are {', '.join(SCHEMA[section])}.")
            info[section][key] = _value(value, kind, f"{where}: {section}.{key}")
    return info


def _value(value, kind, name):
    if kind == "text":
        if not isinstance(value, str):
            raise LegalMisconfigured(f"{name}: a text (between quotes) is expected.")
        return value.strip() or None
    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise LegalMisconfigured(f"{name}: a list of texts is expected, e.g. [\"…\", \"…\"]"
                                     " ([] says there is none).")
        return [v.strip() for v in value if v.strip()]
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise LegalMisconfigured(f"{name}: a date is expected, e.g. 2026-10-15.") from None
