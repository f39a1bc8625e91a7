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

/* got == want bit for bit (NaNs too: the same bits). */
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

/* The input pixel under tap q = (c,kh,kw) at output position p = (oh,ow)
 * of sample n, or -1 in the padding. */
static long pixel(conv_shape s, int OW, int n, int q, int p)
{
    int c = q / (s.K * s.K), kh = q / s.K % s.K, kw = q % s.K;
    int ih = p / OW * s.stride - s.pad + kh, iw = p % OW * s.stride - s.pad + kw;
    if (ih < 0 || ih >= s.H || iw < 0 || iw >= s.W)
        return -1;
    return (((long)n * s.C + c) * s.H + ih) * s.W + iw;
}

/* The documented order of the fast convolution (conv.c), as plain float
 * loops: out = bias (or 0) + w[oc][q] * x(q,p) for q ascending (padding
 * taps add w * 0); dweight = old + dout[n][oc][p] * x_n(q,p) for n, then p
 * ascending; dinp: for q ascending, the pixel under q at p += (0 + w[oc][q]
 * * dout[n][oc][p] for oc ascending), padding skipped. */
static void conv_in_order(float *out, float *dinp, float *dweight, const float *inp,
                          const float *w, const float *bias, const float *dout, conv_shape s)
{
    int OH = mg_conv_out_size(s.H, s.K, s.stride, s.pad),
        OW = mg_conv_out_size(s.W, s.K, s.stride, s.pad), P = OH * OW, Q = s.C * s.K * s.K;
    for (int n = 0; n < s.N; n++)
        for (int oc = 0; oc < s.OC; oc++)
            for (int p = 0; p < P; p++) {
                float acc = bias ? bias[oc] : 0.0f;
                for (int q = 0; q < Q; q++) {
                    long i = pixel(s, OW, n, q, p);
                    acc += w[oc * Q + q] * (i < 0 ? 0.0f : inp[i]);
                }
                out[((long)n * s.OC + oc) * P + p] = acc;
            }
    for (int oc = 0; oc < s.OC; oc++)
        for (int q = 0; q < Q; q++) {
            float acc = dweight[oc * Q + q];
            for (int n = 0; n < s.N; n++)
                for (int p = 0; p < P; p++) {
                    long i = pixel(s, OW, n, q, p);
                    acc += dout[((long)n * s.OC + oc) * P + p] * (i < 0 ? 0.0f : inp[i]);
                }
            dweight[oc * Q + q] = acc;
        }
    for (int n = 0; n < s.N; n++)
        for (int q = 0; q < Q; q++)
            for (int p = 0; p < P; p++) {
                float t = 0.0f;
                for (int oc = 0; oc < s.OC; oc++)
                    t += w[oc * Q + q] * dout[((long)n * s.OC + oc) * P + p];
                long i = pixel(s, OW, n, q, p);
                if (i >= 0)
                    dinp[i] += t;
            }
}

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

    /* bit for bit against the documented order, bias or not, and
     * accumulating into gradients that are not zero */
    float *o_ord = fill(rng, no), *di0 = fill(rng, ni), *dw0 = fill(rng, nw);
    float *di = dup(di0, ni), *dw = dup(dw0, nw), *di_ord = dup(di0, ni), *dw_ord = dup(dw0, nw);
    for (int b = 0; b < 2; b++) {
        const float *bb = b ? bias : NULL;
        mg_conv2d_forward(out, inp, w, bb, CONV_ARGS);
        mg_conv2d_backward(di, dw, NULL, dout, inp, w, CONV_ARGS);
        conv_in_order(o_ord, di_ord, dw_ord, inp, w, bb, dout, s);
        snprintf(what, sizeof what, "%s out%s vs in-order float", name, b ? "" : " (no bias)");
        same_bits(what, out, o_ord, no);
        snprintf(what, sizeof what, "%s dinp vs in-order float", name);
        same_bits(what, di, di_ord, ni);
        snprintf(what, sizeof what, "%s dweight vs in-order float", name);
        same_bits(what, dw, dw_ord, nw);
    }
    free(o_ord), free(di0), free(dw0), free(di), free(dw), free(di_ord), free(dw_ord);
#undef CONV_ARGS
    void *all[] = {inp, w, bias, dout, out, ref, abs_out, ai, aw, ab, ad, g_fast[0], g_fast[1],
                   g_fast[2], g_ref[0], g_ref[1], g_ref[2], g_abs[0], g_abs[1], g_abs[2]};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
}

/* ---- max pooling --------------------------------------------------------- */

