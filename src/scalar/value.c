/* The scalar autograd engine. Each op's forward rule (op_forward) and its
 * local derivatives (mg_graph_local_grads) sit side by side in the two
 * switches below; backward multiplies by the upstream grad and accumulates
 * with +=, so a value used twice receives both contributions. */
#include "value.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"

typedef struct node {
    double data;
    double grad;
    double exponent;  /* MG_OP_POW only */
    int32_t child[2]; /* -1 where absent */
    int32_t label;    /* offset into labels, -1 if none */
    uint8_t op;
} node;

struct mg_graph {
    node *nodes;
    int32_t n, cap, max_nodes;
    char *labels; /* NUL-separated label text */
    size_t labels_len, labels_cap;
    /* backward pass state */
    int32_t *order;   /* topological order from the last mg_graph_topo */
    uint8_t *reach;   /* scratch marks, one per node */
    int32_t order_n, order_cap, reach_cap;
    int32_t cursor;   /* next index into order for backward_step; -1 done,
                       * -2 no backward begun */
    int32_t error_node;
    mg_buf error;
};

static const int op_arity[MG_OP_COUNT] = {
    [MG_OP_LEAF] = 0, [MG_OP_ADD] = 2, [MG_OP_SUB] = 2, [MG_OP_MUL] = 2,
    [MG_OP_DIV] = 2,  [MG_OP_POW] = 1, [MG_OP_NEG] = 1, [MG_OP_RELU] = 1,
    [MG_OP_TANH] = 1, [MG_OP_EXP] = 1, [MG_OP_LOG] = 1, [MG_OP_SIGMOID] = 1,
    [MG_OP_SIN] = 1,  [MG_OP_COS] = 1,
};

const char *mg_op_name(mg_op op)
{
    static const char *const names[MG_OP_COUNT] = {
        "leaf", "+", "-", "*", "/", "**", "neg", "relu", "tanh", "exp", "log", "sigmoid", "sin", "cos",
    };
    return (unsigned)op < MG_OP_COUNT ? names[op] : "?";
}

void mg_graph_set_error(mg_graph *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mg_buf_clear(&g->error);
    mg_buf_vprintf(&g->error, fmt, ap);
    va_end(ap);
}

mg_graph *mg_graph_create(int32_t max_nodes)
{
    if (max_nodes < 1 || max_nodes > MG_GRAPH_MAX_NODES)
        return NULL;
    mg_graph *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->max_nodes = max_nodes;
    g->cursor = -2;
    g->error_node = -1;
    return g;
}

void mg_graph_free(mg_graph *g)
{
    if (!g)
        return;
    free(g->nodes);
    free(g->labels);
    free(g->order);
    free(g->reach);
    mg_buf_free(&g->error);
    free(g);
}

const char *mg_graph_error(const mg_graph *g) { return mg_buf_str(&g->error); }
int32_t mg_graph_size(const mg_graph *g) { return g->n; }
int32_t mg_graph_capacity(const mg_graph *g) { return g->max_nodes; }

void mg_graph_truncate(mg_graph *g, int32_t mark)
{
    if (mark < 0 || mark >= g->n)
        return;
    g->n = mark;
    size_t keep = 0;
    for (int32_t i = 0; i < mark; i++) {
        if (g->nodes[i].label >= 0) {
            size_t end = (size_t)g->nodes[i].label + strlen(g->labels + g->nodes[i].label) + 1;
            if (end > keep)
                keep = end;
        }
    }
    g->labels_len = keep;
    g->cursor = -2;
    g->order_n = 0;
}

static int valid(const mg_graph *g, int32_t id) { return id >= 0 && id < g->n; }

double mg_op_apply(mg_op op, double a, double b, double k)
{
    switch (op) {
    case MG_OP_ADD: return a + b;
    case MG_OP_SUB: return a - b;
    case MG_OP_MUL: return a * b;
    case MG_OP_DIV: return a / b;
    case MG_OP_POW: return pow(a, k);
    case MG_OP_NEG: return -a;
    case MG_OP_RELU: return a > 0.0 ? a : 0.0;
    case MG_OP_TANH: return tanh(a);
    case MG_OP_EXP: return exp(a);
    case MG_OP_LOG: return log(a);
    case MG_OP_SIGMOID: return 1.0 / (1.0 + exp(-a));
    case MG_OP_SIN: return sin(a);
    case MG_OP_COS: return cos(a);
    case MG_OP_LEAF: return k;
    case MG_OP_COUNT: break;
    }
    return NAN;
}

