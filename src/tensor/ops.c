/* Reference float32 kernels: dense, elementwise, activations, softmax,
 * dropout, batchnorm, losses and regularizers (conv and pooling live in
 * conv.c). Each op's forward and backward sit side by side.
 *
 * Dimension letters: N batch, C features or channels, OC output features,
 * S spatial positions per channel (H*W), D values per row.
 *
 * Precision rule: values are float32, but every sum (dot products, column
 * sums, batch statistics, losses) accumulates in double and is rounded to
 * float once, when it is stored. Float products cast to double first are
 * exact, so the only rounding inside a sum is the double addition.
 *
 * Backward functions only add (+=) into the gradients they are given and
 * skip NULL ones. Nothing here allocates, exits or aborts. */
#include "ops.h"

#include "fmath.h"
#include "gemm.h"
#include "simd.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* ---- dense ------------------------------------------------------------ */

/* out (N,OC) = inp (N,C) @ weight^T (weight (OC,C)) + bias (OC, or NULL) */
void mg_matmul_forward_ref(float *out, const float *inp, const float *weight, const float *bias,
                       int N, int C, int OC)
{
    for (int n = 0; n < N; n++) {
        const float *x = inp + (size_t)n * C;
        for (int o = 0; o < OC; o++) {
            const float *w = weight + (size_t)o * C;
            double sum = bias ? bias[o] : 0.0;
            for (int c = 0; c < C; c++)
                sum += (double)x[c] * w[c];
            out[(size_t)n * OC + o] = (float)sum;
        }
    }
}

/* dinp (N,C) += dout (N,OC) @ weight (OC,C); dweight (OC,C) += dout^T @ inp;
 * dbias (OC) += column sums of dout */
void mg_matmul_backward_ref(float *dinp, float *dweight, float *dbias, const float *dout,
                        const float *inp, const float *weight, int N, int C, int OC)
{
    if (dinp) {
        for (int n = 0; n < N; n++) {
            const float *dy = dout + (size_t)n * OC;
            for (int c = 0; c < C; c++) {
                double sum = 0.0;
                for (int o = 0; o < OC; o++)
                    sum += (double)dy[o] * weight[(size_t)o * C + c];
                dinp[(size_t)n * C + c] += (float)sum;
            }
        }
    }
    if (dweight) {
        for (int o = 0; o < OC; o++) {
            for (int c = 0; c < C; c++) {
                double sum = 0.0;
                for (int n = 0; n < N; n++)
                    sum += (double)dout[(size_t)n * OC + o] * inp[(size_t)n * C + c];
                dweight[(size_t)o * C + c] += (float)sum;
            }
        }
    }
    if (dbias) {
        for (int o = 0; o < OC; o++) {
            double sum = 0.0;
            for (int n = 0; n < N; n++)
                sum += dout[(size_t)n * OC + o];
            dbias[o] += (float)sum;
        }
    }
}

/* The same products through the fast kernel (gemm.h): float sums in a fixed
 * order instead of double ones. The bias gradient stays a double sum (it is
 * cheap). */
/* With few outputs (OC up to a vector) and many rows, the vectors run
 * along the rows instead: out^T (OC,N) = weight @ inp^T, TRANSPOSED_ROWS
 * rows at a time through a buffer, then transposed into out. The same
 * sums, in the same order. */
#define TRANSPOSED_ROWS 2048
void mg_matmul_forward(float *out, const float *inp, const float *weight, const float *bias,
                       int N, int C, int OC)
{
    if (OC <= VW && N >= 4 * VW) {
        float t[VW * TRANSPOSED_ROWS] __attribute__((aligned(64)));
        mg_gemm_opnd A = mg_gemm_strided(weight, C, 1);
        for (int n0 = 0; n0 < N; n0 += TRANSPOSED_ROWS) {
            int nb = N - n0 < TRANSPOSED_ROWS ? N - n0 : TRANSPOSED_ROWS;
            mg_gemm_opnd B = mg_gemm_strided(inp + (size_t)n0 * C, C, 1);
            mg_gemm(OC, nb, C, &A, &B, t, nb, bias ? MG_GEMM_BIAS_ROW : MG_GEMM_ZERO, bias);
            mg_gemm_transpose(out + (size_t)n0 * OC, OC, t, nb, OC, nb);
        }
        return;
    }
    mg_gemm_opnd A = mg_gemm_strided(inp, C, 1), B = mg_gemm_strided(weight, C, 1);
    mg_gemm(N, OC, C, &A, &B, out, OC, bias ? MG_GEMM_BIAS_COL : MG_GEMM_ZERO, bias);
}

