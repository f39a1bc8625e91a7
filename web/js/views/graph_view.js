// The computation graph, drawn left to right like micrograd's draw_dot:
// each value is a record "label | data | grad", each operation a small
// circle feeding the value it makes. Layout by dagre (vendored from npm by
// build.sh); the numbers are the engine's. update() is cheap when only the
// numbers change: the layout is kept while the graph's structure is the same.
import dagre from '../../build/vendor/dagre.esm.js';
import { shortNumber } from './format.js';

/** 4 significant digits: the record's fields are narrow (full value on hover). */
const short4 = (x) => (Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-2) ? x.toExponential(2) : String(Number(x.toPrecision(4))));

const SVG = 'http://www.w3.org/2000/svg';
const RECORD_W = 250;
const RECORD_H = 30;
const OP_R = 15;

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const OP_SYMBOL = { '+': '+', '-': '−', '*': '×', '/': '÷', '**': '**', neg: '−x' };

export class GraphView {
  /** options: { onSelect(nodeId) } */
  constructor(root, options = {}) {
    this.root = root;
    this.onSelect = options.onSelect ?? (() => {});
    this.scroller = document.createElement('div');
    this.scroller.className = 'graph-scroll';
    this.svg = svg('svg', { class: 'graph-svg', role: 'img' });
    this.scroller.append(this.svg);
    root.replaceChildren(this.scroller);
    this.key = '';
    this.items = new Map(); // node id -> { group, data, grad }
  }

  reset() {
    this.key = '';
    this.items.clear();
    this.svg.replaceChildren();
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
      item.data.textContent = `data ${shown ? short4(n.data) : '·'}`;
      item.data.setAttribute('data-value', shown ? String(n.data) : '');
      const gradKnown = data.known.has(n.id);
      item.grad.textContent = `grad ${gradKnown ? short4(n.grad) : '·'}`;
      item.grad.setAttribute('data-value', gradKnown ? String(n.grad) : '');
      item.title.textContent = `${n.label || `node ${n.id}`}: data ${shown ? shortNumber(n.data) : '?'}, grad ${gradKnown ? shortNumber(n.grad) : '?'}`;
      const g = item.group;
      g.classList.toggle('graph-hidden', !shown);
      g.classList.toggle('graph-current', data.current === n.id);
      g.classList.toggle('graph-target', data.targets.has(n.id));
      g.classList.toggle('graph-chosen', data.selected === n.id);
      g.classList.toggle('graph-pos', gradKnown && n.grad > 0);
      g.classList.toggle('graph-neg', gradKnown && n.grad < 0);
    }
  }

  layout(nodes, key) {
    this.key = key;
    this.items.clear();
    const g = new dagre.graphlib.Graph({ multigraph: true }); // a*a: two edges between one pair
    g.setGraph({ rankdir: 'LR', nodesep: 10, ranksep: 28, marginx: 8, marginy: 8 });
    g.setDefaultEdgeLabel(() => ({}));
    const uses = new Map();
    for (const n of nodes) {
      g.setNode(`v${n.id}`, { width: RECORD_W, height: RECORD_H });
      if (n.op !== 'leaf') {
        g.setNode(`o${n.id}`, { width: 2 * OP_R, height: 2 * OP_R });
        g.setEdge(`o${n.id}`, `v${n.id}`);
        n.children.forEach((c, i) => {
          uses.set(c, (uses.get(c) ?? 0) + 1);
          g.setEdge(`v${c}`, `o${n.id}`, {}, `${n.id}.${i}`);
        });
      }
    }
    dagre.layout(g);
    const { width, height } = g.graph();
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    // fit the panel, but never below 75% scale (then the panel scrolls)
    this.svg.style.width = '100%';
    this.svg.style.maxWidth = `${width}px`;
    this.svg.style.minWidth = `${Math.round(width * 0.75)}px`;
    const edges = svg('g', { class: 'graph-edges' });
    for (const e of g.edges()) {
      const pts = g.edge(e).points;
      const d = pts.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
      edges.append(svg('path', { d, class: 'graph-edge', 'marker-end': 'url(#graph-arrow)' }));
    }
    const defs = svg('defs');
    const marker = svg('marker', { id: 'graph-arrow', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto' });
    marker.append(svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'graph-arrowhead' }));
    defs.append(marker);
    const nodesG = svg('g');
    for (const n of nodes) {
      const op = g.node(`o${n.id}`);
      if (op) {
        const c = svg('g', { class: 'graph-op', transform: `translate(${op.x},${op.y})` });
        c.append(svg('circle', { r: OP_R }));
        const sym = n.op === '**' ? `**${n.exponent}` : OP_SYMBOL[n.op] ?? n.op;
        c.append(svg('text', { 'text-anchor': 'middle', dy: '0.35em', class: sym.length > 3 ? 'graph-op-long' : '' }, sym));
        nodesG.append(c);
      }
      const v = g.node(`v${n.id}`);
      const group = svg('g', {
        class: 'graph-value', transform: `translate(${v.x - RECORD_W / 2},${v.y - RECORD_H / 2})`,
        tabindex: 0, role: 'button', 'data-node': n.id,
        'aria-label': `${n.label || (n.op === 'leaf' ? 'constant' : n.op)} (node ${n.id})`,
      });
      group.append(svg('rect', { width: RECORD_W, height: RECORD_H, rx: 4 }));
      const name = n.label || (n.op === 'leaf' ? '' : '');
      group.append(svg('text', { x: 6, y: 19, class: 'graph-label' }, name));
      group.append(svg('line', { x1: 64, y1: 0, x2: 64, y2: RECORD_H }));
      const data = svg('text', { x: 69, y: 19, class: 'graph-num' });
      group.append(svg('line', { x1: 157, y1: 0, x2: 157, y2: RECORD_H }));
      const grad = svg('text', { x: 162, y: 19, class: 'graph-num graph-grad' });
      const title = svg('title');
      group.append(data, grad, title);
      if ((uses.get(n.id) ?? 0) > 1) {
        const badge = svg('g', { class: 'graph-badge', transform: `translate(${RECORD_W - 12},-6)` });
        badge.append(svg('circle', { r: 9 }), svg('text', { 'text-anchor': 'middle', dy: '0.35em' }, `×${uses.get(n.id)}`));
        badge.append(svg('title', {}, `used ${uses.get(n.id)} times: its grad is the sum of ${uses.get(n.id)} contributions`));
        group.append(badge);
      }
      const select = () => this.onSelect(n.id);
      group.addEventListener('click', select);
      group.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          select();
        }
      });
      nodesG.append(group);
      this.items.set(n.id, { group, data, grad, title });
    }
    this.svg.replaceChildren(defs, edges, nodesG);
  }
}