int mg_graph_local_grads(const mg_graph *g, int32_t id, double local[2])
{
    const node *v = &g->nodes[id];
    double out = v->data;
    double a = v->child[0] >= 0 ? g->nodes[v->child[0]].data : 0.0;
    double b = v->child[1] >= 0 ? g->nodes[v->child[1]].data : 0.0;
    switch ((mg_op)v->op) {
    case MG_OP_ADD: local[0] = 1.0; local[1] = 1.0; break;
    case MG_OP_SUB: local[0] = 1.0; local[1] = -1.0; break;
    case MG_OP_MUL: local[0] = b; local[1] = a; break;
    /* -out/b, not -a/(b*b): b*b underflows to 0 for tiny b */
    case MG_OP_DIV: local[0] = 1.0 / b; local[1] = -out / b; break;
    /* d(a**0)/da is 0 everywhere, also at a = 0 where 0 * 0**-1 would be nan */
    case MG_OP_POW:
        local[0] = v->exponent == 0.0 ? 0.0 : v->exponent * pow(a, v->exponent - 1.0);
        break;
    case MG_OP_NEG: local[0] = -1.0; break;
    case MG_OP_RELU: local[0] = out > 0.0 ? 1.0 : 0.0; break;
    case MG_OP_TANH: local[0] = 1.0 - out * out; break;
    case MG_OP_EXP: local[0] = out; break;
    case MG_OP_LOG: local[0] = 1.0 / a; break;
    case MG_OP_SIGMOID: local[0] = out * (1.0 - out); break;
    case MG_OP_SIN: local[0] = cos(a); break;
    case MG_OP_COS: local[0] = -sin(a); break;
    case MG_OP_LEAF:
    case MG_OP_COUNT: break;
    }
    return op_arity[v->op];
}

static int grow(mg_graph *g)
{
    if (g->n < g->cap)
        return 1;
    if (g->n >= g->max_nodes) {
        mg_graph_set_error(g, "graph is full: it holds at most %ld nodes", (long)g->max_nodes);
        return 0;
    }
    int64_t cap = g->cap ? (int64_t)g->cap * 2 : 64;
    if (cap > g->max_nodes)
        cap = g->max_nodes;
    node *p = realloc(g->nodes, (size_t)cap * sizeof *p);
    if (!p) {
        mg_graph_set_error(g, "out of memory growing the graph to %ld nodes", (long)cap);
        return 0;
    }
    g->nodes = p;
    g->cap = (int32_t)cap;
    return 1;
}

int32_t mg_act_apply(mg_graph *g, mg_act act, int32_t a)
{
    /* one node per statement: C leaves the order of a call's arguments
     * open, and the node ids must be the same in every build */
    int32_t r, s, t, u;
    switch (act) {
    case MG_ACT_LINEAR: return a;
    case MG_ACT_RELU: return mg_relu(g, a);
    case MG_ACT_TANH: return mg_tanh(g, a);
    case MG_ACT_SIGMOID: return mg_sigmoid(g, a);
    case MG_ACT_LEAKY_RELU: /* relu(a) - slope * relu(-a) */
        r = mg_relu(g, a);
        s = mg_leaf(g, MG_LEAKY_SLOPE, NULL);
        t = mg_neg(g, a);
        t = mg_relu(g, t);
        t = mg_mul(g, s, t);
        return mg_sub(g, r, t);
    case MG_ACT_GELU: /* a/2 * (1 + tanh(k * (a + c * a^3))) */
        r = mg_leaf(g, 0.044715f, NULL);
        s = mg_pow(g, a, 3);
        u = mg_mul(g, r, s);
        u = mg_add(g, a, u);
        r = mg_leaf(g, 0.7978845608f, NULL);
        u = mg_mul(g, r, u);
        t = mg_tanh(g, u);
        r = mg_leaf(g, 1, NULL);
        t = mg_add(g, r, t);
        r = mg_leaf(g, 0.5, NULL);
        r = mg_mul(g, r, a);
        return mg_mul(g, r, t);
    case MG_ACT_ELU: /* relu(a) - alpha * (1 - e^-relu(-a)): e^a only where a < 0,
                      * so no node overflows for a large a */
        r = mg_relu(g, a);
        s = mg_leaf(g, MG_ELU_ALPHA, NULL);
        t = mg_neg(g, a);
        t = mg_relu(g, t);
        t = mg_neg(g, t);
        u = mg_exp(g, t);
        t = mg_leaf(g, 1, NULL);
        t = mg_sub(g, t, u);
        t = mg_mul(g, s, t);
        return mg_sub(g, r, t);
    case MG_ACT_COUNT: break;
    }
    mg_graph_set_error(g, "unknown activation %d", (int)act);
    return -1;
}