void mg_matmul_backward(float *dinp, float *dweight, float *dbias, const float *dout,
                        const float *inp, const float *weight, int N, int C, int OC)
{
    if (dinp) { /* A = dout (N,OC), B = weight (OC,C) */
        mg_gemm_opnd A = mg_gemm_strided(dout, OC, 1), B = mg_gemm_strided(weight, 1, C);
        mg_gemm(N, C, OC, &A, &B, dinp, C, MG_GEMM_ACCUMULATE, NULL);
    }
    if (dweight) { /* A = dout^T (OC,N), B = inp (N,C) */
        mg_gemm_opnd A = mg_gemm_strided(dout, 1, OC), B = mg_gemm_strided(inp, 1, C);
        mg_gemm(OC, C, N, &A, &B, dweight, C, MG_GEMM_ACCUMULATE, NULL);
    }
    if (dbias)
        mg_matmul_backward_ref(NULL, NULL, dbias, dout, inp, weight, N, C, OC);
}

/* ---- elementwise ------------------------------------------------------ */

/* out (N,C) = inp (N,C) + bias (C) on every row */
void mg_bias_forward(float *out, const float *inp, const float *bias, int N, int C)
{
    for (int n = 0; n < N; n++)
        for (int c = 0; c < C; c++)
            out[(size_t)n * C + c] = inp[(size_t)n * C + c] + bias[c];
}

/* dinp (N,C) += dout; dbias (C) += column sums of dout */
void mg_bias_backward(float *dinp, float *dbias, const float *dout, int N, int C)
{
    if (dinp) {
        for (size_t i = 0; i < (size_t)N * C; i++)
            dinp[i] += dout[i];
    }
    if (dbias) {
        for (int c = 0; c < C; c++) {
            double sum = 0.0;
            for (int n = 0; n < N; n++)
                sum += dout[(size_t)n * C + c];
            dbias[c] += (float)sum;
        }
    }
}

/* out (n) = a (n) + b (n) */
void mg_add_forward(float *out, const float *a, const float *b, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = a[i] + b[i];
}

/* da (n) += dout; db (n) += dout */
void mg_add_backward(float *da, float *db, const float *dout, int n)
{
    for (int i = 0; i < n; i++) {
        if (da)
            da[i] += dout[i];
        if (db)
            db[i] += dout[i];
    }
}

/* out (n) = a (n) * b (n) */
void mg_mul_forward(float *out, const float *a, const float *b, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = a[i] * b[i];
}

/* da (n) += dout * b; db (n) += dout * a (da and db may be the same buffer,
 * for a * a) */
void mg_mul_backward(float *da, float *db, const float *dout, const float *a, const float *b,
                     int n)
{
    for (int i = 0; i < n; i++) {
        if (da)
            da[i] += dout[i] * b[i];
        if (db)
            db[i] += dout[i] * a[i];
    }
}

/* ---- activations (n elements) ----------------------------------------- */

/* out = max(inp, 0) */
void mg_relu_forward(float *out, const float *inp, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = inp[i] > 0.0f ? inp[i] : 0.0f;
}

/* dinp += dout where inp > 0 (relu'(0) = 0); a select, not a branch, so
 * that it vectorizes */
void mg_relu_backward(float *restrict dinp, const float *restrict dout, const float *restrict inp,
                      int n)
{
    if (!dinp)
        return;
    for (int i = 0; i < n; i++)
        dinp[i] = inp[i] > 0.0f ? dinp[i] + dout[i] : dinp[i];
}

/* out = inp if inp > 0, else alpha * inp */
void mg_leaky_relu_forward(float *out, const float *inp, float alpha, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = inp[i] > 0.0f ? inp[i] : alpha * inp[i];
}

/* dinp += dout * (inp > 0 ? 1 : alpha) */
void mg_leaky_relu_backward(float *dinp, const float *dout, const float *inp, float alpha, int n)
{
    if (!dinp)
        return;
    for (int i = 0; i < n; i++)
        dinp[i] += inp[i] > 0.0f ? dout[i] : alpha * dout[i];
}

