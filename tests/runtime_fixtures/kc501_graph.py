"""KC501 on functional graphs: runtime mode builds merges, several inputs and
outputs and shared layers. A merge static shapes already refuse is KC211's;
KC501 does not repeat it. Keras's refusal static shapes leave to it is KC501's."""
import keras
from keras import layers

# Dot of 8 and 4 features along axis 1: static shapes see it (KC211).
left = keras.Input(shape=(8,))
right = keras.Input(shape=(4,))
score = layers.Dot(axes=1)([left, right])  # expect: KC211
scorer = keras.Model([left, right], score)

# Add of 32 and 16 units: static shapes see it (KC211), KC501 stays quiet.
a = keras.Input(shape=(8,))
b = keras.Input(shape=(4,))
summed = layers.Add()([layers.Dense(32)(a), layers.Dense(16)(b)])  # expect: KC211
adder = keras.Model([a, b], summed)

# Builds: two inputs, a shared layer, merges, two outputs in a dict.
text = keras.Input(shape=(16,))
meta = keras.Input(shape=(16,))
shared = layers.Dense(8, activation="relu")
merged = layers.concatenate([shared(text), shared(meta)])
both = layers.add([shared(text), shared(meta)])
merged = layers.Concatenate(axis=-1)([merged, both])
price = layers.Dense(1, name="price")(merged)
kind = layers.Dense(3, activation="softmax", name="kind")(merged)
two_heads = keras.Model(inputs=[text, meta], outputs={"price": price, "kind": kind})

# Builds: two outputs in a list, Multiply, Average, Maximum, Minimum, Subtract.
x = keras.Input(shape=(6,))
y = layers.Dense(6)(x)
z = layers.Subtract()([layers.Multiply()([x, y]), layers.Average()([x, y])])
w = layers.maximum([layers.Maximum()([x, z]), layers.Minimum()([y, z])])
listed = keras.Model(x, [z, layers.Dense(2)(w)])

# One Dense shared by inputs of 1 and 2 features: its weights fit only the first.
one = keras.Input(shape=(1,))
two = keras.Input(shape=(2,))
tied = layers.Dense(4)  # expect: KC501
mismatched = keras.Model([one, two], layers.add([tied(one), tied(two)]))