int32_t mg_node(mg_graph *g, mg_op op, int32_t a, int32_t b, double k)
{
    if ((unsigned)op >= MG_OP_COUNT) {
        mg_graph_set_error(g, "unknown op %d", (int)op);
        return -1;
    }
    int arity = op_arity[op];
    int bad_a = arity >= 1 && !valid(g, a), bad_b = arity == 2 && !valid(g, b);
    if (bad_a || bad_b) {
        /* a -1 child is an earlier failure: keep its message */
        if (!(bad_a && a == -1) && !(bad_b && b == -1))
            mg_graph_set_error(g, "%s: no node with id %ld", mg_op_name(op), (long)(bad_a ? a : b));
        return -1;
    }
    if (!grow(g))
        return -1;
    node *v = &g->nodes[g->n];
    v->child[0] = arity >= 1 ? a : -1;
    v->child[1] = arity == 2 ? b : -1;
    v->exponent = op == MG_OP_POW ? k : 0.0;
    v->label = -1;
    v->op = (uint8_t)op;
    v->grad = 0.0;
    v->data = op == MG_OP_LEAF ? k
                               : mg_op_apply(op, g->nodes[a].data,
                                             arity == 2 ? g->nodes[b].data : 0.0, k);
    return g->n++;
}

int32_t mg_leaf(mg_graph *g, double data, const char *label)
{
    int32_t id = mg_node(g, MG_OP_LEAF, -1, -1, data);
    if (id >= 0 && label && mg_graph_set_label(g, id, label) != MG_OK) {
        g->n--;
        return -1;
    }
    return id;
}

int32_t mg_add(mg_graph *g, int32_t a, int32_t b) { return mg_node(g, MG_OP_ADD, a, b, 0); }
int32_t mg_sub(mg_graph *g, int32_t a, int32_t b) { return mg_node(g, MG_OP_SUB, a, b, 0); }
int32_t mg_mul(mg_graph *g, int32_t a, int32_t b) { return mg_node(g, MG_OP_MUL, a, b, 0); }
int32_t mg_div(mg_graph *g, int32_t a, int32_t b) { return mg_node(g, MG_OP_DIV, a, b, 0); }
int32_t mg_pow(mg_graph *g, int32_t a, double k) { return mg_node(g, MG_OP_POW, a, -1, k); }
int32_t mg_neg(mg_graph *g, int32_t a) { return mg_node(g, MG_OP_NEG, a, -1, 0); }
int32_t mg_relu(mg_graph *g, int32_t a) { return mg_node(g, MG_OP_RELU, a, -1, 0); }
int32_t mg_tanh(mg_graph *g, int32_t a) { return mg_node(g, MG_OP_TANH, a, -1, 0); }
int32_t mg_exp(mg_graph *g, int32_t a) { return mg_node(g, MG_OP_EXP, a, -1, 0); }
int32_t mg_log(mg_graph *g, int32_t a) { return mg_node(g, MG_OP_LOG, a, -1, 0); }
int32_t mg_sigmoid(mg_graph *g, int32_t a) { return mg_node(g, MG_OP_SIGMOID, a, -1, 0); }
int32_t mg_sin(mg_graph *g, int32_t a) { return mg_node(g, MG_OP_SIN, a, -1, 0); }
int32_t mg_cos(mg_graph *g, int32_t a) { return mg_node(g, MG_OP_COS, a, -1, 0); }

double mg_graph_data(const mg_graph *g, int32_t id) { return g->nodes[id].data; }
double mg_graph_grad(const mg_graph *g, int32_t id) { return g->nodes[id].grad; }
mg_op mg_graph_op(const mg_graph *g, int32_t id) { return (mg_op)g->nodes[id].op; }
int mg_graph_nchildren(const mg_graph *g, int32_t id) { return op_arity[g->nodes[id].op]; }
int32_t mg_graph_child(const mg_graph *g, int32_t id, int i) { return g->nodes[id].child[i]; }
double mg_graph_exponent(const mg_graph *g, int32_t id) { return g->nodes[id].exponent; }

const char *mg_graph_label(const mg_graph *g, int32_t id)
{
    int32_t off = g->nodes[id].label;
    return off >= 0 ? g->labels + off : "";
}

