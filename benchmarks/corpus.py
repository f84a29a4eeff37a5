"""A reproducible corpus for the benchmark: Keras scripts of many shapes and
plain Python modules that never touch Keras, written from templates with a
fixed seed (same seed, same bytes).

The shapes follow what real projects hold: Sequential models built from a list
or with `.add`, functional graphs with branches, subclassed layers and models,
builder functions, data pipelines, training loops with callbacks, plotting and
command-line helpers; and next to them utility modules (parsers, dataclasses,
CLIs, numeric code, a PyTorch model) that a Keras linter must skip cheaply.
A few scripts carry the mistakes kerascheck reports, as real code does.

    python benchmarks/corpus.py DIR [--files 600] [--seed 1234]
"""

from __future__ import annotations

import argparse
import os
import random
import textwrap
from pathlib import Path

# -- small pieces ---------------------------------------------------------------

IMPORT_STYLES = [
    ("import keras\nfrom keras import layers\n", "keras", "layers"),
    ("from tensorflow import keras\nfrom tensorflow.keras import layers\n", "keras", "layers"),
    ("import tensorflow as tf\n", "tf.keras", "tf.keras.layers"),
    ("import keras\nfrom keras import layers as L\n", "keras", "L"),
    ("import tensorflow as tf\nfrom tensorflow import keras\n", "keras", "keras.layers"),
]
HIDDEN_ACTIVATIONS = ["relu", "relu", "gelu", "elu", "tanh", "selu", "swish"]
OPTIMIZERS = [
    '"adam"',
    '"rmsprop"',
    '"sgd"',
    "keras.optimizers.Adam(learning_rate=1e-3)",
    "keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)",
    "keras.optimizers.AdamW(learning_rate=3e-4, weight_decay=1e-4)",
]
WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "sample",
    "record",
    "batch",
    "frame",
    "image",
    "token",
    "score",
    "label",
    "window",
    "signal",
    "feature",
    "weight",
    "count",
    "price",
    "user",
    "item",
    "session",
    "event",
    "metric",
    "report",
    "config",
]


def ident(rng: random.Random, parts: int = 2) -> str:
    return "_".join(rng.choice(WORDS) for _ in range(parts))


def docstring(rng: random.Random, subject: str) -> str:
    return (
        f'"""{subject.capitalize()} for the {ident(rng)} experiment.\n\n'
        f'Generated benchmark file; seed-stable.\n"""\n'
    )


def indent(code: str, level: int = 1) -> str:
    return textwrap.indent(code, "    " * level)


# -- data loading and helpers used by the Keras scripts ------------------------------


def numpy_data(rng: random.Random, features: int, classes: int) -> str:
    n = rng.choice([1000, 2048, 5000, 10000])
    return textwrap.dedent(f"""\
        def load_data(seed={rng.randint(0, 99)}):
            rng = np.random.default_rng(seed)
            x = rng.normal(size=({n}, {features})).astype("float32")
            w = rng.normal(size=({features}, {classes}))
            y = np.argmax(x @ w + rng.normal(scale=0.1, size=({n}, {classes})), axis=1)
            split = int(0.8 * len(x))
            return (x[:split], y[:split]), (x[split:], y[split:])


        (x_train, y_train), (x_test, y_test) = load_data()
        mean = x_train.mean(axis=0)
        std = x_train.std(axis=0) + 1e-7
        x_train = (x_train - mean) / std
        x_test = (x_test - mean) / std
        """)


def image_data(rng: random.Random, k: str, size: int, channels: int) -> str:
    dataset = rng.choice(["mnist", "fashion_mnist", "cifar10"])
    return textwrap.dedent(f"""\
        (x_train, y_train), (x_test, y_test) = {k}.datasets.{dataset}.load_data()
        x_train = x_train.astype("float32") / 255.0
        x_test = x_test.astype("float32") / 255.0
        if x_train.ndim == 3:
            x_train = x_train[..., None]
            x_test = x_test[..., None]
        x_train = tf.image.resize(x_train, ({size}, {size})).numpy()[..., :{channels}]
        x_test = tf.image.resize(x_test, ({size}, {size})).numpy()[..., :{channels}]
        x_train, x_val = x_train[:-5000], x_train[-5000:]
        y_train, y_val = y_train[:-5000], y_train[-5000:]
        """)