/* Applies the vector function F to whole vectors of inp and the scalar
 * function f to the rest: the same bits either way (fmath.h). */
#define MAP_VECTORS(F, f)                                                                  \
    do {                                                                                   \
        int i = 0;                                                                         \
        for (; i + VW <= n; i += VW)                                                       \
            vstore(out + i, F(vload(inp + i)));                                            \
        for (; i < n; i++)                                                                 \
            out[i] = f(inp[i]);                                                            \
    } while (0)

/* out = tanh(inp) */
void mg_tanh_forward(float *out, const float *inp, int n) { MAP_VECTORS(mg_vtanhf, mg_tanhf); }

/* dinp += dout * (1 - out^2) */
void mg_tanh_backward(float *dinp, const float *dout, const float *out, int n)
{
    if (!dinp)
        return;
    for (int i = 0; i < n; i++)
        dinp[i] += dout[i] * (1.0f - out[i] * out[i]);
}

/* out = sigmoid(inp) */
void mg_sigmoid_forward(float *out, const float *inp, int n)
{
    MAP_VECTORS(mg_vsigmoidf, mg_sigmoidf);
}

/* dinp += dout * out * (1 - out) */
void mg_sigmoid_backward(float *dinp, const float *dout, const float *out, int n)
{
    if (!dinp)
        return;
    for (int i = 0; i < n; i++)
        dinp[i] += dout[i] * out[i] * (1.0f - out[i]);
}

#define GELU_K 0.7978845608f /* sqrt(2 / pi) */
#define GELU_C 0.044715f

void mg_gelu_forward(float *out, const float *inp, int n)
{
    for (int i = 0; i < n; i++) {
        float z = inp[i];
        float t = mg_tanhf(GELU_K * (z + GELU_C * z * z * z));
        out[i] = 0.5f * z * (1.0f + t);
    }
}

/* dinp += dout * (0.5 (1 + t) + 0.5 z (1 - t^2) k (1 + 3 c z^2)) */
void mg_gelu_backward(float *dinp, const float *dout, const float *inp, int n)
{
    if (!dinp)
        return;
    for (int i = 0; i < n; i++) {
        float z = inp[i];
        float t = mg_tanhf(GELU_K * (z + GELU_C * z * z * z));
        float du = GELU_K * (1.0f + 3.0f * GELU_C * z * z);
        dinp[i] += dout[i] * (0.5f * (1.0f + t) + 0.5f * z * (1.0f - t * t) * du);
    }
}

void mg_elu_forward(float *out, const float *inp, float alpha, int n)
{
    for (int i = 0; i < n; i++) {
        float z = inp[i];
        out[i] = z > 0 ? z : alpha * (mg_expf(z) - 1.0f);
    }
}

void mg_elu_backward(float *dinp, const float *dout, const float *inp, const float *out, float alpha,
                     int n)
{
    if (!dinp)
        return;
    for (int i = 0; i < n; i++)
        dinp[i] += dout[i] * (inp[i] >= 0 ? 1.0f : out[i] + alpha);
}

void mg_act_forward(mg_act act, float *out, const float *pre, int n)
{
    switch (act) {
    case MG_ACT_LINEAR:
        if (out != pre)
            memcpy(out, pre, (size_t)n * sizeof *out);
        break;
    case MG_ACT_RELU: mg_relu_forward(out, pre, n); break;
    case MG_ACT_LEAKY_RELU: mg_leaky_relu_forward(out, pre, MG_LEAKY_SLOPE, n); break;
    case MG_ACT_TANH: mg_tanh_forward(out, pre, n); break;
    case MG_ACT_SIGMOID: mg_sigmoid_forward(out, pre, n); break;
    case MG_ACT_GELU: mg_gelu_forward(out, pre, n); break;
    case MG_ACT_ELU: mg_elu_forward(out, pre, MG_ELU_ALPHA, n); break;
    case MG_ACT_COUNT: break;
    }
}

