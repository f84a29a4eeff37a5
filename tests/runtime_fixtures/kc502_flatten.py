"""KC502: a Dense after Flatten that holds most of the model."""
import keras
from keras import layers

big = keras.Sequential([
    keras.Input(shape=(64, 64, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dropout(0.5),
    layers.Dense(256, activation="relu"),  # expect: KC502
    layers.Dense(10, activation="softmax"),
])
big.compile(optimizer="adam", loss="categorical_crossentropy")

# Pooled instead of flattened: small head.
pooled = keras.Sequential([
    keras.Input(shape=(64, 64, 3)),
    layers.Conv2D(32, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, padding="same", activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(256, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
pooled.compile(optimizer="adam", loss="categorical_crossentropy")

# Flatten of a small map: under a million parameters.
small = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(4),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
small.compile(optimizer="adam", loss="categorical_crossentropy")

# Flatten of raw inputs, no convolution: nothing to pool.
tabular = keras.Sequential([
    keras.Input(shape=(4000, 1)),
    layers.Flatten(),
    layers.Dense(512, activation="relu"),
    layers.Dense(1),
])
tabular.compile(optimizer="adam", loss="mse")
