/* Benchmark workloads behind a handle, for `npm run bench` (bench/) and the
 * native `mg bench`. Both time the very same C code: a _setup call builds
 * buffers, data and graphs outside any timed region, a _run call does only
 * the measured work, and the caller holds the clock (clock_gettime in the
 * CLI, performance.now() in Node).
 *
 *   matmul  out (N,OC) = inp (N,C) @ weight (OC,C)^T through the public
 *           mg_matmul_forward, whatever kernel sits behind it.
 *   scalar  micrograd's moons demo on the Value graph: MLP 2-16-16-1 (relu,
 *           linear output; src/scalar/smlp), 100 moons points with labels
 *           -1/+1, SVM max-margin loss + 1e-4 * sum(p*p), full batch: the
 *           graph of every point, the loss, backward, an SGD update with
 *           micrograd's schedule lr = 1 - 0.9 k / 100 (held at 0.1 after
 *           step 100 so that long runs stay stable). Constants are leaves
 *           where micrograd wraps a float in a Value, so the graph has the
 *           nodes micrograd's has (65,818 for 100 points). */
#include <math.h>
#include <stdlib.h>

#include "../base/buf.h"
#include "../base/rng.h"
#include "../data/data.h"
#include "../scalar/smlp.h"
#include "../scalar/value.h"
#include "../tensor/ops.h"
#include "api.h"

#define BENCH_MAX_MATMUL 4096        /* N, C, OC of the matmul workload */
#define BENCH_MAX_POINTS 1000        /* points of the scalar workload */
#define BENCH_SCALAR_NODES (1 << 20) /* graph limit: ~660 nodes a point */

typedef struct bench_handle {
    /* matmul */
    float *inp, *weight, *out;
    int N, C, OC;
    /* scalar */
    mg_graph *g;
    mg_smlp mlp;
    double *x;     /* (npoints, 2) */
    double *y;     /* (npoints) -1 or +1 */
    int npoints;
    int64_t step;  /* steps made, for the learning-rate schedule */
    int32_t nodes; /* graph size of the latest step */
    double loss, accuracy;
    mg_buf error;
} bench_handle;

static bench_handle *benches[MG_API_MAX_HANDLES + 1];

static const char bad_handle[] = "invalid handle: the benchmark was freed or never created";

static bench_handle *get(int h) { return h > 0 && h <= MG_API_MAX_HANDLES ? benches[h] : NULL; }

int mg_api_bench_create(void)
{
    for (int h = 1; h <= MG_API_MAX_HANDLES; h++) {
        if (benches[h])
            continue;
        benches[h] = calloc(1, sizeof *benches[h]);
        return benches[h] ? h : 0;
    }
    return 0;
}

static void drop_matmul(bench_handle *b)
{
    free(b->inp);
    free(b->weight);
    free(b->out);
    b->inp = b->weight = b->out = NULL;
    b->N = b->C = b->OC = 0;
}

static void drop_scalar(bench_handle *b)
{
    mg_graph_free(b->g);
    b->g = NULL;
    free(b->x);
    free(b->y);
    b->x = b->y = NULL;
    b->npoints = 0;
    b->step = 0;
    b->nodes = 0;
}

void mg_api_bench_free(int h)
{
    bench_handle *b = get(h);
    if (!b)
        return;
    drop_matmul(b);
    drop_scalar(b);
    mg_buf_free(&b->error);
    free(b);
    benches[h] = NULL;
}

const char *mg_api_bench_error(int h)
{
    bench_handle *b = get(h);
    return b ? mg_buf_str(&b->error) : bad_handle;
}

/* ---- matmul ------------------------------------------------------------------ */

