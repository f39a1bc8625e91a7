// The dist bundle's web/js/wasm_loader.js inside a training worker. The
// page starts the worker from a Blob whose first line sets
// self.mgWasmBase64 to the WASM (worker_start.js), so the worker's own
// script carries only the glue.
import createMgModule from '../../web/build/mg.cjs';

export async function loadFactory() {
  const text = self.mgWasmBase64;
  if (typeof text !== 'string') throw new Error('the worker was started without the WASM (self.mgWasmBase64)');
  const bin = atob(text);
  const wasmBinary = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) wasmBinary[i] = bin.charCodeAt(i);
  return (opts) => createMgModule({ ...opts, wasmBinary });
}
