"""Functional graphs: from the tensors the walk followed to the model's layers.

Every `layer(tensor)` the walk evaluates is a Tensor that remembers the element
that made it and the tensors it was made from. A model's graph is what its
outputs reach, walking those links back: nodes in topological order, a merge is
a node with several inputs, a layer called twice is two nodes.
"""

from __future__ import annotations

from kerascheck.ir.extract.infos import Tensor
from kerascheck.ir.model import Element, Graph, Node, Opaque


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


def functional_graph(
    outputs: list[Tensor | None], names: tuple[str | None, ...], inputs: list[Tensor | None]
) -> Graph:
    """The DAG the outputs reach (iteratively: unrolled loops make deep graphs)."""
    index: dict[int, int] = {}
    nodes: list[Node] = []
    for output in outputs:
        if output is None or id(output) in index:
            continue
        stack: list[tuple[Tensor, bool]] = [(output, False)]
        while stack:
            tensor, expanded = stack.pop()
            if id(tensor) in index:
                continue
            if not expanded:
                stack.append((tensor, True))
                stack.extend(
                    (parent, False)
                    for parent in reversed(tensor.parents)
                    if parent is not None and id(parent) not in index
                )
                continue
            parents = tuple(None if p is None else index.get(id(p)) for p in tensor.parents)
            index[id(tensor)] = len(nodes)
            nodes.append(Node(tensor.element, parents))
    given_inputs = tuple(index[id(t)] for t in inputs if t is not None and id(t) in index) or tuple(
        i for i, node in enumerate(nodes) if not node.inputs
    )
    return Graph(
        nodes=tuple(nodes),
        inputs=given_inputs,
        outputs=tuple(None if o is None else index.get(id(o)) for o in outputs),
        output_names=names,
    )


def sequential_graph(elements: list[Element]) -> Graph:
    """A Sequential's elements as a chain."""
    nodes = tuple(Node(e, (i - 1,) if i else ()) for i, e in enumerate(elements))
    return Graph(
        nodes=nodes,
        inputs=(0,) if nodes else (),
        outputs=(len(nodes) - 1,) if nodes else (),
    )