int mg_api_bench_matmul_setup(int h, int N, int C, int OC, int seed)
{
    bench_handle *b = get(h);
    if (!b)
        return MG_ERR_ARG;
    drop_matmul(b);
    mg_buf_clear(&b->error);
    if (N < 1 || C < 1 || OC < 1 || N > BENCH_MAX_MATMUL || C > BENCH_MAX_MATMUL ||
        OC > BENCH_MAX_MATMUL)
        return mg_buf_fail(&b->error, MG_ERR_LIMIT, "matmul %dx%dx%d: each size must be 1..%d", N,
                           C, OC, BENCH_MAX_MATMUL);
    b->inp = malloc((size_t)N * (size_t)C * sizeof *b->inp);
    b->weight = malloc((size_t)OC * (size_t)C * sizeof *b->weight);
    b->out = calloc((size_t)N * (size_t)OC, sizeof *b->out);
    if (!b->inp || !b->weight || !b->out) {
        drop_matmul(b);
        return mg_buf_fail(&b->error, MG_ERR_NOMEM, "matmul %dx%dx%d: out of memory", N, C, OC);
    }
    mg_rng rng;
    mg_rng_seed(&rng, (uint64_t)seed, 1);
    for (size_t i = 0; i < (size_t)N * (size_t)C; i++)
        b->inp[i] = (float)mg_rng_range(&rng, -1.0, 1.0);
    for (size_t i = 0; i < (size_t)OC * (size_t)C; i++)
        b->weight[i] = (float)mg_rng_range(&rng, -1.0, 1.0);
    b->N = N;
    b->C = C;
    b->OC = OC;
    return MG_OK;
}

int mg_api_bench_matmul_run(int h, int reps)
{
    bench_handle *b = get(h);
    if (!b)
        return MG_ERR_ARG;
    if (!b->inp)
        return mg_buf_fail(&b->error, MG_ERR_STATE, "matmul: call mg_api_bench_matmul_setup first");
    if (reps < 0)
        return mg_buf_fail(&b->error, MG_ERR_ARG, "matmul: %d repetitions", reps);
    for (int r = 0; r < reps; r++)
        mg_matmul_forward(b->out, b->inp, b->weight, NULL, b->N, b->C, b->OC);
    return MG_OK;
}

const float *mg_api_bench_matmul_inp(int h)
{
    bench_handle *b = get(h);
    return b ? b->inp : NULL;
}

const float *mg_api_bench_matmul_weight(int h)
{
    bench_handle *b = get(h);
    return b ? b->weight : NULL;
}

const float *mg_api_bench_matmul_out(int h)
{
    bench_handle *b = get(h);
    return b ? b->out : NULL;
}

/* ---- scalar: micrograd's moons demo ------------------------------------------- */

int mg_api_bench_scalar_setup(int h, int npoints, int seed)
{
    bench_handle *b = get(h);
    if (!b)
        return MG_ERR_ARG;
    drop_scalar(b);
    mg_buf_clear(&b->error);
    if (npoints < 1 || npoints > BENCH_MAX_POINTS)
        return mg_buf_fail(&b->error, MG_ERR_LIMIT, "scalar: %d points; allowed 1..%d", npoints,
                           BENCH_MAX_POINTS);
    mg_rng rng;
    mg_rng_seed(&rng, (uint64_t)seed, 1);
    mg_dataset moons = {0};
    mg_status st = mg_data_generate(&moons, "moons", npoints, 0.1, 0, &rng, &b->error);
    if (st)
        return (int)st;
    b->x = malloc((size_t)npoints * 2 * sizeof *b->x);
    b->y = malloc((size_t)npoints * sizeof *b->y);
    b->g = mg_graph_create(BENCH_SCALAR_NODES);
    if (!b->x || !b->y || !b->g) {
        mg_dataset_free(&moons);
        drop_scalar(b);
        return mg_buf_fail(&b->error, MG_ERR_NOMEM, "scalar: out of memory");
    }
    for (int i = 0; i < npoints; i++) {
        b->x[2 * i] = moons.x[2 * i];
        b->x[2 * i + 1] = moons.x[2 * i + 1];
        b->y[i] = moons.y[i] ? 1.0 : -1.0; /* micrograd: y = y*2 - 1 */
    }
    mg_dataset_free(&moons);
    b->npoints = npoints;
    static const int nout[3] = {16, 16, 1};
    static const mg_act act[3] = {MG_ACT_RELU, MG_ACT_RELU, MG_ACT_LINEAR};
    st = mg_smlp_init(&b->mlp, b->g, 2, 3, nout, act, &rng);
    if (st) {
        mg_buf_fail(&b->error, st, "scalar: %s", mg_graph_error(b->g));
        drop_scalar(b);
    }
    return (int)st;
}

