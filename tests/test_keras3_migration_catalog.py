"""What KC403, KC405 and KC408-KC411 say about Keras 3, checked against the installed Keras.

Each test runs the Keras 2 code the rule reports and asserts Keras 3's own words
(the rules quote them), and that the replacement the rule suggests works.
"""

from __future__ import annotations

import importlib
import os
import warnings

import pytest

from kerascheck.catalog import migration
from kerascheck.catalog.migration import SaveTarget

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")
np = pytest.importorskip("numpy")


@pytest.fixture(scope="module")
def model():
    built = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    built.compile(loss="mse")
    return built


@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip("tensorflow")


def raises(error, match, call, *args, **kwargs):
    with pytest.raises(error) as caught:
        call(*args, **kwargs)
    assert match in str(caught.value)


# -- KC408: saving ----------------------------------------------------------------


def test_save_needs_a_keras_or_h5_ending(model, tmp_path) -> None:
    raises(ValueError, "Invalid filepath extension for saving", model.save, tmp_path / "dir")
    assert "model.export(filepath)" in _error(model.save, tmp_path / "dir")
    for ending in SaveTarget.MODEL.endings:
        model.save(tmp_path / f"m{ending}")
    keras.saving.save_model(model, tmp_path / "f.keras")
    raises(ValueError, "Invalid filepath extension", keras.saving.save_model, model, tmp_path / "d")


def test_save_weights_needs_weights_h5(model, tmp_path) -> None:
    for path in ("m.h5", "m.hdf5", "ckpt"):
        raises(
            ValueError,
            "The filename must end in `.weights.h5`",
            model.save_weights,
            tmp_path / path,
        )
    (ending,) = SaveTarget.WEIGHTS.endings
    model.save_weights(tmp_path / f"m{ending}")
    model.load_weights(tmp_path / f"m{ending}")
    raises(
        TypeError,
        "unexpected keyword argument 'save_format'",
        model.save_weights,
        tmp_path / f"w{ending}",
        save_format="h5",
    )


def test_save_format_is_ignored_beside_an_ending_and_refused_without(model, tmp_path) -> None:
    model.save(tmp_path / "m.keras", save_format="tf")  # no SavedModel, no error
    assert (tmp_path / "m.keras").is_file()
    raises(
        ValueError,
        "The `save_format` argument is deprecated",
        model.save,
        tmp_path / "d",
        save_format="tf",
    )


def test_model_checkpoint_paths(tmp_path) -> None:
    checkpoint = keras.callbacks.ModelCheckpoint
    raises(
        ValueError,
        "The filepath provided must end in `.keras`",
        checkpoint,
        str(tmp_path / "best.hdf5"),
    )
    raises(ValueError, "The filepath provided must end in `.keras`", checkpoint, str(tmp_path))
    for ending in SaveTarget.CHECKPOINT.endings:
        checkpoint(str(tmp_path / f"best{ending}"))
    for path in ("best.keras", "best.h5", "cp-{epoch:04d}.ckpt"):
        raises(
            ValueError,
            "the filepath provided must end in `.weights.h5`",
            checkpoint,
            str(tmp_path / path),
            save_weights_only=True,
        )
    checkpoint(str(tmp_path / "w.weights.h5"), save_weights_only=True)


def test_load_model_refuses_a_savedmodel_directory(model, tmp_path) -> None:
    (tmp_path / "exported_dir").mkdir()
    message = _error(keras.models.load_model, tmp_path / "exported_dir")
    assert "File format not supported" in message and "TFSMLayer" in message
    for ending in SaveTarget.LOAD.endings:
        model.save(tmp_path / f"m{ending}")
        keras.models.load_model(tmp_path / f"m{ending}", compile=False)


def _error(call, *args, **kwargs) -> str:
    with pytest.raises(Exception) as caught:
        call(*args, **kwargs)
    return str(caught.value)


# -- KC409: rejected and ignored arguments ----------------------------------------


def test_batch_input_shape_is_rejected() -> None:
    for argument in migration.REJECTED_LAYER_ARGUMENTS:
        raises(
            ValueError,
            "Unrecognized keyword arguments passed to LSTM",
            keras.layers.LSTM,
            32,
            **{argument: (16, 10, 8)},
        )
    keras.Input(batch_shape=(16, 10, 8))


@pytest.mark.parametrize("method", migration.QUEUE_METHODS)
@pytest.mark.parametrize("argument", migration.QUEUE_ARGUMENTS)
def test_queue_arguments_are_rejected(model, method, argument) -> None:
    x, y = np.zeros((4, 2)), np.zeros((4, 1))
    data = (x,) if method == "predict" else (x, y)
    with pytest.raises((TypeError, ValueError)) as caught:
        getattr(model, method)(*data, verbose=0, **{argument: 2})
    assert argument in str(caught.value)


