"""Churn prediction with the functional API: the head outputs logits, the loss
expects probabilities, and a one-unit softmax in a second experiment."""

import keras
from keras import layers

inputs = keras.Input(shape=(18,))
x = layers.Dense(64, activation="relu")(inputs)
x = layers.Dropout(0.2)(x)
logits = layers.Dense(1)(x)
model = keras.Model(inputs, logits)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["AUC"])


def build_variant(width):
    variant = keras.Sequential([
        keras.Input(shape=(18,)),
        layers.Dense(width, activation="relu"),
        layers.Dense(1, activation="softmax"),
    ])
    variant.compile(optimizer="adam", loss="binary_crossentropy")
    return variant
