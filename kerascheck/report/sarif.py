"""SARIF 2.1.0, the format GitHub code scanning and IDE viewers read.

Paths are relative to the working directory (`%SRCROOT%`), so the same file
gets the same URI in every CI run. Every rule is described in the driver, and
results point at it by id and index. A file that could not be read is a tool
execution notification, not a result.

Notebooks: SARIF regions count the lines of the file itself, which for an
.ipynb are JSON lines. A notebook result's region is therefore `file_span`, the
characters of the code inside the notebook's JSON text; its message starts with
the cell and line, and its properties carry `cell` and the region within the
cell (`cellRegion`).
"""

from __future__ import annotations

import json
import os
import pathlib
from urllib.parse import quote

from kerascheck import __version__
from kerascheck.checks import RULES
from kerascheck.report import PROJECT_URL, level, rule_url
from kerascheck.report.locations import display_path, full_message
from kerascheck.results import Located
from kerascheck.source.span import Span

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"


def _artifact(filename: str) -> dict:
    path = display_path(filename)
    if path == "-" or not os.path.isabs(path):
        return {"uri": quote(path), "uriBaseId": SRCROOT}
    return {"uri": pathlib.Path(path).as_uri()}


def _region(span: Span) -> dict:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _location(filename: str, region: dict) -> dict:
    return {"physicalLocation": {"artifactLocation": _artifact(filename), "region": region}}


def _result(diagnostic: Located, rule_index: dict[str, int]) -> dict:
    result = {
        "ruleId": diagnostic.code,
        "level": level(diagnostic.code),
        "message": {"text": full_message(diagnostic)},
    }
    if diagnostic.code in rule_index:
        result["ruleIndex"] = rule_index[diagnostic.code]
    in_notebook = diagnostic.cell is not None
    span = diagnostic.file_span if in_notebook else diagnostic.span
    region = _region(span) if span is not None else {"startLine": 1}
    result["locations"] = [_location(diagnostic.filename, region)]
    related_spans = (
        diagnostic.related_file_spans
        if in_notebook
        else tuple(span for span, _ in diagnostic.related)
    )
    related = [
        {"id": number, "message": {"text": note}, **_location(diagnostic.filename, _region(span))}
        for number, (span, (_, note)) in enumerate(zip(related_spans, diagnostic.related), start=1)
    ]
    if related:
        result["relatedLocations"] = related
    if in_notebook:
        result["properties"] = {"cell": diagnostic.cell, "cellRegion": _region(diagnostic.span)}
    return result


def _rules() -> list[dict]:
    return [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "helpUri": rule_url(rule.code),
            "defaultConfiguration": {"level": rule.severity.value, "enabled": rule.default},
        }
        for rule in (RULES[code] for code in sorted(RULES))
    ]


def to_sarif(diagnostics: list[Located], errors: list[str]) -> dict:
    rules = _rules()
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    root = pathlib.Path(os.getcwd()).as_uri().rstrip("/") + "/"
    invocation = {"executionSuccessful": not errors}
    if errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": error}} for error in errors
        ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "kerascheck",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": PROJECT_URL,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": root}},
                "invocations": [invocation],
                "results": [_result(d, rule_index) for d in diagnostics],
            }
        ],
    }


def render(diagnostics: list[Located], errors: list[str], files_checked: int) -> str:
    return json.dumps(to_sarif(diagnostics, errors), indent=2) + "\n"
