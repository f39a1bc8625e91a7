// The computation graph, drawn top to bottom: the inputs at the top, the
// output at the bottom. Each value is a record "label / data / grad" with
// the operation that made it in a tab on its top edge (where the arrows
// from its inputs arrive); unnamed values show the id the text calls them
// by (#26). Layout by dagre (vendored from npm by build.sh); the playground
// network (names w<l>_<j>_<i>, b<l>_<j>, z<l>_<j>, a<l>_<j> from
// network_program.js) is ordered by layer and neuron. The picture sits in a
// viewport with a camera (an SVG viewBox): drag to move, Ctrl + wheel or
// pinch to zoom, buttons for zoom and fit; the camera follows the backward
// step. The numbers are the engine's. update() is cheap when only the
// numbers change: the layout is kept while the graph's structure is the same.
import dagre from '../../build/vendor/dagre.esm.js';
import { shortNumber } from './format.js';

/** 4 significant digits: the record's fields are narrow (full value on hover). */
const short4 = (x) => (Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-2) ? x.toExponential(2) : String(Number(x.toPrecision(4))));

const SVG = 'http://www.w3.org/2000/svg';
/** Sizes in graph units; at scale 1 a unit is a CSS pixel. */
const FONT = 13;
const CHAR_W = 7.9;          // the monospace font's advance at FONT
const REC_W = 118;           // fits "grad -1.23e-3"
const REC_W_MAX = 240;       // longer names are cut (the whole name on hover)
const ROW = 15;
const REC_H = 3 * ROW + 4;   // label, data, grad
const TAB_H = 18;            // the operation's tab, half above the record
const FIT_MAX = 1.5;         // Fit never blows a small graph up more than this
const ZOOM_MIN = 0.05;
const ZOOM_MAX = 4;
const ZOOM_STEP = 1.25;
const FOLLOW_MIN = 0.75;     // following a step zooms in to 1 below this scale

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function html(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const OP_SYMBOL = { '+': '+', '-': '−', '*': '×', '/': '÷', neg: '−x' };
const opSymbol = (n) => (n.op === '**' ? `**${n.exponent}` : OP_SYMBOL[n.op] ?? n.op);

const NET_NAME = /^([wbza])(\d+)_(\d+)(?:_(\d+))?$/;

/**
 * For a program written by network_program.js: a horizontal position for
 * every node (each layer's neurons side by side in [0, 1], a neuron's
 * weights in input order, the inputs before them), so that sorting a rank
 * by it lays the network out by layer and neuron. null for other programs.
 */
export function networkPositions(nodes) {
  const named = nodes.map((n) => NET_NAME.exec(n.label));
  if (!named.some((m) => m && m[1] === 'w' && m[4] !== undefined)) return null;
  const units = new Map(); // layer -> neurons
  const fanIn = new Map(); // layer -> inputs of a neuron
  for (const m of named) {
    if (!m) continue;
    const l = Number(m[2]);
    units.set(l, Math.max(units.get(l) ?? 0, Number(m[3])));
    if (m[4] !== undefined) fanIn.set(l, Math.max(fanIn.get(l) ?? 0, Number(m[4])));
  }
  // the inputs are the leaves written before the first weight
  const firstWeight = named.findIndex((m) => m && m[1] === 'w');
  const inputs = nodes.filter((n, i) => i < firstWeight && n.op === 'leaf' && !named[i]);
  const pos = new Array(nodes.length).fill(null);
  // the inputs first (left of everything in their rank), in order
  inputs.forEach((n, k) => {
    pos[n.id] = k / inputs.length - 1;
  });
  nodes.forEach((n, id) => {
    const m = named[id];
    if (!m) return;
    const l = Number(m[2]), j = Number(m[3]);
    const J = units.get(l);
    const centre = (j - 0.5) / J;
    if (m[4] === undefined) pos[id] = centre;
    else {
      const I = fanIn.get(l);
      pos[id] = centre + ((Number(m[4]) - 0.5) / I - 0.5) * (0.9 / J);
    }
  });
  // the rest: a product sits under its weight (its first operand), any
  // other node between its operands; leaves left over go to the right
  for (const n of nodes) {
    if (pos[n.id] !== null) continue;
    const known = n.children.map((c) => pos[c]).filter((p) => p !== null);
    if (n.op === '*' && pos[n.children[0]] !== null) pos[n.id] = pos[n.children[0]];
    else pos[n.id] = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  }
  return pos;
}

export class GraphView {
  /**
   * options: { onSelect(nodeId), labels: { graph(n), zoomIn, zoomOut, fit,
   *   fitTip, follow, followTip, hint, tools, usedTimes(n), node(id) },
   *   actions: [{ id, text, label, run() }]: the page's buttons, repeated
   *   in the toolbar for narrow screens (where the page's own are far above) }
   */
  constructor(root, options = {}) {
    this.root = root;
    this.onSelect = options.onSelect ?? (() => {});
    const L = {
      graph: (n) => `Computation graph, ${n} nodes`, zoomIn: 'Zoom in', zoomOut: 'Zoom out', fit: 'Fit',
      fitTip: 'Show the whole graph', follow: 'Follow the step', followTip: 'Move the view to each backward step',
      hint: 'Drag to move; Ctrl + wheel or pinch to zoom', tools: 'Graph view',
      usedTimes: (n) => `used ${n} times: its grad is the sum of ${n} contributions`, node: (id) => `node ${id}`,
      ...options.labels,
    };
    this.labels = L;
    const tools = html('div', { class: 'graph-tools', role: 'toolbar', 'aria-label': L.tools });
    this.zoomOutBtn = html('button', { type: 'button', class: 'secondary graph-zoom', 'data-zoom': 'out', 'aria-label': L.zoomOut, title: L.zoomOut }, '−');
    this.zoomInBtn = html('button', { type: 'button', class: 'secondary graph-zoom', 'data-zoom': 'in', 'aria-label': L.zoomIn, title: L.zoomIn }, '+');
    this.fitBtn = html('button', { type: 'button', class: 'secondary', 'data-zoom': 'fit', title: L.fitTip }, L.fit);
    const follow = html('label', { class: 'check graph-follow', title: L.followTip });
    this.followBox = html('input', { type: 'checkbox' });
    this.followBox.checked = true;
    follow.append(this.followBox, ' ', html('span', {}, L.follow));
    const actions = (options.actions ?? []).map((a) => {
      const b = html('button', { type: 'button', class: 'graph-near-action', 'data-action': a.id, 'aria-label': a.label, title: a.label }, a.text);
      b.addEventListener('click', () => a.run());
      return b;
    });
    tools.append(...actions, this.zoomOutBtn, this.zoomInBtn, this.fitBtn, follow, html('span', { class: 'hint graph-hint' }, L.hint));
    this.viewport = html('div', { class: 'graph-viewport' });
    this.svg = svg('svg', { class: 'graph-svg', role: 'group', 'aria-label': L.graph(0) });
    this.viewport.append(this.svg);
    root.replaceChildren(tools, this.viewport);
    this.key = '';
    this.items = new Map(); // node id -> { group, data, grad, title, name, shownLabel, describe }
    this.size = { width: 0, height: 0 };
    this.cam = { x: 0, y: 0, s: 1 }; // the graph point at the viewport's centre, pixels per unit
    this.fitted = true;              // the camera is Fit's: a resize fits again
    this.lastCurrent = null;

    this.zoomInBtn.addEventListener('click', () => this.zoomBy(ZOOM_STEP));
    this.zoomOutBtn.addEventListener('click', () => this.zoomBy(1 / ZOOM_STEP));
    this.fitBtn.addEventListener('click', () => this.fit());
    this.listenPointer();
    this.viewport.addEventListener('wheel', (e) => {
      if (!(e.ctrlKey || e.metaKey)) return; // a plain wheel scrolls the page
      e.preventDefault();
      this.zoomBy(Math.exp(-e.deltaY / 300), this.pointAt(e));
    }, { passive: false });
    // a node reached with Tab comes into view
    this.svg.addEventListener('focusin', (e) => {
      const g = e.target.closest?.('[data-node]');
      if (g) this.show([Number(g.dataset.node)], false);
    });
    new ResizeObserver(() => {
      const r = this.viewport.getBoundingClientRect();
      if (r.width === this.size.width && r.height === this.size.height) return;
      this.size = { width: r.width, height: r.height };
      if (this.fitted) this.fit();
      else this.apply();
    }).observe(this.viewport);
  }

  reset() {
    this.key = '';
    this.items.clear();
    this.svg.replaceChildren();
    this.svg.setAttribute('aria-label', this.labels.graph(0));
    this.graphSize = null;
    this.lastCurrent = null;
  }

  /**
   * data: { nodes: [{id, op, label, data, grad, children, exponent}],
   *         revealed: how many nodes (in id order) show their data,
   *         known: Set of node ids whose grad is shown,
   *         current: node id of the latest backward step or null,
   *         targets: Set of node ids that just received a contribution,
   *         selected: node id or null }
   */
  update(data) {
    const key = data.nodes.map((n) => `${n.id}:${n.op}:${n.children.join(',')}:${n.label}`).join(';');
    if (key !== this.key) this.layout(data.nodes, key);
    for (const n of data.nodes) {
      const item = this.items.get(n.id);
      const shown = n.id < data.revealed;
      const gradKnown = data.known.has(n.id);
      const dataText = `data ${shown ? short4(n.data) : '·'}`;
      const gradText = `grad ${gradKnown ? short4(n.grad) : '·'}`;
      item.data.textContent = dataText;
      item.data.setAttribute('data-value', shown ? String(n.data) : '');
      item.grad.textContent = gradText;
      item.grad.setAttribute('data-value', gradKnown ? String(n.grad) : '');
      item.title.textContent = `${item.name}: data ${shown ? shortNumber(n.data) : '?'}, grad ${gradKnown ? shortNumber(n.grad) : '?'}`;
      // the name starts with the text the record shows (WCAG 2.5.3)
      item.group.setAttribute('aria-label', `${item.shownLabel} ${dataText} ${gradText}, ${item.describe}`);
      const g = item.group;
      g.classList.toggle('graph-hidden', !shown);
      g.classList.toggle('graph-current', data.current === n.id);
      g.classList.toggle('graph-target', data.targets.has(n.id));
      g.classList.toggle('graph-chosen', data.selected === n.id);
      g.classList.toggle('graph-pos', gradKnown && n.grad > 0);
      g.classList.toggle('graph-neg', gradKnown && n.grad < 0);
    }
    if (data.current !== null && data.current !== this.lastCurrent && this.followBox.checked) {
      this.show([data.current, ...data.targets], true);
    }
    this.lastCurrent = data.current;
  }

  layout(nodes, key) {
    this.key = key;
    this.items.clear();
    this.lastCurrent = null;
    const g = new dagre.graphlib.Graph({ multigraph: true }); // a*a: two edges between one pair
    g.setGraph({ rankdir: 'TB', nodesep: 14, ranksep: 16, edgesep: 8, marginx: 10, marginy: 8 });
    g.setDefaultEdgeLabel(() => ({}));
    const uses = new Map();
    const widths = new Map();
    for (const n of nodes) {
      const name = n.label || `#${n.id}`;
      widths.set(n.id, Math.min(REC_W_MAX, Math.max(REC_W, Math.ceil(name.length * CHAR_W + 14))));
      g.setNode(`v${n.id}`, { width: widths.get(n.id), height: REC_H + TAB_H / 2 });
      n.children.forEach((c, i) => {
        uses.set(c, (uses.get(c) ?? 0) + 1);
        g.setEdge(`v${c}`, `v${n.id}`, {}, `${n.id}.${i}`);
      });
    }
    const pos = networkPositions(nodes);
    dagre.layout(g, pos ? { customOrder: (graph, order) => orderByPosition(graph, order, pos) } : {});
    const { width, height } = g.graph();
    this.graphSize = { width, height };
    this.boxes = new Map();
    const edges = svg('g', { class: 'graph-edges' });
    for (const e of g.edges()) {
      const from = g.node(e.v), to = g.node(e.w);
      const pts = g.edge(e).points.slice();
      // leave from the bottom centre, arrive at the operation's tab
      pts[0] = { x: from.x, y: from.y + from.height / 2 };
      pts[pts.length - 1] = { x: to.x, y: to.y - to.height / 2 };
      edges.append(svg('path', { d: curve(pts), class: 'graph-edge', 'marker-end': 'url(#graph-arrow)' }));
    }
    const defs = svg('defs');
    const marker = svg('marker', { id: 'graph-arrow', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 6, markerHeight: 6, orient: 'auto' });
    marker.append(svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'graph-arrowhead' }));
    defs.append(marker);
    const nodesG = svg('g');
    const marks = svg('g', { class: 'graph-marks' });
    for (const n of nodes) {
      const v = g.node(`v${n.id}`);
      const w = widths.get(n.id);
      const top = v.y - v.height / 2 + TAB_H / 2;
      const left = v.x - w / 2;
      this.boxes.set(n.id, { x: left, y: top - TAB_H / 2, width: w, height: REC_H + TAB_H / 2 });
      const name = n.label || `#${n.id}`;
      const maxChars = Math.floor((w - 12) / CHAR_W);
      const shownLabel = name.length > maxChars ? `${name.slice(0, maxChars - 1)}…` : name;
      const opWords = n.op === 'leaf' ? 'leaf' : `${n.op}${n.op === '**' ? ` ${n.exponent}` : ''} of ${n.children.map((c) => nodes[c].label || `#${c}`).join(', ')}`;
      const group = svg('g', {
        class: `graph-value${n.op === 'leaf' ? ' graph-leaf' : ''}`, transform: `translate(${left},${top})`,
        tabindex: 0, role: 'button', 'data-node': n.id,
      });
      group.append(svg('rect', { class: 'graph-box', width: w, height: REC_H, rx: 5 }));
      group.append(svg('line', { x1: 0, y1: ROW + 2, x2: w, y2: ROW + 2 }));
      // one text of three lines, spaces between them: the record reads
      // "a data 2 grad 6" to tools, as its name begins
      const text = svg('text');
      const data = svg('tspan', { x: 7, y: 2 * ROW + 1, class: 'graph-num' });
      const grad = svg('tspan', { x: 7, y: 3 * ROW, class: 'graph-num graph-grad' });
      text.append(svg('tspan', { x: 7, y: ROW - 2, class: n.label ? 'graph-label' : 'graph-label graph-id' }, shownLabel), ' ', data, ' ', grad);
      const title = svg('title');
      group.append(text, title);
      // the operation's tab and the badge sit on the record, outside its
      // group: the record's name says them in words
      if (n.op !== 'leaf') {
        const sym = opSymbol(n);
        const tw = Math.max(TAB_H + 4, sym.length * 7.2 + 12);
        const tab = svg('g', { class: 'graph-op', transform: `translate(${left + w / 2},${top})`, 'aria-hidden': 'true' });
        tab.append(svg('rect', { x: -tw / 2, y: -TAB_H / 2, width: tw, height: TAB_H, rx: TAB_H / 2 }));
        tab.append(svg('text', { 'text-anchor': 'middle', dy: '0.35em', class: sym.length > 2 ? 'graph-op-long' : '' }, sym));
        marks.append(tab);
      }
      if ((uses.get(n.id) ?? 0) > 1) {
        const badge = svg('g', { class: 'graph-badge', transform: `translate(${left + w - 4},${top + REC_H - 2})`, 'aria-hidden': 'true', 'data-badge-for': n.id });
        badge.append(svg('circle', { r: 10 }), svg('text', { 'text-anchor': 'middle', dy: '0.35em' }, `×${uses.get(n.id)}`));
        badge.append(svg('title', {}, this.labels.usedTimes(uses.get(n.id))));
        marks.append(badge);
      }
      const select = () => this.onSelect(n.id);
      group.addEventListener('click', select); // not after a drag: see listenPointer
      group.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          select();
        }
      });
      nodesG.append(group);
      const describe = `${opWords}${(uses.get(n.id) ?? 0) > 1 ? `, ${this.labels.usedTimes(uses.get(n.id))}` : ''} (${this.labels.node(n.id)})`;
      this.items.set(n.id, { group, data, grad, title, name, shownLabel, describe });
    }
    this.svg.replaceChildren(defs, edges, nodesG, marks);
    this.svg.setAttribute('aria-label', this.labels.graph(nodes.length));
    this.svg.dataset.nodes = String(nodes.length);
    this.fit();
  }

  // ---- the camera ---------------------------------------------------------------

  /** Shows the whole graph, as large as fits (up to FIT_MAX). */
  fit() {
    this.fitted = true;
    if (!this.graphSize) return;
    const { width: W, height: H } = this.size;
    const { width, height } = this.graphSize;
    const s = W > 0 && H > 0 ? Math.min(W / width, H / height, FIT_MAX) : 1;
    this.cam = { x: width / 2, y: height / 2, s };
    this.apply();
  }

  /** Zooms by factor about a graph point (the centre by default). */
  zoomBy(factor, at = { x: this.cam.x, y: this.cam.y }) {
    const s = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, this.cam.s * factor));
    const k = this.cam.s / s;
    // the point under `at` stays where it is on screen
    this.cam = { x: at.x + (this.cam.x - at.x) * k, y: at.y + (this.cam.y - at.y) * k, s };
    this.fitted = false;
    this.apply();
  }

  /** Brings the nodes ids into view; with zoom, at a scale where the text
   * reads (FOLLOW_MIN to 1) and, when it can, all of them. */
  show(ids, zoom) {
    const boxes = ids.map((id) => this.boxes?.get(id)).filter(Boolean);
    if (!boxes.length || !this.size.width) return;
    const x0 = Math.min(...boxes.map((b) => b.x)), x1 = Math.max(...boxes.map((b) => b.x + b.width));
    const y0 = Math.min(...boxes.map((b) => b.y)), y1 = Math.max(...boxes.map((b) => b.y + b.height));
    let { x, y, s } = this.cam;
    const pad = 16;
    if (zoom) {
      // the scale that shows them all; from too small a scale, zoom in to
      // it (at most 1), and out to it when they do not fit (down to FOLLOW_MIN)
      const need = Math.min(this.size.width / (x1 - x0 + 2 * pad), this.size.height / (y1 - y0 + 2 * pad));
      if (s < FOLLOW_MIN) s = Math.min(1, Math.max(FOLLOW_MIN, need));
      else if (need < s) s = Math.max(FOLLOW_MIN, need);
    }
    const halfW = this.size.width / (2 * s), halfH = this.size.height / (2 * s);
    const m = pad / s;
    // move as little as needed; centre on the box when it does not fit
    if (x1 - x0 + 2 * m > 2 * halfW) x = (x0 + x1) / 2;
    else if (x0 - m < x - halfW) x = x0 - m + halfW;
    else if (x1 + m > x + halfW) x = x1 + m - halfW;
    if (y1 - y0 + 2 * m > 2 * halfH) y = (y0 + y1) / 2;
    else if (y0 - m < y - halfH) y = y0 - m + halfH;
    else if (y1 + m > y + halfH) y = y1 + m - halfH;
    if (x === this.cam.x && y === this.cam.y && s === this.cam.s) return;
    this.cam = { x, y, s };
    this.fitted = false;
    this.apply();
  }

  apply() {
    const { width: W, height: H } = this.size;
    if (!(W > 0 && H > 0)) return;
    const { x, y, s } = this.cam;
    const w = W / s, h = H / s;
    this.svg.setAttribute('viewBox', `${(x - w / 2).toFixed(2)} ${(y - h / 2).toFixed(2)} ${w.toFixed(2)} ${h.toFixed(2)}`);
    // for tools and tests: pixels per graph unit, and the text's size on screen
    this.svg.dataset.scale = s.toFixed(4);
    this.svg.dataset.fontPx = (s * FONT).toFixed(1);
    this.zoomInBtn.disabled = s >= ZOOM_MAX;
    this.zoomOutBtn.disabled = s <= ZOOM_MIN;
  }

  /** The graph point under a pointer event. */
  pointAt(e) {
    const r = this.viewport.getBoundingClientRect();
    const { x, y, s } = this.cam;
    return { x: x + (e.clientX - r.left - r.width / 2) / s, y: y + (e.clientY - r.top - r.height / 2) / s };
  }

  /** Drag with one pointer to move, pinch with two to zoom. A drag of a
   * few pixels is not a click on the node it started on. */
  listenPointer() {
    const down = new Map(); // pointerId -> {x, y}
    let start = null;
    this.dragged = false; // the pointer moved the picture since it went down
    const vp = this.viewport;
    vp.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      down.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (down.size === 1) {
        start = { x: e.clientX, y: e.clientY, cam: { ...this.cam } };
        this.dragged = false;
      } else {
        start = null; // a second finger: pinch from here
      }
    });
    vp.addEventListener('pointermove', (e) => {
      const p = down.get(e.pointerId);
      if (!p) return;
      if (down.size === 2) {
        const [a, b] = [...down.values()];
        const before = Math.hypot(a.x - b.x, a.y - b.y);
        down.set(e.pointerId, { x: e.clientX, y: e.clientY });
        const [c, d] = [...down.values()];
        const after = Math.hypot(c.x - d.x, c.y - d.y);
        if (before > 0) this.zoomBy(after / before, this.pointAt({ clientX: (c.x + d.x) / 2, clientY: (c.y + d.y) / 2 }));
        this.dragged = true;
        return;
      }
      down.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (!start) return;
      const dx = e.clientX - start.x, dy = e.clientY - start.y;
      if (!this.dragged && Math.hypot(dx, dy) < 5) return;
      if (!this.dragged) vp.setPointerCapture(e.pointerId);
      this.dragged = true;
      this.cam = { ...start.cam, x: start.cam.x - dx / start.cam.s, y: start.cam.y - dy / start.cam.s };
      this.fitted = false;
      this.apply();
    });
    const up = (e) => {
      down.delete(e.pointerId);
      if (!down.size) start = null;
    };
    vp.addEventListener('pointerup', up);
    vp.addEventListener('pointercancel', up);
    // a click that ends a drag selects nothing
    vp.addEventListener('click', (e) => {
      if (this.dragged) e.stopPropagation();
      this.dragged = false;
    }, true);
  }
}

