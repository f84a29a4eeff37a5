"""KC504: models over the parameter budget are reported, never allocated."""
import keras
from keras import layers

# 15 billion parameters, known before Keras is asked.
huge = keras.Sequential([  # expect: KC504
    keras.Input(shape=(224, 224, 3)),
    layers.Flatten(),
    layers.Dense(100_000),
])

# Only Keras can count this one (static inference stops at SeparableConv2D);
# it is counted symbolically, still without allocating a weight.
counted = keras.Sequential([  # expect: KC504
    keras.Input(shape=(256, 256, 3)),
    layers.SeparableConv2D(64, 3, padding="same"),
    layers.Flatten(),
    layers.Dense(4096),  # expect: KC502
])

# Large but within the budget.
wide = keras.Sequential([
    keras.Input(shape=(2000,)),
    layers.Dense(4000, activation="relu"),
    layers.Dense(1),
])
wide.compile(optimizer="adam", loss="mse")
