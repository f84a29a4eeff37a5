"""Fixes: exact before/after text for every fixable rule, and the guarantees
around them (re-parse, rounds, idempotence, files written byte-for-byte)."""

from __future__ import annotations

import resource
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_helpers import run

from kerascheck.project.settings import Settings
from kerascheck.results import Applicability, LocatedFix, TextEdit
from kerascheck.run.engine import FileResult, lint_text
from kerascheck.run.fixing import fix_text

ALL = Settings(select=("ALL",))


def fixed(before: str, unsafe: bool = False, settings: Settings = ALL) -> str:
    result = fix_text(textwrap.dedent(before), "t.py", settings, unsafe)
    assert result.error is None
    again = fix_text(result.text, "t.py", settings, unsafe)
    assert (again.text, again.fixed) == (result.text, 0), "a second run must change nothing"
    return result.text


CASES = {
    # KC202: a bare int becomes a one-element tuple, keyword or positional.
    "KC202": (
        """\
        import keras
        from keras import layers
        a = layers.Dense(4, input_shape=(10))
        b = keras.Input(512)
        c = keras.Input(shape = 3)
        """,
        """\
        import keras
        from keras import layers
        a = layers.Dense(4, input_shape=(10,))
        b = keras.Input((512,))
        c = keras.Input(shape=(3,))
        """,
        False,
    ),
    # KC203: the ignored argument goes, with exactly one comma, wherever it is.
    "KC203": (
        """\
        import keras
        from keras import layers
        m = keras.Sequential([
            keras.Input(shape=(8,)),
            layers.Dense(4, input_shape=(8,), activation="relu"),
            layers.Dense(4, activation="relu", input_shape=(4,)),
            layers.Dense(2, input_dim=4),
            layers.Dense(1,
                         input_shape=(2,),  # ignored anyway
                         activation="sigmoid"),
            layers.Dense(1, input_shape=(1,),),
        ])
        """,
        """\
        import keras
        from keras import layers
        m = keras.Sequential([
            keras.Input(shape=(8,)),
            layers.Dense(4, activation="relu"),
            layers.Dense(4, activation="relu"),
            layers.Dense(2),
            layers.Dense(1,
                         # ignored anyway
                         activation="sigmoid"),
            layers.Dense(1,),
        ])
        """,
        False,
    ),
    "KC401": (
        """\
        from keras import optimizers
        opt = optimizers.Adam(lr=1e-3, beta_1=0.9)
        """,
        """\
        from keras import optimizers
        opt = optimizers.Adam(learning_rate=1e-3, beta_1=0.9)
        """,
        False,
    ),
    # KC401 is safe, KC402 unsafe: with --unsafe-fixes both apply, in two rounds.
    "KC402": (
        """\
        from keras import optimizers
        opt = optimizers.SGD(lr=0.1, decay=1e-6, momentum=0.9)
        adam = optimizers.Adam(decay=0.01)
        rms = optimizers.RMSprop(0.02, decay=0.1)
        none = optimizers.SGD(0.01, decay=0.0, nesterov=True)
        """,
        """\
        from keras import optimizers
        opt = optimizers.SGD(learning_rate=optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=1e-6), momentum=0.9)
        adam = optimizers.Adam(learning_rate=optimizers.schedules.InverseTimeDecay(0.001, decay_steps=1, decay_rate=0.01))
        rms = optimizers.RMSprop(optimizers.schedules.InverseTimeDecay(0.02, decay_steps=1, decay_rate=0.1))
        none = optimizers.SGD(0.01, nesterov=True)
        """,
        True,
    ),
    "KC403": (
        """\
        import keras
        model = keras.models.load_model("m.keras")
        model.fit_generator(gen, epochs=3)
        model.evaluate_generator(gen)
        p = model.predict_proba(x, 32)
        c = model.predict_classes(x)
        """,
        """\
        import keras
        model = keras.models.load_model("m.keras")
        model.fit(gen, epochs=3)
        model.evaluate(gen)
        p = model.predict(x, 32)
        c = model.predict_classes(x)
        """,
        False,
    ),
    "KC404": (
        """\
        import keras
        from keras import backend as K
        loss = K.mean(K.square(a - b), axis=-1)
        noise = K.random_normal((2, 3), stddev=0.1)
        shape = K.int_shape(a)
        """,
        """\
        import keras
        from keras import backend as K
        loss = keras.ops.mean(keras.ops.square(a - b), axis=-1)
        noise = keras.random.normal((2, 3), stddev=0.1)
        shape = K.int_shape(a)
        """,
        True,
    ),
    "KC405": (
        """\
        import keras
        from keras.layers.core import Dense, Dropout
        from keras.utils import np_utils
        from tensorflow.keras.layers.experimental import preprocessing as prep
        from keras.optimizers.legacy import Adam
        y = keras.utils.np_utils.to_categorical(labels)
        """,
        """\
        import keras
        from keras.layers import Dense, Dropout
        from keras import utils as np_utils
        from tensorflow.keras import layers as prep
        from keras.optimizers.legacy import Adam
        y = keras.utils.to_categorical(labels)
        """,
        False,
    ),
    "KC405-unsafe": (
        """\
        from keras.optimizers.legacy import Adam
        """,
        """\
        from keras.optimizers import Adam
        """,
        True,
    ),
    "KC406": (
        """\
        import keras
        from keras import layers
        model = keras.Sequential([
            layers.Dense(32, input_shape=(16,), activation="relu"),
            layers.Dense(1),
        ])
        inline = keras.Sequential([layers.Dense(1, input_dim=3)])
        added = keras.Sequential()
        added.add(layers.Dense(8, input_dim=4))
        printed = keras.Sequential()
        print(printed.add(layers.Dense(8, input_dim=4)))
        """,
        """\
        import keras
        from keras import layers
        model = keras.Sequential([
            layers.Input(shape=(16,)),
            layers.Dense(32, activation="relu"),
            layers.Dense(1),
        ])
        inline = keras.Sequential([layers.Input(shape=(3,)), layers.Dense(1)])
        added = keras.Sequential()
        added.add(layers.Input(shape=(4,)))
        added.add(layers.Dense(8))
        printed = keras.Sequential()
        print(printed.add(layers.Dense(8, input_dim=4)))
        """,
        True,
    ),
    "KC407": (
        """\
        from keras.layers import Convolution2D, Dense
        from keras.models import Sequential
        model = Sequential()
        model.add(Dense(64, init="uniform", W_regularizer=reg, input_dim=8))
        model.add(Dense(output_dim=10, dim_ordering="tf"))
        model.compile(loss="mse")
        model.fit(x, y, nb_epoch=10)
        """,
        """\
        from keras.layers import Convolution2D, Dense
        from keras.models import Sequential
        model = Sequential()
        model.add(Dense(64, kernel_initializer="uniform", kernel_regularizer=reg, input_dim=8))
        model.add(Dense(units=10, dim_ordering="tf"))
        model.compile(loss="mse")
        model.fit(x, y, nb_epoch=10)
        """.replace("nb_epoch", "epochs"),
        False,
    ),
    "KC407-unsafe": (
        """\
        from keras.layers import Convolution2D
        c = Convolution2D(32, 3, 3, border_mode="same")
        """,
        """\
        from keras.layers import Convolution2D
        c = Convolution2D(32, (3, 3), padding="same")
        """,
        True,
    ),
    # KC101/KC103 change what the model computes: unsafe, and only for a literal.
    "KC101": (
        """\
        import keras
        from keras import layers
        a = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, activation='relu')])
        a.compile(loss="categorical_crossentropy")
        b = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1, "elu")])
        b.compile(loss="binary_crossentropy")
        e = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(n, activation="relu")])
        e.compile(loss="categorical_crossentropy")
        """,
        """\
        import keras
        from keras import layers
        a = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, activation='softmax')])
        a.compile(loss="categorical_crossentropy")
        b = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1, "sigmoid")])
        b.compile(loss="binary_crossentropy")
        e = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(n, activation="relu")])
        e.compile(loss="categorical_crossentropy")
        """,
        True,
    ),
    "KC103": (
        """\
        import keras
        from keras import layers
        m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1, activation="softmax")])
        m.compile(loss="binary_crossentropy")
        """,
        """\
        import keras
        from keras import layers
        m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1, activation="sigmoid")])
        m.compile(loss="binary_crossentropy")
        """,
        True,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fix_before_after(name: str) -> None:
    before, after, unsafe = CASES[name]
    assert fixed(before, unsafe) == textwrap.dedent(after)


def test_unsafe_fixes_need_the_option() -> None:
    before = "import keras\nfrom keras import backend as K\nm = K.mean(x)\n"
    assert fixed(before) == before
    assert fixed(before, unsafe=True) == before.replace("K.mean", "keras.ops.mean")


def test_backend_fix_only_when_keras_is_imported() -> None:
    before = "from keras import backend as K\nm = K.mean(x)\n"
    [diagnostic] = lint_text(before, "t.py", ALL).diagnostics
    assert diagnostic.help == "use `keras.ops.mean()`: it takes the same arguments"
    assert diagnostic.fix is None
    assert fixed(before, unsafe=True) == before


def test_fix_json_edits_are_ruff_shaped() -> None:
    [diagnostic] = lint_text(
        "from keras.optimizers import Adam\nAdam(lr=0.1)\n", "t.py", ALL
    ).diagnostics
    assert diagnostic.fix.applicability == "safe"
    [edit] = diagnostic.fix.edits
    assert (edit.content, edit.span.line, edit.span.column, edit.span.end_column) == (
        "learning_rate=0.1",
        2,
        6,
        12,
    )


def _bad_fix_lint(text: str, filename: str, settings: Settings) -> FileResult:
    """A rule whose fix would break the file: the engine must refuse it."""
    result = lint_text(text, filename, settings)
    if "(" in text:
        start = text.index("(")
        bad = LocatedFix(Applicability.SAFE, (TextEdit(start, start + 1, "", None),))
        result.diagnostics = [d.__class__(**{**d.__dict__, "fix": bad}) for d in result.diagnostics]
    return result


def test_a_fix_that_breaks_the_syntax_is_refused() -> None:
    text = "from keras.optimizers import Adam\nAdam(lr=0.1)\n"
    result = fix_text(text, "t.py", ALL, lint=_bad_fix_lint)
    assert result.text == text and result.fixed == 0
    assert result.error.startswith("t.py: fixes not applied: the fixed text would not parse")
    assert "fixes for KC401" in result.error


def test_repeated_keyword_is_refused_by_the_cpython_check() -> None:
    from kerascheck.run.fixing import parse_problem

    assert parse_problem("f(a=1, a=2)\n") == "line 1: keyword argument repeated: a"
    assert parse_problem("f(a=1, a=2)\n", strict=False) is None
    assert parse_problem("f(a=1)\n") is None


# -- files ----------------------------------------------------------------------------


LR = b"from keras.optimizers import Adam\nopt = Adam(lr=0.1)  # r\xc3\xa9glage\n"


@pytest.mark.parametrize(
    "name,before,after",
    [
        (
            "crlf",
            LR.replace(b"\n", b"\r\n"),
            LR.replace(b"lr=", b"learning_rate=").replace(b"\n", b"\r\n"),
        ),
        ("bom", b"\xef\xbb\xbf" + LR, b"\xef\xbb\xbf" + LR.replace(b"lr=", b"learning_rate=")),
        (
            "latin-1 cookie",
            b"# -*- coding: latin-1 -*-\r\n"
            + LR.replace(b"\xc3\xa9", b"\xe9").replace(b"\n", b"\r\n"),
            b"# -*- coding: latin-1 -*-\r\n"
            + LR.replace(b"\xc3\xa9", b"\xe9")
            .replace(b"lr=", b"learning_rate=")
            .replace(b"\n", b"\r\n"),
        ),
        ("no final newline", LR.rstrip(b"\n"), LR.replace(b"lr=", b"learning_rate=").rstrip(b"\n")),
    ],
)
def test_files_round_trip_byte_for_byte(
    tmp_path: Path, name: str, before: bytes, after: bytes
) -> None:
    path = tmp_path / "train.py"
    path.write_bytes(before)
    path.chmod(0o640)
    result = run("check", "--fix", "train.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "All checks passed!\nFixed 1 problem.\n"
    assert path.read_bytes() == after
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["train.py"]  # no temporary left


def test_fix_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_bytes(LR)
    (tmp_path / "link.py").symlink_to(real)
    assert run("check", "--fix", "link.py", cwd=tmp_path).returncode == 0
    assert (tmp_path / "link.py").is_symlink()
    assert b"learning_rate=0.1" in real.read_bytes()


def test_diff_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_bytes(LR)
    result = run("check", "--diff", "train.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "--- train.py\n+++ train.py\n@@ -1,2 +1,2 @@\n"
        " from keras.optimizers import Adam\n"
        "-opt = Adam(lr=0.1)  # réglage\n"
        "+opt = Adam(learning_rate=0.1)  # réglage\n"
    )
    assert result.stderr == "Would fix 1 problem.\n"
    assert path.read_bytes() == LR
    clean = run("check", "--diff", "train.py", "--select", "KC1", cwd=tmp_path)
    assert (clean.returncode, clean.stdout) == (0, "")


def test_report_counts_fixable_and_hidden_unsafe(tmp_path: Path) -> None:
    (tmp_path / "t.py").write_text(
        textwrap.dedent("""\
        import keras
        from keras import backend as K
        from keras.optimizers import Adam
        opt = Adam(lr=0.1)
        m = K.mean(x)
        """)
    )
    result = run("check", "t.py", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.endswith(
        "Found 2 problems in 1 checked file.\n"
        "[*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the "
        "`--unsafe-fixes` option).\n"
    )
    fixed_run = run("check", "--fix", "t.py", cwd=tmp_path)
    assert fixed_run.returncode == 1
    assert fixed_run.stdout.endswith(
        "Found 1 problem in 1 checked file.\nFixed 1 problem.\n"
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n"
    )
    unsafe_run = run("check", "--fix", "--unsafe-fixes", "t.py", cwd=tmp_path)
    assert (unsafe_run.returncode, unsafe_run.stdout) == (
        0,
        "All checks passed!\nFixed 1 problem.\n",
    )
    assert "m = keras.ops.mean(x)" in (tmp_path / "t.py").read_text()


def _limit_file_size() -> None:
    """In the child: writing more than 16 bytes to any file fails with EFBIG
    (even for root, unlike permissions)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16, 16))


def test_a_failed_write_leaves_the_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "t.py"
    path.write_bytes(LR)
    result = subprocess.run(
        [sys.executable, "-m", "kerascheck", "check", "--fix", "t.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_file_size,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("kerascheck: error: t.py: cannot write the fixes: ")
    assert result.stderr.count("\n") == 1
    assert "KC401" in result.stdout  # still reported, not fixed
    assert path.read_bytes() == LR
    assert [p.name for p in tmp_path.iterdir()] == ["t.py"]


def test_diff_counts_hidden_unsafe_fixes(tmp_path: Path) -> None:
    (tmp_path / "t.py").write_text(
        "import keras\nfrom keras import backend as K\nm = K.mean(x)\ns = K.sum(x)\n"
    )
    result = run("check", "--diff", "t.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == (
        "Would fix 0 problems (2 hidden fixes can be enabled with the `--unsafe-fixes` option).\n"
    )
    unsafe = run("check", "--diff", "--unsafe-fixes", "t.py", cwd=tmp_path)
    assert unsafe.returncode == 1
    assert "+m = keras.ops.mean(x)\n+s = keras.ops.sum(x)\n" in unsafe.stdout
    assert unsafe.stderr == "Would fix 2 problems.\n"


def test_a_file_that_does_not_parse_is_never_fixed(tmp_path: Path) -> None:
    path = tmp_path / "t.py"
    path.write_bytes(b"from keras.optimizers import Adam\nAdam(lr=0.1\n")
    result = run("check", "--fix", "t.py", cwd=tmp_path)
    assert result.returncode == 1
    assert "KC001 Syntax error" in result.stdout
    assert path.read_bytes() == b"from keras.optimizers import Adam\nAdam(lr=0.1\n"


def _endless_lint(text: str, filename: str, settings: Settings) -> FileResult:
    """A rule that always has one more blank line to add."""
    result = lint_text(text, filename, settings)
    [first] = result.diagnostics
    grow = LocatedFix(Applicability.SAFE, (TextEdit(0, 0, "\n", None),))
    result.diagnostics = [first.__class__(**{**first.__dict__, "fix": grow})]
    return result


def test_fixes_that_never_settle_stop_after_ten_rounds() -> None:
    text = "from keras.optimizers import Adam\nAdam(lr=0.1)\n"
    result = fix_text(text, "t.py", ALL, lint=_endless_lint)
    assert result.text == "\n" * 10 + text and result.fixed == 10
    assert result.error == (
        "t.py: fixes did not settle after 10 rounds; the last text "
        "that parsed is kept, please report this"
    )