def test_model_checkpoint_period_is_rejected(tmp_path) -> None:
    (argument,) = migration.REMOVED_CHECKPOINT_ARGUMENTS
    raises(
        TypeError,
        f"unexpected keyword argument '{argument}'",
        keras.callbacks.ModelCheckpoint,
        str(tmp_path / "b.keras"),
        **{argument: 5},
    )
    keras.callbacks.ModelCheckpoint(str(tmp_path / "b.keras"), save_freq=5)


def test_metrics_as_a_string_is_rejected(model) -> None:
    raises(
        ValueError,
        f"Expected `metrics` argument to be a {migration.METRIC_CONTAINERS}",
        model.compile,
        loss="mse",
        metrics="accuracy",
    )
    model.compile(loss="mse", metrics=["accuracy"])


def test_embedding_input_length_is_ignored_with_a_warning() -> None:
    ((layer, argument),) = migration.IGNORED_LAYER_ARGUMENTS.items()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        built = getattr(keras.layers, layer)(100, 8, **{argument: 200})
    assert any(
        "Argument `input_length` is deprecated. Just remove it." in str(w.message) for w in caught
    )
    assert not hasattr(built, argument)


def test_slash_in_a_layer_name_is_rejected() -> None:
    for make in (keras.layers.Dense, keras.layers.LSTM):
        raises(
            ValueError,
            "cannot contain character `/`",
            make,
            2,
            name=f"a{migration.LAYER_NAME_FORBIDDEN}b",
        )


def test_average_pooling_needs_pool_size_and_max_pooling_does_not() -> None:
    for layer in migration.POOL_SIZE_REQUIRED:
        raises(
            TypeError,
            "missing 1 required positional argument: 'pool_size'",
            getattr(keras.layers, layer),
        )
        getattr(keras.layers, layer)(int(migration.KERAS2_POOL_SIZE))
    for dims in (1, 2, 3):
        getattr(keras.layers, f"MaxPooling{dims}D")()
    pooled = keras.layers.AveragePooling2D(2)(keras.Input((8, 8, 1)))
    assert tuple(pooled.shape) == (None, 4, 4, 1)  # as Keras 2's default (2, 2)


def test_model_input_output_keywords_are_rejected() -> None:
    inputs = keras.Input((3,))
    outputs = keras.layers.Dense(1)(inputs)
    raises(
        ValueError,
        "Unrecognized keyword arguments passed to Model",
        keras.Model,
        input=inputs,
        output=outputs,
    )
    renamed = {
        migration.MODEL_ARGUMENT_RENAMES[k]: v
        for k, v in {"input": inputs, "output": outputs}.items()
    }
    keras.Model(**renamed)


# -- KC410: tf ops on Keras tensors -------------------------------------------------


@pytest.mark.parametrize("path", sorted(migration.TF_OPS_ON_KERAS_TENSORS))
def test_tf_ops_raise_on_keras_tensors_and_keras_ops_do_not(tf, path) -> None:
    function = tf
    for part in path.split("."):
        function = getattr(function, part)
    tensor = keras.Input((4, 4))
    args = _op_arguments(path, tensor)
    raises(
        ValueError,
        "A KerasTensor cannot be used as input to a TensorFlow function",
        function,
        *args,
    )
    equivalent = migration.TF_OPS_ON_KERAS_TENSORS[path]
    if equivalent is not None:
        getattr(keras.ops, equivalent)(*args)


def _op_arguments(path: str, tensor) -> tuple:
    leaf = path.rsplit(".", 1)[-1]
    two = ("equal", "not_equal", "greater", "less", "matmul", "maximum", "minimum")
    if leaf in two:
        return (tensor, tensor)
    return {
        "cast": (tensor, "float16"),
        "expand_dims": (tensor, -1),
        "concat": ([tensor, tensor], -1),
        "stack": ([tensor, tensor],),
        "unstack": (tensor, None, 1),  # num=None, axis=1: the batch axis has no size
        "reshape": (tensor, (-1, 16)),
        "one_hot": (keras.Input((4,), dtype="int32"), 3),
        "where": (keras.Input((4,), dtype="bool"), tensor[:, 0], tensor[:, 1]),
        "tile": (tensor, (1, 2, 1)),
        "gather": (tensor, [0]),
        "split": (tensor, 2),
        "resize": (keras.Input((4, 4, 1)), (8, 8)),
        "squeeze": (keras.Input((4, 1)),),
    }.get(leaf, (tensor,))