mg_status mg_graph_set_label(mg_graph *g, int32_t id, const char *label)
{
    if (!valid(g, id)) {
        mg_graph_set_error(g, "set_label: no node with id %ld", (long)id);
        return MG_ERR_ARG;
    }
    size_t len = strlen(label);
    if (len > MG_LABEL_MAX)
        len = MG_LABEL_MAX;
    if (g->labels_len + len + 1 > g->labels_cap) {
        size_t cap = g->labels_cap ? g->labels_cap : 1024;
        while (cap < g->labels_len + len + 1)
            cap *= 2;
        char *p = realloc(g->labels, cap);
        if (!p) {
            mg_graph_set_error(g, "out of memory storing a label");
            return MG_ERR_NOMEM;
        }
        g->labels = p;
        g->labels_cap = cap;
    }
    memcpy(g->labels + g->labels_len, label, len);
    g->labels[g->labels_len + len] = '\0';
    g->nodes[id].label = (int32_t)g->labels_len;
    g->labels_len += len + 1;
    return MG_OK;
}

mg_status mg_graph_set_data(mg_graph *g, int32_t id, double data)
{
    if (!valid(g, id) || g->nodes[id].op != MG_OP_LEAF) {
        mg_graph_set_error(g, "set_data: node %ld is not a leaf", (long)id);
        return MG_ERR_ARG;
    }
    g->nodes[id].data = data;
    return MG_OK;
}

mg_status mg_graph_set_grad(mg_graph *g, int32_t id, double grad)
{
    if (!valid(g, id)) {
        mg_graph_set_error(g, "set_grad: no node with id %ld", (long)id);
        return MG_ERR_ARG;
    }
    g->nodes[id].grad = grad;
    return MG_OK;
}

void mg_graph_forward(mg_graph *g)
{
    for (int32_t i = 0; i < g->n; i++) {
        node *v = &g->nodes[i];
        if (v->op == MG_OP_LEAF)
            continue;
        double a = g->nodes[v->child[0]].data;
        double b = v->child[1] >= 0 ? g->nodes[v->child[1]].data : 0.0;
        v->data = mg_op_apply((mg_op)v->op, a, b, v->exponent);
    }
}

void mg_graph_zero_grad(mg_graph *g)
{
    for (int32_t i = 0; i < g->n; i++)
        g->nodes[i].grad = 0.0;
}

static int ensure_scratch(mg_graph *g)
{
    if (g->order_cap < g->n) {
        int32_t *p = realloc(g->order, (size_t)g->cap * sizeof *p);
        if (!p)
            return 0;
        g->order = p;
        g->order_cap = g->cap;
    }
    if (g->reach_cap < g->n) {
        uint8_t *p = realloc(g->reach, (size_t)g->cap);
        if (!p)
            return 0;
        g->reach = p;
        g->reach_cap = g->cap;
    }
    return 1;
}

const int32_t *mg_graph_topo(mg_graph *g, int32_t root, int32_t *n)
{
    *n = 0;
    g->cursor = -2;
    if (!valid(g, root)) {
        mg_graph_set_error(g, "no node with id %ld to run backward from", (long)root);
        return NULL;
    }
    if (!ensure_scratch(g)) {
        mg_graph_set_error(g, "out of memory sorting %ld nodes", (long)g->n);
        return NULL;
    }
    /* Children have smaller ids than parents, so one descending sweep marks
     * everything reachable from root, and ascending ids are a topological
     * order: no recursion, whatever the depth. */
    memset(g->reach, 0, (size_t)root + 1);
    g->reach[root] = 1;
    for (int32_t i = root; i >= 0; i--) {
        if (!g->reach[i])
            continue;
        const node *v = &g->nodes[i];
        if (v->child[0] >= 0)
            g->reach[v->child[0]] = 1;
        if (v->child[1] >= 0)
            g->reach[v->child[1]] = 1;
    }
    int32_t k = 0;
    for (int32_t i = 0; i <= root; i++)
        if (g->reach[i])
            g->order[k++] = i;
    g->order_n = k;
    *n = k;
    return g->order;
}

mg_status mg_graph_backward_begin(mg_graph *g, int32_t root)
{
    int32_t n;
    const int32_t *order = mg_graph_topo(g, root, &n);
    if (!order)
        return valid(g, root) ? MG_ERR_NOMEM : MG_ERR_ARG;
    for (int32_t k = 0; k < n; k++) {
        node *v = &g->nodes[order[k]];
        if (v->op != MG_OP_LEAF)
            v->grad = 0.0;
    }
    if (g->nodes[root].op == MG_OP_LEAF)
        g->nodes[root].grad += 1.0;
    else
        g->nodes[root].grad = 1.0;
    g->cursor = n - 1;
    g->error_node = -1;
    mg_buf_clear(&g->error);
    return MG_OK;
}

int32_t mg_graph_backward_remaining(const mg_graph *g) { return g->cursor >= 0 ? g->cursor + 1 : 0; }

