/* The float32 tensor kernels (src/tensor/ops.c, conv.c): forward values
 * against small hand-computed cases and an independent convolution; every
 * forward/backward pair, loss and regularizer against central finite
 * differences; and, for every backward, that it accumulates (a second call
 * doubles the gradient) and that each gradient pointer may be NULL.
 *
 * Dimension letters as in ops.h: N batch, C channels or features, OC output
 * channels, H W input height and width, K kernel size, S = H*W. */
#include <stdint.h>
#include <stdlib.h>

#include "base/rng.h"
#include "check.h"
#include "tensor/arena.h"
#include "tensor/ops.h"

/* ---- test memory: everything is freed at exit, so ASan sees no leak ---- */

#define MAX_ALLOCS 1024
static void *allocs[MAX_ALLOCS];
static int n_allocs;

static void *alloc_zero(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size);
    if (!p || n_allocs == MAX_ALLOCS) {
        fprintf(stderr, "test_ops: out of memory\n");
        exit(2);
    }
    allocs[n_allocs++] = p;
    return p;
}

static float *zeros(int n) { return alloc_zero((size_t)n, sizeof(float)); }

static float *uniform(mg_rng *rng, int n, double lo, double hi)
{
    float *x = zeros(n);
    for (int i = 0; i < n; i++)
        x[i] = (float)mg_rng_range(rng, lo, hi);
    return x;
}

/* Uniform in [-hi, -lo] or [lo, hi]: away from a kink at 0. */
static float *away_from_zero(mg_rng *rng, int n, double lo, double hi)
{
    float *x = zeros(n);
    for (int i = 0; i < n; i++) {
        double m = mg_rng_range(rng, lo, hi);
        x[i] = (float)(mg_rng_uniform(rng) < 0.5 ? -m : m);
    }
    return x;
}

/* n distinct values -1 + (k + 0.5) * 2/n in random order: no two closer
 * than 2/n, so max pooling has no ties and no argmax flips under +-h when
 * h < 1/n. */
static float *distinct(mg_rng *rng, int n)
{
    float *x = zeros(n);
    for (int i = 0; i < n; i++)
        x[i] = (float)(-1.0 + (i + 0.5) * 2.0 / n);
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(mg_rng_u32(rng) % (uint32_t)(i + 1));
        float t = x[i];
        x[i] = x[j];
        x[j] = t;
    }
    return x;
}

static float *copy_of(const float *src, int n)
{
    float *x = zeros(n);
    memcpy(x, src, (size_t)n * sizeof(float));
    return x;
}

static double dot_r(const float *out, const float *r, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += (double)out[i] * r[i];
    return s;
}

/* Checks got[i] == want[i] within tol (as CHECK_NEAR: relative above 1),
 * as one check; prints the first mismatches side by side. */
static void check_array(const char *what, const float *got, const double *want, int n, double tol)
{
    int bad = 0;
    for (int i = 0; i < n; i++) {
        double scale = fabs(want[i]) > 1.0 ? fabs(want[i]) : 1.0;
        if (!(fabs(got[i] - want[i]) <= tol * scale)) {
            if (bad < 5)
                fprintf(stderr, "  %s[%d]: got %.9g want %.9g\n", what, i, got[i], want[i]);
            bad++;
        }
    }
    if (bad)
        fprintf(stderr, "%s: %d of %d values wrong\n", what, bad, n);
    CHECK(bad == 0);
}

/* ---- the finite-difference harness --------------------------------------
 *
 * A case owns its buffers (ctx); objective() runs the float forward and
 * returns a scalar in double: sum_i out[i] * r[i] with fixed random r, or
 * scale * loss for a loss. backward() runs the op's backward with dout = r
 * (or the same scale) into grads[k] for the k-th parameter, any of which
 * may be NULL.
 *
 * Numeric gradient: (f(x + h) - f(x - h)) / (x+h - x-h), with the
 * perturbed values as stored in float, h = 1e-2 unless a case says
 * otherwise. Every element of every gradient is checked: the largest
 * |analytic - numeric| of each check must stay within that check's line
 * in test_ops_tolerances.h: the error measured on it (the central
 * difference's truncation, h^2/6 times the third derivative, plus the
 * float32 rounding of the forward divided by 2h) times 4, rounded up to
 * one digit, so 4 to 8 times the measurement: a change of rounding passes,
 * a wrong rule (a missing term, a wrong sign or index: off by O(1)
 * relative) fails. The measurements are the same in every build (the
 * kernels give the same bits natively, in valgrind's SSE build and in
 * WASM); MG_TEST_MEASURE=1 prints them as the file's lines. A check with no
 * line fails. Where the measured error is 0 (piecewise linear ops away from
 * their kinks), the tolerance is 0. */

/* The tolerance of each check, "case dparam", measured as said above. */
static const struct {
    const char *check;
    double tol;
} TOLERANCES[] = {
#include "test_ops_tolerances.h"
};

static double tolerance_of(const char *name, const char *param)
{
    char key[128];
    snprintf(key, sizeof key, "%s d%s", name, param);
    for (size_t i = 0; i < sizeof TOLERANCES / sizeof TOLERANCES[0]; i++)
        if (strcmp(TOLERANCES[i].check, key) == 0)
            return TOLERANCES[i].tol;
    fprintf(stderr, "test_ops: no tolerance for '%s' (measure with MG_TEST_MEASURE=1)\n", key);
    return -1;
}

/* x rounded up to one significant digit */
static double ceil1(double x)
{
    if (x <= 0)
        return 0;
    double p = pow(10, floor(log10(x)));
    return ceil(x / p - 1e-9) * p;
}

#define MAX_PARAMS 4

typedef struct grad_case {
    const char *name;
    void *ctx;
    double (*objective)(void *ctx);
    void (*backward)(void *ctx, float **grads);
    int n_params;
    const char *param_name[MAX_PARAMS];
    float *param[MAX_PARAMS];
    int size[MAX_PARAMS];
    float h;     /* 0: 1e-2 */
} grad_case;

static int verbose, measure;

