/* The scalar autograd engine: a graph of double-precision Values, like
 * micrograd's engine.py, with the backward pass exposed one node at a time.
 *
 * Nodes live in an arena owned by an mg_graph and are named by integer ids
 * (0, 1, 2, ... in creation order). A node's children always have smaller
 * ids than the node itself, so ascending ids are a topological order; the
 * backward pass needs no recursion and no explicit DFS stack, however deep
 * the graph. mg_graph_free frees every node at once; mg_graph_truncate
 * drops every node created after a mark (an arena reset), keeping e.g. the
 * parameters of a model while a new sample's graph is built.
 *
 * Builders return the new node's id, or -1 on failure (bad child id, or the
 * graph's node limit reached); the reason is in mg_graph_error. An id of -1
 * passed to a builder makes it return -1 again, so a chain of builder calls
 * can be checked once at the end.
 *
 * Ops compute IEEE results (1/0 gives inf); callers that must never show
 * inf/nan check mg_graph_data with isfinite (the expression language does,
 * and names the node). mg_graph_backward does check: a gradient that
 * becomes inf or nan stops it with MG_ERR_DOMAIN naming the node. */
#ifndef MG_VALUE_H
#define MG_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/act.h"
#include "../base/buf.h"
#include "../base/status.h"

typedef enum mg_op {
    MG_OP_LEAF,    /* no children: an input, a parameter or a constant */
    MG_OP_ADD,     /* a + b */
    MG_OP_SUB,     /* a - b */
    MG_OP_MUL,     /* a * b */
    MG_OP_DIV,     /* a / b */
    MG_OP_POW,     /* a ** k, k a constant stored on the node */
    MG_OP_NEG,     /* -a */
    MG_OP_RELU,    /* max(a, 0) */
    MG_OP_TANH,
    MG_OP_EXP,
    MG_OP_LOG,     /* natural logarithm */
    MG_OP_SIGMOID, /* 1 / (1 + exp(-a)) */
    MG_OP_SIN,     /* sine of a (radians) */
    MG_OP_COS,
    MG_OP_COUNT
} mg_op;

/* Largest number of nodes a graph may be created with (64 Mi nodes,
 * about 2.5 GiB): a documented limit, not a silent cap. */
#define MG_GRAPH_MAX_NODES (64 * 1024 * 1024)
/* Longest label, in bytes, excluding the NUL; longer labels are cut. */
#define MG_LABEL_MAX 63

typedef struct mg_graph mg_graph;

/* What one backward step did: node `node` (with grad `grad`) passed
 * local[i] * grad to each child child[i] (for i < nchildren); child_grad[i]
 * is that child's grad after the addition. A child used twice by the same
 * node (a*a) appears twice, and both contributions are added. */
typedef struct mg_step {
    int32_t node;
    int nchildren;
    double grad;
    int32_t child[2];
    double local[2];
    double contrib[2];
    double child_grad[2];
} mg_step;

/* Creates an empty graph that may hold up to max_nodes nodes (1 ..
 * MG_GRAPH_MAX_NODES); memory grows as nodes are added. Returns NULL if
 * max_nodes is out of range or memory is short. Free with mg_graph_free. */
mg_graph *mg_graph_create(int32_t max_nodes);
void mg_graph_free(mg_graph *g);

/* The last error message of any call on g ("" if none). Owned by g, valid
 * until the next call on g. */
const char *mg_graph_error(const mg_graph *g);