def tfdata_pipeline(rng: random.Random) -> str:
    batch = rng.choice([32, 64, 128, 256])
    return textwrap.dedent(f"""\
        def make_dataset(x, y, training=False, batch_size={batch}):
            ds = tf.data.Dataset.from_tensor_slices((x, y))
            if training:
                ds = ds.shuffle(buffer_size=len(x), seed={rng.randint(1, 999)})
            ds = ds.batch(batch_size)
            return ds.prefetch(tf.data.AUTOTUNE)


        train_ds = make_dataset(x_train, y_train, training=True)
        val_ds = make_dataset(x_val, y_val)
        test_ds = make_dataset(x_test, y_test)
        """)


def text_data(rng: random.Random, k: str, vocab: int, length: int) -> str:
    return textwrap.dedent(f"""\
        VOCAB_SIZE = {vocab}
        MAX_LEN = {length}

        (x_train, y_train), (x_test, y_test) = {k}.datasets.imdb.load_data(num_words=VOCAB_SIZE)
        x_train = {k}.utils.pad_sequences(x_train, maxlen=MAX_LEN)
        x_test = {k}.utils.pad_sequences(x_test, maxlen=MAX_LEN)
        x_val, y_val = x_train[:2500], y_train[:2500]
        x_train, y_train = x_train[2500:], y_train[2500:]
        """)


def plot_history(rng: random.Random) -> str:
    metric = rng.choice(["loss", "accuracy"])
    return textwrap.dedent(f"""\
        def plot_history(history, metric="{metric}"):
            plt.figure(figsize=(8, 4))
            plt.plot(history.history[metric], label="train")
            if "val_" + metric in history.history:
                plt.plot(history.history["val_" + metric], label="validation")
            plt.xlabel("epoch")
            plt.ylabel(metric)
            plt.legend()
            plt.tight_layout()
            plt.savefig(f"history_{{metric}}.png")
            plt.close()
        """)


def callbacks(rng: random.Random, k: str) -> str:
    patience = rng.randint(2, 10)
    return textwrap.dedent(f"""\
        callbacks = [
            {k}.callbacks.EarlyStopping(monitor="val_loss", patience={patience},
                                        restore_best_weights=True),
            {k}.callbacks.ReduceLROnPlateau(factor=0.5, patience={max(1, patience // 2)}),
            {k}.callbacks.ModelCheckpoint("best.keras", save_best_only=True),
        ]
        """)


def extra_helpers(rng: random.Random) -> str:
    """Ordinary code that lives in training scripts: argument parsing, logging,
    metrics by hand. It makes files as long as real ones."""
    pieces = []
    for _ in range(rng.randint(2, 6)):
        name = ident(rng)
        choice = rng.randrange(4)
        if choice == 0:
            pieces.append(
                textwrap.dedent(f"""\
                def {name}_summary(values, digits=3):
                    values = list(values)
                    if not values:
                        return {{"count": 0}}
                    ordered = sorted(values)
                    middle = len(ordered) // 2
                    median = ordered[middle] if len(ordered) % 2 else (
                        ordered[middle - 1] + ordered[middle]) / 2
                    return {{
                        "count": len(values),
                        "mean": round(sum(values) / len(values), digits),
                        "median": round(median, digits),
                        "min": ordered[0],
                        "max": ordered[-1],
                    }}
                """)
            )
        elif choice == 1:
            pieces.append(
                textwrap.dedent(f"""\
                def parse_args(argv=None):
                    parser = argparse.ArgumentParser(description="Train the {name} model.")
                    parser.add_argument("--epochs", type=int, default={rng.randint(3, 50)})
                    parser.add_argument("--batch-size", type=int, default={rng.choice([32, 64, 128])})
                    parser.add_argument("--output", default="{name}.keras")
                    parser.add_argument("--verbose", action="store_true")
                    return parser.parse_args(argv)
                """)
            )
        elif choice == 2:
            pieces.append(
                textwrap.dedent("""\
                def confusion_matrix(y_true, y_pred, num_classes):
                    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
                    for truth, guess in zip(y_true, y_pred):
                        matrix[int(truth), int(guess)] += 1
                    return matrix


                def per_class_accuracy(matrix):
                    totals = matrix.sum(axis=1)
                    return np.where(totals > 0, np.diag(matrix) / np.maximum(totals, 1), 0.0)
                """)
            )
        else:
            pieces.append(
                textwrap.dedent(f"""\
                class {name.title().replace("_", "")}Logger:
                    \"\"\"Writes one line per epoch; keeps the best value seen.\"\"\"

                    def __init__(self, path, monitor="val_loss", mode="min"):
                        self.path = path
                        self.monitor = monitor
                        self.mode = mode
                        self.best = None
                        self.rows = []

                    def update(self, epoch, logs):
                        value = logs.get(self.monitor)
                        self.rows.append((epoch, value))
                        if value is None:
                            return False
                        better = self.best is None or (
                            value < self.best if self.mode == "min" else value > self.best)
                        if better:
                            self.best = value
                        return better

                    def write(self):
                        with open(self.path, "w", encoding="utf-8") as handle:
                            for epoch, value in self.rows:
                                handle.write(f"{{epoch}},{{value}}\\n")
                """)
            )
    return "\n\n".join(pieces)


