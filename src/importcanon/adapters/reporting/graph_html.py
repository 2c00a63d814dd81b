"""``importcanon graph --format html``: a self-contained explorer of the package graph.

The page carries the module-level graph (names, paths, every import's lines) and collapses it
in the browser, so that clicking a package expands it into its children without a new run;
clicking an edge lists the imports behind it with ``path:line``. Pan by dragging, zoom with the
wheel. No network access when viewed.
"""

from __future__ import annotations

from typing import Any

from importcanon.adapters.reporting.html_page import page
from importcanon.application.package_graph import ModuleMarks, Scope, scope_of
from importcanon.application.project import Project


def render_graph_html(project: Project, marks: ModuleMarks, scope: Scope, title: str) -> str:
    modules = list(scope_of(project, scope.roots))
    index = {module: position for position, module in enumerate(modules)}
    edges = [
        [index[importer], index[imported], lines, marks.broken.get((importer, imported), 0)]
        for (importer, imported), lines in sorted(project.import_lines().items())
        if importer in index and imported in index
    ]
    data: dict[str, Any] = {
        "modules": modules,
        "paths": [project.path_of(module) or "" for module in modules],
        "edges": edges,
        "layers": {module: rank for module, rank in marks.layers.items()},
        "legacy": list(marks.legacy),
        "shims": sorted(index[module] for module in marks.shims if module in index),
        "cyclic": sorted(index[module] for module in marks.cyclic if module in index),
        "roots": list(scope.roots),
        "depth": scope.depth,
    }
    subtitle = (
        f"{len(modules)} modules, {len(edges)} imports between them. Click a package to expand it, "
        "an edge to see its imports; drag to pan, wheel to zoom."
    )
    return page(title, subtitle, _BODY, _SCRIPT, data)


_BODY = """
<style>
#wrap { display:flex; height:calc(100vh - 62px); }
#canvas { flex:1; position:relative; background:#fbfcfd; overflow:hidden; }
#graph { width:100%; height:100%; cursor:grab; user-select:none; }
#side { width:360px; border-left:1px solid var(--line); padding:12px 14px; overflow:auto; background:#fff; }
#toolbar { position:absolute; top:8px; left:8px; display:flex; gap:6px; }
#toolbar button { font:inherit; padding:2px 10px; border:1px solid var(--line); background:#fff; border-radius:6px; }
g.node rect { fill:#fff; stroke:#9aa5b1; rx:6; }
g.node.expandable rect { stroke:#1c5d99; stroke-width:1.6; cursor:pointer; }
g.node.legacy rect { fill:#eee; stroke-dasharray:4 3; }
g.node.cyclic rect { fill:#fff4e6; stroke:#e8590c; stroke-width:2; }
g.node text { font-size:12px; pointer-events:none; }
g.node text.sub { fill:#616e7c; font-size:11px; }
path.edge { fill:none; stroke:#9aa5b1; }
path.edge.broken { stroke:#d62728; }
path.hit { fill:none; stroke:transparent; stroke-width:12; cursor:pointer; }
path.hit:hover + path.edge, path.edge.selected { stroke:#1c5d99; }
#side li { margin-bottom:4px; }
.legend span { display:inline-block; margin-right:10px; }
</style>
<div id="wrap"><div id="canvas">
<div id="toolbar"><button id="collapse">Collapse all</button><button id="fit">Fit</button></div>
<svg id="graph" xmlns="http://www.w3.org/2000/svg"><defs>
<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7"
 orient="auto-start-reverse">
<path d="M 0 0 L 10 5 L 0 10 z" fill="#9aa5b1"/></marker>
<marker id="arrow-red" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7"
 orient="auto-start-reverse">
<path d="M 0 0 L 10 5 L 0 10 z" fill="#d62728"/></marker></defs><g id="viewport"></g></svg>
</div><aside id="side"><h2 style="margin-top:0">Package graph</h2>
<p class="legend"><span style="color:#d62728">red edge: breaks a contract</span>
<span style="color:#e8590c">orange: on an import cycle</span><span>dashed grey: legacy</span>
<span style="color:#1c5d99">blue border: click to expand</span></p>
<div id="details"><p class="muted">Click an edge to list its imports.</p></div></aside></div>
"""

