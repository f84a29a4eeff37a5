"""KC211 says Keras refuses to build a model: check it against the installed
Keras by running the fixtures' own (hand-written, harmless) statements."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_fixtures import expected

from kerascheck.project.settings import Settings
from kerascheck.run.engine import lint_text

if importlib.util.find_spec("tensorflow") is None:
    pytest.skip("needs TensorFlow (the dev extra)", allow_module_level=True)

FIXTURES = Path(__file__).parent / "fixtures"

# Runs each top-level statement of a fixture; prints the lines of those that
# raise ValueError (Keras's build errors), ignoring names the fixture leaves
# undefined on purpose.
_RUNNER = textwrap.dedent("""\
    import ast, json, sys, warnings
    warnings.simplefilter("ignore")
    source = open(sys.argv[1]).read()
    namespace, raised = {}, []
    for statement in ast.parse(source).body:
        code = compile(ast.Module([statement], []), sys.argv[1], "exec")
        try:
            exec(code, namespace)
        except ValueError:
            raised.append(statement.lineno)
        except Exception:
            pass
    print(json.dumps(raised))
""")


def _refused_lines(path: Path) -> list[int]:
    result = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_kc211_is_a_model_keras_refuses() -> None:
    path = FIXTURES / "kc211_shape_error.py"
    reported = [d for d in expected(path.read_text()) if d[1] == "KC211"]
    # one statement raises per model KC211 reports (the model, or the merge call)
    assert len(_refused_lines(path)) == len(reported) == 9


def test_the_help_drops_a_batch_axis_written_into_the_shape() -> None:
    text = textwrap.dedent("""\
        import keras
        from keras import layers
        model = keras.Sequential([layers.Conv2D(8, 3, input_shape=(None, 28, 28, 1))])
    """)
    [found] = lint_text(text, "batch.py", Settings(select=("KC211",))).diagnostics
    assert found.help == (
        "`input_shape` leaves out the batch axis, which Keras adds itself: "
        "`input_shape=(28, 28, 1)`"
    )


def test_a_size_the_source_does_not_pin_down_is_no_batch_axis() -> None:
    # `frames` is a real axis (Conv2D on video needs TimeDistributed or
    # Conv3D): neither "drop the batch axis" nor a shape with None for it.
    text = textwrap.dedent("""\
        import keras
        from keras import layers
        video = keras.Input(shape=(frames, 64, 64, 3))
        a = keras.Model(video, layers.Conv2D(8, 3)(video))
        rows = keras.Input(shape=(n, 28))
        b = keras.Model(rows, layers.Conv2D(8, 3)(rows))
    """)
    found = lint_text(text, "video.py", Settings(select=("KC211",))).diagnostics
    assert [(d.span.line, d.help) for d in found] == [
        (4, "Keras raises a ValueError when it builds this layer: fix the shape it gets"),
        (6, "Keras raises a ValueError when it builds this layer: fix the shape it gets"),
    ]


def test_what_kc211_leaves_alone_builds() -> None:
    path = FIXTURES / "kc211_shape_error_ok.py"
    text = path.read_text()
    keras1 = {line for line, code in expected(text) if code == "KC407"}
    # only the Keras 1 spelling raises (KC407's business, not KC211's)
    assert set(_refused_lines(path)) == keras1
    result = lint_text(text, str(path), Settings(select=("KC211",)))
    assert result.diagnostics == []


def test_merge_functions_are_keras_merge_layers() -> None:
    from kerascheck.catalog.api import MERGE_FUNCTIONS

    code = (
        "import json, sys, keras; pairs = json.loads(sys.argv[1]); "
        "print(json.dumps([f for f, c in pairs.items() "
        "if not (hasattr(keras.layers, f) and hasattr(keras.layers, c))]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(MERGE_FUNCTIONS)],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