# -- models ---------------------------------------------------------------------------


def dense_stack(rng: random.Random, lay: str, depth: int) -> list[str]:
    rows = []
    for _ in range(depth):
        units = rng.choice([16, 32, 64, 128, 256, 512])
        rows.append(f'{lay}.Dense({units}, activation="{rng.choice(HIDDEN_ACTIVATIONS)}")')
        if rng.random() < 0.4:
            rows.append(f"{lay}.Dropout({rng.choice([0.1, 0.2, 0.3, 0.5])})")
        if rng.random() < 0.2:
            rows.append(f"{lay}.BatchNormalization()")
    return rows


def conv_stack(rng: random.Random, lay: str, depth: int) -> list[str]:
    rows = []
    filters = rng.choice([16, 32])
    for _ in range(depth):
        rows.append(
            f'{lay}.Conv2D({filters}, {rng.choice([3, 5])}, padding="same", activation="relu")'
        )
        if rng.random() < 0.5:
            rows.append(f"{lay}.BatchNormalization()")
        rows.append(f"{lay}.MaxPooling2D()")
        filters *= 2
    rows.append(rng.choice([f"{lay}.Flatten()", f"{lay}.GlobalAveragePooling2D()"]))
    return rows


def head(rng: random.Random, lay: str, classes: int, buggy: bool) -> tuple[str, str]:
    """The output layer and a loss that fits it (or, when buggy, does not)."""
    if classes == 1:
        out, loss = f'{lay}.Dense(1, activation="sigmoid")', '"binary_crossentropy"'
        if buggy:
            out = f'{lay}.Dense(1, activation="softmax")'
    elif rng.random() < 0.3:
        out = f"{lay}.Dense({classes})"
        loss = "keras.losses.SparseCategoricalCrossentropy(from_logits=True)"
        if buggy:
            out = f'{lay}.Dense({classes}, activation="relu")'
    else:
        out = f'{lay}.Dense({classes}, activation="softmax")'
        loss = rng.choice(['"sparse_categorical_crossentropy"', '"categorical_crossentropy"'])
        if buggy:
            loss = '"binary_crossentropy"'
    return out, loss


def sequential_list(rng, k, lay, features, classes, buggy) -> str:
    rows = [f"keras.Input(shape=({features},))"] if rng.random() < 0.8 or not buggy else []
    rows += dense_stack(rng, lay, rng.randint(1, 5))
    out, loss = head(rng, lay, classes, buggy)
    rows.append(out)
    body = ",\n".join(f"        {row}" for row in rows)
    return (
        f"def build_model():\n    model = {k}.Sequential([\n{body},\n    ])\n"
        f"    return model\n\n\nmodel = build_model()\n"
    ), loss


def sequential_add(rng, k, lay, features, classes, buggy) -> str:
    lines = [f'model = {k}.Sequential(name="{ident(rng)}")']
    lines.append(f"model.add({k}.Input(shape=({features},)))")
    for row in dense_stack(rng, lay, rng.randint(1, 4)):
        lines.append(f"model.add({row})")
    out, loss = head(rng, lay, classes, buggy)
    lines.append(f"model.add({out})")
    return "\n".join(lines) + "\n", loss


def functional(rng, k, lay, features, classes, buggy) -> str:
    lines = [f'inputs = {k}.Input(shape=({features},), name="features")', "x = inputs"]
    branches = rng.randint(1, 3)
    names = []
    for b in range(branches):
        names.append(f"branch_{b}")
        lines.append(f"branch_{b} = inputs")
        for row in dense_stack(rng, lay, rng.randint(1, 3)):
            lines.append(f"branch_{b} = {row}(branch_{b})")
    if branches > 1:
        lines.append(f"x = {lay}.concatenate([{', '.join(names)}])")
    else:
        lines.append("x = branch_0")
    out, loss = head(rng, lay, classes, buggy)
    lines.append(f"outputs = {out}(x)")
    lines.append(f'model = {k}.Model(inputs=inputs, outputs=outputs, name="{ident(rng)}")')
    return "\n".join(lines) + "\n", loss


