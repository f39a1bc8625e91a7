// The dist bundle's web/js/wasm_loader.js for the page: the Emscripten glue
// and the WASM itself (base64 text, put here by esbuild's base64 loader)
// are in the script, so nothing is fetched and the page also works from
// file://. The same text goes to the training workers (worker_start.js),
// so the download holds the WASM once.
import createMgModule from '../../web/build/mg.cjs';
import wasmBase64 from '../../web/build/mg.wasm';

export const WASM_BASE64 = wasmBase64;

/** base64 text -> bytes. */
export function decodeBase64(text) {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

export async function loadFactory() {
  const wasmBinary = decodeBase64(WASM_BASE64);
  return (opts) => createMgModule({ ...opts, wasmBinary });
}
