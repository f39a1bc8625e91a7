/* The scalar engine (src/scalar/value.c): every op's gradient against
 * central finite differences, micrograd's own test programs built through
 * the C API, and the traps other micrograd ports fall into (reuse, a very
 * deep graph, backward twice, step-through vs full backward). */
#include <stdlib.h>

#include "check.h"
#include "scalar/value.h"

/* ---- finite differences ------------------------------------------------ */

/* Central difference of node `out` with respect to leaf `leaf`, by
 * recomputing the whole graph at leaf +- h. */
static double numeric_grad(mg_graph *g, int32_t leaf, int32_t out, double h)
{
    double x = mg_graph_data(g, leaf);
    mg_graph_set_data(g, leaf, x + h);
    mg_graph_forward(g);
    double fp = mg_graph_data(g, out);
    mg_graph_set_data(g, leaf, x - h);
    mg_graph_forward(g);
    double fm = mg_graph_data(g, out);
    mg_graph_set_data(g, leaf, x);
    mg_graph_forward(g);
    return (fp - fm) / (2.0 * h);
}

static void test_op_gradients(void)
{
    static const struct {
        mg_op op;
        double a, b, k;
    } cases[] = {
        {MG_OP_ADD, 1.3, -0.7, 0},  {MG_OP_SUB, 1.3, -0.7, 0},   {MG_OP_MUL, 1.3, -0.7, 0},
        {MG_OP_DIV, 1.3, -0.7, 0},  {MG_OP_DIV, -2.1, 0.4, 0},   {MG_OP_POW, 1.3, 0, 3},
        {MG_OP_POW, 1.3, 0, 0.5},   {MG_OP_POW, 1.3, 0, -2},     {MG_OP_POW, -1.3, 0, 3},
        {MG_OP_POW, 0.7, 0, 0},     {MG_OP_NEG, 1.3, 0, 0},      {MG_OP_RELU, 0.8, 0, 0},
        {MG_OP_RELU, -0.8, 0, 0},   {MG_OP_TANH, 0.4, 0, 0},     {MG_OP_TANH, -1.7, 0, 0},
        {MG_OP_EXP, 0.9, 0, 0},     {MG_OP_EXP, -3.2, 0, 0},     {MG_OP_LOG, 1.7, 0, 0},
        {MG_OP_LOG, 0.2, 0, 0},     {MG_OP_SIGMOID, 0.3, 0, 0},  {MG_OP_SIGMOID, -2.5, 0, 0},
        {MG_OP_SIN, 1.0, 0, 0},     {MG_OP_SIN, -2.4, 0, 0},     {MG_OP_COS, 0.7, 0, 0},
        {MG_OP_COS, 3.9, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mg_graph *g = mg_graph_create(100);
        int32_t a = mg_leaf(g, cases[i].a, "a");
        int32_t b = mg_leaf(g, cases[i].b, "b");
        int32_t y = mg_node(g, cases[i].op, a, b, cases[i].k);
        /* an upstream gradient other than 1, so the chain rule is exercised */
        int32_t s = mg_leaf(g, 1.7, "s");
        int32_t out = mg_mul(g, y, s);
        CHECK(out >= 0);
        CHECK_INT(mg_graph_backward(g, out), MG_OK);
        double ga = numeric_grad(g, a, out, 1e-6);
        if (!CHECK_NEAR(mg_graph_grad(g, a), ga, 1e-7))
            fprintf(stderr, "  op %s a=%g b=%g k=%g: d/da\n", mg_op_name(cases[i].op), cases[i].a,
                    cases[i].b, cases[i].k);
        double gb = numeric_grad(g, b, out, 1e-6);
        if (!CHECK_NEAR(mg_graph_grad(g, b), gb, 1e-7))
            fprintf(stderr, "  op %s: d/db\n", mg_op_name(cases[i].op));
        /* the forward rule itself against the C library */
        double want = 0;
        double x = cases[i].a, z = cases[i].b, k = cases[i].k;
        switch (cases[i].op) {
        case MG_OP_ADD: want = x + z; break;
        case MG_OP_SUB: want = x - z; break;
        case MG_OP_MUL: want = x * z; break;
        case MG_OP_DIV: want = x / z; break;
        case MG_OP_POW: want = pow(x, k); break;
        case MG_OP_NEG: want = -x; break;
        case MG_OP_RELU: want = x > 0 ? x : 0; break;
        case MG_OP_TANH: want = tanh(x); break;
        case MG_OP_EXP: want = exp(x); break;
        case MG_OP_LOG: want = log(x); break;
        case MG_OP_SIGMOID: want = 1 / (1 + exp(-x)); break;
        case MG_OP_SIN: want = sin(x); break;
        case MG_OP_COS: want = cos(x); break;
        default: break;
        }
        CHECK_NEAR(mg_graph_data(g, y), want, 1e-15);
        mg_graph_free(g);
    }
}

/* ---- micrograd's tests, through the C API ------------------------------ */

/* x=-4; z=2*x+2+x; q=relu(z)+z*x; h=relu(z*z); y=h+q+q*x */
static int32_t build_sanity(mg_graph *g, int32_t *x)
{
    *x = mg_leaf(g, -4.0, "x");
    int32_t z = mg_add(g, mg_add(g, mg_mul(g, mg_leaf(g, 2, NULL), *x), mg_leaf(g, 2, NULL)), *x);
    int32_t q = mg_add(g, mg_relu(g, z), mg_mul(g, z, *x));
    int32_t h = mg_relu(g, mg_mul(g, z, z));
    return mg_add(g, mg_add(g, h, q), mg_mul(g, q, *x));
}

/* micrograd's test_more_ops, written with the C builders. */
static int32_t build_more_ops(mg_graph *g, int32_t *a, int32_t *b)
{
    *a = mg_leaf(g, -4.0, "a");
    *b = mg_leaf(g, 2.0, "b");
    int32_t c = mg_add(g, *a, *b);
    int32_t d = mg_add(g, mg_mul(g, *a, *b), mg_pow(g, *b, 3));
    c = mg_add(g, mg_add(g, c, c), mg_leaf(g, 1, NULL));
    c = mg_add(g, mg_add(g, mg_add(g, c, mg_leaf(g, 1, NULL)), c), mg_neg(g, *a));
    d = mg_add(g, mg_add(g, d, mg_mul(g, d, mg_leaf(g, 2, NULL))), mg_relu(g, mg_add(g, *b, *a)));
    d = mg_add(g, mg_add(g, d, mg_mul(g, mg_leaf(g, 3, NULL), d)), mg_relu(g, mg_sub(g, *b, *a)));
    int32_t e = mg_sub(g, c, d);
    int32_t f = mg_pow(g, e, 2);
    int32_t out = mg_div(g, f, mg_leaf(g, 2.0, NULL));
    return mg_add(g, out, mg_div(g, mg_leaf(g, 10.0, NULL), f));
}

static void test_micrograd_programs(void)
{
    mg_graph *g = mg_graph_create(1000);
    int32_t x;
    int32_t y = build_sanity(g, &x);
    CHECK_INT(mg_graph_backward(g, y), MG_OK);
    CHECK_NEAR(mg_graph_data(g, y), -20.0, 0);
    CHECK_NEAR(mg_graph_grad(g, x), 46.0, 0);
    mg_graph_free(g);

    /* values from PyTorch, as asserted by micrograd's test_engine.py */
    g = mg_graph_create(1000);
    int32_t a, b;
    int32_t out = build_more_ops(g, &a, &b);
    CHECK_INT(mg_graph_backward(g, out), MG_OK);
    CHECK_NEAR(mg_graph_data(g, out), 24.70408163265306, 1e-14);
    CHECK_NEAR(mg_graph_grad(g, a), 138.8338192419825, 1e-14);
    CHECK_NEAR(mg_graph_grad(g, b), 645.5772594752186, 1e-14);
    CHECK_NEAR(mg_graph_grad(g, a), numeric_grad(g, a, out, 1e-6), 1e-7);
    CHECK_NEAR(mg_graph_grad(g, b), numeric_grad(g, b, out, 1e-6), 1e-7);
    mg_graph_free(g);
}

/* ---- the traps ---------------------------------------------------------- */

static void test_reuse(void)
{
    mg_graph *g = mg_graph_create(100);
    int32_t a = mg_leaf(g, 3.0, "a");
    int32_t b = mg_add(g, a, mg_leaf(g, 1.0, NULL)); /* non-leaf, 4 */
    int32_t c = mg_mul(g, b, b);                     /* b used twice by one node */
    int32_t d = mg_add(g, c, b);                     /* and once more */
    CHECK_INT(mg_graph_backward(g, d), MG_OK);
    CHECK_NEAR(mg_graph_data(g, d), 20.0, 0);
    CHECK_NEAR(mg_graph_grad(g, b), 9.0, 0); /* 2b + 1 */
    CHECK_NEAR(mg_graph_grad(g, a), 9.0, 0);
    /* a leaf used twice: a*a */
    int32_t e = mg_mul(g, a, a);
    mg_graph_zero_grad(g);
    CHECK_INT(mg_graph_backward(g, e), MG_OK);
    CHECK_NEAR(mg_graph_grad(g, a), 6.0, 0);
    CHECK_NEAR(mg_graph_grad(g, d), 0.0, 0); /* not reached from e: untouched */
    mg_graph_free(g);
}

static void test_deep_graph(int32_t depth)
{
    mg_graph *g = mg_graph_create(depth + 10);
    int32_t x = mg_leaf(g, 1.0, "x");
    int32_t c = mg_leaf(g, 1.00001, "c");
    int32_t v = x;
    for (int32_t i = 0; i < depth; i++)
        v = mg_mul(g, v, c);
    CHECK(v >= 0);
    int32_t n;
    const int32_t *order = mg_graph_topo(g, v, &n);
    CHECK(order != NULL);
    CHECK_INT(n, depth + 2);
    CHECK_INT(mg_graph_backward(g, v), MG_OK);
    /* v = x * c^depth */
    CHECK_NEAR(mg_graph_data(g, v), pow(1.00001, depth), 1e-9);
    CHECK_NEAR(mg_graph_grad(g, x), pow(1.00001, depth), 1e-9);
    CHECK_NEAR(mg_graph_grad(g, c), depth * pow(1.00001, depth - 1), 1e-9);
    mg_graph_free(g);
}

static void test_backward_twice(void)
{
    mg_graph *g = mg_graph_create(1000);
    int32_t a, b;
    int32_t out = build_more_ops(g, &a, &b);
    CHECK_INT(mg_graph_backward(g, out), MG_OK);
    int32_t n = mg_graph_size(g);
    double *first = malloc((size_t)n * sizeof *first);
    for (int32_t i = 0; i < n; i++)
        first[i] = mg_graph_grad(g, i);
    CHECK_INT(mg_graph_backward(g, out), MG_OK);
    for (int32_t i = 0; i < n; i++) {
        double want = mg_graph_op(g, i) == MG_OP_LEAF ? 2.0 * first[i] : first[i];
        if (!CHECK_NEAR(mg_graph_grad(g, i), want, 1e-15))
            fprintf(stderr, "  node %d (%s)\n", (int)i, mg_op_name(mg_graph_op(g, i)));
    }
    CHECK_NEAR(mg_graph_grad(g, a), 2 * 138.8338192419825, 1e-14);
    mg_graph_zero_grad(g);
    for (int32_t i = 0; i < n; i++)
        CHECK_NEAR(mg_graph_grad(g, i), 0.0, 0);
    CHECK_INT(mg_graph_backward(g, out), MG_OK);
    for (int32_t i = 0; i < n; i++)
        CHECK_NEAR(mg_graph_grad(g, i), first[i], 0);
    free(first);
    mg_graph_free(g);
}

static void test_step_through(void)
{
    mg_graph *full = mg_graph_create(1000), *stepped = mg_graph_create(1000);
    int32_t a, b;
    int32_t out = build_more_ops(full, &a, &b);
    CHECK_INT(build_more_ops(stepped, &a, &b), out);
    CHECK_INT(mg_graph_backward(full, out), MG_OK);

    mg_step st;
    int done = 1;
    CHECK_INT(mg_graph_backward_step(stepped, &st, &done), MG_ERR_STATE);
    CHECK_CONTAINS(mg_graph_error(stepped), "before backward_begin");
    CHECK_INT(mg_graph_backward_begin(stepped, out), MG_OK);
    int32_t n;
    const int32_t *order = mg_graph_topo(stepped, out, &n);
    int32_t *expect = malloc((size_t)n * sizeof *expect);
    memcpy(expect, order, (size_t)n * sizeof *expect);
    CHECK_INT(mg_graph_backward_begin(stepped, out), MG_OK);
    CHECK_INT(mg_graph_backward_remaining(stepped), n);
    int32_t steps = 0;
    for (;;) {
        double before[2] = {0, 0};
        CHECK_INT(mg_graph_backward_remaining(stepped), n - steps);
        int32_t next = expect[n - 1 - steps < 0 ? 0 : n - 1 - steps];
        for (int i = 0; i < mg_graph_nchildren(stepped, next); i++)
            before[i] = mg_graph_grad(stepped, mg_graph_child(stepped, next, i));
        CHECK_INT(mg_graph_backward_step(stepped, &st, &done), MG_OK);
        if (done)
            break;
        CHECK_INT(st.node, next); /* reverse topological order */
        CHECK_INT(st.nchildren, mg_graph_nchildren(stepped, st.node));
        for (int i = 0; i < st.nchildren; i++) {
            CHECK_NEAR(st.contrib[i], st.local[i] * st.grad, 0);
            if (st.nchildren == 2 && st.child[0] == st.child[1])
                continue; /* a*a: both contributions land on one child */
            CHECK_NEAR(st.child_grad[i], before[i] + st.contrib[i], 0);
        }
        steps++;
    }
    CHECK_INT(steps, n);
    CHECK_INT(mg_graph_backward_remaining(stepped), 0);
    for (int32_t i = 0; i < mg_graph_size(full); i++)
        CHECK_NEAR(mg_graph_grad(stepped, i), mg_graph_grad(full, i), 0);
    free(expect);
    mg_graph_free(full);
    mg_graph_free(stepped);
}

/* ---- errors, limits, bookkeeping ---------------------------------------- */

static void test_errors(void)
{
    mg_graph *g = mg_graph_create(3);
    CHECK(mg_graph_create(0) == NULL);
    CHECK(mg_graph_create(MG_GRAPH_MAX_NODES + 1) == NULL);
    int32_t a = mg_leaf(g, 1.0, "a");
    CHECK_INT(mg_add(g, a, 7), -1);
    CHECK_STR(mg_graph_error(g), "+: no node with id 7");
    CHECK_INT(mg_neg(g, -5), -1);
    CHECK_STR(mg_graph_error(g), "neg: no node with id -5");
    int32_t b = mg_mul(g, a, a);
    int32_t c = mg_tanh(g, b);
    CHECK(b >= 0 && c >= 0);
    CHECK_INT(mg_exp(g, c), -1);
    CHECK_STR(mg_graph_error(g), "graph is full: it holds at most 3 nodes");
    /* a failed id passed on keeps the first message */
    CHECK_INT(mg_relu(g, mg_exp(g, c)), -1);
    CHECK_STR(mg_graph_error(g), "graph is full: it holds at most 3 nodes");
    CHECK_INT(mg_node(g, MG_OP_COUNT, a, a, 0), -1);
    CHECK_INT(mg_graph_set_data(g, b, 2.0), MG_ERR_ARG);
    CHECK_STR(mg_graph_error(g), "set_data: node 1 is not a leaf");
    CHECK_INT(mg_graph_backward(g, 3), MG_ERR_ARG);
    CHECK_STR(mg_graph_error(g), "no node with id 3 to run backward from");
    mg_graph_free(g);

    /* an infinite gradient stops backward and names the node */
    g = mg_graph_create(10);
    int32_t x = mg_leaf(g, 0.0, "x");
    int32_t y = mg_pow(g, x, 0.5);
    CHECK_NEAR(mg_graph_data(g, y), 0.0, 0);
    CHECK_INT(mg_graph_backward(g, y), MG_ERR_DOMAIN);
    CHECK_STR(mg_graph_error(g), "backward: the gradient of node 0 (leaf 'x') became inf at "
                                 "node 1 (**): local derivative inf times grad 1");
    CHECK_INT(mg_graph_error_node(g), y);
    mg_graph_free(g);
}

static void test_truncate_labels_json(void)
{
    mg_graph *g = mg_graph_create(100);
    int32_t w = mg_leaf(g, 0.5, "w");
    int32_t mark = mg_graph_size(g);
    int32_t x = mg_leaf(g, 2.0, "x");
    int32_t y = mg_mul(g, w, x);
    mg_graph_set_label(g, y, "y");
    mg_graph_set_label(g, w, "weight"); /* relabel after later labels exist */
    CHECK_INT(mg_graph_backward(g, y), MG_OK);
    char long_label[100];
    memset(long_label, 'q', sizeof long_label - 1);
    long_label[99] = '\0';
    mg_graph_set_label(g, x, long_label);
    CHECK_INT((int)strlen(mg_graph_label(g, x)), MG_LABEL_MAX);

    mg_buf json = {0};
    mg_graph_truncate(g, 3); /* beyond the end: nothing happens */
    mg_graph_truncate(g, 2);
    mg_graph_json(g, &json);
    CHECK_STR(mg_buf_str(&json),
              "[{\"id\":0,\"op\":\"leaf\",\"label\":\"weight\",\"data\":0.5,\"grad\":2,"
              "\"children\":[]},{\"id\":1,\"op\":\"leaf\",\"label\":\"qqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
              "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq\",\"data\":2,\"grad\":0.5,\"children\":[]}]");
    mg_graph_truncate(g, mark);
    CHECK_INT(mg_graph_size(g), 1);
    CHECK_STR(mg_graph_label(g, w), "weight");
    int32_t p = mg_pow(g, w, 2);
    mg_graph_set_label(g, p, "p\"q");
    mg_buf_clear(&json);
    mg_graph_json(g, &json);
    CHECK_CONTAINS(mg_buf_str(&json), "{\"id\":1,\"op\":\"**\",\"label\":\"p\\\"q\",\"data\":0.25,"
                                      "\"grad\":0,\"exponent\":2,\"children\":[0]}");
    mg_buf_free(&json);
    mg_graph_free(g);
}

int main(void)
{
    test_op_gradients();
    test_micrograd_programs();
    test_reuse();
    test_deep_graph(100000);
    test_deep_graph(1000000);
    test_backward_twice();
    test_step_through();
    test_errors();
    test_truncate_labels_json();
    return check_done("test_value");
}
