#!/usr/bin/python3
"""What PyTorch reaches on the MNIST learning targets of tests/c/test_mnist.c.

The same data (the 10,000 packed digits: the first 8,000 train, the last
2,000 test, pixels / 255), the same networks (the MLP 784-128-10 and the
CNN conv 5 8 relu, maxpool 2, conv 5 16 relu, maxpool 2, dense 10), the
same training (softmax cross-entropy, Adam lr 0.001, batches of 32
shuffled every epoch, EPOCHS epochs) with PyTorch's own initialization,
for SEEDS seeds. Writes every epoch's test accuracy, and the worst and
mean of the last, to tests/ref/mnist_torch.json; test_mnist's bars are
these figures less a stated margin. Needs PyTorch and the digits that
./build.sh wasm packs; run with `bash build.sh ref` (or /usr/bin/python3).
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "web", "build", "data")
OUT = os.path.join(ROOT, "tests", "ref", "mnist_torch.json")
EPOCHS, SEEDS, BATCH, LR = 10, (1, 2, 3), 32, 0.001


def digits():
    with open(os.path.join(DATA, "mnist-10k-images.idx"), "rb") as f:
        img = f.read()
    with open(os.path.join(DATA, "mnist-10k-labels.idx"), "rb") as f:
        lab = f.read()
    x = np.frombuffer(img, dtype=np.uint8, offset=16).reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
    y = np.frombuffer(lab, dtype=np.uint8, offset=8).astype(np.int64)
    return torch.tensor(x), torch.tensor(y)


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(256, 10))


def train(make, seed, x, y):
    torch.manual_seed(seed)
    net = make()
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    xtr, ytr, xte, yte = x[:8000], y[:8000], x[8000:], y[8000:]
    acc = []
    for _ in range(EPOCHS):
        net.train()
        perm = torch.randperm(8000)
        for i in range(0, 8000, BATCH):
            idx = perm[i:i + BATCH]
            opt.zero_grad()
            nn.functional.cross_entropy(net(xtr[idx]), ytr[idx]).backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            acc.append(float((net(xte).argmax(1) == yte).float().mean()))
    return acc


def main():
    torch.set_num_threads(1)
    x, y = digits()
    out = {"generator": "tests/ref/mnist_torch.py", "torch": torch.__version__, "epochs": EPOCHS,
           "batch": BATCH, "lr": LR, "seeds": list(SEEDS)}
    for name, make in (("mlp", mlp), ("cnn", cnn)):
        runs = [train(make, s, x, y) for s in SEEDS]
        last = [r[-1] for r in runs]
        out[name] = {"test_accuracy_per_epoch": runs, "last_min": min(last),
                     "last_mean": sum(last) / len(last)}
        print(f"{name}: test accuracy after {EPOCHS} epochs {', '.join(f'{a:.4f}' for a in last)}")
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