/* The fast max pooling against its reference, bit for bit, on values with
 * many ties (a few distinct values, -0 and +0) and NaNs, windows of 1 to 3
 * and sizes that leave rows, columns and the four-window blocks partial. */
static void check_maxpool(mg_rng *rng)
{
    static const int shapes[][5] = {
        {2, 3, 24, 24, 2}, {1, 2, 8, 8, 2}, {2, 1, 7, 19, 2}, {1, 2, 5, 9, 3},
        {1, 1, 6, 6, 1},   {3, 2, 9, 10, 2}, {1, 1, 2, 2, 2},  {1, 1, 1, 5, 2},
    };
    static const float values[] = {-1.0f, 0.0f, -0.0f, 1.0f, 2.0f, NAN};
    for (size_t t = 0; t < sizeof shapes / sizeof *shapes; t++) {
        int N = shapes[t][0], C = shapes[t][1], H = shapes[t][2], W = shapes[t][3], K = shapes[t][4];
        size_t ni = (size_t)N * C * H * W, no = (size_t)N * C * (H / K) * (W / K);
        float *inp = malloc(ni * sizeof *inp), *o1 = calloc(no + 1, 4), *o2 = calloc(no + 1, 4);
        int32_t *a1 = calloc(no + 1, 4), *a2 = calloc(no + 1, 4);
        for (size_t i = 0; i < ni; i++)
            inp[i] = values[mg_rng_below(rng, t % 2 ? 6 : 5)]; /* NaNs in every other shape */
        mg_maxpool_forward(o1, a1, inp, N, C, H, W, K);
        mg_maxpool_forward_ref(o2, a2, inp, N, C, H, W, K);
        char what[96];
        snprintf(what, sizeof what, "maxpool %dx%dx%dx%d K%d out", N, C, H, W, K);
        same_bits(what, o1, o2, no);
        int bad = 0;
        for (size_t i = 0; i < no; i++)
            bad += a1[i] != a2[i];
        if (bad)
            fprintf(stderr, "maxpool %dx%dx%dx%d K%d: %d argmax differ\n", N, C, H, W, K, bad);
        CHECK(bad == 0);
        free(inp), free(o1), free(o2), free(a1), free(a2);
    }
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
    /* sizes around the tiles (MR up to 8, NR up to 32), KC = 256, MC = 96,
     * NC = 256; and few outputs for many rows (OC up to a vector: the
     * transposed product, in blocks of 2048 rows) */
    static const int dense[][3] = {
        {1, 1, 1},      {1, 7, 3},     {2, 3, 2},     {5, 17, 9},    {32, 784, 128},
        {32, 128, 10},  {7, 257, 33},  {97, 513, 31}, {100, 40, 65}, {3, 0, 4},
        {0, 5, 4},      {33, 1, 129},  {8, 300, 1},   {20, 9, 300},  {300, 8, 1},
        {77, 5, 4},     {1030, 2, 8},  {200, 300, 13}, {2100, 8, 3}, {70, 0, 2},
    };
    for (size_t i = 0; i < sizeof dense / sizeof *dense; i++)
        for (int b = 0; b < 2; b++)
            check_dense(&rng, dense[i][0], dense[i][1], dense[i][2], b);
    /* the MNIST CNN's two layers; odd sizes around every tile (output
     * channels, taps and positions not multiples of 4, 8, 16 or 32); strides
     * and paddings; and shapes past the direct path's buffers (the gemm
     * path: a 70x70 image, 40x40 taps x positions) */
    static const conv_shape conv[] = {
        {2, 1, 28, 28, 8, 5, 1, 0},  {2, 8, 12, 12, 16, 5, 1, 0}, {1, 3, 7, 5, 4, 3, 1, 1},
        {2, 2, 9, 8, 3, 3, 2, 1},    {1, 2, 6, 6, 5, 3, 1, 2},    {1, 1, 5, 5, 1, 5, 1, 0},
        {3, 4, 10, 11, 7, 1, 1, 0},  {1, 3, 8, 8, 2, 4, 3, 2},    {1, 2, 4, 4, 3, 3, 1, 3},
        {2, 5, 13, 9, 17, 3, 1, 1},  {2, 3, 11, 19, 33, 2, 1, 0}, {1, 1, 70, 70, 3, 3, 1, 1},
        {1, 40, 12, 12, 9, 5, 1, 2}, {2, 7, 6, 7, 13, 4, 1, 3},   {3, 1, 9, 9, 20, 9, 1, 0},
    };
    for (size_t i = 0; i < sizeof conv / sizeof *conv; i++)
        check_conv(&rng, conv[i]);
    check_maxpool(&rng);
    return check_done("test_gemm");
}
