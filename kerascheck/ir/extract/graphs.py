"""Functional graphs: from the tensors the walk followed to the model's layers."""

from __future__ import annotations

from kerascheck.ir.extract.infos import Tensor
from kerascheck.ir.model import Element, Opaque


def chain_to(output: Tensor) -> list[Element]:
    """The linear chain of layers that ends at a functional model's output."""
    chain: list[Element] = []
    tensor: Tensor | None = output
    while tensor is not None:
        chain.append(tensor.element)
        if len(tensor.parents) != 1:
            if tensor.parents:  # a merge: what comes before is not one chain
                chain.append(Opaque("merge", tensor.element.loc))
            break
        tensor = tensor.parents[0]
        if tensor is None:
            chain.append(Opaque("tensor", chain[-1].loc))
    chain.reverse()
    return chain
