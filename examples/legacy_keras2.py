"""A Keras 2 script that Keras 3 refuses. Run: kerascheck check --diff examples/"""

import numpy as np
from keras.layers.core import Dense, Dropout
from keras.models import Sequential
from keras.optimizers import Adam

x_train = np.random.rand(256, 10).astype("float32")
y_train = (x_train.sum(axis=1) > 5).astype("float32")

model = Sequential()
model.add(Dense(32, input_shape=(10), activation="relu"))
model.add(Dropout(0.2))
model.add(Dense(16, activation="relu", input_shape=(32,)))
model.add(Dense(1, activation="sigmoid", init="glorot_uniform"))

model.compile(optimizer=Adam(lr=0.001), loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, nb_epoch=5, batch_size=32, validation_split=0.2)
