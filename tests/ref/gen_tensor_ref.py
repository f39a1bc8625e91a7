#!/usr/bin/python3
"""Independent reference for the float32 tensor engine, computed by PyTorch.

For fixed inputs (drawn here with numpy's seeded generator, rounded to
float32 and written into the JSON, so the tests read them rather than
regenerate them), PyTorch computes in float64:

  ops       every kernel of src/tensor: forward values and, for an
            upstream gradient dout, the gradients of every input
  models    a small network per layer kind and activation and per loss
            (with L1/L2): the loss, the gradient of every parameter, and
            the eval-mode outputs after that step's batchnorm update
  optim     several updates of every optimizer with hyperparameters other
            than the defaults, decoupled weight decay, L1/L2, clipping,
            accumulation and both schedules: the loss of every step and
            every parameter after every update
  networks  the MNIST MLP 784-128-10 and the small CNN, 20 Adam steps on
            the first 640 packed training digits from the same initial
            weights (a hash of the parameter index, which the tests
            compute too): every step's loss and the change of a
            deterministic sample of every layer's weights and biases

The reference is float64 on float32 inputs, so it is as close to exact as
the engine's float32 can be compared with; the tests' tolerances come
from the errors they measured (they print them).

Where our documented definition differs from PyTorch's built-in one, the
script computes ours with torch autograd and says so at that spot:
weight decay is decoupled (AdamW's p -= lr wd p, for every optimizer, on
dense and conv weights only), clipping scales by clip / norm without
PyTorch's + 1e-6, the SVM loss is micrograd's mean relu(1 - y s), L2 is
sum w^2 / 2, dropout's mask comes from our PCG32 stream (reimplemented
here from its published definition).

Needs PyTorch (Debian: apt-get install python3-torch; run it with
/usr/bin/python3) and, for the networks, the digits that ./build.sh wasm
packs into web/build/data. Writes tests/ref/tensor_cases.json (read by
tests/c/test_ref.c, natively and in the WASM build). Run it after changing
a case:

    bash build.sh ref      # or: /usr/bin/python3 tests/ref/gen_tensor_ref.py
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "ref", "tensor_cases.json")
DATA = os.path.join(ROOT, "web", "build", "data")

rng = np.random.default_rng(20240514)


def f32(x):
    """float32 rounding, as a float64 array (what the engine will hold)."""
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def uniform(shape, lo=-1.0, hi=1.0):
    return f32(rng.uniform(lo, hi, size=shape))


def distinct(n):
    """n values at least 2/n apart in random order: max pooling has no ties."""
    return f32(rng.permutation(-1.0 + (np.arange(n) + 0.5) * 2.0 / n))


def leaf(a):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


def flat(t):
    if isinstance(t, torch.Tensor):
        t = t.detach().numpy()
    return [float(v) for v in np.asarray(t, dtype=np.float64).ravel()]


def short32(a):
    """Float32 values for the JSON in their shortest form ('0.35'), which
    strtod and a cast to float read back to the same float."""
    return [float(repr(np.float32(v))) for v in np.asarray(a, dtype=np.float64).ravel()]


def grad_of(t):
    return flat(t.grad if t.grad is not None else torch.zeros_like(t))


# ---- PCG32 (pcg-random.org, pcg32_srandom_r / pcg32_random_r) --------------

M64 = (1 << 64) - 1


class Pcg32:
    def __init__(self, seed, stream):
        self.state = 0
        self.inc = ((stream << 1) | 1) & M64
        self.u32()
        self.state = (self.state + seed) & M64
        self.u32()

    def u32(self):
        old = self.state
        self.state = (old * 6364136223846793005 + self.inc) & M64
        xs = (((old >> 18) ^ old) >> 27) & 0xFFFFFFFF
        rot = old >> 59
        return ((xs >> rot) | (xs << ((-rot) & 31))) & 0xFFFFFFFF

    def uniform(self):
        """[0, 1) from 53 bits: 27 of one draw, 26 of the next."""
        hi = self.u32() >> 5
        lo = self.u32() >> 6
        return ((hi << 26) | lo) * (1.0 / 9007199254740992.0)


def dropout_mask(rng32, p, n):
    """Inverted dropout as documented in ops.h: one uniform per element, kept
    (scaled by the float 1/(1-p)) when u >= p."""
    p32 = np.float32(p)
    scale = float(np.float32(1.0) / (np.float32(1.0) - p32))
    return np.array([scale if rng32.uniform() >= float(p32) else 0.0 for _ in range(n)])


# ---- ops --------------------------------------------------------------------

def op_case(op, name, sizes, inputs, want):
    return {"op": op, "name": name, "sizes": sizes,
            "inputs": {k: short32(v) if k != "labels" else [int(i) for i in v]
                       for k, v in inputs.items()},
            "want": {k: flat(v) for k, v in want.items()}}


def backward_with(out, dout, tensors):
    out.backward(torch.tensor(dout).reshape(out.shape))
    return [grad_of(t) for t in tensors]


def ops():
    cases = []
    # dense: sizes that leave remainders in every tile of the fast kernel
    for N, C, OC, with_bias in [(3, 5, 4, True), (7, 37, 19, True), (17, 40, 21, True),
                                (5, 9, 6, False)]:
        inp, w, b = uniform((N, C)), uniform((OC, C)), uniform((OC,))
        dout = uniform((N, OC))
        ti, tw, tb = leaf(inp), leaf(w), leaf(b)
        out = F.linear(ti, tw, tb if with_bias else None)
        g = backward_with(out, dout, [ti, tw, tb])
        ins = {"inp": inp, "weight": w, "dout": dout}
        want = {"out": out, "dinp": g[0], "dweight": g[1]}
        if with_bias:
            ins["bias"], want["dbias"] = b, g[2]
        cases.append(op_case("matmul", f"matmul N{N} C{C} OC{OC}{'' if with_bias else ' no bias'}",
                             {"N": N, "C": C, "OC": OC}, ins, want))

    N, C = 4, 3
    inp, b, dout = uniform((N, C)), uniform((C,)), uniform((N, C))
    ti, tb = leaf(inp), leaf(b)
    out = ti + tb
    g = backward_with(out, dout, [ti, tb])
    cases.append(op_case("bias", "bias N4 C3", {"N": N, "C": C},
                         {"inp": inp, "bias": b, "dout": dout},
                         {"out": out, "dinp": g[0], "dbias": g[1]}))

    n = 10
    a, b, dout = uniform(n, -2, 2), uniform(n, -2, 2), uniform(n)
    for op, fn in [("add", torch.add), ("mul", torch.mul)]:
        ta, tb = leaf(a), leaf(b)
        out = fn(ta, tb)
        g = backward_with(out, dout, [ta, tb])
        cases.append(op_case(op, f"{op} n{n}", {"n": n}, {"a": a, "b": b, "dout": dout},
                             {"out": out, "da": g[0], "db": g[1]}))

    # activations: exact zeros included (relu'(0) = 0, leaky_relu'(0) =
    # alpha, as PyTorch), large inputs for saturation
    x = uniform(24, -4, 4)
    x[[3, 11]] = 0.0
    x[[5, 17]] = [-20.0, 25.0]
    dout = uniform(24)
    for op, fn, extra in [("relu", F.relu, {}),
                          ("leaky_relu", lambda t: F.leaky_relu(t, float(np.float32(0.01))), {"alpha": 0.01}),
                          ("leaky_relu", lambda t: F.leaky_relu(t, float(np.float32(0.2))), {"alpha": 0.2}),
                          ("tanh", torch.tanh, {}), ("sigmoid", torch.sigmoid, {}),
                          ("gelu", lambda t: F.gelu(t, approximate="tanh"), {}),
                          ("elu", lambda t: F.elu(t, alpha=1.0), {})]:
        tx = leaf(x)
        out = fn(tx)
        g = backward_with(out, dout, [tx])
        name = op + (f" alpha {extra['alpha']}" if extra else "")
        cases.append(op_case(op, name, dict(n=24, **extra), {"inp": x, "dout": dout},
                             {"out": out, "dinp": g[0]}))

    inp = uniform((4, 6), -3, 3)
    inp[2] = f32(inp[2] + 900.0)  # stability: a row far from 0
    dout = uniform((4, 6))
    ti = leaf(inp)
    out = torch.softmax(ti, dim=1)
    g = backward_with(out, dout, [ti])
    cases.append(op_case("softmax", "softmax N4 C6", {"N": 4, "C": 6}, {"inp": inp, "dout": dout},
                         {"out": out, "dinp": g[0]}))

    # convolutions: stride, padding, kernels that leave rows and columns out
    for N, C, H, W, OC, K, s, p in [(2, 2, 5, 6, 3, 3, 1, 0), (2, 2, 5, 6, 3, 3, 2, 1),
                                    (1, 3, 7, 5, 2, 3, 1, 1), (2, 2, 6, 5, 3, 2, 2, 0),
                                    (1, 2, 4, 7, 2, 3, 2, 0), (1, 1, 7, 6, 2, 2, 3, 1),
                                    (2, 3, 4, 4, 2, 1, 1, 0), (2, 1, 12, 12, 8, 5, 1, 2),
                                    (1, 6, 9, 9, 5, 5, 2, 2), (3, 5, 6, 6, 9, 3, 1, 1)]:
        inp, w, b = uniform((N, C, H, W)), uniform((OC, C, K, K)), uniform((OC,))
        ti, tw, tb = leaf(inp), leaf(w), leaf(b)
        out = F.conv2d(ti, tw, tb, stride=s, padding=p)
        dout = uniform(tuple(out.shape))
        g = backward_with(out, dout, [ti, tw, tb])
        cases.append(op_case("conv2d", f"conv2d N{N} C{C} {H}x{W} OC{OC} K{K} s{s} p{p}",
                             dict(N=N, C=C, H=H, W=W, OC=OC, K=K, stride=s, pad=p),
                             {"inp": inp, "weight": w, "bias": b, "dout": dout},
                             {"out": out, "dinp": g[0], "dweight": g[1], "dbias": g[2]}))

    for N, C, H, W, K in [(2, 2, 5, 7, 2), (1, 3, 7, 8, 3), (2, 1, 4, 6, 2), (2, 2, 10, 10, 2)]:
        for op, fn in [("maxpool", F.max_pool2d), ("avgpool", F.avg_pool2d)]:
            inp = distinct(N * C * H * W).reshape(N, C, H, W)
            ti = leaf(inp)
            out = fn(ti, K, K)
            dout = uniform(tuple(out.shape))
            g = backward_with(out, dout, [ti])
            cases.append(op_case(op, f"{op} N{N} C{C} {H}x{W} K{K}", dict(N=N, C=C, H=H, W=W, K=K),
                                 {"inp": inp, "dout": dout}, {"out": out, "dinp": g[0]}))

    # dropout: the mask from our PCG32 stream (seed, stream) as the op draws it
    n, p = 40, 0.4
    inp, dout = uniform(n, -2, 2), uniform(n)
    for training in (1, 0):
        mask = dropout_mask(Pcg32(99, 3), p, n) if training else np.ones(n)
        ti = leaf(inp)
        out = ti * torch.tensor(mask)
        g = backward_with(out, dout, [ti])
        cases.append(op_case("dropout", f"dropout p{p} {'training' if training else 'eval'}",
                             dict(n=n, p=p, training=training, seed=99, stream=3),
                             {"inp": inp, "dout": dout}, {"out": out, "mask": mask, "dinp": g[0]}))

    # batch normalization over (N, C, S): biased variance to normalize,
    # unbiased for the running estimate, momentum 0.1, eps 1e-5, as
    # PyTorch's batch_norm
    for N, C, S, training in [(6, 3, 1, 1), (3, 2, 4, 1), (16, 4, 9, 1), (2, 3, 1, 0), (3, 2, 4, 0)]:
        inp = uniform((N, C, S))
        inp[:, 0] = f32(inp[:, 0] + 3.0)  # a channel whose mean is far from 0
        gamma, beta = uniform(C, 0.5, 1.5), uniform(C, -0.5, 0.5)
        rm0, rv0 = uniform(C, -0.5, 0.5), uniform(C, 0.5, 1.5)
        dout = uniform((N, C, S))
        ti, tg, tb = leaf(inp), leaf(gamma), leaf(beta)
        rm, rv = torch.tensor(rm0), torch.tensor(rv0)
        out = F.batch_norm(ti, rm, rv, tg, tb, training=bool(training),
                           momentum=float(np.float32(0.1)), eps=float(np.float32(1e-5)))
        g = backward_with(out, dout, [ti, tg, tb])
        cases.append(op_case("batchnorm", f"batchnorm {'training' if training else 'eval'} N{N} C{C} S{S}",
                             dict(N=N, C=C, S=S, training=training, momentum=0.1, eps=1e-5),
                             {"inp": inp, "gamma": gamma, "beta": beta, "running_mean": rm0,
                              "running_var": rv0, "dout": dout},
                             {"out": out, "dinp": g[0], "dgamma": g[1], "dbeta": g[2],
                              "running_mean": rm, "running_var": rv}))

    # losses: the value and scale times its gradient
    scale = float(np.float32(0.7))
    pred, tgt = uniform((4, 3), -2, 2), uniform((4, 3), -2, 2)
    tp = leaf(pred)
    loss = F.mse_loss(tp, torch.tensor(tgt))
    (scale * loss).backward()
    cases.append(op_case("mse", "mse N4 D3", {"N": 4, "D": 3, "scale": 0.7},
                         {"pred": pred, "target": tgt}, {"loss": [loss.item()], "dpred": grad_of(tp)}))

    logits = uniform(10, -4, 4)
    logits[[2, 7]] = [30.0, -30.0]
    tgt = f32([i % 2 for i in range(10)])
    tl = leaf(logits)
    loss = F.binary_cross_entropy_with_logits(tl, torch.tensor(tgt))
    (scale * loss).backward()
    cases.append(op_case("bce", "bce_logits N10", {"N": 10, "scale": 0.7},
                         {"logits": logits, "target": tgt}, {"loss": [loss.item()], "dlogits": grad_of(tl)}))

    logits = uniform((6, 5), -3, 3)
    logits[4] = f32(logits[4] + 500.0)
    labels = rng.integers(0, 5, size=6)
    tl = leaf(logits)
    loss = F.cross_entropy(tl, torch.tensor(labels))
    (scale * loss).backward()
    cases.append(op_case("softmax_ce", "softmax_ce N6 C5", {"N": 6, "C": 5, "scale": 0.7},
                         {"logits": logits, "labels": labels},
                         {"loss": [loss.item()], "dlogits": grad_of(tl)}))

    # micrograd's max-margin loss, mean relu(1 - y s): written out (PyTorch
    # has no such loss); relu'(0) = 0 gives our subgradient at the kink
    y = f32([1 if i % 3 else -1 for i in range(12)])
    s = uniform(12, -2.5, 2.5)
    s[4], y[4] = 1.0, 1.0  # on the kink
    ts = leaf(s)
    loss = torch.relu(1 - torch.tensor(y) * ts).mean()
    (scale * loss).backward()
    cases.append(op_case("svm", "svm N12", {"N": 12, "scale": 0.7}, {"scores": s, "target": y},
                         {"loss": [loss.item()], "dscores": grad_of(ts)}))

    # regularizers: L1 = sum |w| (d|w|/dw = 0 at 0, as torch.abs), L2 = sum w^2 / 2
    w = uniform(15, -2, 2)
    w[6] = 0.0
    rate = float(np.float32(0.3))
    for op, fn in [("l1", lambda t: t.abs().sum()), ("l2", lambda t: (t * t).sum() / 2)]:
        tw = leaf(w)
        val = fn(tw)
        (rate * val).backward()
        cases.append(op_case(op, f"{op} n15", {"n": 15, "rate": 0.3}, {"w": w},
                             {"value": [val.item()], "dw": grad_of(tw)}))
    return cases


# ---- networks from a spec ----------------------------------------------------

ACTS = {"linear": lambda t: t, "relu": F.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
        "leaky_relu": lambda t: F.leaky_relu(t, float(np.float32(0.01))),
        "gelu": lambda t: F.gelu(t, approximate="tanh"), "elu": lambda t: F.elu(t, alpha=1.0)}


def parse_spec(spec, shape):
    """Layers of the spec language (src/nn/model.h) with their parameter
    counts and output shapes; a separate reading of the same grammar."""
    layers, shape = [], tuple(shape)
    for text in spec.split(","):
        w = text.split()
        L = {"kind": w[0], "act": "linear", "in": shape}
        if w[0] == "dense":
            L["units"] = int(w[1])
            fan_in = shape[0] * shape[1] * shape[2]
            L["w_shape"], L["b_shape"] = (L["units"], fan_in), (L["units"],)
            rest = w[2:]
            shape = (L["units"], 1, 1)
        elif w[0] == "conv":
            L["K"], L["units"], L["stride"], L["pad"] = int(w[1]), int(w[2]), 1, 0
            rest = w[3:]
            while rest and rest[0] in ("stride", "pad"):
                L[rest[0]] = int(rest[1])
                rest = rest[2:]
            L["w_shape"], L["b_shape"] = (L["units"], shape[0], L["K"], L["K"]), (L["units"],)
            oh = (shape[1] + 2 * L["pad"] - L["K"]) // L["stride"] + 1
            ow = (shape[2] + 2 * L["pad"] - L["K"]) // L["stride"] + 1
            shape = (L["units"], oh, ow)
        elif w[0] in ("maxpool", "avgpool"):
            L["K"], rest = int(w[1]), w[2:]
            shape = (shape[0], shape[1] // L["K"], shape[2] // L["K"])
        elif w[0] == "flatten":
            rest, shape = w[1:], (shape[0] * shape[1] * shape[2], 1, 1)
        elif w[0] == "dropout":
            L["p"], rest = float(w[1]), w[2:]
        elif w[0] == "batchnorm":
            L["w_shape"], L["b_shape"], rest = (shape[0],), (shape[0],), w[1:]
        else:
            raise ValueError(text)
        if rest:
            L["act"] = rest[0]
        L["out"] = shape
        layers.append(L)
    return layers


def param_layout(layers):
    """(offset, shape, role, weight) of every parameter tensor in the engine's
    flat buffer: per layer its weights, then its biases; role "w", "b",
    "gamma" or "beta". weight: a dense or conv weight, which L1/L2 and
    weight decay reach (biases and batchnorm do not)."""
    out, off = [], 0
    for L in layers:
        for key in ("w_shape", "b_shape"):
            if key in L:
                role = ("gamma" if key == "w_shape" else "beta") if L["kind"] == "batchnorm" else key[0]
                out.append((off, L[key], role, role == "w"))
                off += int(np.prod(L[key]))
    return out, off


class Net:
    """A network of the spec on flat float32 parameters, run in float64."""

    def __init__(self, spec, shape, flat_params, dropout_seed=None):
        self.layers = parse_spec(spec, shape)
        self.layout, self.nparams = param_layout(self.layers)
        assert len(flat_params) == self.nparams, (spec, len(flat_params), self.nparams)
        self.params = [leaf(np.asarray(flat_params[o:o + int(np.prod(s))]).reshape(s))
                       for o, s, _, _ in self.layout]
        self.running = {i: [torch.zeros(L["in"][0]), torch.ones(L["in"][0])]
                        for i, L in enumerate(self.layers) if L["kind"] == "batchnorm"}
        self.rng32 = Pcg32(dropout_seed, 0x6D67) if dropout_seed is not None else None

    def forward(self, x, training):
        h = torch.tensor(np.asarray(x)).reshape((-1,) + tuple(self.layers[0]["in"]))
        it = iter(self.params)
        for i, L in enumerate(self.layers):
            k = L["kind"]
            if k == "dense":
                h = ACTS[L["act"]](F.linear(h.reshape(h.shape[0], -1), next(it), next(it)))
            elif k == "conv":
                h = ACTS[L["act"]](F.conv2d(h, next(it), next(it), stride=L["stride"], padding=L["pad"]))
            elif k == "maxpool":
                h = F.max_pool2d(h, L["K"], L["K"])
            elif k == "avgpool":
                h = F.avg_pool2d(h, L["K"], L["K"])
            elif k == "flatten":
                h = h.reshape(h.shape[0], -1)
            elif k == "dropout":
                if training:
                    mask = dropout_mask(self.rng32, L["p"], h.numel())
                    h = h * torch.tensor(mask).reshape(h.shape)
            elif k == "batchnorm":
                rm, rv = self.running[i]
                shp = h.shape
                h = F.batch_norm(h.reshape(shp[0], shp[1], -1), rm, rv, next(it), next(it),
                                 training=training, momentum=float(np.float32(0.1)),
                                 eps=float(np.float32(1e-5))).reshape(shp)
        return h.reshape(h.shape[0], -1)

    def weights(self):
        """The parameters L1/L2 apply to: dense and conv weights."""
        return [p for p, (_, _, _, weight) in zip(self.params, self.layout) if weight]

    def loss(self, x, labels, targets, loss, nclasses, l1=0.0, l2=0.0):
        out = self.forward(x, True)
        data = data_loss(out, labels, targets, loss, nclasses)
        reg = sum(l1 * p.abs().sum() + l2 * (p * p).sum() / 2 for p in self.weights())
        return data + reg

    def grads(self):
        return np.concatenate([np.asarray(grad_of(p)) for p in self.params])

    def flat(self):
        return np.concatenate([p.detach().numpy().ravel() for p in self.params])


def data_loss(out, labels, targets, loss, nclasses):
    if loss == "ce":
        return F.cross_entropy(out, torch.tensor(labels))
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(out[:, 0], torch.tensor(labels, dtype=torch.float64))
    if loss == "svm":  # micrograd's max-margin loss (see ops)
        y = torch.tensor([1.0 if v else -1.0 for v in labels])
        return torch.relu(1 - y * out[:, 0]).mean()
    if loss == "mse":
        if labels is None:
            t = torch.tensor(np.asarray(targets)).reshape(out.shape)
        elif out.shape[1] == 1:
            t = torch.tensor(np.asarray(labels, dtype=np.float64)).reshape(out.shape)
        else:
            t = F.one_hot(torch.tensor(labels), nclasses).to(torch.float64)
        return F.mse_loss(out, t)
    raise ValueError(loss)


def init_params(spec, shape):
    """Small random parameters for a case: weights uniform within He's
    bound, biases within 0.3, batchnorm's gamma near 1 and beta near 0."""
    layout, n = param_layout(parse_spec(spec, shape))
    p = np.zeros(n)
    for off, shp, role, weight in layout:
        cnt = int(np.prod(shp))
        if weight:
            bound = math.sqrt(6.0 / int(np.prod(shp[1:])))
            p[off:off + cnt] = uniform(cnt, -bound, bound)
        elif role == "gamma":
            p[off:off + cnt] = uniform(cnt, 0.7, 1.3)
        else:
            p[off:off + cnt] = uniform(cnt, -0.3, 0.3)
    return f32(p)


