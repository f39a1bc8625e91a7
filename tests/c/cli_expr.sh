#!/usr/bin/env bash
# mg expr from the command line: the README's example prints the reference
# values, text mode prints a table, errors exit 1 with line and column and a
# caret, usage errors exit 2. Run by ctest: cli_expr.sh PATH_TO_MG
set -u
MG=$1
source "$(dirname "$0")/expect.sh"

# micrograd's sanity check: y = -20 and dy/dx = 46, as PyTorch computes
expect 0 '{"output":"y","data":-20,"leaves":{"x":{"data":-4,"grad":46}}' '' -- \
  "$MG" expr --json 'x=-4; z=2*x+2+x; q=relu(z)+z*x; h=relu(z*z); y=h+q+q*x'
expect 0 $'   5  L     -8                    1\noutput L = -8 (7 nodes)' '' -- \
  "$MG" expr $'a = 2; b = -3; c = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f'
expect 0 '"leaves":{"a":{"data":3,"grad":6}}' '' -- \
  bash -c "printf 'a = 3\nb = a**2 # from stdin\n' | '$MG' expr --json -"
expect 1 '' "mg expr: line 2, col 5: unknown name 'q'" -- "$MG" expr $'a = 2\ne = q*b'
expect 1 '' $'    2 | b = 1 / a\n      |       ^' -- "$MG" expr $'a = 0\nb = 1 / a'
expect 2 '' "unknown option '--jsn'" -- "$MG" expr --jsn 'a = 1'
expect 2 '' 'missing PROGRAM' -- "$MG" expr
expect 2 '' "found a second argument 'b'" -- "$MG" expr 'a = 1' b
expect 2 '' "unknown command 'exr'" -- "$MG" exr 'a = 1'
expect 0 'usage: mg expr' '' -- "$MG" --help

finish cli_expr