static void check_gradients(const grad_case *gc)
{
    double h = gc->h > 0 ? gc->h : 1e-2;
    float *g[MAX_PARAMS] = {0}, *first[MAX_PARAMS] = {0};
    for (int k = 0; k < gc->n_params; k++)
        g[k] = zeros(gc->size[k]);
    gc->objective(gc->ctx); /* forward fills the saved buffers */
    gc->backward(gc->ctx, g);

    for (int k = 0; k < gc->n_params; k++) {
        float *x = gc->param[k];
        double tol = tolerance_of(gc->name, gc->param_name[k]), max_err = 0;
        double *num = alloc_zero((size_t)gc->size[k], sizeof(double));
        for (int i = 0; i < gc->size[k]; i++) {
            float x0 = x[i];
            x[i] = (float)(x0 + h);
            double xp = x[i], fp = gc->objective(gc->ctx);
            x[i] = (float)(x0 - h);
            double xm = x[i], fm = gc->objective(gc->ctx);
            x[i] = x0;
            num[i] = (fp - fm) / (xp - xm);
            double err = fabs(g[k][i] - num[i]);
            if (err > max_err)
                max_err = err;
        }
        int bad = 0;
        for (int i = 0; i < gc->size[k]; i++)
            if (!(fabs(g[k][i] - num[i]) <= tol) && bad++ < 5)
                fprintf(stderr, "  %s d%s[%d]: analytic %.9g numeric %.9g\n", gc->name,
                        gc->param_name[k], i, g[k][i], num[i]);
        if (bad)
            fprintf(stderr, "%s: d%s: %d of %d gradients off by more than %g (worst %.3g)\n",
                    gc->name, gc->param_name[k], bad, gc->size[k], tol, max_err);
        if (verbose)
            printf("  %-28s d%-7s max |analytic - numeric| %.2e, tolerance %.0e\n", gc->name,
                   gc->param_name[k], max_err, tol);
        if (measure)
            printf("    {\"%s d%s\", %.0e}, /* measured %.2e */\n", gc->name, gc->param_name[k],
                   ceil1(4 * max_err), max_err);
        CHECK(bad == 0 && tol >= 0);
        first[k] = copy_of(g[k], gc->size[k]);
    }

    /* backward accumulates: a second call (after restoring the saved
     * buffers the perturbed forwards overwrote) doubles: exactly for the
     * kernels that add a finished sum, within float rounding for the fast
     * dense and convolution kernels, which continue their float sum from
     * the old value (gemm.h) */
    gc->objective(gc->ctx);
    gc->backward(gc->ctx, g);
    for (int k = 0; k < gc->n_params; k++) {
        int bad = 0;
        for (int i = 0; i < gc->size[k]; i++)
            if (!(fabs(g[k][i] - 2.0 * first[k][i]) <= 1e-6 * fabs(2.0 * first[k][i]) + 1e-7) &&
                bad++ < 3)
                fprintf(stderr, "  %s d%s[%d] after two backwards: got %.9g want %.9g\n",
                        gc->name, gc->param_name[k], i, g[k][i], 2.0f * first[k][i]);
        CHECK(bad == 0);
    }

    /* each gradient alone, the others NULL, gives the same values; all NULL
     * is accepted */
    for (int k = 0; k < gc->n_params; k++) {
        float *only[MAX_PARAMS] = {0};
        only[k] = zeros(gc->size[k]);
        gc->backward(gc->ctx, only);
        int bad = 0;
        for (int i = 0; i < gc->size[k]; i++)
            if (only[k][i] != first[k][i] && bad++ < 3)
                fprintf(stderr, "  %s d%s[%d] alone: got %.9g want %.9g\n", gc->name,
                        gc->param_name[k], i, only[k][i], first[k][i]);
        CHECK(bad == 0);
    }
    float *none[MAX_PARAMS] = {0};
    gc->backward(gc->ctx, none);
}

/* Every op's buffers and sizes; each case uses the fields it needs. */
typedef struct op_ctx {
    int N, C, H, W, OC, K, stride, pad, S, n;
    float alpha, p, momentum, eps, scale;
    int training;
    float *inp, *b, *weight, *bias, *gamma, *beta, *target;
    float *out, *r, *mask, *mean, *rstd, *running_mean, *running_var, *rm0, *rv0;
    int32_t *argmax, *labels;
    uint64_t seed;
    mg_rng rng;
} op_ctx;

/* ---- dense and elementwise --------------------------------------------- */

static double matmul_obj(void *p)
{
    op_ctx *t = p;
    mg_matmul_forward(t->out, t->inp, t->weight, t->bias, t->N, t->C, t->OC);
    return dot_r(t->out, t->r, t->N * t->OC);
}
static void matmul_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_matmul_backward(g[0], g[1], g[2], t->r, t->inp, t->weight, t->N, t->C, t->OC);
}

static double bias_obj(void *p)
{
    op_ctx *t = p;
    mg_bias_forward(t->out, t->inp, t->bias, t->N, t->C);
    return dot_r(t->out, t->r, t->N * t->C);
}
static void bias_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_bias_backward(g[0], g[1], t->r, t->N, t->C);
}

static double add_obj(void *p)
{
    op_ctx *t = p;
    mg_add_forward(t->out, t->inp, t->b, t->n);
    return dot_r(t->out, t->r, t->n);
}
static void add_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_add_backward(g[0], g[1], t->r, t->n);
}

static double mul_obj(void *p)
{
    op_ctx *t = p;
    mg_mul_forward(t->out, t->inp, t->b, t->n);
    return dot_r(t->out, t->r, t->n);
}
static void mul_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_mul_backward(g[0], g[1], t->r, t->inp, t->b, t->n);
}

static void test_dense_elementwise_grads(mg_rng *rng)
{
    op_ctx t = {.N = 3, .C = 5, .OC = 4};
    t.inp = uniform(rng, 15, -1, 1);
    t.weight = uniform(rng, 20, -1, 1);
    t.bias = uniform(rng, 4, -1, 1);
    t.out = zeros(12);
    t.r = uniform(rng, 12, -1, 1);
    check_gradients(&(grad_case){"matmul", &t, matmul_obj, matmul_bwd, 3,
                                 {"inp", "weight", "bias"}, {t.inp, t.weight, t.bias},
                                 {15, 20, 4}, 0});
    t.bias = NULL; /* no bias: the other gradients are unchanged */
    check_gradients(&(grad_case){"matmul without bias", &t, matmul_obj, matmul_bwd, 2,
                                 {"inp", "weight"}, {t.inp, t.weight}, {15, 20}, 0});

    op_ctx u = {.N = 4, .C = 3};
    u.inp = uniform(rng, 12, -1, 1);
    u.bias = uniform(rng, 3, -1, 1);
    u.out = zeros(12);
    u.r = uniform(rng, 12, -1, 1);
    check_gradients(&(grad_case){"bias", &u, bias_obj, bias_bwd, 2, {"inp", "bias"},
                                 {u.inp, u.bias}, {12, 3}, 0});

    op_ctx v = {.n = 10};
    v.inp = uniform(rng, 10, -2, 2);
    v.b = uniform(rng, 10, -2, 2);
    v.out = zeros(10);
    v.r = uniform(rng, 10, -1, 1);
    check_gradients(&(grad_case){"add", &v, add_obj, add_bwd, 2, {"a", "b"}, {v.inp, v.b},
                                 {10, 10}, 0});
    check_gradients(&(grad_case){"mul", &v, mul_obj, mul_bwd, 2, {"a", "b"}, {v.inp, v.b},
                                 {10, 10}, 0});
}

/* ---- activations and softmax ------------------------------------------- */

static double relu_obj(void *p)
{
    op_ctx *t = p;
    mg_relu_forward(t->out, t->inp, t->n);
    return dot_r(t->out, t->r, t->n);
}
static void relu_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_relu_backward(g[0], t->r, t->inp, t->n);
}