def batch_data(shape, n, nclasses, loss):
    x = uniform((n,) + tuple(shape), -1.5, 1.5)
    if nclasses:
        labels = [int(v) for v in rng.integers(0, nclasses, size=n)]
        return x, labels, None
    return x, None, uniform((n, 1), -1, 1)


# ---- models: one forward and backward per layer kind, activation, loss ---------

MODEL_CASES = [
    # (spec, input shape, classes, loss, batch, l1, l2)
    ("dense 5 relu, dense 3", (4, 1, 1), 3, "ce", 6, 0.0, 0.0),
    ("dense 5 leaky_relu, dense 4 tanh, dense 1", (3, 1, 1), 2, "bce", 7, 0.0, 0.0),
    ("dense 6 sigmoid, dense 1", (2, 1, 1), 2, "svm", 8, 0.0, 0.0),
    ("dense 4 tanh, dense 1", (2, 1, 1), 0, "mse", 5, 0.0, 0.0),
    ("dense 4 relu, dense 3", (2, 1, 1), 3, "mse", 6, 0.0, 0.0),
    ("dense 3 tanh, dense 1", (2, 1, 1), 2, "mse", 6, 0.0, 0.0),
    ("dense 6, batchnorm, dense 5 relu, batchnorm, dense 3", (3, 1, 1), 3, "ce", 8, 0.0, 0.0),
    ("dense 6 tanh, dropout 0.3, dense 4 relu, dropout 0.5, dense 2", (3, 1, 1), 2, "ce", 5, 0.0, 0.0),
    ("dense 5 tanh, dense 2", (3, 1, 1), 2, "ce", 4, 0.02, 0.05),
    ("conv 3 4 pad 1 relu, maxpool 2, conv 2 3 stride 2 sigmoid, flatten, dense 3",
     (2, 8, 6), 3, "ce", 3, 0.0, 0.0),
    ("conv 3 4 tanh, batchnorm, avgpool 2, dense 2", (1, 7, 7), 2, "ce", 4, 0.0, 0.0),
    ("conv 5 6 stride 2 pad 2 leaky_relu, conv 3 2 stride 1 pad 1, avgpool 3, dense 4", (3, 9, 9),
     4, "ce", 3, 0.01, 0.03),
    ("conv 1 3 linear, maxpool 3, dense 1", (2, 6, 7), 0, "mse", 4, 0.0, 0.0),
    ("dense 5 gelu, dense 4 elu, dense 3", (3, 1, 1), 3, "ce", 6, 0.0, 0.0),
    ("conv 3 3 pad 1 gelu, conv 2 2 elu, flatten, dense 1", (1, 5, 5), 2, "bce", 3, 0.0, 0.0),
]


