"""KC501: models Keras refuses to build, and models it builds or never sees.

Where static shapes already see the problem, KC211 reports it and KC501 does
not repeat it."""
import keras
from keras import layers

NUM_CLASSES = 10

# A Conv2D fed grayscale images without their channels axis.
gray = keras.Sequential([
    keras.Input(shape=(32, 32)),
    layers.Conv2D(32, 3, activation="relu"),  # expect: KC211
    layers.Flatten(),
    layers.Dense(NUM_CLASSES, activation="softmax"),
])
gray.compile(optimizer="adam", loss="categorical_crossentropy")

# The same through input_shape on the first layer.
first = keras.Sequential()
first.add(layers.Conv2D(8, (3, 3), input_shape=(28, 28)))  # expect: KC211
first.add(layers.GlobalAveragePooling2D())
first.add(layers.Dense(1, activation="sigmoid"))
first.compile(optimizer="adam", loss="binary_crossentropy")

# A Reshape that cannot hold its input, in a functional model.
inputs = keras.Input(shape=(10,))
x = layers.Dense(8)(inputs)
x = layers.Reshape((3, 3))(x)  # expect: KC211
model = keras.Model(inputs, x)

# Pooling away a map smaller than the window.
tiny = keras.Sequential([
    keras.Input(shape=(4, 4, 3)),
    layers.Conv2D(16, 3),
    layers.MaxPooling2D(pool_size=(3, 3)),  # expect: KC211
])

# ConvLSTM2D has no static shape rule: only Keras sees the missing axis.
frames = keras.Sequential([
    keras.Input(shape=(10, 28, 28)),
    layers.ConvLSTM2D(filters=8, kernel_size=3),  # expect: KC501
])

# Builds fine: nothing to report.
ok = keras.Sequential([
    keras.Input(shape=(32, 32, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(NUM_CLASSES, activation="softmax"),
])
ok.compile(optimizer="adam", loss="categorical_crossentropy")

# Unknown values: never built, never reported.
def make(width, shape):
    m = keras.Sequential([keras.Input(shape=shape), layers.Conv2D(width, 3)])
    m.compile(optimizer="adam", loss="mse")
    return m

# Code is never built: a Lambda (it runs a function) and a user's own layer.
lam = keras.Sequential([
    keras.Input(shape=(32, 32)),
    layers.Lambda(lambda t: t * 2),
    layers.Conv2D(8, 3),
])


class MyLayer(layers.Layer):
    pass


own = keras.Sequential([keras.Input(shape=(32, 32)), MyLayer(), layers.Conv2D(8, 3)])