_SCRIPT = r"""
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const svg = document.getElementById("graph"), viewport = document.getElementById("viewport");
  const details = document.getElementById("details");
  const NS = "http://www.w3.org/2000/svg";
  const parts = data.modules.map(m => m.split("."));
  const shims = new Set(data.shims), cyclic = new Set(data.cyclic);
  let expanded = new Set();
  let view = {x: 0, y: 0, k: 1};

  function nodeOf(i) {
    const p = parts[i], root = data.roots.filter(r => within(data.modules[i], r))
      .reduce((a, b) => a.length >= b.length ? a : b);
    let level = Math.min(p.length, root.split(".").length + data.depth);
    let name = p.slice(0, level).join(".");
    while (expanded.has(name) && level < p.length) { level += 1; name = p.slice(0, level).join("."); }
    return name;
  }
  function within(name, pkg) { return name === pkg || name.startsWith(pkg + "."); }
  function layerOf(name) {
    let best = null;
    for (const [layer, rank] of Object.entries(data.layers)) {
      if (within(name, layer) && (best === null || layer.length > best[0].length)) best = [layer, rank];
    }
    return best === null ? null : best[1];
  }

  function build() {
    const nodes = new Map(), edges = new Map();
    data.modules.forEach((m, i) => {
      const name = nodeOf(i);
      if (!nodes.has(name)) nodes.set(name, {name, modules: 0, expandable: false, shims: 0, cyclic: 0});
      const node = nodes.get(name);
      node.modules += 1;
      if (m !== name) node.expandable = true;
      if (shims.has(i)) node.shims += 1;
      if (cyclic.has(i)) node.cyclic += 1;
    });
    for (const [u, v, lines, broken] of data.edges) {
      const a = nodeOf(u), b = nodeOf(v);
      if (a === b) continue;
      const key = a + "\u0000" + b;
      if (!edges.has(key)) edges.set(key, {from: a, to: b, imports: [], broken: 0});
      const edge = edges.get(key);
      edge.imports.push([u, v, lines]);
      if (broken) edge.broken += lines.length;
    }
    for (const node of nodes.values()) {
      node.layer = layerOf(node.name);
      node.legacy = data.legacy.some(pkg => within(node.name, pkg));
      const marks = [node.modules + " module" + (node.modules === 1 ? "" : "s")];
      if (node.legacy) marks.push("legacy");
      if (node.shims) marks.push(node.shims + " shim" + (node.shims === 1 ? "" : "s"));
      if (node.cyclic) marks.push(node.cyclic + " in cycles");
      node.sub = marks.join(", ");
      node.width = Math.max(120, 7.2 * Math.max(node.name.length, node.sub.length * 0.95) + 18);
    }
    return {nodes, edges: [...edges.values()]};
  }

  function components(names, succ) {  // Tarjan, iterative
    let index = 0; const idx = new Map(), low = new Map(), stack = [], on = new Set(), comp = new Map();
    let count = 0;
    for (const start of names) {
      if (idx.has(start)) continue;
      const work = [[start, 0]];
      idx.set(start, index); low.set(start, index); index++; stack.push(start); on.add(start);
      while (work.length) {
        const frame = work[work.length - 1], v = frame[0], out = succ.get(v) || [];
        if (frame[1] < out.length) {
          const w = out[frame[1]++];
          if (!idx.has(w)) {
            idx.set(w, index); low.set(w, index); index++; stack.push(w); on.add(w); work.push([w, 0]);
          } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
        } else {
          work.pop();
          if (work.length) { const u = work[work.length - 1][0]; low.set(u, Math.min(low.get(u), low.get(v))); }
          if (low.get(v) === idx.get(v)) {
            let w; do { w = stack.pop(); on.delete(w); comp.set(w, count); } while (w !== v);
            count++;
          }
        }
      }
    }
    return comp;
  }

  function layout(graph) {
    const names = [...graph.nodes.keys()].sort();
    const succ = new Map(names.map(n => [n, []])), pred = new Map(names.map(n => [n, []]));
    for (const e of graph.edges) { succ.get(e.from).push(e.to); pred.get(e.to).push(e.from); }
    const comp = components(names, succ);
    const sizes = new Map();
    for (const c of comp.values()) sizes.set(c, (sizes.get(c) || 0) + 1);
    for (const n of names) graph.nodes.get(n).inCycle = sizes.get(comp.get(n)) > 1;
    // Longest path over the condensation (Tarjan numbers components in reverse topological order).
    const order = [...new Set(comp.values())].sort((a, b) => b - a), depthOf = new Map(order.map(c => [c, 0]));
    const members = new Map();
    for (const n of names) { const c = comp.get(n); if (!members.has(c)) members.set(c, []); members.get(c).push(n); }
    for (const c of order) for (const n of members.get(c)) for (const s of succ.get(n)) {
      const d = comp.get(s); if (d !== c) depthOf.set(d, Math.max(depthOf.get(d), depthOf.get(c) + 1));
    }
    const layers = [...new Set(names.map(n => graph.nodes.get(n).layer).filter(l => l !== null))].sort((a, b) => a - b);
    // Rows: layers first (top layer on top), and inside a layer, or below them all, import depth.
    const rows = new Map();
    for (const n of names) {
      const layer = graph.nodes.get(n).layer, key = [layer !== null ? layers.indexOf(layer) : layers.length,
        depthOf.get(comp.get(n))].join(",");
      if (!rows.has(key)) rows.set(key, []);
      rows.get(key).push(n);
    }
    const byKey = (a, b) => { const [p, q] = [a.split(",").map(Number), b.split(",").map(Number)];
      return p[0] - q[0] || p[1] - q[1]; };
    const sortedRows = [...rows.keys()].sort(byKey).map(r => rows.get(r));
    const pos = new Map();
    sortedRows.forEach(row => row.forEach((n, i) => pos.set(n, i)));
    for (let sweep = 0; sweep < 4; sweep++) {
      const rowsInTurn = sweep % 2 ? [...sortedRows].reverse() : sortedRows;
      for (const row of rowsInTurn) {
        const near = sweep % 2 ? succ : pred;
        const centre = n => {
          const ns = near.get(n);
          return ns.length ? ns.reduce((s, m) => s + pos.get(m), 0) / ns.length : pos.get(n);
        };
        row.sort((a, b) => centre(a) - centre(b) || (a < b ? -1 : 1));
        row.forEach((n, i) => pos.set(n, i));
      }
    }
    const place = new Map();
    const widthOf = n => graph.nodes.get(n).width;
    sortedRows.forEach((row, r) => {
      const total = row.reduce((s, n) => s + widthOf(n) + 30, 0);
      let x = -total / 2;
      for (const n of row) { const w = widthOf(n); place.set(n, {x: x, y: r * 120, w: w, h: 44}); x += w + 30; }
    });
    return place;
  }

  function element(tag, attributes, parent) {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
    if (parent) parent.appendChild(el);
    return el;
  }

  function showEdge(edge, path) {
    document.querySelectorAll("path.edge.selected").forEach(p => p.classList.remove("selected"));
    path.classList.add("selected");
    const items = [];
    for (const [u, v, lines] of edge.imports) {
      for (const line of lines) items.push([data.paths[u] + ":" + line, data.modules[u] + " -> " + data.modules[v]]);
    }
    items.sort((a, b) => a[0] < b[0] ? -1 : 1);
    details.innerHTML = "";
    const h = document.createElement("h3");
    h.textContent = edge.from + " \u2192 " + edge.to;
    details.appendChild(h);
    const p = document.createElement("p");
    p.textContent = items.length + " import" + (items.length === 1 ? "" : "s")
      + (edge.broken ? ", " + edge.broken + " on chains that break a contract" : "");
    details.appendChild(p);
    const ul = document.createElement("ul");
    ul.id = "imports";
    for (const [where, what] of items) {
      const li = document.createElement("li");
      li.innerHTML = "<code></code><br><span class=muted></span>";
      li.firstChild.textContent = where; li.lastChild.textContent = what;
      ul.appendChild(li);
    }
    details.appendChild(ul);
  }

  function draw() {
    const graph = build(), place = layout(graph);
    viewport.innerHTML = "";
    const edgeLayer = element("g", {}, viewport), nodeLayer = element("g", {}, viewport);
    for (const edge of graph.edges) {
      const a = place.get(edge.from), b = place.get(edge.to);
      let d;
      if (a.y === b.y) {  // same rank: side to side, arching above
        const right = b.x > a.x, x1 = right ? a.x + a.w : a.x, x2 = right ? b.x : b.x + b.w, y = a.y + a.h / 2;
        d = `M${x1},${y} C${x1 + (right ? 30 : -30)},${y - 50} ${x2 + (right ? -30 : 30)},${y - 50} ${x2},${y}`;
      } else {
        const down = b.y > a.y, x1 = a.x + a.w / 2, y1 = down ? a.y + a.h : a.y;
        const x2 = b.x + b.w / 2, y2 = down ? b.y : b.y + b.h, bend = (y2 - y1) / 2;
        d = `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`;
      }
      const hit = element("path", {d, class: "hit"}, edgeLayer);
      const count = edge.imports.reduce((s, i) => s + i[2].length, 0);
      const path = element("path", {d, class: "edge" + (edge.broken ? " broken" : ""),
        "stroke-width": Math.min(1 + Math.log2(1 + count), 6),
        "marker-end": edge.broken ? "url(#arrow-red)" : "url(#arrow)"}, edgeLayer);
      path.dataset.from = edge.from; path.dataset.to = edge.to;
      hit.addEventListener("click", ev => { ev.stopPropagation(); showEdge(edge, path); });
    }
    for (const [name, box] of place) {
      const node = graph.nodes.get(name);
      const cls = ["node", node.expandable ? "expandable" : "", node.legacy ? "legacy" : "",
        node.inCycle || node.cyclic ? "cyclic" : ""];
      const g = element("g", {class: cls.join(" ").trim(), transform: `translate(${box.x},${box.y})`}, nodeLayer);
      g.dataset.name = name;
      element("rect", {width: box.w, height: box.h}, g);
      element("text", {x: 8, y: 18}, g).textContent = name;
      element("text", {x: 8, y: 35, class: "sub"}, g).textContent = node.sub;
      if (node.expandable) g.addEventListener("click", ev => { ev.stopPropagation(); expanded.add(name); draw(); });
    }
    document.body.dataset.nodes = graph.nodes.size;
    document.body.dataset.edges = graph.edges.length;
    fit();
  }

  function apply() { viewport.setAttribute("transform", `translate(${view.x},${view.y}) scale(${view.k})`); }
  function fit() {
    const box = viewport.getBBox(), w = svg.clientWidth || 800, h = svg.clientHeight || 600;
    if (!box.width || !box.height) { view = {x: w / 2, y: 20, k: 1}; apply(); return; }
    const k = Math.min(1.5, 0.92 * Math.min(w / box.width, h / box.height));
    view = {k, x: w / 2 - k * (box.x + box.width / 2), y: h / 2 - k * (box.y + box.height / 2)};
    apply();
  }
  let drag = null;
  svg.addEventListener("mousedown", ev => {
    drag = [ev.clientX - view.x, ev.clientY - view.y]; svg.style.cursor = "grabbing";
  });
  window.addEventListener("mouseup", () => { drag = null; svg.style.cursor = "grab"; });
  window.addEventListener("mousemove", ev => {
    if (drag) { view.x = ev.clientX - drag[0]; view.y = ev.clientY - drag[1]; apply(); }
  });
  svg.addEventListener("wheel", ev => {
    ev.preventDefault();
    const rect = svg.getBoundingClientRect(), mx = ev.clientX - rect.left, my = ev.clientY - rect.top;
    const k = Math.max(0.05, Math.min(8, view.k * Math.exp(-ev.deltaY * 0.0015)));
    view.x = mx - (mx - view.x) * k / view.k; view.y = my - (my - view.y) * k / view.k; view.k = k; apply();
  }, {passive: false});
  document.getElementById("collapse").addEventListener("click", () => { expanded = new Set(); draw(); });
  document.getElementById("fit").addEventListener("click", fit);
  draw();
})();
"""
