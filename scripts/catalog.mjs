// Writes web/build/catalog.js: the engine's tables of names (settings,
// losses, optimizers, schedules, activations, layers, initializers,
// datasets) as an ES module, read from the freshly built WASM
// (mg_api_catalog), so the page's controls, its URL schema and its texts
// list what the C tables hold without a copy kept by hand. build.sh wasm
// runs it; engine.js checks at load that the module and the catalog agree.
//   node scripts/catalog.mjs [OUT_FILE]     (default: web/build/catalog.js)
import { writeFileSync } from 'node:fs';
import { loadFactory } from '../web/js/wasm_loader.js';

const out = process.argv[2] ?? new URL('../web/build/catalog.js', import.meta.url);
const factory = await loadFactory();
const m = await factory({ print: () => {}, printErr: (t) => console.warn('[mg]', t) });
const ptr = m._mg_api_catalog();
if (!ptr) throw new Error('mg_api_catalog: out of memory');
const catalog = JSON.parse(m.UTF8ToString(ptr));
writeFileSync(out, '// Written by scripts/catalog.mjs from the engine (mg_api_catalog): do not edit.\n' +
  `export default ${JSON.stringify(catalog, null, 1)};\n`);