def cnn(rng, k, lay, size, channels, classes, buggy) -> str:
    aug = ""
    rows = [f"keras.Input(shape=({size}, {size}, {channels}))"]
    if rng.random() < 0.5:
        aug = textwrap.dedent(f"""\
            data_augmentation = {k}.Sequential([
                {lay}.RandomFlip("horizontal"),
                {lay}.RandomRotation({rng.choice([0.05, 0.1, 0.2])}),
                {lay}.RandomZoom(0.1),
            ])

            """)
        rows.append("data_augmentation")
    rows += conv_stack(rng, lay, rng.randint(2, 4))
    rows += dense_stack(rng, lay, rng.randint(0, 2))
    out, loss = head(rng, lay, classes, buggy)
    rows.append(out)
    body = ",\n".join(f"    {row}" for row in rows)
    return f"{aug}model = {k}.Sequential([\n{body},\n])\n", loss


def rnn(rng, k, lay, classes, buggy) -> str:
    cell = rng.choice(["LSTM", "GRU"])
    rows = [
        'keras.Input(shape=(MAX_LEN,), dtype="int32")',
        f"{lay}.Embedding(VOCAB_SIZE, {rng.choice([32, 64, 128])})",
    ]
    if rng.random() < 0.5:
        rows.append(
            f"{lay}.Bidirectional({lay}.{cell}({rng.choice([32, 64])}, return_sequences=True))"
        )
    rows.append(f"{lay}.{cell}({rng.choice([32, 64, 128])})")
    rows += dense_stack(rng, lay, rng.randint(0, 2))
    out, loss = head(rng, lay, classes, buggy)
    rows.append(out)
    body = ",\n".join(f"    {row}" for row in rows)
    return f"model = {k}.Sequential([\n{body},\n])\n", loss


def subclassed(rng, k, lay, features, classes) -> str:
    name = ident(rng).title().replace("_", "")
    units = rng.choice([32, 64, 128])
    return textwrap.dedent(f"""\
        class {name}Block({lay}.Layer):
            def __init__(self, units={units}, rate=0.1, **kwargs):
                super().__init__(**kwargs)
                self.dense = {lay}.Dense(units, activation="relu")
                self.ffn = {k}.Sequential([
                    {lay}.Dense(units * 2, activation="gelu"),
                    {lay}.Dense(units),
                ])
                self.norm = {lay}.LayerNormalization(epsilon=1e-6)
                self.dropout = {lay}.Dropout(rate)

            def call(self, inputs, training=False):
                x = self.dense(inputs)
                y = self.dropout(self.ffn(x), training=training)
                return self.norm(x + y)

            def get_config(self):
                config = super().get_config()
                config.update({{"units": self.dense.units}})
                return config


        class {name}Model({k}.Model):
            def __init__(self, num_classes={classes}, **kwargs):
                super().__init__(**kwargs)
                self.blocks = [{name}Block() for _ in range({rng.randint(1, 4)})]
                self.head = {lay}.Dense(num_classes)

            def call(self, inputs, training=False):
                x = inputs
                for block in self.blocks:
                    x = block(x, training=training)
                return self.head(x)


        model = {name}Model()
        """), "keras.losses.SparseCategoricalCrossentropy(from_logits=True)"


def training(rng, k, loss: str, data: str, val: str) -> str:
    metrics = rng.choice(['["accuracy"]', '["accuracy", keras.metrics.AUC()]', '["acc"]'])
    epochs = rng.randint(2, 30)
    return textwrap.dedent(f"""\
        model.compile(
            optimizer={rng.choice(OPTIMIZERS)},
            loss={loss},
            metrics={metrics},
        )
        model.summary()
        history = model.fit(
            {data},
            epochs={epochs},
            {"validation_split" if val[0].isdigit() else "validation_data"}={val},
            callbacks=callbacks,
            verbose=2,
        )
        test_loss, test_metric = model.evaluate({"x_test, y_test" if "ds" not in data else "test_ds"}, verbose=0)
        print(f"test loss {{test_loss:.4f}}, metric {{test_metric:.4f}}")
        plot_history(history)
        """)


