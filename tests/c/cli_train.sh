#!/usr/bin/env bash
# mg train from the command line: the JSON summary, errors that name the
# flag or the value, and MNIST from a directory of standard .gz IDX files.
# Run by ctest: cli_train.sh PATH_TO_MG PACKED_DATA_DIR
set -u
MG=$1 DATA=$2
source "$(dirname "$0")/expect.sh"

expect 0 '"train_acc":1.000000' '' -- "$MG" train --data moons --n 100 --noise 0.1 --train-ratio 1 \
  --model 'dense 16 relu, dense 16 relu, dense 1' --lr 0.01 --batch 100 --epochs 300 --json --quiet
expect 0 '"test_acc":null' '' -- "$MG" train --data moons --train-ratio 1 --model 'dense 1' --epochs 1 --json --quiet
expect 0 'epoch   2  loss' '' -- "$MG" train --data blobs --classes 4 --model 'dense 8 relu, dense 4' --epochs 2
expect 0 '"train_r2":' '' -- "$MG" train --data sine --model 'dense 8 tanh, dense 1' --epochs 3 --json --quiet
expect 2 '' "unknown option '--lrate'" -- "$MG" train --data moons --model 'dense 1' --lrate 0.1
expect 2 '' "--lr: lr 'fast' is not a number" -- "$MG" train --data moons --model 'dense 1' --lr fast
expect 2 '' "--batch: '0' is not a whole number from 1 to 4096" -- "$MG" train --data moons --model 'dense 1' --batch 0
expect 2 '' "--opt: opt 'adamw' is unknown (one of sgd, momentum, nesterov, rmsprop, adam, adagrad)" -- \
  "$MG" train --data moons --model 'dense 1' --opt adamw
expect 2 '' "--lr: lr 0: allowed above 0 to 100" -- "$MG" train --data moons --model 'dense 1' --lr 0
expect 2 '' "--weight-decay: weight_decay 2: allowed from 0 to 1" -- "$MG" train --data moons --model 'dense 1' --weight-decay 2
expect 0 '"steps":3' '' -- "$MG" train --data moons --model 'dense 4 tanh, dense 1' --opt adagrad --lr 0.1 --eps 1e-6 --steps 3 --json --quiet
expect 0 '--beta2' '' -- "$MG" train --help
expect 0 'adagrad' '' -- "$MG" train --help
expect 2 '' '--epochs needs a value' -- "$MG" train --data moons --model 'dense 1' --epochs
expect 2 '' 'missing --model SPEC' -- "$MG" train --data moons
expect 1 '' 'unknown dataset "moon"' -- "$MG" train --data moon --model 'dense 1'
expect 1 '' "--model: layer 2 'dense 0': dense needs a number of units" -- \
  "$MG" train --data moons --model 'dense 4, dense 0'
expect 1 '' 'loss ce needs one output per class: the model has 1 outputs and the data 3 classes' -- \
  "$MG" train --data spiral --classes 3 --model 'dense 4, dense 1' --loss ce
expect 1 '' 'try a lower learning rate or gradient clipping' -- \
  "$MG" train --data line --model 'dense 64 relu, dense 64 relu, dense 1' --opt sgd --lr 100 --epochs 50

# save, then continue from the file; a damaged file is refused
expect 0 '"steps":10' '' -- "$MG" train --data xor --model 'dense 4 tanh, dense 1' --steps 10 --json --quiet \
  --save "$tmp/m.mgm"
expect 0 '"steps":5' '' -- "$MG" train --data xor --load "$tmp/m.mgm" --steps 5 --json --quiet
expect 1 '' "holds a model 'dense 4 tanh, dense 1', but --model says 'dense 8'" -- \
  "$MG" train --data xor --load "$tmp/m.mgm" --model 'dense 8'
printf 'garbage' >"$tmp/bad.mgm"
expect 1 '' 'not a Micrograd Lab model file' -- "$MG" train --data xor --load "$tmp/bad.mgm"

# MNIST from standard (gzip-compressed) IDX files, and a broken one
if [[ -f $DATA/mnist-10k-images.idx ]]; then
  for set in train t10k; do
    gzip -c "$DATA/mnist-10k-images.idx" >"$tmp/$set-images-idx3-ubyte.gz"
    gzip -c "$DATA/mnist-10k-labels.idx" >"$tmp/$set-labels-idx1-ubyte.gz"
  done
  expect 0 '"steps":5' '' -- "$MG" train --data mnist --mnist-dir "$tmp" --model 'dense 10' --steps 5 --json --quiet
  head -c 1000 "$DATA/mnist-10k-images.idx" >"$tmp/t10k-images-idx3-ubyte"
  rm "$tmp/t10k-images-idx3-ubyte.gz"
  expect 1 '' 'images: truncated: expected 7840016 bytes, got 1000' -- "$MG" train --data mnist --mnist-dir "$tmp" --model 'dense 10' --steps 5
  expect 1 '' "--mnist-dir $tmp/none: expected train-images-idx3-ubyte" -- \
    "$MG" train --data mnist --mnist-dir "$tmp/none" --model 'dense 10'
else
  echo "cli_train: no packed MNIST at $DATA (run ./build.sh wasm); MNIST checks not run"
  failed=$((failed + 1))
fi

finish cli_train
