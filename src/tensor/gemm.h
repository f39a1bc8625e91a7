/* The fast float32 matrix product behind dense and convolution layers:
 *
 *     C (M,N) = C0 + A (M,K) @ B (K,N)
 *
 * where C0 is C's old contents (accumulate), or a bias per row or per
 * column, or zero. A and B are not plain arrays but operands (mg_gemm_opnd)
 * that say how to read element (i,k) of A or (k,j) of B: a strided matrix,
 * or an image read as im2col columns, so convolutions use the same kernel
 * without materializing im2col.
 *
 * Exactness: every element of C is the float32 sum taken in one order,
 *     c = C0;  c += a(i,0)*b(0,j);  c += a(i,1)*b(1,j);  ...  (k ascending)
 * with each product and each addition rounded to float (no FMA). Vector
 * width, register tile and cache blocking only choose which elements are
 * computed together, never this order, so the SIMD128 WebAssembly build and
 * a native AVX-512 build give bit-identical results. (The reference kernels
 * in ops.c and conv.c sum in double; tests compare against them with a
 * tolerance for float summation.)
 *
 * Memory: nothing is allocated; the packing buffers live on the stack:
 * about 360 KB per call with AVX-512, 115 KB in WASM (MC*KC + KC*NC floats
 * and one tile). */
#ifndef MG_GEMM_H
#define MG_GEMM_H

/* How an operand is read. Each kind maps an element to memory:
 *   STRIDED   X(x,k) = p[x*sx + k*sk]
 *   IM2COL    X(x,k) = img(k = (c,kh,kw), x = (oh,ow)): the input pixel
 *             under kernel tap (kh,kw) of channel c at output position
 *             (oh,ow), 0 in the padding
 *   COL2IM_T  X(x,k) = the same pixel with the roles swapped: x = (c,kh,kw),
 *             k = (oh,ow)
 * For A, x is the row index i; for B, x is the column index j. */
typedef enum {
    MG_GEMM_STRIDED,
    MG_GEMM_IM2COL,
    MG_GEMM_COL2IM_T,
    MG_GEMM_OPND_COUNT
} mg_gemm_kind;

typedef struct {
    mg_gemm_kind kind;
    const float *p;
    long sx, sk;               /* STRIDED */
    int C, H, W;               /* IM2COL, COL2IM_T: the image (C,H,W) */
    int K, stride, pad, OW;    /* kernel, stride, zero padding, output width */
} mg_gemm_opnd;

/* What C starts from: its old contents, a bias per row i (bias[i]), a bias
 * per column j (bias[j]), or zero. */
typedef enum {
    MG_GEMM_ACCUMULATE,
    MG_GEMM_BIAS_ROW,
    MG_GEMM_BIAS_COL,
    MG_GEMM_ZERO,
    MG_GEMM_INIT_COUNT
} mg_gemm_init;

/* C (M,N), row stride ldc, := init + A @ B; bias is read only for the
 * BIAS_ inits. Sizes may be 0 (then only the init is applied). */
void mg_gemm(int M, int N, int K, const mg_gemm_opnd *A, const mg_gemm_opnd *B, float *C,
             long ldc, mg_gemm_init init, const float *bias);

/* Operand constructors. */
mg_gemm_opnd mg_gemm_strided(const float *p, long sx, long sk);
mg_gemm_opnd mg_gemm_image(mg_gemm_kind kind, const float *img, int C, int H, int W, int K,
                           int stride, int pad);

/* The inverse of an IM2COL read, adding: for the image geometry geom (its
 * C, H, W, K, stride, pad; its p is not used), img (C,H,W) += each element
 * of cols (nq, npos) at the pixel it would have been read from: row r is
 * tap q0 + r, column i is output position pos0 + i; padding is skipped. */
void mg_gemm_col2im_add(float *img, const mg_gemm_opnd *geom, const float *cols, int q0,
                        int nq, int pos0, int npos);

/* dst[k*ld + x] = src[x*sx + k] for x < nx and k < kc: rows of src become
 * columns of dst (the packing of operands stored with k contiguous). */
void mg_gemm_transpose(float *dst, int ld, const float *src, long sx, int nx, int kc);

/* The register tile and vector width this build uses (for benchmarks). */
const char *mg_gemm_describe(void);

#endif
