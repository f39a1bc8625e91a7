// Both sides of a module worker's request/reply protocol. The main thread's
// WorkerClient: request(type, args) posts a request and resolves with the
// worker's result (or rejects with an Error carrying the engine's message
// and status). The worker's serve(session): each request calls
// session[type](args), which returns { result, transfer }.
import { startWorker } from './worker_start.js';

export class WorkerClient {
  constructor(url) {
    this.worker = startWorker(url);
    this.pending = new Map();
    this.nextId = 1;
    this.worker.onmessage = ({ data }) => {
      const p = this.pending.get(data.id);
      if (!p) return;
      this.pending.delete(data.id);
      if (data.ok) p.resolve(data.result);
      else p.reject(Object.assign(new Error(data.error.message), data.error));
    };
    this.worker.onerror = (event) => {
      const err = new Error(`the training worker failed: ${event.message ?? 'unknown error'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  request(type, args = {}, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, args }, transfer);
    });
  }

  terminate() {
    this.worker.terminate();
  }
}

/** In a worker: answers WorkerClient requests with the session that
 * `ready` resolves to, one at a time in arrival order (every session call
 * is synchronous). An error's message, status, line and column travel
 * back; so do an i18n key and its params when the error has them. */
export function serve(ready) {
  self.onmessage = async ({ data }) => {
    const { id, type, args } = data;
    try {
      const session = await ready;
      if (!Object.hasOwn(session, type)) throw new Error(`unknown request '${type}'`);
      const { result, transfer = [] } = session[type](args ?? {});
      self.postMessage({ id, ok: true, result }, transfer);
    } catch (err) {
      self.postMessage({
        id,
        ok: false,
        error: {
          message: err.message, status: err.status ?? 'error', line: err.line ?? 0, col: err.col ?? 0,
          ...(err.key ? { key: err.key, params: err.params ?? {} } : {}),
        },
      });
    }
  };
}
