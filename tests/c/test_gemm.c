/* The fast kernels (src/tensor/gemm.c and the dense and convolution ops on
 * it) against two independent references, over shapes that hit every edge
 * of the blocking (partial register tiles, several KC slices and MC blocks,
 * sizes 1 and 0):
 *
 * 1. Bit for bit, a plain loop that sums in float in the order gemm.h
 *    promises (start from the old value or the bias, add the products with
 *    k ascending). This is what makes the WebAssembly (SIMD128) and native
 *    (AVX-512) builds agree exactly; the node parity test checks the two
 *    builds against each other.
 * 2. Within the float rounding bound, the reference kernels of ops.c and
 *    conv.c, which sum in double: |fast - ref| <= (K+2) u sum |a b| with
 *    u = 2^-24, where the sum of absolute products comes from the same
 *    reference kernel run on |inputs|.
 *
 * Dimension letters as in ops.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "check.h"
#include "tensor/gemm.h"
#include "tensor/ops.h"

static float *fill(mg_rng *rng, size_t n)
{
    float *x = malloc((n ? n : 1) * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = (float)mg_rng_range(rng, -1, 1);
    return x;
}

static float *dup(const float *x, size_t n)
{
    float *y = malloc((n ? n : 1) * sizeof *y);
    memcpy(y, x, n * sizeof *y);
    return y;
}

static float *absolute(const float *x, size_t n)
{
    float *y = dup(x, n);
    for (size_t i = 0; i < n; i++)
        y[i] = fabsf(y[i]);
    return y;
}

/* got == want bit for bit (both NaN-free here). */
static void same_bits(const char *what, const float *got, const float *want, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        if (memcmp(&got[i], &want[i], sizeof got[i]) != 0 && bad++ < 3)
            fprintf(stderr, "  %s[%zu]: got %.9g want %.9g\n", what, i, got[i], want[i]);
    if (bad)
        fprintf(stderr, "%s: %d of %zu differ\n", what, bad, n);
    CHECK(bad == 0);
}

/* |got - want| <= (K + 2) 2^-24 abs + 1e-30 elementwise. */
static void within_bound(const char *what, const float *got, const float *want,
                         const float *abs_sum, size_t n, int K)
{
    int bad = 0;
    double u = ldexp(1.0, -24);
    for (size_t i = 0; i < n; i++) {
        double err = fabs((double)got[i] - want[i]), bound = (K + 2) * u * abs_sum[i] + 1e-30;
        if (!(err <= bound) && bad++ < 3)
            fprintf(stderr, "  %s[%zu]: got %.9g want %.9g (bound %.3g)\n", what, i, got[i],
                    want[i], bound);
    }
    if (bad)
        fprintf(stderr, "%s: %d of %zu outside the rounding bound\n", what, bad, n);
    CHECK(bad == 0);
}

/* ---- dense ------------------------------------------------------------ */

/* The documented order: out (N,OC) = bias, then + inp[n][c] * w[o][c] for c
 * ascending; dinp (N,C) += dout[n][o] * w[o][c] for o ascending; dweight
 * (OC,C) += dout[n][o] * inp[n][c] for n ascending. */
static void dense_in_order(float *out, float *dinp, float *dweight, const float *inp,
                           const float *w, const float *bias, const float *dout, int N, int C,
                           int OC)
{
    for (int n = 0; n < N; n++)
        for (int o = 0; o < OC; o++) {
            float s = bias ? bias[o] : 0.0f;
            for (int c = 0; c < C; c++)
                s += inp[n * C + c] * w[o * C + c];
            out[n * OC + o] = s;
        }
    for (int n = 0; n < N; n++)
        for (int c = 0; c < C; c++) {
            float s = dinp[n * C + c];
            for (int o = 0; o < OC; o++)
                s += dout[n * OC + o] * w[o * C + c];
            dinp[n * C + c] = s;
        }
    for (int o = 0; o < OC; o++)
        for (int c = 0; c < C; c++) {
            float s = dweight[o * C + c];
            for (int n = 0; n < N; n++)
                s += dout[n * OC + o] * inp[n * C + c];
            dweight[o * C + c] = s;
        }
}