/* Builds the graph of the whole batch and its loss; returns the loss node,
 * or -1 (message in the graph). Counts correct signs in *correct. */
static int32_t scalar_loss(bench_handle *b, int *correct)
{
    mg_graph *g = b->g;
    const double alpha = 1e-4;
    int32_t sum = mg_leaf(g, 0.0, NULL); /* Python's sum() starts from 0 */
    *correct = 0;
    for (int i = 0; i < b->npoints; i++) {
        /* mg_smlp_forward drops every node after mlp.mark; a copy whose mark
         * is the current end keeps the points built so far, so the whole
         * batch lives in one graph, as in micrograd. */
        mg_smlp at = b->mlp;
        at.mark = mg_graph_size(g);
        int32_t score;
        if (mg_smlp_forward(&at, g, b->x + 2 * i, &score))
            return -1;
        /* (1 + -yi*scorei).relu() */
        int32_t neg_y = mg_leaf(g, -b->y[i], NULL);
        int32_t ys = mg_mul(g, score, neg_y);
        int32_t one = mg_leaf(g, 1.0, NULL);
        sum = mg_add(g, sum, mg_relu(g, mg_add(g, ys, one)));
        if (score >= 0)
            *correct += (b->y[i] > 0) == (mg_graph_data(g, score) > 0);
    }
    int32_t data_loss = mg_mul(g, sum, mg_leaf(g, 1.0 / b->npoints, NULL));
    int32_t reg = mg_leaf(g, 0.0, NULL);
    for (int32_t p = b->mlp.param0; p < b->mlp.param0 + b->mlp.nparams; p++)
        reg = mg_add(g, reg, mg_mul(g, p, p));
    return mg_add(g, data_loss, mg_mul(g, mg_leaf(g, alpha, NULL), reg));
}

int mg_api_bench_scalar_run(int h, int steps)
{
    bench_handle *b = get(h);
    if (!b)
        return MG_ERR_ARG;
    if (!b->g)
        return mg_buf_fail(&b->error, MG_ERR_STATE, "scalar: call mg_api_bench_scalar_setup first");
    if (steps < 0)
        return mg_buf_fail(&b->error, MG_ERR_ARG, "scalar: %d steps", steps);
    mg_graph *g = b->g;
    for (int s = 0; s < steps; s++) {
        mg_graph_truncate(g, b->mlp.mark);
        mg_graph_zero_grad(g); /* only the parameters are left */
        int correct;
        int32_t loss = scalar_loss(b, &correct);
        if (loss < 0)
            return mg_buf_fail(&b->error, MG_ERR_LIMIT, "scalar: %s", mg_graph_error(g));
        mg_status st = mg_graph_backward(g, loss);
        if (st)
            return mg_buf_fail(&b->error, st, "scalar: step %lld: %s", (long long)b->step + 1,
                               mg_graph_error(g));
        double lr = 1.0 - 0.9 * (double)b->step / 100.0;
        if (lr < 0.1)
            lr = 0.1;
        for (int32_t p = b->mlp.param0; p < b->mlp.param0 + b->mlp.nparams; p++)
            mg_graph_set_data(g, p, mg_graph_data(g, p) - lr * mg_graph_grad(g, p));
        b->nodes = mg_graph_size(g);
        b->loss = mg_graph_data(g, loss);
        b->accuracy = (double)correct / b->npoints;
        b->step++;
    }
    return MG_OK;
}

int mg_api_bench_scalar_nodes(int h)
{
    bench_handle *b = get(h);
    return b ? (int)b->nodes : 0;
}

double mg_api_bench_scalar_loss(int h)
{
    bench_handle *b = get(h);
    return b && b->nodes ? b->loss : NAN;
}

double mg_api_bench_scalar_accuracy(int h)
{
    bench_handle *b = get(h);
    return b && b->nodes ? b->accuracy : NAN;
}
