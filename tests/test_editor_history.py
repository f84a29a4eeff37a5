"""Which earlier cells a new cell is linted with: those connected to it by names."""

from __future__ import annotations

from kerascheck.editor.history import History


def positions(history: History, cell: str) -> list[int]:
    return [number for number, _ in history.relevant(cell)]


def test_a_model_built_loaded_and_compiled_in_other_cells_is_one_program() -> None:
    history = History(
        [
            "import numpy as np\nfrom tensorflow import keras",  # 1: imports
            "(x_train, y_train), _ = keras.datasets.mnist.load_data()",  # 2: data
            "import matplotlib.pyplot as plt\nplt.plot(np.arange(3))",  # 3: unrelated plot
            "model = keras.Sequential([keras.layers.Dense(10)])",  # 4: the model
            "model.compile(loss='mse')",  # 5: uses model only: still matters
            "print(np.zeros(2))",  # 6: numpy only
        ]
    )
    assert positions(history, "model.fit(x_train, y_train)") == [1, 2, 4, 5]


def test_a_shadowed_builtin_links_cells() -> None:
    history = History(["from tensorflow import keras\ninput = keras.Input((4,))", "print(1)"])
    assert positions(history, "y = keras.layers.Dense(2)(input)") == [1]


def test_star_imports_and_magics() -> None:
    history = History(["from keras.layers import *", "%matplotlib inline", "x = 1"])
    assert positions(history, "model = Sequential([Dense(1)])") == [1]
    assert positions(history, "from keras import *") == [1, 2, 3]


def test_a_cell_run_again_moves_to_its_new_place() -> None:
    history = History(["model = make()", "model.compile(loss='mse')"])
    history.append("model = make()")
    assert [cell.source for cell in history.cells] == [
        "model.compile(loss='mse')",
        "model = make()",
    ]


def test_a_cell_that_names_nothing_needs_no_lint() -> None:
    history = History(["from tensorflow import keras"])
    for cell in ("!pip install keras", "%matplotlib inline", 'print("done")', "%%bash\nls"):
        assert history.relevant(cell) is None, cell
    assert history.relevant("import numpy as np") == []