int32_t mg_graph_error_node(const mg_graph *g) { return g->error_node; }

/* %.17g, but nan without a sign. */
static void put_number(mg_buf *b, double v)
{
    if (isnan(v))
        mg_buf_puts(b, "nan");
    else
        mg_buf_printf(b, "%.17g", v);
}

static void describe(mg_buf *b, const mg_graph *g, int32_t id)
{
    const char *label = mg_graph_label(g, id);
    mg_buf_printf(b, "node %ld (%s", (long)id, mg_op_name((mg_op)g->nodes[id].op));
    if (*label)
        mg_buf_printf(b, " '%s'", label);
    mg_buf_puts(b, ")");
}

/* Ends a backward pass whose step at node id made child i's gradient
 * non-finite: says where and why. */
static mg_status stop_nonfinite(mg_graph *g, int32_t id, int i, double local)
{
    const node *v = &g->nodes[id];
    double cg = g->nodes[v->child[i]].grad;
    g->error_node = id;
    g->cursor = -1;
    mg_buf_clear(&g->error);
    mg_buf_puts(&g->error, "backward: the gradient of ");
    describe(&g->error, g, v->child[i]);
    mg_buf_printf(&g->error, " became %s at ", isnan(cg) ? "nan" : "inf");
    describe(&g->error, g, id);
    mg_buf_puts(&g->error, ": local derivative ");
    put_number(&g->error, local);
    mg_buf_puts(&g->error, " times grad ");
    put_number(&g->error, v->grad);
    return MG_ERR_DOMAIN;
}

mg_status mg_graph_backward_step(mg_graph *g, mg_step *step, int *done)
{
    *done = 0;
    if (g->cursor == -2) {
        mg_graph_set_error(g, "backward_step called before backward_begin");
        return MG_ERR_STATE;
    }
    if (g->cursor < 0) {
        *done = 1;
        return MG_OK;
    }
    int32_t id = g->order[g->cursor--];
    node *v = &g->nodes[id];
    step->node = id;
    step->grad = v->grad;
    step->nchildren = mg_graph_local_grads(g, id, step->local);
    for (int i = 0; i < step->nchildren; i++) {
        node *c = &g->nodes[v->child[i]];
        step->child[i] = v->child[i];
        step->contrib[i] = step->local[i] * v->grad;
        c->grad += step->contrib[i];
    }
    for (int i = 0; i < step->nchildren; i++) {
        step->child_grad[i] = g->nodes[v->child[i]].grad;
        if (!isfinite(step->child_grad[i]))
            return stop_nonfinite(g, id, i, step->local[i]);
    }
    return MG_OK;
}

/* The same steps as mg_graph_backward_step, in the same order and with the
 * same arithmetic, without filling in a report for each. */
mg_status mg_graph_backward(mg_graph *g, int32_t root)
{
    mg_status st = mg_graph_backward_begin(g, root);
    if (st)
        return st;
    for (; g->cursor >= 0; g->cursor--) {
        int32_t id = g->order[g->cursor];
        const node *v = &g->nodes[id];
        double local[2];
        int nc = mg_graph_local_grads(g, id, local);
        for (int i = 0; i < nc; i++)
            g->nodes[v->child[i]].grad += local[i] * v->grad;
        for (int i = 0; i < nc; i++)
            if (!isfinite(g->nodes[v->child[i]].grad))
                return stop_nonfinite(g, id, i, local[i]);
    }
    return MG_OK;
}

void mg_graph_json(const mg_graph *g, mg_buf *out)
{
    mg_buf_puts(out, "[");
    for (int32_t i = 0; i < g->n; i++) {
        const node *v = &g->nodes[i];
        mg_buf_printf(out, "%s{\"id\":%ld,\"op\":", i ? "," : "", (long)i);
        mg_buf_json_string(out, mg_op_name((mg_op)v->op));
        mg_buf_puts(out, ",\"label\":");
        mg_buf_json_string(out, mg_graph_label(g, i));
        mg_buf_puts(out, ",\"data\":");
        mg_buf_json_number(out, v->data);
        mg_buf_puts(out, ",\"grad\":");
        mg_buf_json_number(out, v->grad);
        if (v->op == MG_OP_POW) {
            mg_buf_puts(out, ",\"exponent\":");
            mg_buf_json_number(out, v->exponent);
        }
        mg_buf_puts(out, ",\"children\":[");
        for (int c = 0; c < op_arity[v->op]; c++)
            mg_buf_printf(out, "%s%ld", c ? "," : "", (long)v->child[c]);
        mg_buf_puts(out, "]}");
    }
    mg_buf_puts(out, "]");
}