def models():
    cases = []
    for spec, shape, nclasses, loss, n, l1, l2 in MODEL_CASES:
        params = init_params(spec, shape)
        seed = 5
        net = Net(spec, shape, params, dropout_seed=seed)
        x, labels, targets = batch_data(shape, n, nclasses, loss)
        l1, l2 = float(np.float32(l1)), float(np.float32(l2))
        L = net.loss(x, labels, targets, loss, nclasses, l1, l2)
        L.backward()
        pred = net.forward(x, False)  # after the step's batchnorm update
        case = {"name": f"{spec} ({loss})", "spec": spec, "shape": list(shape), "seed": seed,
                "nclasses": nclasses, "loss": loss, "l1": l1, "l2": l2, "n": n,
                "params": short32(params), "x": short32(x),
                "want": {"loss": L.item(), "grads": flat(net.grads()), "predict": flat(pred)}}
        if labels is not None:
            case["labels"] = labels
        else:
            case["targets"] = short32(targets)
        cases.append(case)
    return cases


# ---- optimizers ------------------------------------------------------------------

OPT_DEFAULTS = dict(opt="sgd", lr=0.1, momentum=0.9, beta1=0.9, beta2=0.999, rho=0.9, eps=1e-8,
                    weight_decay=0.0, l1=0.0, l2=0.0, clip=0.0, accum=1, schedule="constant",
                    step_size=1000, gamma=0.1, total_steps=10000)