static double leaky_obj(void *p)
{
    op_ctx *t = p;
    mg_leaky_relu_forward(t->out, t->inp, t->alpha, t->n);
    return dot_r(t->out, t->r, t->n);
}
static void leaky_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_leaky_relu_backward(g[0], t->r, t->inp, t->alpha, t->n);
}

static double tanh_obj(void *p)
{
    op_ctx *t = p;
    mg_tanh_forward(t->out, t->inp, t->n);
    return dot_r(t->out, t->r, t->n);
}
static void tanh_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_tanh_backward(g[0], t->r, t->out, t->n);
}

static double sigmoid_obj(void *p)
{
    op_ctx *t = p;
    mg_sigmoid_forward(t->out, t->inp, t->n);
    return dot_r(t->out, t->r, t->n);
}
static void sigmoid_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_sigmoid_backward(g[0], t->r, t->out, t->n);
}

static double gelu_obj(void *p)
{
    op_ctx *t = p;
    mg_gelu_forward(t->out, t->inp, t->n);
    return dot_r(t->out, t->r, t->n);
}
static void gelu_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_gelu_backward(g[0], t->r, t->inp, t->n);
}

static double elu_obj(void *p)
{
    op_ctx *t = p;
    mg_elu_forward(t->out, t->inp, MG_ELU_ALPHA, t->n);
    return dot_r(t->out, t->r, t->n);
}
static void elu_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_elu_forward(t->out, t->inp, MG_ELU_ALPHA, t->n); /* backward reads the output */
    mg_elu_backward(g[0], t->r, t->inp, t->out, MG_ELU_ALPHA, t->n);
}

static double softmax_obj(void *p)
{
    op_ctx *t = p;
    mg_softmax_forward(t->out, t->inp, t->N, t->C);
    return dot_r(t->out, t->r, t->N * t->C);
}
static void softmax_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_softmax_backward(g[0], t->r, t->out, t->N, t->C);
}

static void test_activation_grads(mg_rng *rng)
{
    op_ctx t = {.n = 20, .alpha = 0.1f};
    t.inp = away_from_zero(rng, 20, 0.1, 2); /* |x| >= 0.1 > h: no kink */
    t.out = zeros(20);
    t.r = uniform(rng, 20, -1, 1);
    check_gradients(&(grad_case){"relu", &t, relu_obj, relu_bwd, 1, {"inp"}, {t.inp}, {20}, 0});
    check_gradients(
        &(grad_case){"leaky_relu", &t, leaky_obj, leaky_bwd, 1, {"inp"}, {t.inp}, {20}, 0});

    op_ctx u = {.n = 20};
    u.inp = uniform(rng, 20, -3, 3);
    u.out = zeros(20);
    u.r = uniform(rng, 20, -1, 1);
    check_gradients(&(grad_case){"tanh", &u, tanh_obj, tanh_bwd, 1, {"inp"}, {u.inp}, {20}, 0});
    check_gradients(
        &(grad_case){"sigmoid", &u, sigmoid_obj, sigmoid_bwd, 1, {"inp"}, {u.inp}, {20}, 0});
    check_gradients(&(grad_case){"gelu", &u, gelu_obj, gelu_bwd, 1, {"inp"}, {u.inp}, {20}, 0});
    /* elu: smooth away from its kink at 0 (the second derivative jumps) */
    check_gradients(&(grad_case){"elu", &t, elu_obj, elu_bwd, 1, {"inp"}, {t.inp}, {20}, 0});

    op_ctx v = {.N = 3, .C = 5};
    v.inp = uniform(rng, 15, -2, 2);
    v.out = zeros(15);
    v.r = uniform(rng, 15, -1, 1);
    check_gradients(
        &(grad_case){"softmax", &v, softmax_obj, softmax_bwd, 1, {"inp"}, {v.inp}, {15}, 0});
}

/* ---- convolution and pooling ------------------------------------------- */

static double conv_obj(void *p)
{
    op_ctx *t = p;
    mg_conv2d_forward(t->out, t->inp, t->weight, t->bias, t->N, t->C, t->H, t->W, t->OC, t->K,
                      t->stride, t->pad);
    int OH = mg_conv_out_size(t->H, t->K, t->stride, t->pad);
    int OW = mg_conv_out_size(t->W, t->K, t->stride, t->pad);
    return dot_r(t->out, t->r, t->N * t->OC * OH * OW);
}
static void conv_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_conv2d_backward(g[0], g[1], g[2], t->r, t->inp, t->weight, t->N, t->C, t->H, t->W, t->OC,
                       t->K, t->stride, t->pad);
}

/* The convolution written independently: copy inp into an explicitly
 * zero-padded image, then correlate with no bounds checks. */
static void conv_reference(double *out, const float *inp, const float *weight, const float *bias,
                           int N, int C, int H, int W, int OC, int K, int stride, int pad)
{
    int PH = H + 2 * pad, PW = W + 2 * pad;
    int OH = (PH - K) / stride + 1, OW = (PW - K) / stride + 1;
    double *padded = alloc_zero((size_t)N * C * PH * PW, sizeof(double));
    for (int n = 0; n < N; n++)
        for (int c = 0; c < C; c++)
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                    padded[((n * C + c) * PH + y + pad) * PW + x + pad] =
                        inp[((n * C + c) * H + y) * W + x];
    for (int n = 0; n < N; n++)
        for (int o = 0; o < OC; o++)
            for (int y = 0; y < OH; y++)
                for (int x = 0; x < OW; x++) {
                    double s = bias ? bias[o] : 0;
                    for (int c = 0; c < C; c++)
                        for (int i = 0; i < K; i++)
                            for (int j = 0; j < K; j++)
                                s += padded[((n * C + c) * PH + y * stride + i) * PW + x * stride +
                                            j] *
                                     weight[((o * C + c) * K + i) * K + j];
                    out[((n * OC + o) * OH + y) * OW + x] = s;
                }
}

