// The table of named values: one row per statement, with data and grad.
import { fullNumber, shortNumber } from './format.js';

export class ValuesTable {
  /** @param {HTMLTableElement} table  @param {HTMLElement} summary */
  constructor(table, summary) {
    this.body = table.tBodies[0];
    this.summary = summary;
  }

  /** Shows a result of Program.run (see engine.js). */
  update(result) {
    const rows = result.values.map((v) => {
      const tr = document.createElement('tr');
      if (v.leaf) tr.classList.add('leaf');
      if (v.name === result.output && v === result.values.at(-1)) tr.classList.add('output');
      tr.append(
        cell(String(v.line), 'num line'),
        cell(v.name, 'name'),
        numberCell(v.data),
        numberCell(v.grad, gradClass(v.grad)),
        cell(v.leaf ? 'leaf' : v === result.values.at(-1) ? 'output' : '', 'kind'),
      );
      return tr;
    });
    this.body.replaceChildren(...rows);
    const leaves = result.values.filter((v) => v.leaf).length;
    this.summary.textContent =
      `output ${result.output} = ${shortNumber(result.data)} · ` +
      `${result.nodes.length} nodes in the graph · ${leaves} leaves`;
  }

  reset() {
    this.body.replaceChildren();
    this.summary.textContent = '';
  }
}

function cell(text, className) {
  const td = document.createElement('td');
  td.className = className;
  td.textContent = text;
  return td;
}

function numberCell(x, extra = '') {
  const td = cell(shortNumber(x), `num ${extra}`.trim());
  td.title = fullNumber(x);
  return td;
}

function gradClass(g) {
  return g > 0 ? 'pos' : g < 0 ? 'neg' : 'zero';
}