OPT_CASES = [
    # name, overrides of OPT_DEFAULTS, updates
    ("sgd lr 0.3", dict(opt="sgd", lr=0.3), 5),
    ("momentum 0.7", dict(opt="momentum", lr=0.05, momentum=0.7), 5),
    ("nesterov 0.8", dict(opt="nesterov", lr=0.05, momentum=0.8), 5),
    ("rmsprop rho 0.8 eps 1e-6", dict(opt="rmsprop", lr=0.01, rho=0.8, eps=1e-6), 5),
    ("adam betas 0.8 0.99 eps 1e-7", dict(opt="adam", lr=0.02, beta1=0.8, beta2=0.99, eps=1e-7), 5),
    ("adagrad eps 1e-6", dict(opt="adagrad", lr=0.05, eps=1e-6), 5),
    ("sgd weight decay 0.1", dict(opt="sgd", lr=0.2, weight_decay=0.1), 4),
    ("momentum weight decay 0.05", dict(opt="momentum", lr=0.05, momentum=0.9, weight_decay=0.05), 4),
    ("nesterov weight decay 0.2", dict(opt="nesterov", lr=0.05, momentum=0.5, weight_decay=0.2), 4),
    ("rmsprop weight decay 0.1", dict(opt="rmsprop", lr=0.01, rho=0.95, weight_decay=0.1), 4),
    ("adamw 0.3", dict(opt="adam", lr=0.01, weight_decay=0.3), 4),
    ("adagrad weight decay 0.1", dict(opt="adagrad", lr=0.05, weight_decay=0.1), 4),
    ("sgd l1 0.05 l2 0.1", dict(opt="sgd", lr=0.2, l1=0.05, l2=0.1), 4),
    ("adam l2 0.2", dict(opt="adam", lr=0.01, l2=0.2), 4),
    ("sgd clip 0.2", dict(opt="sgd", lr=0.5, clip=0.2), 4),
    ("adam clip 0.1", dict(opt="adam", lr=0.01, beta1=0.85, clip=0.1), 4),
    ("momentum accum 3", dict(opt="momentum", lr=0.05, momentum=0.6, accum=3), 3),
    ("sgd step schedule", dict(opt="sgd", lr=0.4, schedule="step", step_size=2, gamma=0.5), 6),
    ("adam cosine schedule", dict(opt="adam", lr=0.03, schedule="cosine", total_steps=5), 6),
    ("everything", dict(opt="adam", lr=0.02, beta1=0.85, beta2=0.995, eps=1e-6, weight_decay=0.05,
                        l1=0.02, l2=0.02, clip=0.3, accum=2, schedule="step", step_size=2,
                        gamma=0.7), 5),
]
OPT_SPEC, OPT_SHAPE, OPT_CLASSES, OPT_BATCH = "dense 6 tanh, batchnorm, dense 5 relu, dense 3", (4, 1, 1), 3, 6


