"""KC503: the output's rank or size does not fit the loss."""
import keras
from keras import layers

# A Dense on the 4-D conv output: one prediction per pixel, not per image.
unflattened = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Dense(10, activation="softmax"),  # expect: KC503
])
unflattened.compile(optimizer="adam", loss="categorical_crossentropy")

# One output unit that static analysis cannot count: a pooled one-filter conv.
one_unit = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(1, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Activation("softmax"),  # expect: KC503
])
one_unit.compile(optimizer="adam", loss="categorical_crossentropy")

# Segmentation: a per-pixel softmax from a convolution is intended.
segmenter = keras.Sequential([
    keras.Input(shape=(64, 64, 3)),
    layers.Conv2D(16, 3, padding="same", activation="relu"),
    layers.Conv2D(4, 1, activation="softmax"),
])
segmenter.compile(optimizer="adam", loss="categorical_crossentropy")

# Sequence labelling: a Dense on every timestep is intended.
tagger = keras.Sequential([
    keras.Input(shape=(50,)),
    layers.Embedding(1000, 32),
    layers.LSTM(32, return_sequences=True),
    layers.Dense(5, activation="softmax"),
])
tagger.compile(optimizer="adam", loss="sparse_categorical_crossentropy")

# Flattened first: fine.
classifier = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
classifier.compile(optimizer="adam", loss="categorical_crossentropy")
