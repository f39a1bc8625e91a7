// The expression view: type a program, run forward and backward in the
// scalar engine, see every named value with its data and grad.
import { loadEngine } from './engine.js';
import { PRESETS } from './presets.js';
import { ErrorView } from './views/error_view.js';
import { ValuesTable } from './views/values_table.js';

/** Character offset of a 1-based line and column in text (textarea
 * values always end lines with \n). */
function offsetOf(text, line, col) {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  return offset + Math.max(0, col - 1);
}

/** Starts the view on root; resolves to { program() } (the editor's text).
 * onProgram(src) is told each program that ran (for the URL); it returns a
 * note to show under the editor ('' for none). */
export async function startExprPage(root, { program: initial, t, onProgram = () => '' }) {
  const $ = (sel) => root.querySelector(sel);
  const editor = $('#program');
  const runButton = $('#run');
  const status = $('#status');
  const preset = $('#expr-preset');
  const table = new ValuesTable($('#values'), $('#summary'));
  const errors = new ErrorView($('#error'));
  const linkNote = $('#expr-link-note');

  for (const p of PRESETS) preset.append(new Option(p.title, p.id));
  editor.value = initial ?? PRESETS[0].program;
  status.textContent = t('status.loading');

  let engine;
  try {
    engine = await loadEngine();
  } catch (err) {
    status.textContent = t('error.engine', { reason: err.message });
    status.classList.add('bad');
    return { program: () => editor.value };
  }
  const program = engine.createProgram();

  function run() {
    const src = editor.value;
    try {
      const result = program.run(src);
      errors.reset();
      table.update(result);
      status.textContent = t('expr.done');
      status.classList.remove('bad');
      const note = onProgram(src);
      linkNote.textContent = note;
      linkNote.hidden = !note;
    } catch (err) {
      table.reset();
      errors.update(err, src);
      status.textContent = t('expr.failed');
      status.classList.add('bad');
      if (err.line > 0) {
        const at = offsetOf(src, err.line, err.col);
        editor.setSelectionRange(at, at + 1);
      }
    }
  }

  preset.addEventListener('change', () => {
    editor.value = PRESETS.find((p) => p.id === preset.value).program;
    run();
  });
  runButton.addEventListener('click', run);
  editor.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  });
  runButton.disabled = false;
  run();
  return { program: () => editor.value };
}
