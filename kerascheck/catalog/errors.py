"""Keras's build errors said the way a user thinks about the layer.

Keras names the layer by its generated name (`conv2d_3`), prints shapes in two
styles and wraps messages in call-site boilerplate; users wrote `Conv2D` on a
line of their own. Pure text work: no Keras import.
"""

from __future__ import annotations

import re

_AXES = {
    "1D": "(batch, steps, channels)",
    "2D": "(batch, height, width, channels)",
    "3D": "(batch, depth, height, width, channels)",
}
_RECURRENT = ("SimpleRNN", "LSTM", "GRU")

NDIM = re.compile(
    r"expected (min_ndim|ndim|max_ndim)=(\d+), found ndim=(\d+)\. "
    r"Full shape received: (\(.*?\))"
)
_UNRECOGNIZED = re.compile(r"Unrecognized keyword arguments passed to \w+: \{(.*)\}")
_RESHAPE = re.compile(r"Received: input_shape=(\(.*?\)), target_shape=(\(.*?\))")
_NEGATIVE = re.compile(
    r"Computed output size would be zero or negative.*?"
    r"inputs[ .]shape=[(\[](.*?)[)\]]"
)


def _axes(kind: str) -> str:
    if kind in _RECURRENT:
        return " (batch, timesteps, features)"
    if kind.startswith("ConvLSTM"):  # a convolution's axes with time after the batch
        axes = next((a for suffix, a in _AXES.items() if kind.endswith(suffix)), "")
        return " " + axes.replace("(batch, ", "(batch, time, ") if axes else ""
    return next((f" {axes}" for suffix, axes in _AXES.items() if suffix in kind), "")


def plain_words(kind: str, message: str) -> str:
    """Keras's error about one layer, said the way a user thinks about it."""
    found = NDIM.search(message)
    if found:
        bound, wanted, got, shape = found.groups()
        least = {"min_ndim": "at least ", "max_ndim": "at most "}.get(bound, "")
        return (
            f"`{kind}` needs {least}{wanted}-D input{_axes(kind)}, "
            f"but gets {got}-D input of shape {shape}"
        )
    found = _UNRECOGNIZED.search(message)
    if found:
        names = ", ".join(f"`{n}`" for n in re.findall(r"'(\w+)':", found.group(1)))
        return f"`{kind}` does not accept the argument {names}" if names else message
    found = _RESHAPE.search(message)
    if found:
        return (
            f"`Reshape` to {found.group(2)} cannot hold an input of shape "
            f"{found.group(1)}: the number of values must stay the same"
        )
    found = _NEGATIVE.search(message)
    if found:  # Keras prints `[None 2 2 16]` or `(None, 2, 2, 16)`
        shape = ", ".join(re.split(r"[\s,]+", found.group(1).strip()))
        return (
            f"`{kind}` would shrink its input of shape ({shape}) to nothing: "
            f"its window is larger than the input"
        )
    if len(message) > 240:
        message = message[:237] + "..."
    return f"Keras cannot build `{kind}`: {message}"
