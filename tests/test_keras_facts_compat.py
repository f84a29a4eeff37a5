"""KC405 treats `tf.compat.v1.keras` as `tf.keras`: checked against the installed
TensorFlow, where both are Keras 3."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")
tf1 = pytest.importorskip("tensorflow.compat.v1")


def test_compat_v1_keras_is_keras_3() -> None:
    assert tf1.keras.layers.Dense is keras.layers.Dense


def test_compat_v1_keras_lost_what_tf_keras_lost_and_kept_its_preprocessing() -> None:
    assert not hasattr(tf1.keras, "estimator")
    assert not hasattr(tf1.keras.layers, "DenseFeatures")
    with pytest.raises(ImportError, match="not supported in Keras 3"):
        tf1.keras.optimizers.legacy.Adam(learning_rate=0.01)
    assert hasattr(tf1.keras.preprocessing.image, "ImageDataGenerator")
    assert hasattr(tf1.keras.preprocessing.text, "Tokenizer")