static void test_conv_grads(mg_rng *rng)
{
    static const struct {
        int N, C, H, W, OC, K, stride, pad;
    } cfg[] = {
        {2, 2, 5, 6, 3, 3, 1, 0}, /* C, OC > 1, H != W */
        {2, 2, 5, 6, 3, 3, 2, 1}, /* stride 2, pad 1 */
        {1, 3, 7, 5, 2, 3, 1, 1}, /* pad 1 */
        {2, 2, 6, 5, 3, 2, 2, 0}, /* stride 2, W not covered evenly */
        {1, 2, 4, 7, 2, 3, 2, 0}, /* last row of inp in no window */
        {1, 1, 7, 6, 2, 2, 3, 1}, /* stride > K: gaps between windows */
        {2, 3, 4, 4, 2, 1, 1, 0}, /* 1x1 kernel */
    };
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        op_ctx t = {.N = cfg[i].N, .C = cfg[i].C, .H = cfg[i].H, .W = cfg[i].W,
                    .OC = cfg[i].OC, .K = cfg[i].K, .stride = cfg[i].stride, .pad = cfg[i].pad};
        int OH = mg_conv_out_size(t.H, t.K, t.stride, t.pad);
        int OW = mg_conv_out_size(t.W, t.K, t.stride, t.pad);
        int n_inp = t.N * t.C * t.H * t.W, n_w = t.OC * t.C * t.K * t.K;
        int n_out = t.N * t.OC * OH * OW;
        t.inp = uniform(rng, n_inp, -1, 1);
        t.weight = uniform(rng, n_w, -1, 1);
        t.bias = uniform(rng, t.OC, -1, 1);
        t.out = zeros(n_out);
        t.r = uniform(rng, n_out, -1, 1);

        char name[64];
        snprintf(name, sizeof name, "conv2d %dx%dx%dx%d K%d s%d p%d", t.N, t.C, t.H, t.W, t.K,
                 t.stride, t.pad);
        check_gradients(&(grad_case){name, &t, conv_obj, conv_bwd, 3, {"inp", "weight", "bias"},
                                     {t.inp, t.weight, t.bias}, {n_inp, n_w, t.OC}, 0});

        /* forward against the independent reference, with and without bias */
        double *want = alloc_zero((size_t)n_out, sizeof(double));
        conv_reference(want, t.inp, t.weight, t.bias, t.N, t.C, t.H, t.W, t.OC, t.K, t.stride,
                       t.pad);
        conv_obj(&t);
        check_array(name, t.out, want, n_out, 1e-6);
        conv_reference(want, t.inp, t.weight, NULL, t.N, t.C, t.H, t.W, t.OC, t.K, t.stride,
                       t.pad);
        mg_conv2d_forward(t.out, t.inp, t.weight, NULL, t.N, t.C, t.H, t.W, t.OC, t.K, t.stride,
                          t.pad);
        check_array("conv2d without bias", t.out, want, n_out, 1e-6);
    }
}

static double maxpool_obj(void *p)
{
    op_ctx *t = p;
    mg_maxpool_forward(t->out, t->argmax, t->inp, t->N, t->C, t->H, t->W, t->K);
    return dot_r(t->out, t->r, t->N * t->C * (t->H / t->K) * (t->W / t->K));
}
static void maxpool_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_maxpool_backward(g[0], t->r, t->argmax, t->N * t->C * (t->H / t->K) * (t->W / t->K));
}

static double avgpool_obj(void *p)
{
    op_ctx *t = p;
    mg_avgpool_forward(t->out, t->inp, t->N, t->C, t->H, t->W, t->K);
    return dot_r(t->out, t->r, t->N * t->C * (t->H / t->K) * (t->W / t->K));
}
static void avgpool_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_avgpool_backward(g[0], t->r, t->N, t->C, t->H, t->W, t->K);
}

static void test_pool_grads(mg_rng *rng)
{
    static const struct {
        int N, C, H, W, K;
    } cfg[] = {
        {2, 2, 5, 7, 2}, /* H, W odd: last row and column in no window */
        {1, 3, 7, 8, 3}, /* H % 3 = 1, W % 3 = 2 */
        {2, 1, 4, 6, 2}, /* exact fit */
    };
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        op_ctx t = {.N = cfg[i].N, .C = cfg[i].C, .H = cfg[i].H, .W = cfg[i].W, .K = cfg[i].K};
        int n_inp = t.N * t.C * t.H * t.W, n_out = t.N * t.C * (t.H / t.K) * (t.W / t.K);
        /* values at least 2/n_inp >= 1/84 apart, and h = 1e-3 < 1/n_inp:
         * no ties, no argmax flips */
        t.inp = distinct(rng, n_inp);
        t.out = zeros(n_out);
        t.argmax = alloc_zero((size_t)n_out, sizeof(int32_t));
        t.r = uniform(rng, n_out, -1, 1);
        char name[64];
        snprintf(name, sizeof name, "maxpool %dx%dx%dx%d K%d", t.N, t.C, t.H, t.W, t.K);
        check_gradients(&(grad_case){name, &t, maxpool_obj, maxpool_bwd, 1, {"inp"}, {t.inp},
                                     {n_inp}, 1e-3f});
        t.inp = uniform(rng, n_inp, -1, 1);
        snprintf(name, sizeof name, "avgpool %dx%dx%dx%d K%d", t.N, t.C, t.H, t.W, t.K);
        check_gradients(&(grad_case){name, &t, avgpool_obj, avgpool_bwd, 1, {"inp"}, {t.inp},
                                     {n_inp}, 0});
    }
}

/* ---- dropout and batchnorm --------------------------------------------- */

static double dropout_obj(void *p)
{
    op_ctx *t = p;
    mg_rng_seed(&t->rng, t->seed, 3); /* the same mask on every call */
    mg_dropout_forward(t->out, t->mask, t->inp, t->p, t->n, t->training, &t->rng);
    return dot_r(t->out, t->r, t->n);
}
static void dropout_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_dropout_backward(g[0], t->r, t->mask, t->n);
}

static double batchnorm_obj(void *p)
{
    op_ctx *t = p;
    /* fresh running statistics each call, so every forward sees the same */
    memcpy(t->running_mean, t->rm0, (size_t)t->C * sizeof(float));
    memcpy(t->running_var, t->rv0, (size_t)t->C * sizeof(float));
    mg_batchnorm_forward(t->out, t->mean, t->rstd, t->inp, t->gamma, t->beta, t->running_mean,
                         t->running_var, t->N, t->C, t->S, t->momentum, t->eps, t->training);
    return dot_r(t->out, t->r, t->N * t->C * t->S);
}
static void batchnorm_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_batchnorm_backward(g[0], g[1], g[2], t->r, t->inp, t->mean, t->rstd, t->gamma, t->N, t->C,
                          t->S, t->training);
}

static void test_regularizing_grads(mg_rng *rng)
{
    for (int training = 0; training <= 1; training++) {
        op_ctx t = {.n = 30, .p = 0.4f, .training = training, .seed = 99};
        t.inp = uniform(rng, 30, -2, 2);
        t.out = zeros(30);
        t.mask = zeros(30);
        t.r = uniform(rng, 30, -1, 1);
        check_gradients(&(grad_case){training ? "dropout training" : "dropout eval", &t,
                                     dropout_obj, dropout_bwd, 1, {"inp"}, {t.inp}, {30}, 0});
    }

    static const struct {
        int N, C, S, training;
    } cfg[] = {{6, 3, 1, 1}, {3, 2, 4, 1}, {2, 3, 1, 0}, {3, 2, 4, 0}};
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        op_ctx t = {.N = cfg[i].N, .C = cfg[i].C, .S = cfg[i].S, .training = cfg[i].training,
                    .momentum = 0.1f, .eps = 1e-5f};
        int n = t.N * t.C * t.S;
        t.inp = uniform(rng, n, -1, 1);
        t.gamma = uniform(rng, t.C, 0.5, 1.5);
        t.beta = uniform(rng, t.C, -0.5, 0.5);
        t.rm0 = uniform(rng, t.C, -0.5, 0.5);
        t.rv0 = uniform(rng, t.C, 0.5, 1.5);
        t.running_mean = zeros(t.C);
        t.running_var = zeros(t.C);
        t.mean = zeros(t.C);
        t.rstd = zeros(t.C);
        t.out = zeros(n);
        t.r = uniform(rng, n, -1, 1);
        char name[64];
        snprintf(name, sizeof name, "batchnorm %s N%d C%d S%d", t.training ? "training" : "eval",
                 t.N, t.C, t.S);
        check_gradients(&(grad_case){name, &t, batchnorm_obj, batchnorm_bwd, 3,
                                     {"inp", "gamma", "beta"}, {t.inp, t.gamma, t.beta},
                                     {n, t.C, t.C}, 0});
    }
}