static void check_dense(mg_rng *rng, int N, int C, int OC, int with_bias)
{
    char name[96];
    snprintf(name, sizeof name, "dense N%d C%d OC%d%s", N, C, OC, with_bias ? "" : " no bias");
    size_t ni = (size_t)N * C, nw = (size_t)OC * C, no = (size_t)N * OC;
    float *inp = fill(rng, ni), *w = fill(rng, nw), *bias = with_bias ? fill(rng, OC) : NULL;
    float *dout = fill(rng, no), *dinp0 = fill(rng, ni), *dw0 = fill(rng, nw);

    float *out = fill(rng, no), *dinp = dup(dinp0, ni), *dw = dup(dw0, nw);
    mg_matmul_forward(out, inp, w, bias, N, C, OC);
    mg_matmul_backward(dinp, dw, NULL, dout, inp, w, N, C, OC);

    float *o_ord = malloc((no ? no : 1) * sizeof *o_ord), *di_ord = dup(dinp0, ni),
          *dw_ord = dup(dw0, nw);
    dense_in_order(o_ord, di_ord, dw_ord, inp, w, bias, dout, N, C, OC);
    char what[128];
    snprintf(what, sizeof what, "%s out vs in-order float", name);
    same_bits(what, out, o_ord, no);
    snprintf(what, sizeof what, "%s dinp vs in-order float", name);
    same_bits(what, dinp, di_ord, ni);
    snprintf(what, sizeof what, "%s dweight vs in-order float", name);
    same_bits(what, dw, dw_ord, nw);

    /* against the double reference, from zero gradients */
    float *ref = malloc((no ? no : 1) * sizeof *ref), *abs_out = malloc((no ? no : 1) * sizeof *ref);
    float *ai = absolute(inp, ni), *aw = absolute(w, nw), *ab = bias ? absolute(bias, OC) : NULL;
    float *ad = absolute(dout, no);
    mg_matmul_forward_ref(ref, inp, w, bias, N, C, OC);
    mg_matmul_forward_ref(abs_out, ai, aw, ab, N, C, OC);
    snprintf(what, sizeof what, "%s out vs double reference", name);
    within_bound(what, out, ref, abs_out, no, C);

    float *g_fast[2] = {calloc(ni + 1, 4), calloc(nw + 1, 4)};
    float *g_ref[2] = {calloc(ni + 1, 4), calloc(nw + 1, 4)};
    float *g_abs[2] = {calloc(ni + 1, 4), calloc(nw + 1, 4)};
    mg_matmul_backward(g_fast[0], g_fast[1], NULL, dout, inp, w, N, C, OC);
    mg_matmul_backward_ref(g_ref[0], g_ref[1], NULL, dout, inp, w, N, C, OC);
    mg_matmul_backward_ref(g_abs[0], g_abs[1], NULL, ad, ai, aw, N, C, OC);
    snprintf(what, sizeof what, "%s dinp vs double reference", name);
    within_bound(what, g_fast[0], g_ref[0], g_abs[0], ni, OC);
    snprintf(what, sizeof what, "%s dweight vs double reference", name);
    within_bound(what, g_fast[1], g_ref[1], g_abs[1], nw, N);

    void *all[] = {inp, w, bias, dout, dinp0, dw0, out, dinp, dw, o_ord, di_ord, dw_ord, ref,
                   abs_out, ai, aw, ab, ad, g_fast[0], g_fast[1], g_ref[0], g_ref[1],
                   g_abs[0], g_abs[1]};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
}

/* ---- convolution ------------------------------------------------------- */

typedef struct {
    int N, C, H, W, OC, K, stride, pad;
} conv_shape;