def test_tf_print_and_is_tensor_take_keras_tensors(tf) -> None:
    # Not every tf function raises: only catalogued ones are reported.
    assert not set(migration.TF_OPS_ON_KERAS_TENSORS) & {"print", "is_tensor"}
    tf.print(keras.Input((2,)))
    assert tf.is_tensor(keras.Input((2,))) is False


# -- KC411: untracked variables ---------------------------------------------------


def test_tf_variable_attribute_is_not_tracked_and_add_weight_is(tf) -> None:
    class Untracked(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.scale = tf.Variable(1.0)

    class Tracked(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.scale = self.add_weight(shape=(), initializer="ones")
            self.shift = keras.Variable(0.0)

    assert len(Untracked().trainable_weights) == 0
    assert len(Tracked().trainable_weights) == 2


def test_a_model_with_a_tf_variable_trains_nothing(tf) -> None:
    class Line(keras.Model):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(5.0)

        def call(self, x):
            return self.w * x

    line = Line()
    line.compile(optimizer="sgd", loss="mse")
    x = np.ones((8, 1), "float32")
    with pytest.warns(UserWarning, match="The model does not have any trainable weights"):
        line.fit(x, 3 * x, epochs=1, verbose=0)
    assert float(line.w.numpy()) == 5.0


# -- KC403 / KC405: removed names ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(migration.REMOVED_MODEL_METHODS))
def test_removed_model_methods_are_gone(name) -> None:
    assert not hasattr(keras.Model, name)


def test_stateful_layers_keep_reset_states() -> None:
    assert hasattr(keras.layers.LSTM, "reset_states")
    assert hasattr(keras.metrics.Metric, "reset_state")
    assert not hasattr(keras.metrics.Metric, "reset_states")


def _exists(root, path: str) -> bool:
    value = root
    for part in path.split("."):
        if hasattr(value, part):
            value = getattr(value, part)
            continue
        try:  # a module not imported by its package
            value = importlib.import_module(f"{value.__name__}.{part}")
        except (ImportError, AttributeError):
            return False
    return True


@pytest.mark.parametrize("path", sorted(migration.REMOVED_NAMES))
def test_removed_names_are_gone_from_keras_and_tf_keras(tf, path) -> None:
    assert not _exists(keras, path)
    assert not _exists(tf.keras, path)


@pytest.mark.parametrize("path", sorted(migration.REMOVED_STANDALONE_NAMES))
def test_standalone_removals_are_gone_from_keras_only(tf, path) -> None:
    assert not _exists(keras, path)
    assert _exists(tf.keras, path)


def test_convolutional_recurrent_moved_to_layers() -> None:
    assert not _exists(keras, "layers.convolutional_recurrent")
    assert hasattr(keras.layers, "ConvLSTM2D")


def test_replacements_exist() -> None:
    assert hasattr(keras.constraints, "max_norm")
    assert hasattr(keras, "initializers")
    assert keras.layers.ReLU(threshold=1.0) is not None


# -- the rule pages' examples run ---------------------------------------------------

RAISING_EXAMPLES = {"KC408": ValueError, "KC409": ValueError, "KC410": ValueError}


@pytest.mark.parametrize("code", ["KC408", "KC409", "KC410", "KC411"])
def test_rule_page_examples_run(tf, code, tmp_path, monkeypatch) -> None:
    from kerascheck.checks.pages import code_block, page, sections

    found = sections(page(code))
    monkeypatch.chdir(tmp_path)  # the examples save files
    example, use_instead = code_block(found["Example"]), code_block(found["Use instead"])
    if code in RAISING_EXAMPLES:
        with pytest.raises(RAISING_EXAMPLES[code]):
            exec(compile(example, f"{code}-example", "exec"), {})
    else:  # KC411: runs, and the variable is not a weight
        scope: dict = {}
        exec(compile(example, f"{code}-example", "exec"), scope)
        assert scope["Scale"]().trainable_weights == []
    scope = {}
    exec(compile(use_instead, f"{code}-use-instead", "exec"), scope)
    if code == "KC411":
        assert len(scope["Scale"]().trainable_weights) == 1


def test_the_readme_keras2_script_fails_before_and_trains_after_fix(tmp_path, monkeypatch) -> None:
    import re
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    before, after = [
        body for body in re.findall(r"```python\n(.*?)```", readme, re.S) if "np_utils" in body
    ]
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ImportError):  # keras.utils.np_utils: the first line Keras 3 refuses
        exec(compile(before, "before", "exec"), {})
    exec(compile(after, "after", "exec"), {})
    assert (tmp_path / "final.weights.h5").is_file()
