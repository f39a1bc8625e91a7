#!/usr/bin/env python3
"""Independent reference for the scalar engine and the expression language.

Evaluates each program of CASES with forward-mode automatic differentiation
(dual numbers carrying d/d(leaf) for every leaf at once), an algorithm and
an implementation independent of the C engine's reverse-mode graph. The
programs are valid Python, so Python's own parser (ast) reads them.

Writes tests/ref/scalar_cases.json (read by the node tests) and
tests/c/ref_cases.h (compiled into ctest). Run it after changing CASES:

    python3 tests/ref/gen_scalar_ref.py
"""
import ast
import json
import math
import struct
import os

CASES = [
    ("karpathy_intro", "a = 2; b = -3; c = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f"),
    ("micrograd_sanity", "x=-4; z=2*x+2+x; q=relu(z)+z*x; h=relu(z*z); y=h+q+q*x"),
    ("micrograd_more_ops",
     "a = -4\nb = 2\nc = a + b\nd = a*b + b**3\nc = c + c + 1\nc = c + 1 + c + (-a)\n"
     "d = d + d*2 + relu(b + a)\nd = d + 3*d + relu(b - a)\ne = c - d\nf = e**2\n"
     "g = f / 2.0\ng = g + 10.0 / f"),
    ("tanh_neuron",
     "x1 = 2.0; x2 = 0.0\nw1 = -3.0; w2 = 1.0\nb = 6.8813735870195432\n"
     "n = x1*w1 + x2*w2 + b\no = tanh(n)"),
    ("tanh_from_exp",
     "x1 = 2.0; x2 = 0.0; w1 = -3.0; w2 = 1.0; b = 6.8813735870195432\n"
     "n = x1*w1 + x2*w2 + b\ne = exp(2*n)\no = (e - 1)/(e + 1)"),
    ("bce_of_sigmoid", "p = 0.7; y = 1\nL = -(y*log(sigmoid(p)) + (1 - y)*log(1 - sigmoid(p)))"),
    ("reuse", "a = 3\nb = a*a\nc = b + a\nd = c*c - b/a"),
    ("precedence", "a = 1.5\ny = -a**2 + 2**-1 * a - a/2/3 + (a - 1)**3**2"),
    ("nested_calls", "x = 0.3\ny = sigmoid(tanh(exp(x) - log(x + 2))) * relu(x - 0.1)"),
    ("fractional_powers", "x = 2.5\ny = x**0.5 + x**-1.5 - 1/x"),
    ("mse_two_points",
     "w = 0.5; b = 0.1\nx1 = 1; y1 = 2\nx2 = 2; y2 = 3\n"
     "L = ((w*x1 + b - y1)**2 + (w*x2 + b - y2)**2) / 2"),
    ("rebinding", "c = 1\nd = c*2\nc = 5   # a new leaf named c\ne = d*c + c"),
    ("comments_and_blank_lines", "# a comment\n\na = 0.25 # trailing\nb = a*4;\n\ny = a*b + b  "),
    ("scientific_numbers", "a = 1e-3; b = 2.5E2; c = .5\ny = a*b/c + 4.0e+1*a"),
    ("activations",
     "x = 0.7\ny = gelu(x) + elu(x - 1.5) + leaky_relu(-x) * 3\nz = gelu(-2*x) * elu(x) + y"),
    # the book's autodiff chapter: d/dx sin(x^2) at x = 1 is 2 cos(1)
    ("sin_of_square", "x = 1\ny = sin(x**2)"),
    ("sin_cos_chain", "a = 0.4; b = -1.3\nc = sin(a*b) * cos(a + b)\nd = cos(sin(c) - a) / (2 + sin(b))"),
]


class Dual:
    """A value and its partial derivatives d(value)/d(leaf k), as a dict."""

    def __init__(self, v, d=None):
        self.v = float(v)
        self.d = d or {}

    @staticmethod
    def lift(x):
        return x if isinstance(x, Dual) else Dual(x)

    def comb(self, other, v, da, db):
        o = Dual.lift(other)
        d = {}
        for k, g in self.d.items():
            d[k] = d.get(k, 0.0) + da * g
        for k, g in o.d.items():
            d[k] = d.get(k, 0.0) + db * g
        return Dual(v, d)

    def unary(self, v, dv):
        return Dual(v, {k: dv * g for k, g in self.d.items()})

    def __add__(self, o): return self.comb(o, self.v + Dual.lift(o).v, 1.0, 1.0)
    def __radd__(self, o): return Dual.lift(o) + self
    def __sub__(self, o): return self.comb(o, self.v - Dual.lift(o).v, 1.0, -1.0)
    def __rsub__(self, o): return Dual.lift(o) - self
    def __mul__(self, o):
        o = Dual.lift(o)
        return self.comb(o, self.v * o.v, o.v, self.v)
    def __rmul__(self, o): return Dual.lift(o) * self
    def __truediv__(self, o):
        o = Dual.lift(o)
        return self.comb(o, self.v / o.v, 1.0 / o.v, -self.v / (o.v * o.v))
    def __rtruediv__(self, o): return Dual.lift(o) / self
    def __neg__(self): return self.unary(-self.v, -1.0)
    def __pos__(self): return self
    def __pow__(self, k):
        assert not isinstance(k, Dual), "exponents are numbers"
        return self.unary(self.v ** k, k * self.v ** (k - 1))


