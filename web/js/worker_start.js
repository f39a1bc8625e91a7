// Starts a training worker from its script's URL (web/js/worker.js,
// web/js/mnist_worker.js). The served page runs them as module workers.
//
// The dist bundle (scripts/dist.mjs) replaces this file with
// scripts/dist/worker_start.js, which starts a bundled copy of the worker
// from a Blob URL: module workers, and workers from file: URLs, do not
// start in a page opened from disk.
export function startWorker(url) {
  return new Worker(url, { type: 'module' });
}
