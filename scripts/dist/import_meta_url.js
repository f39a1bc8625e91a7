// import.meta.url for the dist bundles, which are classic scripts
// (esbuild's define maps import.meta.url to this): the bundle's own URL
// in the page (dist/js/NAME.js, so '../build/data/...' still finds the
// data), the Blob URL in a worker.
export const importMetaUrl =
  typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : self.location.href;
