// The playground's network on one sample, written as a program of the
// expression language, so the graph view can show every multiply and add.
// Only text is made here: the engine evaluates it.

/**
 * The playground's network on one sample as an expression program: inputs,
 * weights and biases as leaves, each neuron's z and a, the output and the
 * loss. layers: [{ units, act }], weights[l] (units x inputs, row-major),
 * biases[l]; inputs: the sample's features; names: the features' names;
 * loss: 'bce' | 'mse' | 'ce' | 'svm'; label or target.
 */
export function networkProgram({ names, inputs, layers, weights, biases, loss, label, target }) {
  const lines = ['# the playground network on one sample'];
  const num = (v) => String(v);
  const ids = names.map((n) => n.replace(/[^A-Za-z0-9_]/g, ''));
  inputs.forEach((v, i) => lines.push(`${ids[i]} = ${num(v)}`));
  let prev = ids;
  layers.forEach((L, l) => {
    const next = [];
    for (let j = 0; j < L.units; j++) {
      const terms = prev.map((p, i) => {
        const w = `w${l + 1}_${j + 1}_${i + 1}`;
        lines.push(`${w} = ${num(weights[l][j * prev.length + i])}`);
        return `${w}*${p}`;
      });
      const b = `b${l + 1}_${j + 1}`;
      lines.push(`${b} = ${num(biases[l][j])}`);
      const z = `z${l + 1}_${j + 1}`;
      lines.push(`${z} = ${terms.join(' + ')} + ${b}`);
      const act = L.act === 'linear' ? null : L.act;
      const a = act ? `a${l + 1}_${j + 1}` : z;
      if (act) lines.push(`${a} = ${act}(${z})`);
      next.push(a);
    }
    prev = next;
  });
  const out = prev;
  if (loss === 'ce') {
    lines.push(`L = -log(exp(${out[label]}) / (${out.map((o) => `exp(${o})`).join(' + ')}))`);
  } else if (loss === 'bce') {
    lines.push(`y = ${label}`);
    lines.push(`p = sigmoid(${out[0]})`);
    lines.push(`L = -(y*log(p) + (1 - y)*log(1 - p))`);
  } else if (loss === 'svm') {
    lines.push(`y = ${label ? 1 : -1}`);
    lines.push(`L = relu(1 - y*${out[0]})`);
  } else {
    lines.push(`y = ${num(label ?? target)}`);
    lines.push(`L = (${out[0]} - y)**2`);
  }
  return lines.join('\n');
}