/* ---- losses and regularizers: objective = scale * loss ------------------ */

static double mse_obj(void *p)
{
    op_ctx *t = p;
    return (double)t->scale * mg_mse_forward(t->inp, t->target, t->N, t->C);
}
static void mse_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_mse_backward(g[0], t->inp, t->target, t->N, t->C, t->scale);
}

static double bce_obj(void *p)
{
    op_ctx *t = p;
    return (double)t->scale * mg_bce_logits_forward(t->inp, t->target, t->N);
}
static void bce_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_bce_logits_backward(g[0], t->inp, t->target, t->N, t->scale);
}

static double ce_obj(void *p)
{
    op_ctx *t = p;
    return (double)t->scale * mg_softmax_ce_forward(t->out, t->inp, t->labels, t->N, t->C);
}
static void ce_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_softmax_ce_backward(g[0], t->out, t->labels, t->N, t->C, t->scale);
}

static double svm_obj(void *p)
{
    op_ctx *t = p;
    return (double)t->scale * mg_svm_forward(t->inp, t->target, t->N);
}
static void svm_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_svm_backward(g[0], t->inp, t->target, t->N, t->scale);
}

static double l1_obj(void *p)
{
    op_ctx *t = p;
    return (double)t->scale * mg_l1_forward(t->inp, t->n);
}
static void l1_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_l1_backward(g[0], t->inp, t->scale, t->n);
}

static double l2_obj(void *p)
{
    op_ctx *t = p;
    return (double)t->scale * mg_l2_forward(t->inp, t->n);
}
static void l2_bwd(void *p, float **g)
{
    op_ctx *t = p;
    mg_l2_backward(g[0], t->inp, t->scale, t->n);
}

static void test_loss_grads(mg_rng *rng)
{
    op_ctx t = {.N = 4, .C = 3, .scale = 0.7f};
    t.inp = uniform(rng, 12, -2, 2);
    t.target = uniform(rng, 12, -2, 2);
    check_gradients(
        &(grad_case){"mse", &t, mse_obj, mse_bwd, 1, {"pred"}, {t.inp}, {12}, 0});

    op_ctx u = {.N = 8, .scale = 0.7f};
    u.inp = uniform(rng, 8, -4, 4);
    u.target = zeros(8);
    for (int i = 0; i < 8; i++)
        u.target[i] = (float)(i % 2);
    check_gradients(
        &(grad_case){"bce_logits", &u, bce_obj, bce_bwd, 1, {"logits"}, {u.inp}, {8}, 0});

    op_ctx v = {.N = 5, .C = 4, .scale = 0.7f};
    v.inp = uniform(rng, 20, -3, 3);
    v.out = zeros(20);
    v.labels = alloc_zero(5, sizeof(int32_t));
    for (int i = 0; i < 5; i++)
        v.labels[i] = (int32_t)(mg_rng_u32(rng) % 4);
    check_gradients(
        &(grad_case){"softmax_ce", &v, ce_obj, ce_bwd, 1, {"logits"}, {v.inp}, {20}, 0});

    /* margins 1 - y s at least 0.1 from the kink at 0: s = y (1 - m) */
    op_ctx w = {.N = 10, .scale = 0.7f};
    w.inp = zeros(10);
    w.target = zeros(10);
    float *m = away_from_zero(rng, 10, 0.1, 2);
    for (int i = 0; i < 10; i++) {
        w.target[i] = i % 2 ? 1.0f : -1.0f;
        w.inp[i] = w.target[i] * (1.0f - m[i]);
    }
    check_gradients(
        &(grad_case){"svm", &w, svm_obj, svm_bwd, 1, {"scores"}, {w.inp}, {10}, 0});

    op_ctx r = {.n = 12, .scale = 0.3f};
    r.inp = away_from_zero(rng, 12, 0.1, 2); /* |w| > h: sign is constant */
    check_gradients(&(grad_case){"l1", &r, l1_obj, l1_bwd, 1, {"w"}, {r.inp}, {12}, 0});
    check_gradients(&(grad_case){"l2", &r, l2_obj, l2_bwd, 1, {"w"}, {r.inp}, {12}, 0});
}

/* ---- forward values by hand ------------------------------------------- */

static void test_dense_values(void)
{
    const float inp[6] = {1, 2, 3, 4, 5, 6}, weight[6] = {1, 0, -1, 2, 1, 0};
    const float bias[2] = {0.5f, -1};
    float out[4];
    mg_matmul_forward(out, inp, weight, bias, 2, 3, 2);
    check_array("matmul", out, (const double[]){-1.5, 3, -1.5, 12}, 4, 0);
    mg_matmul_forward(out, inp, weight, NULL, 2, 3, 2);
    check_array("matmul no bias", out, (const double[]){-2, 4, -2, 13}, 4, 0);

    /* dout = ones: dinp = column sums of weight, dweight = column sums of
     * inp per row, dbias = N */
    const float ones[4] = {1, 1, 1, 1};
    float dinp[6] = {0}, dweight[6] = {0}, dbias[2] = {0};
    mg_matmul_backward(dinp, dweight, dbias, ones, inp, weight, 2, 3, 2);
    check_array("matmul dinp", dinp, (const double[]){3, 1, -1, 3, 1, -1}, 6, 0);
    check_array("matmul dweight", dweight, (const double[]){5, 7, 9, 5, 7, 9}, 6, 0);
    check_array("matmul dbias", dbias, (const double[]){2, 2}, 2, 0);

    float o6[6];
    mg_bias_forward(o6, inp, (const float[]){10, 20, 30}, 2, 3);
    check_array("bias", o6, (const double[]){11, 22, 33, 14, 25, 36}, 6, 0);
    mg_add_forward(o6, inp, weight, 6);
    check_array("add", o6, (const double[]){2, 2, 2, 6, 6, 6}, 6, 0);
    mg_mul_forward(o6, inp, weight, 6);
    check_array("mul", o6, (const double[]){1, 0, -3, 8, 5, 0}, 6, 0);
}