void mg_act_backward(mg_act act, float *dpre, const float *dout, const float *pre,
                     const float *out, int n)
{
    switch (act) {
    case MG_ACT_LINEAR:
        if (dpre)
            for (int i = 0; i < n; i++)
                dpre[i] += dout[i];
        break;
    case MG_ACT_RELU: mg_relu_backward(dpre, dout, pre, n); break;
    case MG_ACT_LEAKY_RELU: mg_leaky_relu_backward(dpre, dout, pre, MG_LEAKY_SLOPE, n); break;
    case MG_ACT_TANH: mg_tanh_backward(dpre, dout, out, n); break;
    case MG_ACT_SIGMOID: mg_sigmoid_backward(dpre, dout, out, n); break;
    case MG_ACT_GELU: mg_gelu_backward(dpre, dout, pre, n); break;
    case MG_ACT_ELU: mg_elu_backward(dpre, dout, pre, out, MG_ELU_ALPHA, n); break;
    case MG_ACT_COUNT: break;
    }
}

/* One row of softmax: y (C) = exp(x - max x) / sum. Shared with the fused
 * softmax cross-entropy, which needs the row's max (*maxv) and the sum of
 * exp(x - max x) (returned) for its log-sum-exp. */
static double softmax_row(float *y, float *maxv, const float *x, int C)
{
    float m = x[0];
    for (int c = 1; c < C; c++)
        if (x[c] > m)
            m = x[c];
    double sum = 0.0;
    for (int c = 0; c < C; c++) {
        y[c] = mg_expf(x[c] - m);
        sum += y[c];
    }
    for (int c = 0; c < C; c++)
        y[c] = (float)(y[c] / sum);
    *maxv = m;
    return sum;
}

/* out (N,C) = softmax of each row of inp (N,C) */
void mg_softmax_forward(float *out, const float *inp, int N, int C)
{
    if (C <= 0)
        return;
    float maxv;
    for (int n = 0; n < N; n++)
        softmax_row(out + (size_t)n * C, &maxv, inp + (size_t)n * C, C);
}

/* dinp (N,C) += out * (dout - sum_j dout_j out_j), row by row */
void mg_softmax_backward(float *dinp, const float *dout, const float *out, int N, int C)
{
    if (!dinp)
        return;
    for (int n = 0; n < N; n++) {
        const float *y = out + (size_t)n * C, *dy = dout + (size_t)n * C;
        double dot = 0.0;
        for (int c = 0; c < C; c++)
            dot += (double)dy[c] * y[c];
        for (int c = 0; c < C; c++)
            dinp[(size_t)n * C + c] += (float)(y[c] * (dy[c] - dot));
    }
}

/* ---- dropout ---------------------------------------------------------- */

/* out (n) = inp * mask. In training, one uniform draw u per element (so
 * the rng advances by n draws whatever p is): mask = 1/(1-p) if u >= p,
 * else 0; p <= 0 keeps all, p >= 1 drops all. Otherwise mask = 1. */
void mg_dropout_forward(float *out, float *mask, const float *inp, float p, int n, int training,
                        mg_rng *rng)
{
    if (!training) {
        for (int i = 0; i < n; i++) {
            mask[i] = 1.0f;
            out[i] = inp[i];
        }
        return;
    }
    if (p < 0.0f)
        p = 0.0f;
    float scale = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
    for (int i = 0; i < n; i++) {
        mask[i] = mg_rng_uniform(rng) >= p ? scale : 0.0f;
        out[i] = inp[i] * mask[i];
    }
}

/* dinp (n) += dout * mask */
void mg_dropout_backward(float *dinp, const float *dout, const float *mask, int n)
{
    if (!dinp)
        return;
    for (int i = 0; i < n; i++)
        dinp[i] += dout[i] * mask[i];
}

/* ---- batch normalization ---------------------------------------------- */

/* inp, out (N,C,S); mean, rstd, gamma, beta, running_mean, running_var (C).
 * out = gamma * (inp - mean) * rstd + beta, with the saved (float) mean and
 * rstd, so backward differentiates exactly what forward computed. */
