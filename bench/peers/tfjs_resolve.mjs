// A module resolve hook for bench/peers/tfjs.mjs. tfjs-core's CommonJS
// bundle (what require() gives in Node) registers no gradients: the
// @tensorflow/tfjs union package does that with tfjs-core's
// dist/register_all_gradients.js, an ES module whose relative imports have
// no extension. This hook adds '.js' to those, so Node loads them as
// shipped; they register into the same engine, which tfjs-core keeps on
// globalThis.
export async function resolve(specifier, context, next) {
  if (
    specifier.startsWith('.') &&
    !/\.[cm]?js$/.test(specifier) &&
    context.parentURL?.includes('/@tensorflow/tfjs-core/dist/')
  ) {
    return next(`${specifier}.js`, context);
  }
  return next(specifier, context);
}
