"""Digit classifier with three classic mistakes. Run: kerascheck check examples/"""

from tensorflow import keras
from tensorflow.keras import layers

NUM_CLASSES = 10

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, NUM_CLASSES)
y_test = keras.utils.to_categorical(y_test, NUM_CLASSES)

model = keras.Sequential()
model.add(layers.Dense(256, activation="relu"))
model.add(layers.Dropout(0.3))
model.add(layers.Dense(NUM_CLASSES, activation="relu"))

model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=5, batch_size=128, validation_data=(x_test, y_test))
print(model.evaluate(x_test, y_test))