def run_optimizer(net, cfg, batches, updates, loss_name, nclasses):
    """Our update rules through torch.optim where PyTorch has the same rule:
    SGD (momentum and Nesterov with dampening 0), RMSprop (alpha = rho),
    Adagrad (initial accumulator 0, no lr decay),
    Adam/AdamW (decoupled weight decay); the decay of the others is ours,
    decoupled like AdamW's (PyTorch's SGD, RMSprop and Adagrad add wd * p to the
    gradient instead), on dense and conv weights only. Clipping scales the
    whole gradient by clip / norm when norm > clip (PyTorch's
    clip_grad_norm_ divides by norm + 1e-6). Schedules: StepLR and
    CosineAnnealingLR stepped once per update (the cosine held at 0 after
    total_steps, as ours: the cases stop before PyTorch's would rise)."""
    c = {k: (float(np.float32(v)) if isinstance(v, float) else v) for k, v in cfg.items()}
    decayed = net.weights()
    others = [p for p, (_, _, _, weight) in zip(net.params, net.layout) if not weight]
    lr = c["lr"]
    if c["opt"] == "adam":
        opt = torch.optim.AdamW([{"params": decayed, "weight_decay": c["weight_decay"]},
                                 {"params": others, "weight_decay": 0.0}],
                                lr=lr, betas=(c["beta1"], c["beta2"]), eps=c["eps"])
    elif c["opt"] == "rmsprop":
        opt = torch.optim.RMSprop(net.params, lr=lr, alpha=c["rho"], eps=c["eps"])
    elif c["opt"] == "adagrad":
        opt = torch.optim.Adagrad(net.params, lr=lr, eps=c["eps"])
    else:
        mom = 0.0 if c["opt"] == "sgd" else c["momentum"]
        opt = torch.optim.SGD(net.params, lr=lr, momentum=mom, nesterov=c["opt"] == "nesterov")
    sched = None
    if c["schedule"] == "step":
        sched = torch.optim.lr_scheduler.StepLR(opt, c["step_size"], c["gamma"])
    elif c["schedule"] == "cosine":
        assert updates <= c["total_steps"] + 1
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, c["total_steps"], eta_min=0.0)
    losses, params, lrs = [], [], []
    k = 0
    for _ in range(updates):
        opt.zero_grad()
        for _ in range(c["accum"]):
            x, labels = batches[k % len(batches)]
            k += 1
            L = net.loss(x, labels, None, loss_name, nclasses, c["l1"], c["l2"])
            losses.append(L.item())
            (L / c["accum"]).backward()
        with torch.no_grad():
            norm = math.sqrt(sum(float((p.grad * p.grad).sum()) for p in net.params))
            if c["clip"] > 0 and norm > c["clip"]:
                for p in net.params:
                    p.grad *= c["clip"] / norm
            lr_t = opt.param_groups[0]["lr"]
            lrs.append(lr_t)
            if c["opt"] != "adam":
                for p in decayed:
                    p.mul_(1 - lr_t * c["weight_decay"])
        opt.step()
        if sched:
            sched.step()
        params.append(flat(net.flat()))
    return losses, params, lrs


