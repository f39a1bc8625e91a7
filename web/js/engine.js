// The one JS wrapper around the WebAssembly core: the only module that
// touches the WASM heap. The page, the worker and the node tests all import
// it. A failed C call becomes a thrown EngineError carrying the engine's
// message, status and, for programs, line and column.
//
// The build (build.sh wasm) writes web/build/mg.wasm and two copies of the
// same Emscripten glue: mg.cjs (CommonJS, loaded here with require in Node)
// and mg.mjs (the same code with an ES export, imported in the browser).

const STATUS_NAMES = ['ok', 'syntax', 'name', 'domain', 'limit', 'arg', 'nomem', 'state'];

export class EngineError extends Error {
  constructor(message, { status = 'arg', line = 0, col = 0 } = {}) {
    super(message);
    this.name = 'EngineError';
    this.status = status; // 'syntax', 'name', 'domain', 'limit', ...
    this.line = line;     // 1-based place in the program, 0 if none
    this.col = col;
  }
}

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

async function loadFactory() {
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

/** Loads the WASM module; resolves to an Engine. */
export async function loadEngine() {
  const factory = await loadFactory();
  const module = await factory({
    print: () => {},
    printErr: (text) => console.warn('[mg]', text),
  });
  return new Engine(module);
}

export class Engine {
  constructor(module) {
    this.m = module;
  }

  /** Calls fn(ptr, length) with a UTF-8 copy of str on the WASM heap (NUL
   * characters inside are kept: the engine reports them). */
  withString(str, fn) {
    const m = this.m;
    const n = m.lengthBytesUTF8(str);
    const ptr = m._malloc(n + 1);
    if (!ptr) throw new EngineError('out of memory copying a string into the engine', { status: 'nomem' });
    try {
      m.stringToUTF8(str, ptr, n + 1);
      return fn(ptr, n);
    } finally {
      m._free(ptr);
    }
  }

  /** A new expression program; free it with program.free(). */
  createProgram({ maxNodes = 0 } = {}) {
    const h = this.m._mg_api_expr_create(maxNodes);
    if (!h) {
      throw new EngineError('cannot create a program: out of memory, or too many programs are open', {
        status: 'limit',
      });
    }
    return new Program(this, h);
  }
}

export class Program {
  constructor(engine, handle) {
    this.engine = engine;
    this.m = engine.m;
    this.h = handle;
  }

  check(status) {
    if (status === 0) return;
    const m = this.m;
    throw new EngineError(m.UTF8ToString(m._mg_api_expr_error(this.h)), {
      status: STATUS_NAMES[status] ?? `status ${status}`,
      line: m._mg_api_expr_error_line(this.h),
      col: m._mg_api_expr_error_col(this.h),
    });
  }

  /** Parses and evaluates src (forward only); returns the result object. */
  eval(src) {
    this.check(this.engine.withString(String(src), (p, n) => this.m._mg_api_expr_eval(this.h, p, n)));
    return this.result();
  }

  /** Evaluates src and runs backward from its output; returns the result:
   * { output, data, leaves: {name: {data, grad}}, values: [...], nodes: [...] } */
  run(src) {
    this.check(this.engine.withString(String(src), (p, n) => this.m._mg_api_expr_run(this.h, p, n)));
    return this.result();
  }

  backward() {
    this.check(this.m._mg_api_expr_backward(this.h));
    return this.result();
  }

  zeroGrad() {
    this.check(this.m._mg_api_expr_zero_grad(this.h));
  }

  /** Prepares a step-by-step backward pass from the output. */
  backwardBegin() {
    this.check(this.m._mg_api_expr_backward_begin(this.h));
  }

  /** Propagates one node's grad to its children. Returns
   * { node, grad, remaining, children: [{id, local, contrib, grad}] },
   * or null when every node has been propagated. */
  backwardStep() {
    this.check(this.m._mg_api_expr_backward_step(this.h));
    const step = JSON.parse(this.m.UTF8ToString(this.m._mg_api_expr_step_json(this.h)));
    return step.done ? null : step;
  }

  /** The current result (values and grads as they are now). */
  result() {
    return JSON.parse(this.m.UTF8ToString(this.m._mg_api_expr_json(this.h)));
  }

  /** Data and grad of every node as one Float64Array copy:
   * [data0, grad0, data1, grad1, ...]. */
  values() {
    const n = this.m._mg_api_expr_node_count(this.h);
    const ptr = this.m._mg_api_expr_values(this.h);
    if (n === 0) return new Float64Array(0);
    if (!ptr) throw new EngineError('out of memory reading node values', { status: 'nomem' });
    // A fresh view after the call: memory may have grown.
    return new Float64Array(this.m.HEAPF64.buffer, ptr, 2 * n).slice();
  }

  free() {
    if (this.h) this.m._mg_api_expr_free(this.h);
    this.h = 0;
  }
}