static void check_conv(mg_rng *rng, conv_shape s)
{
    char name[96];
    snprintf(name, sizeof name, "conv %dx%dx%dx%d OC%d K%d s%d p%d", s.N, s.C, s.H, s.W, s.OC,
             s.K, s.stride, s.pad);
    int OH = mg_conv_out_size(s.H, s.K, s.stride, s.pad),
        OW = mg_conv_out_size(s.W, s.K, s.stride, s.pad);
    size_t ni = (size_t)s.N * s.C * s.H * s.W, nw = (size_t)s.OC * s.C * s.K * s.K,
           no = (size_t)s.N * s.OC * OH * OW;
    float *inp = fill(rng, ni), *w = fill(rng, nw), *bias = fill(rng, s.OC), *dout = fill(rng, no);
    float *out = fill(rng, no), *ref = fill(rng, no), *abs_out = fill(rng, no);
    float *ai = absolute(inp, ni), *aw = absolute(w, nw), *ab = absolute(bias, s.OC),
          *ad = absolute(dout, no);
#define CONV_ARGS s.N, s.C, s.H, s.W, s.OC, s.K, s.stride, s.pad
    mg_conv2d_forward(out, inp, w, bias, CONV_ARGS);
    mg_conv2d_forward_ref(ref, inp, w, bias, CONV_ARGS);
    mg_conv2d_forward_ref(abs_out, ai, aw, ab, CONV_ARGS);
    char what[160];
    snprintf(what, sizeof what, "%s out", name);
    within_bound(what, out, ref, abs_out, no, s.C * s.K * s.K);

    float *g_fast[3] = {calloc(ni + 1, 4), calloc(nw + 1, 4), calloc(s.OC, 4)};
    float *g_ref[3] = {calloc(ni + 1, 4), calloc(nw + 1, 4), calloc(s.OC, 4)};
    float *g_abs[3] = {calloc(ni + 1, 4), calloc(nw + 1, 4), calloc(s.OC, 4)};
    mg_conv2d_backward(g_fast[0], g_fast[1], g_fast[2], dout, inp, w, CONV_ARGS);
    mg_conv2d_backward_ref(g_ref[0], g_ref[1], g_ref[2], dout, inp, w, CONV_ARGS);
    mg_conv2d_backward_ref(g_abs[0], g_abs[1], g_abs[2], ad, ai, aw, CONV_ARGS);
    snprintf(what, sizeof what, "%s dinp", name);
    within_bound(what, g_fast[0], g_ref[0], g_abs[0], ni, s.OC * s.K * s.K);
    /* dweight sums over the batch and every output position */
    snprintf(what, sizeof what, "%s dweight", name);
    within_bound(what, g_fast[1], g_ref[1], g_abs[1], nw, s.N * OH * OW);
    snprintf(what, sizeof what, "%s dbias", name);
    same_bits(what, g_fast[2], g_ref[2], s.OC);
#undef CONV_ARGS
    void *all[] = {inp, w, bias, dout, out, ref, abs_out, ai, aw, ab, ad, g_fast[0], g_fast[1],
                   g_fast[2], g_ref[0], g_ref[1], g_ref[2], g_abs[0], g_abs[1], g_abs[2]};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
}

/* ---- gemm's own inits -------------------------------------------------- */

/* BIAS_ROW and ZERO through mg_gemm directly (dense uses BIAS_COL and
 * ACCUMULATE), against the in-order loop. */
static void check_inits(mg_rng *rng)
{
    int M = 13, N = 37, K = 300;
    float *A = fill(rng, (size_t)M * K), *B = fill(rng, (size_t)K * N), *bias = fill(rng, M);
    float *C = fill(rng, (size_t)M * N), *want = malloc(sizeof(float) * M * N);
    mg_gemm_opnd a = mg_gemm_strided(A, K, 1), b = mg_gemm_strided(B, 1, N);
    for (int init = MG_GEMM_BIAS_ROW; init <= MG_GEMM_ZERO; init += MG_GEMM_ZERO - MG_GEMM_BIAS_ROW) {
        mg_gemm(M, N, K, &a, &b, C, N, (mg_gemm_init)init, bias);
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) {
                float s = init == MG_GEMM_BIAS_ROW ? bias[i] : 0.0f;
                for (int k = 0; k < K; k++)
                    s += A[i * K + k] * B[k * N + j];
                want[i * N + j] = s;
            }
        same_bits(init == MG_GEMM_BIAS_ROW ? "gemm bias per row" : "gemm from zero", C, want,
                  (size_t)M * N);
    }
    free(A), free(B), free(bias), free(C), free(want);
}

int main(void)
{
    mg_rng rng;
    mg_rng_seed(&rng, 20261123, 1);
    printf("gemm: %s\n", mg_gemm_describe());
    check_inits(&rng);
    /* sizes around the tiles (MR up to 8, NR up to 32), KC = 256, MC = 96 */
    static const int dense[][3] = {
        {1, 1, 1},    {1, 7, 3},     {2, 3, 2},     {5, 17, 9},    {32, 784, 128},
        {32, 128, 10}, {7, 257, 33}, {97, 513, 31}, {100, 40, 65}, {3, 0, 4},
        {0, 5, 4},    {33, 1, 129},  {8, 300, 1},
    };
    for (size_t i = 0; i < sizeof dense / sizeof *dense; i++)
        for (int b = 0; b < 2; b++)
            check_dense(&rng, dense[i][0], dense[i][1], dense[i][2], b);
    static const conv_shape conv[] = {
        {2, 1, 28, 28, 8, 5, 1, 0},  {2, 8, 12, 12, 16, 5, 1, 0}, {1, 3, 7, 5, 4, 3, 1, 1},
        {2, 2, 9, 8, 3, 3, 2, 1},    {1, 2, 6, 6, 5, 3, 1, 2},    {1, 1, 5, 5, 1, 5, 1, 0},
        {3, 4, 10, 11, 7, 1, 1, 0},  {1, 3, 8, 8, 2, 4, 3, 2},    {1, 2, 4, 4, 3, 3, 1, 3},
    };
    for (size_t i = 0; i < sizeof conv / sizeof *conv; i++)
        check_conv(&rng, conv[i]);
    return check_done("test_gemm");
}
