"""Binary sentiment model: a softmax head trained with binary cross-entropy."""

import tensorflow as tf

VOCAB = 20000

model = tf.keras.Sequential([
    tf.keras.Input(shape=(200,)),
    tf.keras.layers.Embedding(VOCAB, 64),
    tf.keras.layers.GlobalAveragePooling1D(),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(train_texts, train_labels, epochs=3, validation_split=0.2)