void mg_batchnorm_forward(float *out, float *mean, float *rstd, const float *inp,
                          const float *gamma, const float *beta, float *running_mean,
                          float *running_var, int N, int C, int S, float momentum, float eps,
                          int training)
{
    size_t M = (size_t)N * S; /* values per channel */
    for (int c = 0; c < C; c++) {
        if (training) {
            if (M == 0)
                continue;
            double sum = 0.0;
            for (int n = 0; n < N; n++)
                for (int s = 0; s < S; s++)
                    sum += inp[((size_t)n * C + c) * S + s];
            double mu = sum / (double)M;
            double sq = 0.0; /* two passes: no cancellation */
            for (int n = 0; n < N; n++) {
                for (int s = 0; s < S; s++) {
                    double d = inp[((size_t)n * C + c) * S + s] - mu;
                    sq += d * d;
                }
            }
            double var = sq / (double)M;
            mean[c] = (float)mu;
            rstd[c] = (float)(1.0 / sqrt(var + eps));
            /* unbiased for the running estimate; one value has none */
            double var_unbiased = M > 1 ? sq / (double)(M - 1) : var;
            running_mean[c] = (1.0f - momentum) * running_mean[c] + momentum * (float)mu;
            running_var[c] = (1.0f - momentum) * running_var[c] + momentum * (float)var_unbiased;
        } else {
            mean[c] = running_mean[c];
            rstd[c] = (float)(1.0 / sqrt((double)running_var[c] + eps));
        }
        for (int n = 0; n < N; n++) {
            for (int s = 0; s < S; s++) {
                size_t i = ((size_t)n * C + c) * S + s;
                out[i] = gamma[c] * ((inp[i] - mean[c]) * rstd[c]) + beta[c];
            }
        }
    }
}

/* With xhat = (inp - mean) * rstd and g = dout * gamma, per channel over
 * its M = N*S values:
 *   dbeta += sum dout;  dgamma += sum dout * xhat;
 *   training: dinp += rstd * (g - mean(g) - xhat * mean(g * xhat))
 *   (the batch mean and variance depend on inp);
 *   not training: dinp += rstd * g (running statistics are constants). */
void mg_batchnorm_backward(float *dinp, float *dgamma, float *dbeta, const float *dout,
                           const float *inp, const float *mean, const float *rstd,
                           const float *gamma, int N, int C, int S, int training)
{
    size_t M = (size_t)N * S;
    if (M == 0)
        return;
    for (int c = 0; c < C; c++) {
        double sum_dy = 0.0, sum_dy_xhat = 0.0;
        for (int n = 0; n < N; n++) {
            for (int s = 0; s < S; s++) {
                size_t i = ((size_t)n * C + c) * S + s;
                float xhat = (inp[i] - mean[c]) * rstd[c];
                sum_dy += dout[i];
                sum_dy_xhat += (double)dout[i] * xhat;
            }
        }
        if (dbeta)
            dbeta[c] += (float)sum_dy;
        if (dgamma)
            dgamma[c] += (float)sum_dy_xhat;
        if (!dinp)
            continue;
        /* mean(g) and mean(g * xhat), with g = dout * gamma */
        double mean_g = gamma[c] * sum_dy / (double)M;
        double mean_g_xhat = gamma[c] * sum_dy_xhat / (double)M;
        for (int n = 0; n < N; n++) {
            for (int s = 0; s < S; s++) {
                size_t i = ((size_t)n * C + c) * S + s;
                double g = (double)dout[i] * gamma[c];
                if (training) {
                    double xhat = (inp[i] - mean[c]) * rstd[c];
                    g = g - mean_g - xhat * mean_g_xhat;
                }
                dinp[i] += (float)(rstd[c] * g);
            }
        }
    }
}

/* ---- losses ----------------------------------------------------------- */

/* pred, target (N,D): mean over all N*D of (pred - target)^2 */
float mg_mse_forward(const float *pred, const float *target, int N, int D)
{
    size_t M = (size_t)N * D;
    if (M == 0)
        return 0.0f;
    double sum = 0.0;
    for (size_t i = 0; i < M; i++) {
        double d = (double)pred[i] - target[i];
        sum += d * d;
    }
    return (float)(sum / (double)M);
}

/* dpred (N,D) += 2 (pred - target) / (N*D) * scale */
void mg_mse_backward(float *dpred, const float *pred, const float *target, int N, int D,
                     float scale)
{
    size_t M = (size_t)N * D;
    if (!dpred || M == 0)
        return;
    double k = 2.0 * scale / (double)M;
    for (size_t i = 0; i < M; i++)
        dpred[i] += (float)(k * ((double)pred[i] - target[i]));
}

