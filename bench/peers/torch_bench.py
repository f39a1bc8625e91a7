"""PyTorch (CPU, one thread) on the benchmark's workloads, measured in the
same run as ours: the MNIST MLP and CNN with SGD (batch 32), the MNIST
page's MLP with SGD, Adam and RMSprop (batch 64), and micrograd's moons
model (MLP 2-16-16-1, 100 points, SVM loss + L2, full batch) in float64
and float32. bench/peers/torch.mjs runs it with /usr/bin/python3 (Debian's
python3-torch) and relays the one JSON line it prints; progress goes to
stderr.

    python3 bench/peers/torch_bench.py --data-dir DIR --limits JSON \
        [--moons FILE] [--quick]

--limits holds bench/config.mjs's settings (TRAIN, OPT_RUNS, the minimum
times), so the numbers live in one place; --moons a file of `mg bench
--moons-points` (the scalar workload's very points).
"""
import argparse
import ctypes
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def idx(path, dims):
    """The data of an IDX file of unsigned bytes with dims dimensions."""
    b = open(path, "rb").read()
    if b[:3] != b"\0\0\x08" or b[3] != dims:
        raise SystemExit(f"{path}: not an IDX file of unsigned bytes with {dims} dimensions")
    shape = [int.from_bytes(b[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return shape, np.frombuffer(b, dtype=np.uint8, offset=4 + 4 * dims)


def load_digits(data_dir, n):
    """The first n packed digits: x (n,1,28,28) in [0,1] as the C parser
    reads them (p / 255), y (n) labels."""
    shape, images = idx(os.path.join(data_dir, "mnist-10k-images.idx"), 3)
    _, labels = idx(os.path.join(data_dir, "mnist-10k-labels.idx"), 1)
    if shape[0] < n or shape[1] * shape[2] != 784:
        raise SystemExit(f"{data_dir}: expected at least {n} digits of 28x28")
    x = torch.from_numpy(images[: n * 784].astype(np.float32) / 255.0).reshape(n, 1, 28, 28)
    y = torch.from_numpy(labels[:n].astype(np.int64))
    return x, y


class Batcher:
    """Mini-batch indices, reshuffled every epoch (seeded)."""

    def __init__(self, n, seed):
        self.n, self.cursor = n, 0
        self.rng = np.random.default_rng(seed)

    def next(self, batch):
        if self.cursor == 0:
            self.perm = torch.from_numpy(self.rng.permutation(self.n))
        idx = self.perm[self.cursor : min(self.n, self.cursor + batch)]
        self.cursor = (self.cursor + len(idx)) % self.n
        return idx


def train_figures(step, warmup, min_steps, min_time, batch, chunk=5):
    """As bench/lib/timing.mjs: warm-up, then chunks until min_steps and
    min_time; examples/s over the timed chunks."""
    step(warmup)
    steps, t0, elapsed = 0, time.perf_counter(), 0.0
    while steps < min_steps or elapsed < min_time:
        step(chunk)
        steps += chunk
        elapsed = time.perf_counter() - t0
    return {"steps": steps, "examples": steps * batch, "seconds": elapsed,
            "examples_per_sec": steps * batch / elapsed}


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(256, 10),
    )


def optimizer(name, params, lr):
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if name == "adam":  # betas (0.9, 0.999), eps 1e-8: ours
        return torch.optim.Adam(params, lr=lr)
    if name == "rmsprop":  # ours: rho 0.9, eps 1e-8 outside the root
        return torch.optim.RMSprop(params, lr=lr, alpha=0.9, eps=1e-8)
    raise SystemExit(f"unknown optimizer {name}")


def train(name, model, opt_name, lr, batch, x, y, warmup, min_steps, min_time, seed):
    opt = optimizer(opt_name, model.parameters(), lr)
    order = Batcher(len(y), seed)
    losses = []

    def step(k):
        for _ in range(k):
            i = order.next(batch)
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x[i]), y[i])
            loss.backward()
            opt.step()
            losses.append(loss.item())

    fig = train_figures(step, warmup, min_steps, min_time, batch)
    log(f"  {name}: {fig['examples_per_sec']:.0f} examples/s (loss {losses[-1]:.3f})")
    return {"opt": opt_name, "batch": batch, "lr": lr, "train_samples": len(y), **fig,
            "warmup_loss": losses[warmup - 1] if warmup else None, "last_loss": losses[-1]}


