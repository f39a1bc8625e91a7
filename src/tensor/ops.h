/* Tensor ops of the float32 engine: each op is a _forward / _backward pair,
 * side by side, on raw contiguous float buffers (row-major, NCHW for
 * images). Arguments are ordered: outputs, saved buffers, inputs, weights,
 * sizes. Backward functions ACCUMULATE (+=) into every gradient buffer they
 * are given (dinp, dweight, dbias, ...), so the caller zeroes them first;
 * a NULL gradient pointer means "not needed" and is skipped.
 *
 * Dimension letters: N batch, C input features or channels, OC output
 * features or channels, H W input height and width, OH OW output height
 * and width, K kernel size.
 *
 * Dense and convolution layers have two implementations with the same
 * signature: the fast one (mg_matmul_forward, ...) runs on the blocked SIMD
 * kernel of gemm.h, summing in float in a fixed order, so it gives the same
 * bits in every build; the reference one (..._ref) is plain loops summing in
 * double, kept beside it so tests can compare them. No kernel allocates
 * heap memory (the fast ones use up to about 400 KB of stack: gemm's
 * packing buffers, or the direct convolution's planes and panels). */
#ifndef MG_OPS_H
#define MG_OPS_H

#include <stdint.h>

#include "../base/act.h"

#include "../base/rng.h"

/* ---- dense ------------------------------------------------------------ */

/* out (N,OC) = inp (N,C) @ weight^T + bias; weight is (OC,C), bias (OC) or
 * NULL. */
void mg_matmul_forward(float *out, const float *inp, const float *weight, const float *bias,
                       int N, int C, int OC);
/* dinp (N,C) += dout @ weight; dweight (OC,C) += dout^T @ inp;
 * dbias (OC) += column sums of dout. */
void mg_matmul_backward(float *dinp, float *dweight, float *dbias, const float *dout,
                        const float *inp, const float *weight, int N, int C, int OC);
void mg_matmul_forward_ref(float *out, const float *inp, const float *weight,
                           const float *bias, int N, int C, int OC);
void mg_matmul_backward_ref(float *dinp, float *dweight, float *dbias, const float *dout,
                            const float *inp, const float *weight, int N, int C, int OC);

/* ---- elementwise (n elements) ----------------------------------------- */

/* out = inp + bias broadcast over rows: inp, out (N,C), bias (C). */
void mg_bias_forward(float *out, const float *inp, const float *bias, int N, int C);
void mg_bias_backward(float *dinp, float *dbias, const float *dout, int N, int C);
void mg_add_forward(float *out, const float *a, const float *b, int n);
void mg_add_backward(float *da, float *db, const float *dout, int n);
void mg_mul_forward(float *out, const float *a, const float *b, int n);
void mg_mul_backward(float *da, float *db, const float *dout, const float *a, const float *b,
                     int n);

/* Activations. Backward takes the forward's input (relu, leaky relu) or
 * output (tanh, sigmoid), whichever it needs. relu'(0) = 0 and
 * leaky_relu'(0) = alpha. */
void mg_relu_forward(float *out, const float *inp, int n);
void mg_relu_backward(float *dinp, const float *dout, const float *inp, int n);
void mg_leaky_relu_forward(float *out, const float *inp, float alpha, int n);
void mg_leaky_relu_backward(float *dinp, const float *dout, const float *inp, float alpha, int n);
void mg_tanh_forward(float *out, const float *inp, int n);
void mg_tanh_backward(float *dinp, const float *dout, const float *out, int n);
void mg_sigmoid_forward(float *out, const float *inp, int n);
void mg_sigmoid_backward(float *dinp, const float *dout, const float *out, int n);
/* GELU, the tanh approximation (PyTorch's approximate='tanh'):
 * z/2 * (1 + tanh(u)), u = sqrt(2/pi) * (z + 0.044715 z^3); backward
 * recomputes tanh(u) from the input. ELU: z, or alpha * (e^z - 1) below 0;
 * backward reads both (elu'(z) = out + alpha below 0, 1 above; at 0, 1). */
void mg_gelu_forward(float *out, const float *inp, int n);
void mg_gelu_backward(float *dinp, const float *dout, const float *inp, int n);
void mg_elu_forward(float *out, const float *inp, float alpha, int n);
void mg_elu_backward(float *dinp, const float *dout, const float *inp, const float *out, float alpha, int n);

/* Any activation of base/act.h by its enum: out = f(pre); dpre += f'(pre)
 * * dout, reading pre or out as the function needs. Linear copies / adds
 * dout. (These switches name every activation: no default.) */
void mg_act_forward(mg_act act, float *out, const float *pre, int n);
void mg_act_backward(mg_act act, float *dpre, const float *dout, const float *pre,
                     const float *out, int n);

/* Softmax over the last dimension of (N,C), numerically stable. */
void mg_softmax_forward(float *out, const float *inp, int N, int C);
void mg_softmax_backward(float *dinp, const float *dout, const float *out, int N, int C);

/* ---- convolution and pooling ------------------------------------------ */

/* Output size of a convolution or pool along one axis:
 * (in + 2*pad - K) / stride + 1, or 0 if the kernel does not fit. */
int mg_conv_out_size(int in, int K, int stride, int pad);