static void test_activation_values(void)
{
    const float x[7] = {-100, -3, -0.5f, 0, 0.25f, 2, 100};
    float out[7], d[7];
    double want[7];
    const float ones[7] = {1, 1, 1, 1, 1, 1, 1};

    mg_relu_forward(out, x, 7);
    check_array("relu", out, (const double[]){0, 0, 0, 0, 0.25, 2, 100}, 7, 0);
    memset(d, 0, sizeof d);
    mg_relu_backward(d, ones, x, 7); /* relu'(0) = 0 */
    check_array("relu'", d, (const double[]){0, 0, 0, 0, 1, 1, 1}, 7, 0);
    mg_leaky_relu_forward(out, x, 0.1f, 7);
    check_array("leaky_relu", out, (const double[]){-10, -0.3, -0.05, 0, 0.25, 2, 100}, 7, 1e-7);
    memset(d, 0, sizeof d);
    mg_leaky_relu_backward(d, ones, x, 0.1f, 7); /* leaky_relu'(0) = alpha */
    check_array("leaky_relu'", d, (const double[]){0.1, 0.1, 0.1, 0.1, 1, 1, 1}, 7, 1e-7);

    for (int i = 0; i < 7; i++)
        want[i] = tanh(x[i]);
    mg_tanh_forward(out, x, 7);
    check_array("tanh", out, want, 7, 1e-6);
    for (int i = 0; i < 7; i++)
        want[i] = 1 / (1 + exp(-(double)x[i]));
    mg_sigmoid_forward(out, x, 7);
    check_array("sigmoid", out, want, 7, 1e-6);
    CHECK(out[0] >= 0 && out[0] < 1e-30); /* e^-100: subnormal, flushed to 0 (fmath.h); no nan */

    /* softmax of [1,2,3], also shifted far up and down (stability) */
    const double sm[3] = {0.09003057317038046, 0.24472847105479764, 0.6652409557748219};
    const float rows[9] = {1, 2, 3, 1001, 1002, 1003, -1001, -1000, -999};
    float p[9];
    mg_softmax_forward(p, rows, 3, 3);
    for (int r = 0; r < 3; r++)
        check_array("softmax", p + 3 * r, sm, 3, 1e-6);
}

