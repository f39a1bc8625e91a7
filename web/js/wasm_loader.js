// Where the Emscripten module comes from. The build (build.sh wasm) writes
// web/build/mg.wasm and two copies of the same glue: mg.cjs (CommonJS,
// loaded with require in Node) and mg.mjs (the same code with an ES
// export, imported in the browser). loadFactory() resolves to a function
// that takes the module's options and resolves to the module.
//
// The dist bundle (scripts/dist.mjs) replaces this file with
// scripts/dist/page_wasm.js or scripts/dist/worker_wasm.js, which carry the
// WASM inside the script: no fetch, so the page also works from file://.

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

export async function loadFactory() {
  const buildDir = new URL('../build/', import.meta.url);
  if (isNode) {
    const { createRequire } = await import('node:module');
    const { readFileSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    const require = createRequire(import.meta.url);
    const factory = require(fileURLToPath(new URL('mg.cjs', buildDir)));
    // Node 20 cannot fetch a file: URL, so hand the module its bytes.
    const wasmBinary = readFileSync(new URL('mg.wasm', buildDir));
    return (opts) => factory({ ...opts, wasmBinary });
  }
  const { default: factory } = await import(new URL('mg.mjs', buildDir).href);
  return (opts) => factory({ ...opts, locateFile: (path) => new URL(path, buildDir).href });
}