/* out (N,OC,OH,OW) = conv of inp (N,C,H,W) with weight (OC,C,K,K) + bias
 * (OC, or NULL); zero padding pad, stride stride. */
void mg_conv2d_forward(float *out, const float *inp, const float *weight, const float *bias,
                       int N, int C, int H, int W, int OC, int K, int stride, int pad);
void mg_conv2d_backward(float *dinp, float *dweight, float *dbias, const float *dout,
                        const float *inp, const float *weight, int N, int C, int H, int W,
                        int OC, int K, int stride, int pad);
void mg_conv2d_forward_ref(float *out, const float *inp, const float *weight,
                           const float *bias, int N, int C, int H, int W, int OC, int K,
                           int stride, int pad);
void mg_conv2d_backward_ref(float *dinp, float *dweight, float *dbias, const float *dout,
                            const float *inp, const float *weight, int N, int C, int H, int W,
                            int OC, int K, int stride, int pad);

/* K x K pooling with stride K, no padding: out (N,C,H/K,W/K) (floor).
 * Max pooling saves in argmax (same size as out) the index into inp of
 * each maximum (the first one on ties); backward routes dout there. */
void mg_maxpool_forward(float *out, int32_t *argmax, const float *inp, int N, int C, int H,
                        int W, int K);
void mg_maxpool_forward_ref(float *out, int32_t *argmax, const float *inp, int N, int C, int H,
                            int W, int K);
void mg_maxpool_backward(float *dinp, const float *dout, const int32_t *argmax, int n_out);
void mg_avgpool_forward(float *out, const float *inp, int N, int C, int H, int W, int K);
void mg_avgpool_backward(float *dinp, const float *dout, int N, int C, int H, int W, int K);

/* ---- regularizing layers ---------------------------------------------- */

/* Inverted dropout: in training, each element is kept with probability
 * 1-p and scaled by 1/(1-p); mask saves the scale (0 or 1/(1-p)) per
 * element. Not in training: out = inp and mask is filled with 1. Uses rng
 * only in training, exactly n uniform draws whatever p is. p <= 0 keeps
 * everything; p >= 1 drops everything (mask 0). */
void mg_dropout_forward(float *out, float *mask, const float *inp, float p, int n, int training,
                        mg_rng *rng);
void mg_dropout_backward(float *dinp, const float *dout, const float *mask, int n);

/* Batch normalization over N and the spatial positions of each channel:
 * inp, out (N,C,S) with S = H*W (S = 1 after a dense layer). In training,
 * normalizes with the batch statistics, saves mean (C) and rstd (C)
 * (1/sqrt(var + eps), biased variance) and updates running_mean and
 * running_var (unbiased variance) with momentum: r = (1-m) r + m batch.
 * Not in training, uses the running statistics (and saves them as mean and
 * rstd for backward). With one value per channel (N*S = 1) the unbiased
 * variance is undefined and the running update uses the biased one (0). */
void mg_batchnorm_forward(float *out, float *mean, float *rstd, const float *inp,
                          const float *gamma, const float *beta, float *running_mean,
                          float *running_var, int N, int C, int S, float momentum, float eps,
                          int training);
void mg_batchnorm_backward(float *dinp, float *dgamma, float *dbeta, const float *dout,
                           const float *inp, const float *mean, const float *rstd,
                           const float *gamma, int N, int C, int S, int training);

/* ---- losses: forward returns the mean loss over the batch ------------- */
/* Each backward adds scale times the gradient of its forward's value. */

/* Mean squared error over N rows of D values: mean over all N*D of
 * (pred - target)^2. dpred += 2 (pred - target) / (N*D) * scale. */
float mg_mse_forward(const float *pred, const float *target, int N, int D);
void mg_mse_backward(float *dpred, const float *pred, const float *target, int N, int D,
                     float scale);
/* Binary cross-entropy on logits (N), targets 0 or 1, stable for any logit. */
float mg_bce_logits_forward(const float *logits, const float *target, int N);
void mg_bce_logits_backward(float *dlogits, const float *logits, const float *target, int N,
                            float scale);
/* Softmax cross-entropy, fused: probs (N,C) saved for backward;
 * labels in 0..C-1. dlogits += (probs - onehot) / N * scale. A label
 * outside 0..C-1 is never used as an index: forward returns NaN and
 * backward leaves that row's gradient alone (validate labels upstream,
 * where a status can be returned). */
float mg_softmax_ce_forward(float *probs, const float *logits, const int32_t *labels, int N,
                            int C);
void mg_softmax_ce_backward(float *dlogits, const float *probs, const int32_t *labels, int N,
                            int C, float scale);
/* micrograd's max-margin loss on scores (N) with labels -1 or +1:
 * mean of relu(1 - y * score). Subgradient 0 at the kink. */
float mg_svm_forward(const float *scores, const float *target, int N);
void mg_svm_backward(float *dscores, const float *scores, const float *target, int N,
                     float scale);

/* Regularization terms over n weights: L1 = sum |w|, L2 = sum w^2 / 2
 * (unscaled); backward adds rate * sign(w) or rate * w to dw. */
float mg_l1_forward(const float *w, int n);
void mg_l1_backward(float *dw, const float *w, float rate, int n);
float mg_l2_forward(const float *w, int n);
void mg_l2_backward(float *dw, const float *w, float rate, int n);

#endif