def relu(x):
    x = Dual.lift(x)
    return x.unary(x.v if x.v > 0 else 0.0, 1.0 if x.v > 0 else 0.0)


def tanh(x):
    x = Dual.lift(x)
    t = math.tanh(x.v)
    return x.unary(t, 1.0 - t * t)


def exp(x):
    x = Dual.lift(x)
    e = math.exp(x.v)
    return x.unary(e, e)


def log(x):
    x = Dual.lift(x)
    return x.unary(math.log(x.v), 1.0 / x.v)


def sin(x):
    x = Dual.lift(x)
    return x.unary(math.sin(x.v), math.cos(x.v))


def cos(x):
    x = Dual.lift(x)
    return x.unary(math.cos(x.v), -math.sin(x.v))


def sigmoid(x):
    x = Dual.lift(x)
    s = 1.0 / (1.0 + math.exp(-x.v))
    return x.unary(s, s * (1.0 - s))


def f32(v):
    """v rounded to float32 (the engine's constants are float literals)."""
    return struct.unpack("f", struct.pack("f", v))[0]


def gelu(x):
    # the tanh approximation, with its derivative written out (not composed)
    x = Dual.lift(x)
    k, c = f32(0.7978845608), f32(0.044715)
    t = math.tanh(k * (x.v + c * x.v ** 3))
    return x.unary(0.5 * x.v * (1 + t), 0.5 * (1 + t) + 0.5 * x.v * (1 - t * t) * k * (1 + 3 * c * x.v ** 2))


def elu(x):
    x = Dual.lift(x)
    e = math.exp(x.v)
    return x.unary(x.v if x.v > 0 else e - 1.0, 1.0 if x.v > 0 else e)


def leaky_relu(x):
    x = Dual.lift(x)
    s = f32(0.01)
    return x.unary(x.v if x.v > 0 else s * x.v, 1.0 if x.v > 0 else s)


FUNCS = {"relu": relu, "tanh": tanh, "exp": exp, "log": log, "sigmoid": sigmoid, "sin": sin, "cos": cos,
         "gelu": gelu, "elu": elu, "leaky_relu": leaky_relu}


class FloatConstants(ast.NodeTransformer):
    def visit_Constant(self, node):
        return ast.copy_location(ast.Constant(float(node.value)), node)


def uses_names(expr):
    calls = {id(n.func) for n in ast.walk(expr) if isinstance(n, ast.Call)}
    return any(isinstance(n, ast.Name) and id(n) not in calls for n in ast.walk(expr))


def evaluate(src):
    tree = FloatConstants().visit(ast.parse(src))
    env = {}
    leaves = []  # (name, Dual)
    last = None
    for stmt in tree.body:
        assert isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
        name = stmt.targets[0].id
        code = compile(ast.fix_missing_locations(ast.Expression(stmt.value)), "<case>", "eval")
        value = eval(code, dict(FUNCS), dict(env))
        if not uses_names(stmt.value):
            k = len(leaves)
            value = Dual(Dual.lift(value).v, {k: 1.0})
            leaves.append((name, value))
        env[name] = Dual.lift(value)
        last = name
    out = env[last]
    seen = {}
    for name, _ in leaves:
        seen[name] = seen.get(name, 0) + 1
    count = {}
    result = {}
    for k, (name, leaf) in enumerate(leaves):
        count[name] = count.get(name, 0) + 1
        key = name if count[name] == seen[name] else "%s#%d" % (name, count[name])
        result[key] = {"data": leaf.v, "grad": out.d.get(k, 0.0)}
    return {"output": last, "data": out.v, "leaves": result}


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    cases = []
    for name, src in CASES:
        r = evaluate(src)
        cases.append({"name": name, "program": src, **r})
    with open(os.path.join(here, "scalar_cases.json"), "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")
    lines = [
        "/* Generated by tests/ref/gen_scalar_ref.py (forward-mode dual numbers in",
        " * Python): do not edit; change CASES there and run it again. */",
        "typedef struct ref_leaf { const char *name; double data, grad; } ref_leaf;",
        "typedef struct ref_case {",
        "    const char *name, *program, *output;",
        "    double data;",
        "    int nleaves;",
        "    ref_leaf leaves[16];",
        "} ref_case;",
        "static const ref_case ref_cases[] = {",
    ]
    for c in cases:
        leaves = ", ".join("{%s, %r, %r}" % (c_string(k), v["data"], v["grad"])
                           for k, v in c["leaves"].items())
        lines.append("    {%s, %s, %s, %r, %d, {%s}}," % (
            c_string(c["name"]), c_string(c["program"]), c_string(c["output"]), c["data"],
            len(c["leaves"]), leaves))
    lines.append("};")
    with open(os.path.join(here, "..", "c", "ref_cases.h"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