def keras_script(rng: random.Random) -> str:
    imports, k, lay = rng.choice(IMPORT_STYLES)
    k_for_api = "keras" if k == "keras" else "tf.keras"
    needs_tf = "tensorflow as tf" not in imports
    header = docstring(rng, "Train a model") + "\nimport argparse\nimport os\n\n"
    header += "import matplotlib.pyplot as plt\nimport numpy as np\n"
    header += ("import tensorflow as tf\n" if needs_tf else "") + imports
    if k == "tf.keras":
        header += "keras = tf.keras\n"
    buggy = rng.random() < 0.15
    shape = rng.randrange(6)
    features = rng.choice([8, 20, 32, 64, 100])
    classes = rng.choice([1, 2, 3, 5, 10])
    parts = [header]
    if shape == 0:
        parts.append(numpy_data(rng, features, max(classes, 2)))
        model, loss = sequential_list(rng, k_for_api, lay, features, classes, buggy)
        data, val = "x_train, y_train", "(x_test, y_test)" if buggy else "0.2"
    elif shape == 1:
        parts.append(numpy_data(rng, features, max(classes, 2)))
        model, loss = sequential_add(rng, k_for_api, lay, features, classes, buggy)
        data, val = "x_train, y_train", "0.1" if not buggy else "(x_test[:500], y_test[:500])"
    elif shape == 2:
        parts.append(numpy_data(rng, features, max(classes, 2)))
        model, loss = functional(rng, k_for_api, lay, features, classes, buggy)
        data, val = "x_train, y_train", "0.2"
    elif shape == 3:
        size, channels = rng.choice([(28, 1), (32, 3), (64, 3)])
        parts.append(image_data(rng, k_for_api, size, channels))
        parts.append(tfdata_pipeline(rng))
        model, loss = cnn(rng, k_for_api, lay, size, channels, max(classes, 2), buggy)
        data, val = "train_ds", "val_ds"
    elif shape == 4:
        parts.append(
            text_data(rng, k_for_api, rng.choice([5000, 10000, 20000]), rng.choice([100, 200, 400]))
        )
        model, loss = rnn(rng, k_for_api, lay, classes, buggy)
        data, val = "x_train, y_train", "(x_val, y_val)"
    else:
        parts.append(numpy_data(rng, features, max(classes, 2)))
        model, loss = subclassed(rng, k_for_api, lay, features, max(classes, 2))
        data, val = "x_train, y_train", "0.15"
    parts.append(extra_helpers(rng))
    parts.append(plot_history(rng))
    parts.append(callbacks(rng, k_for_api))
    parts.append(model)
    parts.append(training(rng, k_for_api, loss, data, val))
    if rng.random() < 0.5:
        parts.append('model.save(os.path.join("artifacts", "model.keras"))\n')
    return "\n\n".join(p.rstrip("\n") + "\n" for p in parts)


# -- plain Python that never touches Keras ----------------------------------------------


