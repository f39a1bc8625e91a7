/* Reference float32 kernels for images (NCHW): 2D convolution (really
 * cross-correlation, as in every deep learning library) and K x K max and
 * average pooling. Each op's forward and backward sit side by side.
 *
 * Dimension letters: N batch, C input channels, OC output channels, H W
 * input height and width, OH OW output height and width, K kernel size.
 *
 * As in ops.c, every sum accumulates in double and is rounded to float once;
 * backward functions add into the gradients they are given and skip NULL
 * ones; nothing allocates. */
#include "ops.h"

#include "gemm.h"

#include <stddef.h>

int mg_conv_out_size(int in, int K, int stride, int pad)
{
    if (in < 0 || K <= 0 || stride <= 0 || pad < 0)
        return 0;
    long long span = (long long)in + 2LL * pad - K;
    if (span < 0)
        return 0;
    return (int)(span / stride + 1);
}

/* Index of element (n, c, h, w) of a (N, C, H, W) tensor. */
static size_t at(int n, int c, int h, int w, int C, int H, int W)
{
    return (((size_t)n * C + c) * H + h) * W + w;
}

/* ---- convolution ------------------------------------------------------ */

/* out (N,OC,OH,OW) = bias[oc] + sum over c, kh, kw of
 *   weight (OC,C,K,K)[oc,c,kh,kw] * inp (N,C,H,W)[n, c, oh*stride-pad+kh,
 *   ow*stride-pad+kw], where positions outside inp are zero (padding). */
void mg_conv2d_forward_ref(float *out, const float *inp, const float *weight, const float *bias,
                       int N, int C, int H, int W, int OC, int K, int stride, int pad)
{
    int OH = mg_conv_out_size(H, K, stride, pad), OW = mg_conv_out_size(W, K, stride, pad);
    for (int n = 0; n < N; n++) {
        for (int oc = 0; oc < OC; oc++) {
            for (int oh = 0; oh < OH; oh++) {
                for (int ow = 0; ow < OW; ow++) {
                    double sum = bias ? bias[oc] : 0.0;
                    for (int c = 0; c < C; c++) {
                        for (int kh = 0; kh < K; kh++) {
                            int ih = oh * stride - pad + kh;
                            if (ih < 0 || ih >= H)
                                continue;
                            for (int kw = 0; kw < K; kw++) {
                                int iw = ow * stride - pad + kw;
                                if (iw < 0 || iw >= W)
                                    continue;
                                sum += (double)inp[at(n, c, ih, iw, C, H, W)] *
                                       weight[at(oc, c, kh, kw, C, K, K)];
                            }
                        }
                    }
                    out[at(n, oc, oh, ow, OC, OH, OW)] = (float)sum;
                }
            }
        }
    }
}

/* dout (N,OC,OH,OW). Each gradient is gathered (one double sum per element
 * it writes) rather than scattered:
 *   dinp (N,C,H,W)[n,c,ih,iw] += sum over oc and the (kh, kw) with
 *     ih = oh*stride - pad + kh (and likewise for w) of dout * weight;
 *   dweight (OC,C,K,K)[oc,c,kh,kw] += sum over n, oh, ow of dout * inp;
 *   dbias (OC)[oc] += sum over n, oh, ow of dout. */