/** An SVG path through points, vertical at each of them (dagre's bends). */
function curve(pts) {
  let d = `M${pts[0].x.toFixed(1)},${pts[0].y.toFixed(1)}`;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1], b = pts[i];
    const my = ((a.y + b.y) / 2).toFixed(1);
    d += ` C${a.x.toFixed(1)},${my} ${b.x.toFixed(1)},${my} ${b.x.toFixed(1)},${b.y.toFixed(1)}`;
  }
  return d;
}

/** dagre's customOrder: its own ordering first (for the bends of long
 * edges), then each rank sorted by the nodes' positions (a bend takes its
 * edge's target's). */
function orderByPosition(g, order, pos) {
  order(g);
  const of = (v) => {
    const node = g.node(v);
    const id = node.dummy ? node.edgeObj.w : v;
    return pos[Number(id.slice(1))] ?? 0.5;
  };
  const ranks = new Map();
  for (const v of g.nodes()) {
    const { rank } = g.node(v);
    if (rank === undefined) continue;
    if (!ranks.has(rank)) ranks.set(rank, []);
    ranks.get(rank).push(v);
  }
  for (const vs of ranks.values()) {
    vs.sort((a, b) => of(a) - of(b) || g.node(a).order - g.node(b).order);
    vs.forEach((v, i) => {
      g.node(v).order = i;
    });
  }
}
