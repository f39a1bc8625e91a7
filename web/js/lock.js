// One lock per page: what runs under it runs alone, in the order asked.
// The playground and the MNIST page order their worker requests with it
// (a training chunk, a rebuild, a trace, an evaluation), so a result never
// lands on a model or a problem that changed while it was computed.

export class Lock {
  /** onChange(): called when busy turns on or off (to mark the page's state). */
  constructor(onChange = () => {}) {
    this.tail = Promise.resolve();
    this.held = 0;
    this.onChange = onChange;
  }

  /** Something runs or waits under the lock. */
  get busy() {
    return this.held > 0;
  }

  /** Runs fn (sync or async) after everything asked before it; resolves
   * or rejects with fn's result. */
  run(fn) {
    this.held++;
    if (this.held === 1) this.onChange();
    const result = this.tail.then(fn);
    this.tail = result.catch(() => {}).then(() => {
      this.held--;
      if (this.held === 0) this.onChange();
    });
    return result;
  }

  /** Resolves once everything asked so far has run. */
  idle() {
    return this.tail;
  }
}
