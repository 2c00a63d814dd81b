"""``importcanon graph`` as DOT and mermaid: the package graph with the contracts drawn on it.

Layers are ranks (top layer first), edges that break a contract are red with their count, the
package-level cycles are outlined, legacy packages are dashed and grey, shims are counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from importcanon.application.package_graph import PackageEdge, PackageGraph, PackageNode

#: mermaid's own defaults: a diagram past either is not rendered at all.
MERMAID_MAX_EDGES = 500
MERMAID_MAX_TEXT = 50_000


def node_label(node: PackageNode) -> str:
    marks = [f"{node.modules} module" + ("s" if node.modules != 1 else "")]
    if node.legacy:
        marks.append("legacy")
    if node.shims:
        marks.append(f"{node.shims} shim" + ("s" if node.shims != 1 else ""))
    if node.cyclic:
        marks.append(f"{node.cyclic} in cycles")
    return f"{node.name}\n{', '.join(marks)}"


def edge_label(edge: PackageEdge) -> str:
    if not edge.broken:
        return str(edge.imports)
    return f"{edge.imports} ({edge.broken} {'breaks a contract' if edge.broken == 1 else 'break contracts'})"


def render_dot(graph: PackageGraph) -> str:
    lines = [
        "digraph importcanon {",
        "  rankdir=TB;",
        '  node [shape=box, style="rounded,filled", fillcolor="#f5f7fa", fontname="Helvetica"];',
        '  edge [color="#7a8594", fontname="Helvetica", fontsize=10];',
    ]
    in_cycle = {name for component in graph.components for name in component}
    for node in graph.nodes:
        lines.append(f"  {_dot_id(node.name)} [{_dot_attributes(node)}];")
    for index, component in enumerate(graph.components):
        lines.append(f"  subgraph cluster_cycle_{index} {{")
        lines.append(f'    label="cycle {index + 1}"; color="#e8590c"; style="bold,dashed";')
        lines.extend(f"    {_dot_id(name)};" for name in component)
        lines.append("  }")
    for layer in sorted({node.layer for node in graph.nodes if node.layer is not None}):
        members = [node.name for node in graph.nodes if node.layer == layer and node.name not in in_cycle]
        if members:
            lines.append("  { rank=same; " + " ".join(f"{_dot_id(name)};" for name in members) + " }")
    for edge in graph.edges:
        attributes = [f"label={_dot_string(edge_label(edge))}", f"penwidth={_width(edge.imports):.1f}"]
        if edge.broken:
            attributes += ['color="#d62728"', 'fontcolor="#d62728"']
        lines.append(f"  {_dot_id(edge.importer)} -> {_dot_id(edge.imported)} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_attributes(node: PackageNode) -> str:
    attributes = [f"label={_dot_string(node_label(node))}"]
    if node.legacy:
        attributes += ['style="rounded,dashed,filled"', 'fillcolor="#eeeeee"', 'fontcolor="#666666"']
    elif node.cyclic:
        attributes += ['fillcolor="#fff4e6"']
    if node.shims:
        attributes += ['color="#9467bd"']
    return ", ".join(attributes)


def _dot_id(name: str) -> str:
    return _dot_string(name)


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _width(imports: int) -> float:
    return min(1.0 + imports.bit_length() * 0.5, 5.0)


def render_mermaid(graph: PackageGraph) -> str:
    ids = {node.name: f"n{index}" for index, node in enumerate(graph.nodes)}
    lines = ["flowchart TB"]
    layered = {node.layer for node in graph.nodes if node.layer is not None}
    for layer in sorted(layered):
        lines.append(f"  subgraph layer{layer}[layer {layer + 1}]")
        lines.extend(f"    {_mermaid_node(ids, node)}" for node in graph.nodes if node.layer == layer)
        lines.append("  end")
    lines.extend(f"  {_mermaid_node(ids, node)}" for node in graph.nodes if node.layer is None)
    red = []
    for index, edge in enumerate(graph.edges):
        lines.append(f'  {ids[edge.importer]} -->|"{_mermaid_text(edge_label(edge))}"| {ids[edge.imported]}')
        if edge.broken:
            red.append(str(index))
    lines.append("  classDef legacy fill:#eeeeee,stroke:#999999,stroke-dasharray:4 3,color:#666666")
    lines.append("  classDef cyclic fill:#fff4e6,stroke:#e8590c,stroke-width:2px")
    for style, names in (
        ("legacy", [node.name for node in graph.nodes if node.legacy]),
        ("cyclic", [node.name for node in graph.nodes if node.cyclic or node.component is not None]),
    ):
        if names:
            lines.append(f"  class {','.join(ids[name] for name in names)} {style}")
    for chunk in range(0, len(red), 50):
        lines.append(f"  linkStyle {','.join(red[chunk : chunk + 50])} stroke:#d62728,color:#d62728")
    return "\n".join(lines) + "\n"


def _mermaid_node(ids: dict[str, str], node: PackageNode) -> str:
    return f'{ids[node.name]}["{_mermaid_text(node_label(node)).replace(chr(10), "<br/>")}"]'


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def fitting_mermaid(graph_at: Callable[[int], PackageGraph], depth: int) -> tuple[str, str | None]:
    """Mermaid for the graph at ``depth``, collapsed level by level until mermaid renders it; the
    note says what was done when it had to collapse (or, at the top level, leave edges out)."""
    asked = depth
    graph = graph_at(depth)
    text = render_mermaid(graph)
    while not _fits(graph, text) and depth > 1:
        depth -= 1
        graph = graph_at(depth)
        text = render_mermaid(graph)
    notes = []
    if depth < asked:
        notes.append(f"collapsed from depth {asked} to depth {depth}")
    if not _fits(graph, text):
        ranked = sorted(graph.edges, key=lambda edge: (-edge.broken, -edge.imports, edge.importer, edge.imported))
        keep = min(len(ranked), MERMAID_MAX_EDGES)
        while True:
            kept = tuple(edge for edge in graph.edges if edge in set(ranked[:keep]))
            text = render_mermaid(replace(graph, edges=kept))
            if len(text) <= MERMAID_MAX_TEXT or keep == 0:
                break
            keep = keep * 9 // 10
        notes.append(f"kept the {keep} heaviest of {len(ranked)} edges (contract-breaking ones first)")
    if not notes:
        return text, None
    limits = f"mermaid renders at most {MERMAID_MAX_EDGES} edges and {MERMAID_MAX_TEXT:,} characters"
    return text, f"{' and '.join(notes)}: {limits}; use --format dot or html for the full graph"


def _fits(graph: PackageGraph, text: str) -> bool:
    return len(graph.edges) <= MERMAID_MAX_EDGES and len(text) <= MERMAID_MAX_TEXT
