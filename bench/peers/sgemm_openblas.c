/* The native practical limit for our matmul: OpenBLAS's cblas_sgemm on one
 * thread, the same product as mg_matmul_forward (out (N,OC) = inp (N,C) .
 * weight (OC,C)^T, row-major, 2*N*C*OC flops), square sizes. Prints one
 * JSON object for bench/run.mjs. build.sh bench builds it when Debian's
 * libopenblas-dev is there:
 *
 *   cc -O2 bench/peers/sgemm_openblas.c -lopenblas -o build/bench/sgemm_openblas
 *   OPENBLAS_NUM_THREADS=1 build/bench/sgemm_openblas [--quick] [N ...] */
#define _POSIX_C_SOURCE 200809L
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* not in every cblas.h */
extern void openblas_set_num_threads(int);
extern int openblas_get_num_threads(void);
extern char *openblas_get_config(void);
extern char *openblas_get_corename(void);

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int sizes[16] = {128, 256, 512, 1024}, nsizes = 4, given = 0;
    double min_time = 0.5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            min_time = 0.05;
        } else {
            int n = atoi(argv[i]);
            if (n < 1 || n > 4096 || given == 16) {
                fprintf(stderr, "usage: sgemm_openblas [--quick] [N ...] (N from 1 to 4096)\n");
                return 2;
            }
            sizes[given++] = n;
            nsizes = given;
        }
    }
    openblas_set_num_threads(1);
    static double times[1 << 16];
    printf("{\"library\":\"OpenBLAS\",\"config\":\"%s\",\"core\":\"%s\",\"threads\":%d,\"matmul\":[",
           openblas_get_config(), openblas_get_corename(), openblas_get_num_threads());
    for (int s = 0; s < nsizes; s++) {
        int n = sizes[s];
        float *a = malloc(sizeof(float) * n * n), *w = malloc(sizeof(float) * n * n),
              *out = malloc(sizeof(float) * n * n);
        if (!a || !w || !out) {
            fprintf(stderr, "sgemm_openblas: out of memory\n");
            return 1;
        }
        unsigned r = 12345;
        for (int i = 0; i < n * n; i++) {
            r = r * 1103515245u + 12345u;
            a[i] = (float)((r >> 8) & 0xffff) / 32768.0f - 1.0f;
            r = r * 1103515245u + 12345u;
            w[i] = (float)((r >> 8) & 0xffff) / 32768.0f - 1.0f;
        }
        /* warm-up, then at least 2 repetitions over min_time */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0f, a, n, w, n, 0.0f, out, n);
        int reps = 0;
        double total = 0;
        while ((reps < 2 || total < min_time) && reps < (1 << 16)) {
            double t0 = now_seconds();
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0f, a, n, w, n, 0.0f,
                        out, n);
            times[reps] = now_seconds() - t0;
            total += times[reps++];
        }
        qsort(times, (size_t)reps, sizeof *times, cmp_double);
        double median = reps % 2 ? times[reps / 2] : (times[reps / 2 - 1] + times[reps / 2]) / 2;
        double flops = 2.0 * n * n * n;
        printf("%s{\"n\":%d,\"reps\":%d,\"best_gflops\":%.6g,\"median_gflops\":%.6g}", s ? "," : "",
               n, reps, flops / times[0] * 1e-9, flops / median * 1e-9);
        fprintf(stderr, "  OpenBLAS sgemm %d: %.1f GFLOP/s (best of %d)\n", n, flops / times[0] * 1e-9, reps);
        free(a);
        free(w);
        free(out);
    }
    printf("]}\n");
    return 0;
}
