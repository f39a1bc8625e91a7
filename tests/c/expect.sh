# Sourced by the CLI tests (cli_expr.sh, cli_train.sh):
#   expect WANT_RC WANT_STDOUT_PART WANT_STDERR_PART -- COMMAND...
# runs COMMAND, counts it passed when the exit status matches and stdout and
# stderr contain the parts, else prints both sides; `finish NAME` prints
# "NAME: N passed, M failed" and sets the exit status.
failed=0 passed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect() {
  local want_rc=$1 want_out=$2 want_err=$3; shift 4
  local out err rc
  out=$("$@" 2>"$tmp/err"); rc=$?
  err=$(cat "$tmp/err")
  if [[ $rc != "$want_rc" || $out != *"$want_out"* || $err != *"$want_err"* ]]; then
    failed=$((failed + 1))
    printf 'FAILED:'; printf ' %q' "$@"; echo
    printf '  exit %s (want %s)\n  stdout: %s\n  want:   %s\n  stderr: %s\n  want:   %s\n' \
      "$rc" "$want_rc" "${out:0:600}" "$want_out" "$err" "$want_err"
  else
    passed=$((passed + 1))
  fi
}

finish() {
  echo "$1: $passed passed, $failed failed"
  [[ $failed == 0 ]]
}
