// The engine's tables of names (its C tables, written into
// web/build/catalog.js at build time by scripts/catalog.mjs): what the
// page and the URL schema read instead of lists of their own. (The engine
// itself reads them from the WASM: engine.catalog.)
import CATALOG from '../build/catalog.js';

export { CATALOG };

/** The names of a table (optimizers, losses, activations, datasets, ...)
 * in table order: the C enum's order. */
export function namesOf(table) {
  return Object.freeze(CATALOG[table].map((row) => row.name));
}

/** Whether the generated dataset called name takes a number of classes
 * (its class range; false for your own points). */
export function hasClassChoice(name) {
  const row = CATALOG.datasets.find((r) => r.name === name);
  return Boolean(row && row.maxClasses > row.minClasses);
}