/* Sets the error message (for modules building on the graph). */
void mg_graph_set_error(mg_graph *g, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Number of nodes; also the mark to pass to mg_graph_truncate. */
int32_t mg_graph_size(const mg_graph *g);
int32_t mg_graph_capacity(const mg_graph *g);
/* Drops every node with id >= mark (and any backward in progress). */
void mg_graph_truncate(mg_graph *g, int32_t mark);

/* Builders. label may be NULL. */
int32_t mg_leaf(mg_graph *g, double data, const char *label);
int32_t mg_add(mg_graph *g, int32_t a, int32_t b);
int32_t mg_sub(mg_graph *g, int32_t a, int32_t b);
int32_t mg_mul(mg_graph *g, int32_t a, int32_t b);
int32_t mg_div(mg_graph *g, int32_t a, int32_t b);
int32_t mg_pow(mg_graph *g, int32_t a, double exponent);
int32_t mg_neg(mg_graph *g, int32_t a);
int32_t mg_relu(mg_graph *g, int32_t a);
int32_t mg_tanh(mg_graph *g, int32_t a);
int32_t mg_exp(mg_graph *g, int32_t a);
int32_t mg_log(mg_graph *g, int32_t a);
int32_t mg_sigmoid(mg_graph *g, int32_t a);
int32_t mg_sin(mg_graph *g, int32_t a);
int32_t mg_cos(mg_graph *g, int32_t a);
/* An activation of base/act.h applied to a: one node for those that are
 * ops (relu, tanh, sigmoid), a graph of them for the rest (leaky relu,
 * GELU, ELU, with their constants as leaves), a itself for linear. The
 * same formulas as the tensor kernels (tensor/ops.h), in double. */
int32_t mg_act_apply(mg_graph *g, mg_act act, int32_t a);
/* Builds a node of any op from its children (b ignored for unary ops,
 * both for leaves); k is the exponent of MG_OP_POW and the value of
 * MG_OP_LEAF, ignored otherwise. */
int32_t mg_node(mg_graph *g, mg_op op, int32_t a, int32_t b, double k);
/* The forward rule of op on plain numbers (b and k as in mg_node). */
double mg_op_apply(mg_op op, double a, double b, double k);

/* Node accessors; ids must be valid (0 <= id < size). */
double mg_graph_data(const mg_graph *g, int32_t id);
double mg_graph_grad(const mg_graph *g, int32_t id);
mg_op mg_graph_op(const mg_graph *g, int32_t id);
int mg_graph_nchildren(const mg_graph *g, int32_t id);
int32_t mg_graph_child(const mg_graph *g, int32_t id, int i);
double mg_graph_exponent(const mg_graph *g, int32_t id);
/* The node's label, or "" if it has none. */
const char *mg_graph_label(const mg_graph *g, int32_t id);
mg_status mg_graph_set_label(mg_graph *g, int32_t id, const char *label);
/* Sets a leaf's value (not its grad). Call mg_graph_forward to recompute
 * the nodes that depend on it. */
mg_status mg_graph_set_data(mg_graph *g, int32_t id, double data);
mg_status mg_graph_set_grad(mg_graph *g, int32_t id, double grad);

/* The node whose backward step produced the inf/nan of the last
 * MG_ERR_DOMAIN from the backward pass, or -1. */
int32_t mg_graph_error_node(const mg_graph *g);

/* Recomputes the data of every node from the leaves, in id order. */
void mg_graph_forward(mg_graph *g);

/* Short op symbol for display: "leaf", "+", "-", "*", "/", "**", "neg",
 * "relu", "tanh", "exp", "log", "sigmoid". */
const char *mg_op_name(mg_op op);

/* The nodes that root depends on (root included), in topological order:
 * children before parents. Writes their ids to the graph's order buffer and
 * returns a pointer to it (valid until the graph changes) and the count in
 * *n. Returns NULL on a bad root id. */
const int32_t *mg_graph_topo(mg_graph *g, int32_t root, int32_t *n);

/* Appends a JSON array of every node to out, each an object with id, op,
 * label, data, grad, children (ids) and, for "**", exponent. Data and grads must be
 * finite (they are after a successful mg_graph_backward). */
void mg_graph_json(const mg_graph *g, mg_buf *out);

/* Sets every grad to 0. */
void mg_graph_zero_grad(mg_graph *g);

/* The backward pass from root, like PyTorch's: the grads of the non-leaf
 * nodes that root depends on are recomputed from scratch (root's to 1),
 * while leaf grads accumulate, so calling it twice without
 * mg_graph_zero_grad doubles every leaf grad exactly. Nodes that root does
 * not depend on are untouched. Returns MG_ERR_DOMAIN (message names the
 * node) if a gradient becomes inf or nan; grads are then partial. */
mg_status mg_graph_backward(mg_graph *g, int32_t root);

/* The same pass one node at a time, for the page to animate:
 * mg_graph_backward_begin prepares it (as mg_graph_backward does before
 * its loop); each mg_graph_backward_step propagates the grad of the next
 * node in reverse topological order to its children and describes it in
 * *step. Returns MG_OK with *done = 0 after a step, MG_OK with *done = 1
 * when every node has been propagated (step untouched), or an error.
 * Leaves are visited too (nchildren 0), so each node of the order is one
 * step. mg_graph_backward_remaining says how many steps are left. */
mg_status mg_graph_backward_begin(mg_graph *g, int32_t root);
mg_status mg_graph_backward_step(mg_graph *g, mg_step *step, int *done);
int32_t mg_graph_backward_remaining(const mg_graph *g);

/* The local derivatives d(node)/d(child[i]) of a node at the current data,
 * written to local[0..nchildren-1]; returns nchildren. */
int mg_graph_local_grads(const mg_graph *g, int32_t id, double local[2]);

#endif
