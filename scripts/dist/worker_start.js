// The dist bundle's web/js/worker_start.js: each worker of web/js is
// bundled into one classic script (scripts/dist.mjs puts its text in the
// virtual module dist-worker:NAME) and started from a Blob URL, with the
// WASM in its first line. Module workers and workers from file: URLs do
// not start in a page opened from disk; a Blob URL worker does, both from
// disk and served (the page's CSP allows worker-src blob:).
import { WORKER_SOURCES } from 'dist-worker:all';
import { WASM_BASE64 } from './page_wasm.js';

export function startWorker(url) {
  const name = String(url).split(/[?#]/)[0].split('/').pop();
  const source = WORKER_SOURCES[name];
  if (source === undefined) throw new Error(`no bundled worker named '${name}' (scripts/dist.mjs bundles: ${Object.keys(WORKER_SOURCES).join(', ')})`);
  const blob = new Blob([`self.mgWasmBase64 = "${WASM_BASE64}";\n`, source], { type: 'text/javascript' });
  const blobUrl = URL.createObjectURL(blob);
  const worker = new Worker(blobUrl, { name });
  // the worker has its own copy once it runs; its first reply says it does
  // (or it failed to start, and will not need it either)
  const revoke = () => URL.revokeObjectURL(blobUrl);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return worker;
}
