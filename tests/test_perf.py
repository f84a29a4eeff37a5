"""The fast path must give the same answers as the slow one: the pre-filter,
positions of reported nodes only, the cache and parallel runs."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import libcst as cst
import pytest
from cli_helpers import RELU_OUTPUT, run
from libcst.metadata import MetadataWrapper, PositionProvider

from kerascheck.project import cache as cache_module
from kerascheck.project.cache import Cache, cacheable, from_json, settings_fingerprint, to_json
from kerascheck.project.settings import Settings
from kerascheck.results import Applicability, Located, LocatedFix, TextEdit
from kerascheck.run.engine import lint_text
from kerascheck.source.locate import node_ranges
from kerascheck.source.prefilter import may_hold_keras
from kerascheck.source.span import Span

FIXTURES = Path(__file__).parent / "fixtures"

PLAIN = "import os\n\n\ndef size(path):\n    return os.path.getsize(path)\n"


# -- pre-filter ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "import keras\n",
        "from tensorflow import keras\n",
        "import tensorflow as tf\nx = tf.constant(1)\n",
        "import tf_keras as k\n",
        "model = Sequential([Dense(1)])\n",  # a pasted snippet, no imports
        "x = layers.Normalization()\n",  # snippet module attribute
        "from torch import nn\nnet = nn.Sequential()\n",  # parsed; the extractor decides
    ],
)
def test_prefilter_keeps_whatever_may_be_keras(text: str) -> None:
    assert may_hold_keras(text)


@pytest.mark.parametrize(
    "text",
    [
        PLAIN,
        "import torch\nclass DenseNet(torch.nn.Module):\n    pass\n",  # DenseNet is not Dense
        "layers = []\nlayers_count = len(layers)\n",
    ],
)
def test_prefilter_skips_what_cannot_be_keras(text: str) -> None:
    assert not may_hold_keras(text)


def test_every_fixture_passes_the_prefilter() -> None:
    for path in FIXTURES.glob("*.py"):
        assert may_hold_keras(path.read_text(encoding="utf-8")), path.name


def test_a_file_that_is_not_keras_is_not_parsed_by_libcst(monkeypatch) -> None:
    import kerascheck.run.engine as engine

    def no_libcst(text: str):
        raise AssertionError("a file that never mentions Keras was parsed")

    monkeypatch.setattr(engine, "parse", no_libcst)
    clean = lint_text("import os\nprint(os.sep)\n", "util.py", Settings(select=("ALL",)))
    assert (clean.diagnostics, clean.error) == ([], None)
    # CPython's own parser still reports a syntax error, as KC001 at its place.
    broken = lint_text("def broken(:\n    return os.sep\n", "util.py", Settings(select=("ALL",)))
    assert [(d.code, d.span.line, d.span.column, d.message) for d in broken.diagnostics] == [
        ("KC001", 1, 12, "Syntax error: invalid syntax")
    ]
    monkeypatch.undo()
    keras_file = lint_text("import keras\ndef broken(:\n", "m.py", Settings(select=("ALL",)))
    assert [d.code for d in keras_file.diagnostics] == ["KC001"]


# -- positions of reported nodes only --------------------------------------------------

TRICKY = (
    "# header comment\r\n"
    "import keras\r\n"
    "\r\n"
    "@decorator(1,\r\n"
    "           2)\r\n"
    "def build(\r\n"
    "\tunits=3):\r\n"
    "\tif units:\r\n"
    "\t\treturn keras.layers.Dense(units, activation='relu')  # trailing\r\n"
    "\telse:\r\n"
    "\t\tpass\r\n"
    "class A: x = 'é'; y = (1,\r\n"
    "    2)\r\n"
    "try:\r\n"
    "    pass\r\n"
    "finally:\r\n"
    "    z = [i for i in range(3) if i]\r\n"
)


@pytest.mark.parametrize(
    "text",
    [
        TRICKY,
        *(p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.py"))[:6]),
    ],
)
def test_node_ranges_are_positionproviders(text: str) -> None:
    module = cst.parse_module(text)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = list(expected)
    got = node_ranges(module, nodes)
    for node in nodes:
        code_range = expected[node]
        assert got[id(node)] == (
            (code_range.start.line, code_range.start.column),
            (code_range.end.line, code_range.end.column),
        ), node
    # One node alone (code generation stops early) lands in the same place.
    for node in nodes[:: max(1, len(nodes) // 25)]:
        assert node_ranges(module, [node])[id(node)] == got[id(node)]


# -- cache -------------------------------------------------------------------------------


def test_located_round_trips_through_json() -> None:
    located = Located(
        code="KC101",
        message="m",
        filename="x.py",
        span=Span(1, 2, 3, 4),
        help="h",
        related=((Span(5, 6, 5, 9), "note"),),
        source_line="  y = 1",
        cell=3,
        related_cells=(4,),
        file_span=Span(10, 2, 10, 8),
        related_file_spans=(Span(12, 1, 12, 5),),
        fix=LocatedFix(Applicability.UNSAFE, (TextEdit(3, 7, "softmax", Span(1, 4, 1, 8)),)),
    )
    item = json.loads(json.dumps(to_json(located)))
    assert from_json(item, "x.py") == located
    # A field the cache does not store would vanish from cached results.
    assert {f.name for f in dataclasses.fields(Located)} == set(to_json(located)) | {"filename"}


@pytest.mark.parametrize(
    "bad",
    [
        {"code": 1},
        {
            "code": "KC101",
            "message": "m",
            "span": [1, 2],
            "help": None,
            "related": [],
            "source_line": "",
            "cell": None,
        },
        {
            "code": "KC101",
            "message": "m",
            "span": [1, 2, 3, "4"],
            "help": None,
            "related": [],
            "source_line": "",
            "cell": None,
        },
    ],
)
def test_malformed_entries_are_rejected(bad: dict) -> None:
    with pytest.raises((KeyError, TypeError, ValueError)):
        from_json(bad, "x.py")


def test_every_setting_is_in_the_fingerprint() -> None:
    base = settings_fingerprint(Settings())
    assert settings_fingerprint(Settings(ignore=("KC101",))) != base
    assert settings_fingerprint(Settings(select=("KC1",))) != base
    assert settings_fingerprint(Settings(extend_select=("KC1",))) != base
    fingerprinted = json.loads(base)["settings"]
    assert set(fingerprinted) == {f.name for f in dataclasses.fields(Settings)}


def test_runs_that_change_files_are_not_cached() -> None:
    assert cacheable(Settings())
    for option in ("fix", "diff", "unsafe_fixes", "runtime"):
        assert not cacheable(SimpleNamespace(**{option: True}))


def test_cache_key_covers_content_path_and_settings(tmp_path: Path) -> None:
    one = Cache.for_settings(Settings(), str(tmp_path))
    other = Cache.for_settings(Settings(ignore=("KC101",)), str(tmp_path))
    assert one.key("a.py", b"x") != one.key("a.py", b"y")
    assert one.key("a.py", b"x") != one.key("b.py", b"x")
    assert one.key("a.py", b"x") != other.key("a.py", b"x")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "model.py").write_text(RELU_OUTPUT)
    (tmp_path / "util.py").write_text(PLAIN)
    return tmp_path


def entries(project: Path) -> list[Path]:
    return sorted((project / ".kerascheck_cache").glob("v*/*.json"))


def test_second_run_reads_the_cache_and_says_the_same(project: Path) -> None:
    first = run("check", ".", cwd=project)
    assert first.returncode == 1 and "KC101" in first.stdout
    stored = entries(project)
    assert len(stored) == 2
    for entry in stored:  # plain JSON, nothing else
        json.loads(entry.read_text(encoding="utf-8"))
    assert (project / ".kerascheck_cache" / ".gitignore").read_text().endswith("*\n")
    second = run("check", ".", cwd=project)
    assert (second.returncode, second.stdout, second.stderr) == (
        first.returncode,
        first.stdout,
        first.stderr,
    )


def test_a_changed_file_is_linted_again(project: Path) -> None:
    run("check", ".", cwd=project)
    (project / "model.py").write_text(RELU_OUTPUT.replace('"relu"', '"softmax"'))
    result = run("check", ".", cwd=project)
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n")


def test_a_forged_or_broken_cache_cannot_hide_diagnostics(project: Path) -> None:
    run("check", ".", cwd=project)
    for entry in entries(project):
        entry.write_text('{"key": "something else", "diagnostics": []}')
    assert run("check", "model.py", cwd=project).returncode == 1
    for entry in entries(project):
        entry.write_bytes(b"\x80garbage")
    result = run("check", "model.py", cwd=project)
    assert result.returncode == 1 and "KC101" in result.stdout


def test_settings_change_the_answer_not_the_cache(project: Path) -> None:
    assert run("check", ".", cwd=project).returncode == 1
    assert run("check", ".", "--ignore", "KC101", cwd=project).returncode == 0
    assert run("check", ".", cwd=project).returncode == 1


def test_no_cache_and_clean(project: Path) -> None:
    assert run("check", ".", "--no-cache", cwd=project).returncode == 1
    assert not (project / ".kerascheck_cache").exists()
    assert run("clean", cwd=project).stdout == "No cache to remove.\n"
    run("check", ".", cwd=project)
    result = run("clean", cwd=project)
    assert (result.returncode, result.stdout) == (0, "Removed .kerascheck_cache\n")
    assert not (project / ".kerascheck_cache").exists()


def test_concurrent_runs_share_the_cache(project: Path) -> None:
    for number in range(12):
        (project / f"model_{number}.py").write_text(RELU_OUTPUT)
    command = [sys.executable, "-m", "kerascheck", "check", ".", "--output-format", "json"]
    runs = [
        subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, text=True) for _ in range(3)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in runs]
    assert all(process.returncode == 1 for process in runs)
    assert len(set(outputs)) == 1 and len(json.loads(outputs[0])) == 13
    leftovers = list((project / ".kerascheck_cache").rglob(".tmp-*"))
    assert leftovers == [] and len(entries(project)) == 14


def test_unwritable_cache_directory_is_not_an_error(project: Path) -> None:
    (project / "blocker").write_text("a file where the cache directory should go")
    env = dict(os.environ, KERASCHECK_CACHE_DIR=str(project / "blocker"))
    result = run("check", "model.py", cwd=project, env=env)
    assert (result.returncode, result.stderr) == (1, "")


# -- parallel runs ---------------------------------------------------------------------------


def test_parallel_run_matches_one_job(tmp_path: Path) -> None:
    for number in range(20):
        text = RELU_OUTPUT if number % 3 else RELU_OUTPUT.replace("relu", "softmax")
        (tmp_path / f"m{number:02d}.py").write_text(text if number % 5 else PLAIN)
    (tmp_path / "broken.py").write_text("import keras\nmodel = keras.Sequential([\n")
    (tmp_path / "latin.py").write_bytes(b"x = '\xe9'\n")
    one = run("check", ".", "--no-cache", "--jobs", "1", cwd=tmp_path)
    two = run("check", ".", "--no-cache", "--jobs", "2", cwd=tmp_path)
    assert one.returncode == two.returncode == 2
    assert (one.stdout, one.stderr) == (two.stdout, two.stderr)
    assert "KC001" in one.stdout and "latin.py: line 1 is not valid utf-8" in one.stderr


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    result = run("check", ".", "--jobs", "0", cwd=tmp_path)
    assert result.returncode == 2 and "--jobs" in result.stderr


# -- start-up --------------------------------------------------------------------------------


def test_version_does_not_load_the_parser() -> None:
    code = (
        "import sys\nfrom kerascheck.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('libcst', 'kerascheck.run.engine') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "[]"


def test_cache_module_directory_honours_environment(monkeypatch) -> None:
    monkeypatch.setenv("KERASCHECK_CACHE_DIR", "/somewhere/else")
    assert cache_module.directory() == "/somewhere/else"


def test_prefilter_never_changes_what_is_reported(monkeypatch) -> None:
    """Whatever the pre-filter skips, a full lint reports nothing on either."""
    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    import random

    import corpus

    rng = random.Random(7)
    texts = [corpus.plain_module(rng) for _ in range(40)] + [PLAIN]
    skipped = [t for t in texts if not may_hold_keras(t)]
    assert len(skipped) > 20
    monkeypatch.setattr("kerascheck.run.engine.may_hold_keras", lambda text: True)
    for text in skipped:
        assert lint_text(text, "plain.py", Settings(select=("ALL",))).diagnostics == []


def test_benchmark_corpus_is_reproducible(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    import corpus

    first = [Path(p).read_bytes() for p in corpus.build(str(tmp_path / "a"), 30, seed=5)]
    second = [Path(p).read_bytes() for p in corpus.build(str(tmp_path / "b"), 30, seed=5)]
    assert first == second
    for text in first:  # every file is valid Python
        compile(text, "corpus.py", "exec", dont_inherit=True)


def test_stale_entries_are_pruned_once_a_day(tmp_path: Path) -> None:
    cache = Cache.for_settings(Settings(), str(tmp_path / "cache"))
    cache.put("old", [])
    cache.put("fresh", [])
    old = os.path.join(cache.entries, "old.json")
    month_ago = os.stat(old).st_mtime - 40 * 24 * 3600
    os.utime(old, (month_ago, month_ago))
    cache.prune()
    assert sorted(os.listdir(cache.entries)) == [".pruned", "fresh.json"]
    assert cache.get("fresh", "x.py") == []
    # Within a day of the last pruning, nothing is even looked at.
    cache.put("old", [])
    os.utime(old, (month_ago, month_ago))
    cache.prune()
    assert os.path.exists(old)