void mg_conv2d_backward_ref(float *dinp, float *dweight, float *dbias, const float *dout,
                        const float *inp, const float *weight, int N, int C, int H, int W,
                        int OC, int K, int stride, int pad)
{
    int OH = mg_conv_out_size(H, K, stride, pad), OW = mg_conv_out_size(W, K, stride, pad);
    if (OH == 0 || OW == 0)
        return;
    if (dinp) {
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < C; c++) {
                for (int ih = 0; ih < H; ih++) {
                    for (int iw = 0; iw < W; iw++) {
                        double sum = 0.0;
                        for (int oc = 0; oc < OC; oc++) {
                            /* the kh with oh*stride = ih+pad-kh: oh falls as kh rises */
                            for (int kh = (ih + pad) % stride; kh < K; kh += stride) {
                                int oh = (ih + pad - kh) / stride;
                                if (oh < 0)
                                    break;
                                if (oh >= OH)
                                    continue;
                                for (int kw = (iw + pad) % stride; kw < K; kw += stride) {
                                    int ow = (iw + pad - kw) / stride;
                                    if (ow < 0)
                                        break;
                                    if (ow >= OW)
                                        continue;
                                    sum += (double)dout[at(n, oc, oh, ow, OC, OH, OW)] *
                                           weight[at(oc, c, kh, kw, C, K, K)];
                                }
                            }
                        }
                        dinp[at(n, c, ih, iw, C, H, W)] += (float)sum;
                    }
                }
            }
        }
    }
    if (dweight) {
        for (int oc = 0; oc < OC; oc++) {
            for (int c = 0; c < C; c++) {
                for (int kh = 0; kh < K; kh++) {
                    for (int kw = 0; kw < K; kw++) {
                        double sum = 0.0;
                        for (int n = 0; n < N; n++) {
                            for (int oh = 0; oh < OH; oh++) {
                                int ih = oh * stride - pad + kh;
                                if (ih < 0 || ih >= H)
                                    continue;
                                for (int ow = 0; ow < OW; ow++) {
                                    int iw = ow * stride - pad + kw;
                                    if (iw < 0 || iw >= W)
                                        continue;
                                    sum += (double)dout[at(n, oc, oh, ow, OC, OH, OW)] *
                                           inp[at(n, c, ih, iw, C, H, W)];
                                }
                            }
                        }
                        dweight[at(oc, c, kh, kw, C, K, K)] += (float)sum;
                    }
                }
            }
        }
    }
    if (dbias) {
        for (int oc = 0; oc < OC; oc++) {
            double sum = 0.0;
            for (int n = 0; n < N; n++)
                for (int i = 0; i < OH * OW; i++)
                    sum += dout[((size_t)n * OC + oc) * OH * OW + i];
            dbias[oc] += (float)sum;
        }
    }
}

/* The fast convolution: per sample, products on the gemm kernel with the
 * image read as im2col columns (never stored whole).
 *   forward:  out_n (OC, OH*OW) = bias + weight (OC, C*K*K) @ im2col(inp_n)
 *   dweight (OC, C*K*K) += dout_n (OC, OH*OW) @ im2col(inp_n)^T, n ascending
 *   dinp: dcol (C*K*K, OH*OW) = weight^T @ dout_n, computed in blocks of
 *     at most DCOL_FLOATS on the stack, each added back to the pixels it
 *     came from (col2im) before the next; any stride. Not gemm.h's single
 *     sum per element, but a fixed order of fixed-size blocks: the same
 *     bits in every build all the same. */
#define DCOL_FLOATS 16384
#define DCOL_ROWS 512

void mg_conv2d_forward(float *out, const float *inp, const float *weight, const float *bias,
                       int N, int C, int H, int W, int OC, int K, int stride, int pad)
{
    int OH = mg_conv_out_size(H, K, stride, pad), OW = mg_conv_out_size(W, K, stride, pad);
    if (OH == 0 || OW == 0)
        return;
    int CKK = C * K * K;
    mg_gemm_opnd A = mg_gemm_strided(weight, CKK, 1);
    for (int n = 0; n < N; n++) {
        mg_gemm_opnd B = mg_gemm_image(MG_GEMM_IM2COL, inp + (size_t)n * C * H * W, C, H, W, K,
                                       stride, pad);
        mg_gemm(OC, OH * OW, CKK, &A, &B, out + (size_t)n * OC * OH * OW, OH * OW,
                bias ? MG_GEMM_BIAS_ROW : MG_GEMM_ZERO, bias);
    }
}

void mg_conv2d_backward(float *dinp, float *dweight, float *dbias, const float *dout,
                        const float *inp, const float *weight, int N, int C, int H, int W,
                        int OC, int K, int stride, int pad)
{
    int OH = mg_conv_out_size(H, K, stride, pad), OW = mg_conv_out_size(W, K, stride, pad);
    if (OH == 0 || OW == 0)
        return;
    int CKK = C * K * K, P = OH * OW;
    int mq = CKK < DCOL_ROWS ? CKK : DCOL_ROWS;
    int npos = DCOL_FLOATS / mq < P ? DCOL_FLOATS / mq : P;
    float dcol[DCOL_FLOATS];
    mg_gemm_opnd geom = mg_gemm_image(MG_GEMM_IM2COL, NULL, C, H, W, K, stride, pad);
    for (int n = 0; n < N; n++) {
        const float *dy = dout + (size_t)n * OC * P;
        if (dweight) {
            mg_gemm_opnd A = mg_gemm_strided(dy, P, 1);
            mg_gemm_opnd B = mg_gemm_image(MG_GEMM_COL2IM_T, inp + (size_t)n * C * H * W, C, H,
                                           W, K, stride, pad);
            mg_gemm(OC, CKK, P, &A, &B, dweight, CKK, MG_GEMM_ACCUMULATE, NULL);
        }
        if (!dinp)
            continue;
        for (int q0 = 0; q0 < CKK; q0 += mq) {
            int mb = CKK - q0 < mq ? CKK - q0 : mq;
            for (int p0 = 0; p0 < P; p0 += npos) {
                int nb = P - p0 < npos ? P - p0 : npos;
                /* A = weight^T (taps q, channels oc), B = dout_n (oc, positions) */
                mg_gemm_opnd A = mg_gemm_strided(weight + q0, 1, CKK);
                mg_gemm_opnd B = mg_gemm_strided(dy + p0, 1, P);
                mg_gemm(mb, nb, OC, &A, &B, dcol, nb, MG_GEMM_ZERO, NULL);
                mg_gemm_col2im_add(dinp + (size_t)n * C * H * W, &geom, dcol, q0, mb, p0, nb);
            }
        }
    }
    if (dbias)
        mg_conv2d_backward_ref(NULL, NULL, dbias, dout, inp, weight, N, C, H, W, OC, K, stride,
                               pad);
}