static void test_conv_pool_values(void)
{
    CHECK_INT(mg_conv_out_size(5, 3, 1, 0), 3);
    CHECK_INT(mg_conv_out_size(5, 3, 2, 1), 3);
    CHECK_INT(mg_conv_out_size(4, 3, 2, 0), 1);
    CHECK_INT(mg_conv_out_size(7, 2, 2, 0), 3); /* floor */
    CHECK_INT(mg_conv_out_size(3, 3, 1, 0), 1);
    CHECK_INT(mg_conv_out_size(2, 3, 1, 0), 0); /* does not fit */
    CHECK_INT(mg_conv_out_size(2, 3, 1, 1), 2);
    CHECK_INT(mg_conv_out_size(28, 5, 1, 2), 28);
    CHECK_INT(mg_conv_out_size(5, 3, 0, 0), 0); /* bad stride */
    CHECK_INT(mg_conv_out_size(5, 0, 1, 0), 0); /* bad K */

    /* 1x1x3x3 image 1..9 */
    const float img[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    float out[9];
    /* [[1,0],[0,-1]]: x[i][j] - x[i+1][j+1] = -4, plus bias 0.5 */
    mg_conv2d_forward(out, img, (const float[]){1, 0, 0, -1}, (const float[]){0.5f}, 1, 1, 3, 3,
                      1, 2, 1, 0);
    check_array("conv 2x2", out, (const double[]){-3.5, -3.5, -3.5, -3.5}, 4, 0);
    const float box[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    /* 3x3 box sum, pad 1: sums of the in-bounds neighbourhoods */
    mg_conv2d_forward(out, img, box, NULL, 1, 1, 3, 3, 1, 3, 1, 1);
    check_array("conv box pad 1", out, (const double[]){12, 21, 16, 27, 45, 33, 24, 39, 28}, 9, 0);
    /* stride 2: only the corners */
    mg_conv2d_forward(out, img, box, NULL, 1, 1, 3, 3, 1, 3, 2, 1);
    check_array("conv box pad 1 stride 2", out, (const double[]){12, 16, 24, 28}, 4, 0);
    /* backward with dout = ones: each input gets the number of windows
     * covering it; dweight the sum of the image under each tap */
    float dimg[9] = {0}, dbox[9] = {0}, db[1] = {0};
    mg_conv2d_backward(dimg, dbox, db, (const float[]){1, 1, 1, 1}, img, box, 1, 1, 3, 3, 1, 3,
                       2, 1);
    check_array("conv dinp", dimg, (const double[]){1, 2, 1, 2, 4, 2, 1, 2, 1}, 9, 0);
    check_array("conv dweight", dbox, (const double[]){5, 10, 5, 10, 20, 10, 5, 10, 5}, 9, 0);
    check_array("conv dbias", db, (const double[]){4}, 1, 0);

    /* 1x2x4x5, channel 1 = channel 0; K = 2 leaves column 4 (the 9s) out */
    float x[40];
    const float ch[20] = {1, 5, 2, 0, 9, 3, 4, 8, 8, 9, 0, 0, 7, 6, 9, 0, 0, 6, 7, 9};
    memcpy(x, ch, sizeof ch);
    memcpy(x + 20, ch, sizeof ch);
    float m[8];
    int32_t arg[8];
    mg_maxpool_forward(m, arg, x, 1, 2, 4, 5, 2);
    check_array("maxpool", m, (const double[]){5, 8, 0, 7, 5, 8, 0, 7}, 8, 0);
    /* flat indices into inp; ties go to the first in row-major order */
    static const int32_t want_arg[8] = {1, 7, 10, 12, 21, 27, 30, 32};
    for (int i = 0; i < 8; i++)
        CHECK_INT(arg[i], want_arg[i]);
    float dx[40] = {0};
    mg_maxpool_backward(dx, (const float[]){1, 2, 3, 4, 5, 6, 7, 8}, arg, 8);
    double want_dx[40] = {0};
    for (int i = 0; i < 8; i++)
        want_dx[want_arg[i]] = i + 1;
    check_array("maxpool dinp", dx, want_dx, 40, 0);

    mg_avgpool_forward(m, x, 1, 2, 4, 5, 2);
    check_array("avgpool", m, (const double[]){3.25, 4.5, 0, 6.5, 3.25, 4.5, 0, 6.5}, 8, 0);
    memset(dx, 0, sizeof dx);
    mg_avgpool_backward(dx, (const float[]){4, 8, 12, 16, 4, 8, 12, 16}, 1, 2, 4, 5, 2);
    const double want_avg[20] = {1, 1, 2, 2, 0, 1, 1, 2, 2, 0, 3, 3, 4, 4, 0, 3, 3, 4, 4, 0};
    check_array("avgpool dinp ch0", dx, want_avg, 20, 0);
    check_array("avgpool dinp ch1", dx + 20, want_avg, 20, 0);
}

static void test_dropout_values(void)
{
    enum { n = 10000 };
    float *x = zeros(n), *out = zeros(n), *mask = zeros(n), *mask2 = zeros(n);
    for (int i = 0; i < n; i++)
        x[i] = (float)(i % 17) - 8.0f;
    mg_rng rng, before;

    /* not training: identity, mask 1, rng untouched */
    mg_rng_seed(&rng, 5, 7);
    before = rng;
    mg_dropout_forward(out, mask, x, 0.5f, n, 0, &rng);
    int bad = 0;
    for (int i = 0; i < n; i++)
        bad += out[i] != x[i] || mask[i] != 1.0f;
    CHECK_INT(bad, 0);
    CHECK(rng.state == before.state && rng.inc == before.inc);

    /* training with p = 0.3: about 70% kept (binomial sd 0.0046), each
     * kept one scaled by exactly the float 1/(1-p), the rest zero */
    const float p = 0.3f, scale = 1.0f / (1.0f - p);
    mg_rng_seed(&rng, 5, 7);
    mg_dropout_forward(out, mask, x, p, n, 1, &rng);
    int kept = 0;
    bad = 0;
    for (int i = 0; i < n; i++) {
        if (mask[i] == scale) {
            kept++;
            bad += out[i] != x[i] * scale;
        } else {
            bad += mask[i] != 0.0f || out[i] != 0.0f;
        }
    }
    CHECK_INT(bad, 0);
    CHECK_NEAR(kept / (double)n, 0.7, 0.02);

    /* same seed, same mask; another seed, another mask */
    mg_rng_seed(&rng, 5, 7);
    mg_dropout_forward(out, mask2, x, p, n, 1, &rng);
    CHECK(memcmp(mask, mask2, n * sizeof(float)) == 0);
    mg_rng_seed(&rng, 6, 7);
    mg_dropout_forward(out, mask2, x, p, n, 1, &rng);
    CHECK(memcmp(mask, mask2, n * sizeof(float)) != 0);

    /* p = 0 keeps everything unscaled, yet draws n numbers like any p;
     * p = 1 drops everything, no inf */
    mg_rng_seed(&rng, 8, 7);
    mg_rng_seed(&before, 8, 7);
    for (int i = 0; i < n; i++)
        mg_rng_uniform(&before);
    mg_dropout_forward(out, mask, x, 0.0f, n, 1, &rng);
    CHECK(rng.state == before.state);
    bad = 0;
    for (int i = 0; i < n; i++)
        bad += out[i] != x[i] || mask[i] != 1.0f;
    CHECK_INT(bad, 0);
    mg_dropout_forward(out, mask, x, 1.0f, n, 1, &rng);
    bad = 0;
    for (int i = 0; i < n; i++)
        bad += out[i] != 0.0f || mask[i] != 0.0f;
    CHECK_INT(bad, 0);

    /* backward routes through the mask */
    float d[3] = {1, 1, 1};
    mg_dropout_backward(d, (const float[]){1, 2, 3}, (const float[]){0, 2, 1}, 3);
    check_array("dropout dinp", d, (const double[]){1, 5, 4}, 3, 0);
}

static void test_batchnorm_values(mg_rng *rng)
{
    enum { N = 16, C = 3, S = 5, M = N * S };
    const float momentum = 0.1f, eps = 1e-5f;
    float *x = zeros(N * C * S), *out = zeros(N * C * S);
    for (int n = 0; n < N; n++) /* channel c: mean about c, spread c + 1 */
        for (int c = 0; c < C; c++)
            for (int s = 0; s < S; s++)
                x[(n * C + c) * S + s] = (float)(c + (c + 1) * mg_rng_range(rng, -1, 1));
    float gamma[C] = {1, 2, 1}, beta[C] = {0, 3, 0};
    float rm[C] = {0.5f, -1, 0}, rv[C] = {2, 0.5f, 1}, mean[C], rstd[C];
    const float rm0[C] = {0.5f, -1, 0}, rv0[C] = {2, 0.5f, 1};

    mg_batchnorm_forward(out, mean, rstd, x, gamma, beta, rm, rv, N, C, S, momentum, eps, 1);
    for (int c = 0; c < C; c++) {
        double bm = 0, bv = 0, om = 0, ov = 0; /* batch and output statistics */
        for (int n = 0; n < N; n++)
            for (int s = 0; s < S; s++) {
                bm += x[(n * C + c) * S + s];
                om += out[(n * C + c) * S + s];
            }
        bm /= M;
        om /= M;
        for (int n = 0; n < N; n++)
            for (int s = 0; s < S; s++) {
                double d = x[(n * C + c) * S + s] - bm, e = out[(n * C + c) * S + s] - om;
                bv += d * d;
                ov += e * e;
            }
        ov /= M;
        /* normalized: mean beta, variance gamma^2 var/(var+eps) */
        CHECK_NEAR(om, beta[c], 1e-5);
        CHECK_NEAR(ov, (double)gamma[c] * gamma[c], 1e-4);
        CHECK_NEAR(mean[c], bm, 1e-6);
        CHECK_NEAR(rstd[c], 1 / sqrt(bv / M + eps), 1e-5);
        /* running: (1-m) r + m batch, the variance unbiased */
        CHECK_NEAR(rm[c], (1 - momentum) * rm0[c] + momentum * bm, 1e-6);
        CHECK_NEAR(rv[c], (1 - momentum) * rv0[c] + momentum * bv / (M - 1), 1e-6);
    }

    /* eval: the running statistics, which stay as they are */
    float rm1[C], rv1[C];
    memcpy(rm1, rm, sizeof rm);
    memcpy(rv1, rv, sizeof rv);
    mg_batchnorm_forward(out, mean, rstd, x, gamma, beta, rm, rv, N, C, S, momentum, eps, 0);
    double *want = alloc_zero(N * C * S, sizeof(double));
    for (int n = 0; n < N; n++)
        for (int c = 0; c < C; c++)
            for (int s = 0; s < S; s++) {
                int i = (n * C + c) * S + s;
                want[i] = gamma[c] * (x[i] - rm1[c]) / sqrt(rv1[c] + (double)eps) + beta[c];
            }
    check_array("batchnorm eval", out, want, N * C * S, 1e-5);
    for (int c = 0; c < C; c++) {
        CHECK(rm[c] == rm1[c] && rv[c] == rv1[c]);
        CHECK_NEAR(mean[c], rm1[c], 0);
        CHECK_NEAR(rstd[c], 1 / sqrt(rv1[c] + (double)eps), 1e-6);
    }

    /* one value per channel (N = 1, S = 1): out = beta, finite running var */
    float one[2] = {3, -4}, o1[2], m1[2], s1[2], rm2[2] = {0, 0}, rv2[2] = {1, 1};
    mg_batchnorm_forward(o1, m1, s1, one, gamma, beta, rm2, rv2, 1, 2, 1, 0.5f, eps, 1);
    check_array("batchnorm one value", o1, (const double[]){0, 3}, 2, 1e-6);
    check_array("batchnorm one value running var", rv2, (const double[]){0.5, 0.5}, 2, 1e-6);
}

static void test_loss_values(void)
{
    float d[4] = {0};
    const float pred[4] = {1, 2, 3, 4}, tgt[4] = {0, 2, 5, 4};
    CHECK_NEAR(mg_mse_forward(pred, tgt, 2, 2), 1.25, 1e-7);
    mg_mse_backward(d, pred, tgt, 2, 2, 1.0f);
    check_array("mse dpred", d, (const double[]){0.5, 0, -1, 0}, 4, 1e-7);

    /* bce with logits: log 2 at 0, and no overflow at +-100 */
    CHECK_NEAR(mg_bce_logits_forward((const float[]){0}, (const float[]){1}, 1), log(2.0), 1e-7);
    CHECK_NEAR(mg_bce_logits_forward((const float[]){100}, (const float[]){1}, 1), 0, 1e-7);
    CHECK_NEAR(mg_bce_logits_forward((const float[]){-100}, (const float[]){1}, 1), 100, 1e-6);
    CHECK_NEAR(mg_bce_logits_forward((const float[]){100}, (const float[]){0}, 1), 100, 1e-6);
    CHECK_NEAR(mg_bce_logits_forward((const float[]){-100}, (const float[]){0}, 1), 0, 1e-7);
    CHECK_NEAR(mg_bce_logits_forward((const float[]){2, -1}, (const float[]){1, 0}, 2),
               (log1p(exp(-2.0)) + log1p(exp(-1.0))) / 2, 1e-6);
    memset(d, 0, sizeof d);
    mg_bce_logits_backward(d, (const float[]){0, 100, -100, 100}, (const float[]){1, 1, 1, 0}, 4,
                           2.0f);
    check_array("bce dlogits", d, (const double[]){-0.25, 0, -0.5, 0.5}, 4, 1e-7);

    /* softmax CE of [1,2,3]: -log softmax */
    float probs[6];
    const float logits[6] = {1, 2, 3, 1000, 0, 0};
    CHECK_NEAR(mg_softmax_ce_forward(probs, logits, (const int32_t[]){2}, 1, 3),
               0.4076059644443803, 1e-6);
    CHECK_NEAR(mg_softmax_ce_forward(probs, logits, (const int32_t[]){0}, 1, 3),
               2.4076059644443803, 1e-6);
    check_array("softmax_ce probs", probs,
                (const double[]){0.09003057317038046, 0.24472847105479764, 0.6652409557748219},
                3, 1e-6);
    /* a logit of 1000: finite, the mean of 0 and 1000 */
    CHECK_NEAR(mg_softmax_ce_forward(probs, logits, (const int32_t[]){2, 1}, 2, 3),
               (0.4076059644443803 + 1000) / 2, 1e-6);
    float dl[6] = {0};
    mg_softmax_ce_backward(dl, probs, (const int32_t[]){2, 1}, 2, 3, 1.0f);
    check_array("softmax_ce dlogits", dl,
                (const double[]){0.09003057317038046 / 2, 0.24472847105479764 / 2,
                                 (0.6652409557748219 - 1) / 2, 0.5, -0.5, 0},
                6, 1e-6);
    /* a label out of range: NaN loss, nothing read or written past the row */
    CHECK(isnan(mg_softmax_ce_forward(probs, logits, (const int32_t[]){3}, 1, 3)));
    memset(dl, 0, sizeof dl);
    mg_softmax_ce_backward(dl, probs, (const int32_t[]){-1, 3}, 2, 3, 1.0f);
    check_array("softmax_ce bad label", dl, (const double[]){0, 0, 0, 0, 0, 0}, 6, 0);

    /* svm: mean of relu(1 - y s); the kink y s = 1 has gradient 0 */
    const float s[5] = {0.5f, -2, 3, 0.2f, 1}, y[5] = {1, 1, 1, -1, 1};
    CHECK_NEAR(mg_svm_forward(s, y, 4), 4.7 / 4, 1e-7);
    float ds[5] = {0};
    mg_svm_backward(ds, s, y, 5, 1.0f);
    check_array("svm dscores", ds, (const double[]){-0.2, -0.2, 0, 0.2, 0}, 5, 1e-7);

    const float w[4] = {1, -2, 3, 0};
    CHECK_NEAR(mg_l1_forward(w, 4), 6, 0);
    CHECK_NEAR(mg_l2_forward(w, 4), 7, 0);
    float dw[4] = {0};
    mg_l1_backward(dw, w, 0.5f, 4);
    check_array("l1 dw", dw, (const double[]){0.5, -0.5, 0.5, 0}, 4, 0);
    memset(dw, 0, sizeof dw);
    mg_l2_backward(dw, w, 0.5f, 4);
    check_array("l2 dw", dw, (const double[]){0.5, -1, 1.5, 0}, 4, 0);
}

/* ---- the step arena ----------------------------------------------------- */

static void test_arena(void)
{
    mg_arena a;
    CHECK(mg_arena_init(&a, 100) == 0);
    float *p = mg_arena_alloc(&a, 10), *q = mg_arena_zeros(&a, 20);
    CHECK(p && q && (uintptr_t)p % 64 == 0 && (uintptr_t)q % 64 == 0 && q >= p + 10);
    for (int i = 0; i < 20; i++)
        q[i] = 1.0f; /* garbage for the next step */
    mg_arena_reset(&a);
    mg_arena_alloc(&a, 10);
    float *z = mg_arena_zeros(&a, 20);
    int nonzero = 0;
    for (int i = 0; i < 20; i++)
        nonzero += z[i] != 0.0f;
    CHECK(z == q && nonzero == 0);
    CHECK(mg_arena_alloc(&a, 100) == NULL); /* full: NULL, not past the end */
    CHECK(mg_arena_zeros(&a, 100) == NULL);
    mg_arena_free(&a);
}

int main(void)
{
    verbose = getenv("MG_TEST_VERBOSE") != NULL;
    measure = getenv("MG_TEST_MEASURE") != NULL;
    mg_rng rng;
    mg_rng_seed(&rng, 2024, 11);

    test_dense_values();
    test_activation_values();
    test_conv_pool_values();
    test_dropout_values();
    test_batchnorm_values(&rng);
    test_loss_values();

    test_dense_elementwise_grads(&rng);
    test_activation_grads(&rng);
    test_conv_grads(&rng);
    test_pool_grads(&rng);
    test_regularizing_grads(&rng);
    test_loss_grads(&rng);
    test_arena();

    for (int i = 0; i < n_allocs; i++)
        free(allocs[i]);
    return check_done("test_ops");
}
