// npm run dist (build.sh dist, after build.sh wasm): writes dist/, the site
// as a static folder that works from any static host under any sub-path
// and, for the playground, the graph and the expression views, straight
// from disk (file://).
//
//   node scripts/dist.mjs [OUT_DIR]     (default: dist)
//
// What it does, and why:
// - Each page of web/ (index.html, teach.html) loads one module script
//   (js/NAME.js). esbuild bundles it into dist/js/NAME.js, a classic script
//   (module scripts do not load from file://), and the page loads it with
//   `defer` instead of type="module".
// - The WASM goes inside that script as base64 (web/js/wasm_loader.js is
//   swapped for scripts/dist/page_wasm.js): nothing to fetch.
// - The training workers (every web/js file that serves rpc.js requests)
//   are bundled as classic scripts too, and their text goes into the page
//   bundle; scripts/dist/worker_start.js starts them from Blob URLs and
//   hands them the page's copy of the WASM (so the download holds it once).
//   The pages' CSP gains worker-src blob: for that.
// - Chart.js (a classic script) and the MNIST digits are copied; nothing
//   is loaded from another origin, and every URL is relative.
// - It prints every file's size and fails when the JS (the WASM inside it)
//   is over BUDGET bytes gzipped.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WEB = join(ROOT, 'web');
const SHIMS = join(ROOT, 'scripts', 'dist');
const BUDGET = 400 * 1000; // bytes of JS (with the WASM inside) after gzip, datasets excluded
const DATA_DIR = 'build/data'; // the MNIST digits, fetched by the MNIST view

const die = (msg) => {
  console.error(`dist: ${msg}`);
  process.exit(1);
};

/** esbuild plugin: modules of web/js replaced by dist versions, by file
 * name, and the virtual module of the bundled workers' sources. */
function distPlugin({ swaps, workers = null }) {
  return {
    name: 'micrograd-dist',
    setup(b) {
      b.onResolve({ filter: /^\.\/(wasm_loader|worker_start)\.js$/ }, (args) => {
        if (!args.importer.startsWith(join(WEB, 'js'))) return undefined;
        const name = args.path.slice(2);
        return swaps[name] ? { path: join(SHIMS, swaps[name]) } : undefined;
      });
      b.onResolve({ filter: /^dist-worker:/ }, (args) => ({ path: args.path, namespace: 'dist-worker' }));
      b.onLoad({ filter: /.*/, namespace: 'dist-worker' }, () => {
        if (!workers) return { errors: [{ text: 'workers cannot start workers in the dist build' }] };
        return { contents: `export const WORKER_SOURCES = ${JSON.stringify(workers)};`, loader: 'js' };
      });
    },
  };
}

const COMMON = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome100', 'firefox100', 'safari15'],
  minify: true,
  legalComments: 'eof',
  charset: 'utf8',
  logLevel: 'warning',
  // the glue's Node branch (never taken in a browser) requires these
  external: ['fs', 'path'],
  loader: { '.wasm': 'base64' },
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: [join(SHIMS, 'import_meta_url.js')],
};

/** The web/js files that are worker entry points: they serve rpc.js requests. */
function findWorkers() {
  const dir = join(WEB, 'js');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .filter((f) => /import\s*\{[^}]*\bserve\b[^}]*\}\s*from\s*'\.\/rpc\.js'/.test(readFileSync(join(dir, f), 'utf8')));
}

async function bundleWorkers() {
  const out = {};
  for (const name of findWorkers()) {
    const r = await build({
      ...COMMON,
      entryPoints: [join(WEB, 'js', name)],
      write: false,
      plugins: [distPlugin({ swaps: { 'wasm_loader.js': 'worker_wasm.js' } })],
    });
    out[name] = r.outputFiles[0].text;
  }
  if (!Object.keys(out).length) die('found no worker in web/js (a file that imports serve from ./rpc.js)');
  return out;
}

/** The module entry of an HTML page: js/NAME.js, or null. */
function moduleEntry(html) {
  const m = [...html.matchAll(/<script type="module" src="(js\/[\w-]+\.js)"><\/script>/g)];
  if (m.length > 1) die('a page loads more than one module script; the dist build bundles one');
  return m.length ? m[0][1] : null;
}

/** The page as dist serves it: the bundle as a classic deferred script,
 * and Blob URL workers allowed by the CSP. */