/* ---- pooling: K x K windows, stride K, no padding ---------------------- */

/* out, argmax (N,C,H/K,W/K) = max of each window of inp (N,C,H,W) and the
 * flat index into inp of its first maximum; rows and columns past the last
 * whole window are ignored. */
void mg_maxpool_forward(float *out, int32_t *argmax, const float *inp, int N, int C, int H,
                        int W, int K)
{
    if (K <= 0)
        return;
    int OH = H / K, OW = W / K;
    for (int n = 0; n < N; n++) {
        for (int c = 0; c < C; c++) {
            for (int oh = 0; oh < OH; oh++) {
                for (int ow = 0; ow < OW; ow++) {
                    size_t best = at(n, c, oh * K, ow * K, C, H, W);
                    for (int kh = 0; kh < K; kh++) {
                        for (int kw = 0; kw < K; kw++) {
                            size_t i = at(n, c, oh * K + kh, ow * K + kw, C, H, W);
                            if (inp[i] > inp[best]) /* strict: the first max wins ties */
                                best = i;
                        }
                    }
                    size_t o = at(n, c, oh, ow, C, OH, OW);
                    out[o] = inp[best];
                    argmax[o] = (int32_t)best;
                }
            }
        }
    }
}

/* dinp[argmax[i]] += dout[i] for each of the n_out outputs */
void mg_maxpool_backward(float *dinp, const float *dout, const int32_t *argmax, int n_out)
{
    if (!dinp)
        return;
    for (int i = 0; i < n_out; i++)
        dinp[argmax[i]] += dout[i];
}

/* out (N,C,H/K,W/K) = mean of each K x K window of inp (N,C,H,W) */
void mg_avgpool_forward(float *out, const float *inp, int N, int C, int H, int W, int K)
{
    if (K <= 0)
        return;
    int OH = H / K, OW = W / K;
    for (int n = 0; n < N; n++) {
        for (int c = 0; c < C; c++) {
            for (int oh = 0; oh < OH; oh++) {
                for (int ow = 0; ow < OW; ow++) {
                    double sum = 0.0;
                    for (int kh = 0; kh < K; kh++)
                        for (int kw = 0; kw < K; kw++)
                            sum += inp[at(n, c, oh * K + kh, ow * K + kw, C, H, W)];
                    out[at(n, c, oh, ow, C, OH, OW)] = (float)(sum / ((double)K * K));
                }
            }
        }
    }
}

/* dinp (N,C,H,W) += dout (N,C,H/K,W/K) / (K*K) over each window; the
 * ignored rows and columns get nothing */
void mg_avgpool_backward(float *dinp, const float *dout, int N, int C, int H, int W, int K)
{
    if (!dinp || K <= 0)
        return;
    int OH = H / K, OW = W / K;
    for (int n = 0; n < N; n++) {
        for (int c = 0; c < C; c++) {
            for (int oh = 0; oh < OH; oh++) {
                for (int ow = 0; ow < OW; ow++) {
                    float g = (float)(dout[at(n, c, oh, ow, C, OH, OW)] / ((double)K * K));
                    for (int kh = 0; kh < K; kh++)
                        for (int kw = 0; kw < K; kw++)
                            dinp[at(n, c, oh * K + kh, ow * K + kw, C, H, W)] += g;
                }
            }
        }
    }
}