def plain_module(rng: random.Random) -> str:
    kind = rng.randrange(5)
    parts = [docstring(rng, "Utilities")]
    if kind == 0:  # a text parser
        parts.append("import csv\nimport re\nfrom dataclasses import dataclass, field\n")
        for _ in range(rng.randint(2, 5)):
            name = ident(rng).title().replace("_", "")
            parts.append(
                textwrap.dedent(f"""\
                @dataclass
                class {name}:
                    name: str
                    value: float = 0.0
                    tags: list[str] = field(default_factory=list)

                    @classmethod
                    def from_row(cls, row):
                        tags = [t.strip() for t in row.get("tags", "").split(";") if t.strip()]
                        return cls(row["name"], float(row.get("value") or 0), tags)

                    def matches(self, pattern):
                        return re.search(pattern, self.name) is not None


                def read_{name.lower()}s(path):
                    with open(path, newline="", encoding="utf-8") as handle:
                        return [{name}.from_row(row) for row in csv.DictReader(handle)]
                """)
            )
    elif kind == 1:  # a command-line tool
        parts.append(
            "import argparse\nimport json\nimport logging\nimport sys\n"
            "from pathlib import Path\n\nlog = logging.getLogger(__name__)\n"
        )
        commands = [ident(rng, 1) for _ in range(rng.randint(2, 5))]
        for command in commands:
            parts.append(
                textwrap.dedent(f"""\
                def cmd_{command}(args):
                    paths = sorted(Path(args.root).rglob("*.json"))
                    log.info("%d files under %s", len(paths), args.root)
                    total = 0
                    for path in paths:
                        try:
                            data = json.loads(path.read_text())
                        except (OSError, ValueError) as error:
                            log.warning("skipping %s: %s", path, error)
                            continue
                        total += len(data.get("{command}", []))
                    print(total)
                    return 0
                """)
            )
        subparsers = "\n".join(
            f'    sub.add_parser("{c}").set_defaults(func=cmd_{c})' for c in commands
        )
        parts.append(
            "def main(argv=None):\n"
            "    parser = argparse.ArgumentParser()\n"
            '    parser.add_argument("--root", default=".")\n'
            "    sub = parser.add_subparsers(required=True)\n"
            f"{subparsers}\n"
            "    args = parser.parse_args(argv)\n"
            "    return args.func(args)\n\n\n"
            'if __name__ == "__main__":\n    sys.exit(main())\n'
        )
    elif kind == 2:  # numeric code
        parts.append("import math\n\nimport numpy as np\n")
        for _ in range(rng.randint(2, 6)):
            name = ident(rng)
            parts.append(
                textwrap.dedent(f"""\
                def {name}(values, window={rng.randint(2, 20)}):
                    values = np.asarray(values, dtype=float)
                    if values.size < window:
                        return np.array([])
                    kernel = np.ones(window) / window
                    smooth = np.convolve(values, kernel, mode="valid")
                    spread = math.sqrt(float(np.var(values))) or 1.0
                    return (smooth - smooth.mean()) / spread
                """)
            )
    elif kind == 3:  # a PyTorch model: Sequential, but not Keras
        width = rng.choice([64, 128, 256])
        parts.append("import torch\nfrom torch import nn\n")
        parts.append(
            textwrap.dedent(f"""\
            class Net(nn.Module):
                def __init__(self, features, classes):
                    super().__init__()
                    self.body = nn.Sequential(
                        nn.Linear(features, {width}),
                        nn.ReLU(),
                        nn.Linear({width}, classes),
                    )

                def forward(self, x):
                    return self.body(x)


            def train(model, loader, epochs={rng.randint(1, 20)}, lr={rng.choice([1e-3, 1e-2])}):
                optimizer = torch.optim.Adam(model.parameters(), lr=lr)
                loss_fn = nn.CrossEntropyLoss()
                for epoch in range(epochs):
                    for x, y in loader:
                        optimizer.zero_grad()
                        loss = loss_fn(model(x), y)
                        loss.backward()
                        optimizer.step()
                return model
            """)
        )
    else:  # classes with behaviour
        parts.append(
            "from __future__ import annotations\n\nimport collections\n"
            "import functools\nimport itertools\n"
        )
        for _ in range(rng.randint(1, 4)):
            name = ident(rng).title().replace("_", "")
            parts.append(
                textwrap.dedent(f"""\
                class {name}Cache:
                    def __init__(self, capacity={rng.choice([16, 128, 1024])}):
                        self.capacity = capacity
                        self.items = collections.OrderedDict()
                        self.hits = self.misses = 0

                    def get(self, key, compute):
                        if key in self.items:
                            self.hits += 1
                            self.items.move_to_end(key)
                            return self.items[key]
                        self.misses += 1
                        value = self.items[key] = compute(key)
                        if len(self.items) > self.capacity:
                            self.items.popitem(last=False)
                        return value

                    @functools.cached_property
                    def ratio(self):
                        total = self.hits + self.misses
                        return self.hits / total if total else 0.0


                def pairs_{name.lower()}(items):
                    return [(a, b) for a, b in itertools.combinations(items, 2) if a != b]
                """)
            )
    return "\n\n".join(p.rstrip("\n") + "\n" for p in parts)


def build(
    directory: str, files: int = 600, seed: int = 1234, keras_share: float = 0.6
) -> list[str]:
    """Write the corpus under `directory`; return the paths, in order."""
    rng = random.Random(seed)
    paths = []
    for number in range(files):
        package = os.path.join(directory, f"pkg{number // 50:02d}")
        os.makedirs(package, exist_ok=True)
        is_keras = rng.random() < keras_share
        text = keras_script(rng) if is_keras else plain_module(rng)
        path = os.path.join(package, f"{'train' if is_keras else 'util'}_{number:04d}.py")
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--files", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args()
    paths = build(args.directory, args.files, args.seed)
    lines = sum(Path(p).read_text(encoding="utf-8").count("\n") for p in paths)
    print(f"{len(paths)} files, {lines} lines in {args.directory}")


if __name__ == "__main__":
    main()