def optimizers():
    cases = []
    params0 = init_params(OPT_SPEC, OPT_SHAPE)
    batches = [batch_data(OPT_SHAPE, OPT_BATCH, OPT_CLASSES, "ce")[:2] for _ in range(4)]
    for name, over, updates in OPT_CASES:
        cfg = dict(OPT_DEFAULTS, **over)
        net = Net(OPT_SPEC, OPT_SHAPE, params0)
        losses, params, lrs = run_optimizer(net, cfg, batches, updates, "ce", OPT_CLASSES)
        cases.append({"name": name, "config": cfg, "updates": updates,
                      "want": {"losses": losses, "params": params, "lr": lrs}})
    return {"spec": OPT_SPEC, "shape": list(OPT_SHAPE), "nclasses": OPT_CLASSES, "loss": "ce",
            "seed": 5, "params": short32(params0),
            "batches": [{"x": short32(x), "labels": y} for x, y in batches], "cases": cases}


# ---- full networks on MNIST ------------------------------------------------------

def hash32(i):
    """lowbias32 (Wellons): the initial weights of the network cases, which
    the tests compute from the parameter index."""
    x = np.uint32(i)
    with np.errstate(over="ignore"):
        x ^= x >> np.uint32(16)
        x *= np.uint32(0x7FEB352D)
        x ^= x >> np.uint32(15)
        x *= np.uint32(0x846CA68B)
        x ^= x >> np.uint32(16)
    return x