/* logits, target (N): mean of max(x,0) - x t + log(1 + e^-|x|), which is
 * -t log sigmoid(x) - (1-t) log(1 - sigmoid(x)) without overflow */
float mg_bce_logits_forward(const float *logits, const float *target, int N)
{
    if (N <= 0)
        return 0.0f;
    double sum = 0.0;
    for (int i = 0; i < N; i++) {
        float x = logits[i];
        sum += (double)(x > 0.0f ? x : 0.0f) - (double)x * target[i] + log1pf(mg_expf(-fabsf(x)));
    }
    return (float)(sum / N);
}

/* dlogits (N) += (sigmoid(x) - t) / N * scale */
void mg_bce_logits_backward(float *dlogits, const float *logits, const float *target, int N,
                            float scale)
{
    if (!dlogits || N <= 0)
        return;
    double k = (double)scale / N;
    for (int i = 0; i < N; i++)
        dlogits[i] += (float)(k * ((double)mg_sigmoidf(logits[i]) - target[i]));
}

/* logits, probs (N,C), labels (N): mean of -log softmax(logits)[label],
 * computed as log(sum exp(x - max)) - (x[label] - max). A label outside
 * 0..C-1 is never read past: the loss is NaN. */
float mg_softmax_ce_forward(float *probs, const float *logits, const int32_t *labels, int N,
                            int C)
{
    if (N <= 0 || C <= 0)
        return 0.0f;
    double sum = 0.0;
    int bad = 0;
    for (int n = 0; n < N; n++) {
        const float *x = logits + (size_t)n * C;
        float maxv;
        double z = softmax_row(probs + (size_t)n * C, &maxv, x, C);
        int32_t y = labels[n];
        if (y < 0 || y >= C) {
            bad = 1;
            continue;
        }
        sum += (double)logf((float)z) - ((double)x[y] - maxv);
    }
    return bad ? NAN : (float)(sum / N);
}

/* dlogits (N,C) += (probs - onehot(label)) / N * scale; rows with a label
 * outside 0..C-1 get nothing */
void mg_softmax_ce_backward(float *dlogits, const float *probs, const int32_t *labels, int N,
                            int C, float scale)
{
    if (!dlogits || N <= 0)
        return;
    double k = (double)scale / N;
    for (int n = 0; n < N; n++) {
        int32_t y = labels[n];
        if (y < 0 || y >= C)
            continue;
        for (int c = 0; c < C; c++) {
            double g = (double)probs[(size_t)n * C + c] - (c == y ? 1.0 : 0.0);
            dlogits[(size_t)n * C + c] += (float)(k * g);
        }
    }
}

/* scores, target (N), target -1 or +1: mean of max(0, 1 - y score) */
float mg_svm_forward(const float *scores, const float *target, int N)
{
    if (N <= 0)
        return 0.0f;
    double sum = 0.0;
    for (int i = 0; i < N; i++) {
        double margin = 1.0 - (double)target[i] * scores[i];
        if (margin > 0.0)
            sum += margin;
    }
    return (float)(sum / N);
}

/* dscores (N) += -y / N * scale where 1 - y score > 0 (0 at the kink) */
void mg_svm_backward(float *dscores, const float *scores, const float *target, int N,
                     float scale)
{
    if (!dscores || N <= 0)
        return;
    double k = (double)scale / N;
    for (int i = 0; i < N; i++)
        if (1.0 - (double)target[i] * scores[i] > 0.0)
            dscores[i] += (float)(-k * target[i]);
}

/* ---- regularizers (n weights) ----------------------------------------- */

/* sum |w| */
float mg_l1_forward(const float *w, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += fabsf(w[i]);
    return (float)sum;
}

/* dw += rate * sign(w), sign(0) = 0 */
void mg_l1_backward(float *dw, const float *w, float rate, int n)
{
    if (!dw)
        return;
    for (int i = 0; i < n; i++)
        dw[i] += w[i] > 0.0f ? rate : w[i] < 0.0f ? -rate : 0.0f;
}

/* sum w^2 / 2 */
float mg_l2_forward(const float *w, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += (double)w[i] * w[i];
    return (float)(sum / 2.0);
}

/* dw += rate * w */
void mg_l2_backward(float *dw, const float *w, float rate, int n)
{
    if (!dw)
        return;
    for (int i = 0; i < n; i++)
        dw[i] += rate * w[i];
}