def moons(points, dtype, min_time):
    """micrograd's demo step: scores, max-margin loss + 1e-4 * sum p^2,
    accuracy, backward, SGD with lr 1 - 0.9 k / 100 (held at 0.1 after
    step 100, as the scalar workload does)."""
    X = torch.tensor(points["x"], dtype=dtype)
    Y = torch.tensor(points["y"], dtype=dtype)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(),
                          nn.Linear(16, 1)).to(dtype)
    params = list(model.parameters())
    state = {"k": 0, "loss": None, "acc": None}

    def step():
        scores = model(X).squeeze(1)
        loss = F.relu(1 - Y * scores).mean() + 1e-4 * sum((p * p).sum() for p in params)
        acc = ((scores > 0) == (Y > 0)).to(dtype).mean()
        model.zero_grad(set_to_none=True)
        loss.backward()
        lr = max(0.1, 1.0 - 0.9 * state["k"] / 100)
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
        state["k"] += 1
        state["loss"], state["acc"] = loss.item(), acc.item()

    for _ in range(3):  # warm-up, as mg bench
        step()
    warmup_loss = state["loss"]
    times, total = [], 0.0
    while len(times) < 5 or total < min_time:
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
        total += times[-1]
    times.sort()
    n = len(times)
    median = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
    name = "float64" if dtype == torch.float64 else "float32"
    log(f"  moons step, {name}: {median * 1e3:.3f} ms")
    return {"dtype": name, "points": len(points["y"]), "warmup_loss": warmup_loss,
            "loss": state["loss"], "accuracy": state["acc"],
            "step_ms": {"reps": n, "best": times[0] * 1e3, "median": median * 1e3}}


def blas():
    """The BLAS library torch runs on, and OpenBLAS's own config string
    (it names the kernel it picked) when that is the one."""
    paths = []
    try:
        with open("/proc/self/maps") as f:
            paths = [line.split()[-1] for line in f if ".so" in line and "blas" in line.lower()]
    except OSError:
        pass
    # the BLAS itself before OpenBLAS's LAPACK (which carries the same calls)
    paths.sort(key=lambda p: ("lapack" in os.path.basename(p), p))
    path = paths[0] if paths else None
    info = {"library": path}
    if path:
        try:
            lib = ctypes.CDLL(path)
            for key, fn in (("config", "openblas_get_config"), ("core", "openblas_get_corename")):
                getattr(lib, fn).restype = ctypes.c_char_p
                info[key] = getattr(lib, fn)().decode()
        except (OSError, AttributeError):
            pass
    return info


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--limits", required=True)
    ap.add_argument("--moons")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    cfg = json.loads(a.limits)
    L, T, seed = cfg["limits"], cfg["train"], cfg["seed"]
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.manual_seed(seed)
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # loads the BLAS
    result = {"peer": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(),
              "python": sys.version.split()[0], "quick": a.quick, "blas": blas(),
              "timer": "time.perf_counter()"}
    log(f"PyTorch {torch.__version__}, {result['threads']} thread, BLAS {result['blas']}")
    x, y = load_digits(a.data_dir, T["samples"])
    result["mlp"] = {"model": "784-128-10 relu, softmax CE", **train(
        "MLP", mlp(), "sgd", T["lr"], T["batch"], x, y, L["mlpWarmup"], L["mlpSteps"], L["mlpTime"], seed)}
    result["cnn"] = {"model": "conv 5x5x8 relu, maxpool 2, conv 5x5x16 relu, maxpool 2, dense 10", **train(
        "CNN", cnn(), "sgd", T["lr"], T["batch"], x, y, L["cnnWarmup"], L["cnnSteps"], L["cnnTime"], seed)}
    for o in cfg["opt_runs"]:
        result[o["key"]] = train(f"MLP {o['opt']} batch {o['batch']}", mlp(), o["opt"], o["lr"],
                                 o["batch"], x, y, L["mlpWarmup"], L["optSteps"], L["mlpTime"], seed)
    if a.moons:
        with open(a.moons) as f:
            points = json.load(f)
        result["moons"] = {"f64": moons(points, torch.float64, L["scalar"]),
                           "f32": moons(points, torch.float32, L["scalar"])}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