function rewriteHtml(html, file) {
  let out = html.replace(/<script type="module" src="(js\/[\w-]+\.js)"><\/script>/, '<script defer src="$1"></script>');
  if (/<script type="module"/.test(out)) die(`${file}: a module script is left`);
  if (/http-equiv="Content-Security-Policy"/.test(out)) {
    if (!/worker-src 'self';/.test(out) && /new Worker|WorkerClient/.test(html)) die(`${file}: no worker-src 'self' in the CSP to extend`);
    out = out.replace(/worker-src 'self';/, "worker-src 'self' blob:;");
  }
  return out;
}

/** Relative URLs in src= and href= of a page (not ?query links, data:, #). */
function localRefs(html) {
  return [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)]
    .map((m) => m[1])
    .filter((u) => !/^(data:|#|\?|mailto:)/.test(u))
    .map((u) => u.split(/[?#]/)[0])
    .filter(Boolean);
}

function gzipSize(path) {
  return gzipSync(readFileSync(path), { level: 9 }).length;
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const kb = (n) => `${(n / 1000).toFixed(1).padStart(8)} kB`;

async function main() {
  const out = resolve(ROOT, process.argv[2] ?? 'dist');
  for (const f of ['build/mg.cjs', 'build/mg.wasm', 'build/vendor/chart.umd.js', 'build/vendor/dagre.esm.js', `${DATA_DIR}/mnist-10k-images.idx`]) {
    if (!existsSync(join(WEB, f))) die(`web/${f} is missing: run 'bash build.sh wasm' first (npm run dist does)`);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'js'), { recursive: true });

  const workers = await bundleWorkers();
  const pages = readdirSync(WEB).filter((f) => f.endsWith('.html'));
  for (const page of pages) {
    const html = readFileSync(join(WEB, page), 'utf8');
    const entry = moduleEntry(html);
    if (entry) {
      await build({
        ...COMMON,
        entryPoints: [join(WEB, entry)],
        outfile: join(out, entry),
        plugins: [distPlugin({ swaps: { 'wasm_loader.js': 'page_wasm.js', 'worker_start.js': 'worker_start.js' }, workers })],
      });
    }
    writeFileSync(join(out, page), rewriteHtml(html, page));
  }
  cpSync(join(WEB, 'css'), join(out, 'css'), { recursive: true });
  mkdirSync(join(out, 'build', 'vendor'), { recursive: true });
  cpSync(join(WEB, 'build/vendor/chart.umd.js'), join(out, 'build/vendor/chart.umd.js'));
  cpSync(join(WEB, DATA_DIR), join(out, DATA_DIR), { recursive: true });

  // every relative reference of every page is in dist/
  for (const page of pages) {
    for (const ref of localRefs(readFileSync(join(out, page), 'utf8'))) {
      if (/^[a-z]+:|^\/\//i.test(ref)) die(`${page} refers to another origin or an absolute URL: ${ref}`);
      if (ref.startsWith('/')) die(`${page} has a root-relative URL (breaks under a sub-path): ${ref}`);
      if (!existsSync(join(out, ref))) die(`${page} refers to ${ref}, which is not in ${relative(ROOT, out)}/`);
    }
  }

  // sizes
  const files = walk(out).sort();
  let budgeted = 0;
  let total = 0;
  console.log(`${relative(ROOT, out) || out}/ (raw, gzip -9):`);
  for (const f of files) {
    const raw = statSync(f).size;
    const isData = relative(out, f).startsWith(DATA_DIR);
    const gz = isData ? null : gzipSize(f);
    if (!isData) total += gz;
    if (f.endsWith('.js') || f.endsWith('.wasm')) budgeted += gz;
    console.log(`  ${relative(out, f).padEnd(34)}${kb(raw)}${gz === null ? '   (dataset)' : kb(gz)}`);
  }
  console.log(`  JS + WASM, gzipped: ${(budgeted / 1000).toFixed(1)} kB of the ${BUDGET / 1000} kB budget; every file but the datasets: ${(total / 1000).toFixed(1)} kB`);
  if (budgeted > BUDGET) {
    die(`the JS and WASM are ${(budgeted / 1000).toFixed(1)} kB gzipped, over the ${BUDGET / 1000} kB budget: ` +
      'look at the largest files above (a new dependency? a debug build of the WASM?)');
  }
}

main().catch((err) => die(err.stack ?? String(err)));