def hash_params(layout_bounds, n):
    idx = np.arange(n, dtype=np.uint32)
    h = hash32(idx).astype(np.float64)
    u = 2.0 * h / 4294967296.0 - 1.0
    p = np.zeros(n)
    for off, cnt, bound in layout_bounds:
        p[off:off + cnt] = bound * u[off:off + cnt]
    return f32(p)


def read_idx():
    with open(os.path.join(DATA, "mnist-10k-images.idx"), "rb") as f:
        img = f.read()
    with open(os.path.join(DATA, "mnist-10k-labels.idx"), "rb") as f:
        lab = f.read()
    n = int.from_bytes(img[4:8], "big")
    x = np.frombuffer(img, dtype=np.uint8, offset=16).reshape(n, 784)
    y = np.frombuffer(lab, dtype=np.uint8, offset=8)
    return x, y


NET_CASES = [("mnist mlp", "dense 128 relu, dense 10", (784, 1, 1)),
             ("mnist cnn", "conv 5 8 relu, maxpool 2, conv 5 16 relu, maxpool 2, flatten, dense 10",
              (1, 28, 28))]
NET_STEPS, NET_BATCH, NET_SAMPLE = 20, 32, 97


def networks():
    if not os.path.exists(os.path.join(DATA, "mnist-10k-images.idx")):
        sys.exit(f"gen_tensor_ref: {DATA} has no digits: run ./build.sh wasm first")
    xb, yb = read_idx()
    count = NET_STEPS * NET_BATCH
    # the engine's pixels: (float)byte / 255.0f
    x = (xb[:count].astype(np.float32) / np.float32(255.0)).astype(np.float64)
    y = [int(v) for v in yb[:count]]
    cases = []
    for name, spec, shape in NET_CASES:
        layers = parse_spec(spec, shape)
        layout, n = param_layout(layers)
        bounds = []
        for off, shp, _, weight in layout:
            cnt = int(np.prod(shp))
            bounds.append((off, cnt, math.sqrt(6.0 / int(np.prod(shp[1:]))) if weight else 0.05))
        params0 = hash_params(bounds, n)
        net = Net(spec, shape, params0)
        cfg = dict(OPT_DEFAULTS, opt="adam", lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8)
        batches = [(x[i * NET_BATCH:(i + 1) * NET_BATCH], y[i * NET_BATCH:(i + 1) * NET_BATCH])
                   for i in range(NET_STEPS)]
        losses, params, _ = run_optimizer(net, cfg, batches, NET_STEPS, "ce", 10)
        final = np.asarray(params[-1])
        sample = []
        for off, cnt, bound in bounds:
            # every NET_SAMPLE-th value of the tensor, and its first and last
            idx = sorted(set(list(range(0, cnt, NET_SAMPLE)) + [cnt - 1]))
            d = final[off:off + cnt] - params0[off:off + cnt]
            sample.append({"off": off, "count": cnt, "bound": bound, "index": idx,
                           "delta": flat(d[idx]), "delta_norm": float(np.sqrt((d * d).sum()))})
        cases.append({"name": name, "spec": spec, "shape": list(shape), "batch": NET_BATCH,
                      "steps": NET_STEPS, "nclasses": 10, "config": {"opt": "adam", "lr": 0.001},
                      "pixel_sum": float(x.sum()), "label_sum": int(sum(y)),
                      "want": {"losses": losses, "tensors": sample}})
    return cases


def main():
    ref = {"generator": "tests/ref/gen_tensor_ref.py", "torch": torch.__version__,
           "ops": ops(), "models": models(), "optim": optimizers(), "networks": networks()}
    with open(OUT, "w") as f:
        json.dump(ref, f, separators=(",", ":"))
        f.write("\n")
    print(f"gen_tensor_ref: {len(ref['ops'])} op cases, {len(ref['models'])} models, "
          f"{len(ref['optim']['cases'])} optimizer cases, {len(ref['networks'])} networks -> "
          f"{os.path.relpath(OUT, ROOT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
