/* Datasets: toy 2D classification and 1D/2D regression generators, a
 * train/test split, standardization, and a parser for the IDX format that
 * MNIST ships in.
 *
 * A dataset is n points of d float features in one row-major array, with
 * either a class label (classification) or a float target (regression) per
 * point. It owns its arrays: fill one with mg_dataset_alloc or a function
 * below, release it with mg_dataset_free.
 *
 * Errors: every fallible call returns an mg_status and, when err is not
 * NULL, clears err and writes a message there that says what went wrong and
 * where ("" on success). A dataset that a call failed to fill is left empty
 * (all fields zero), so mg_dataset_free is always safe on it. */
#ifndef MG_DATA_H
#define MG_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/rng.h"
#include "../base/status.h"

/* Documented limits. */
#define MG_DATA_MAX_POINTS 100000      /* points one generator call makes */
#define MG_DATA_MAX_NOISE 1.0          /* generators take noise in 0..1 */
#define MG_DATA_MAX_VALUES (1 << 27)   /* n * d of any dataset (512 MiB of floats) */

typedef struct mg_dataset {
    int n;        /* points */
    int d;        /* features per point */
    int nclasses; /* classes; 0 = regression */
    float *x;     /* (n,d) row-major features */
    int32_t *y;   /* (n) labels 0..nclasses-1; NULL for regression */
    float *t;     /* (n) regression targets; NULL for classification */
} mg_dataset;

/* Allocates a zero-filled dataset of n >= 0 points, d >= 1 features and
 * nclasses >= 0 classes (0 = regression: t is allocated, y is NULL;
 * otherwise y is allocated, t is NULL). The arrays are never NULL when
 * they should exist, even for n = 0. ds is overwritten (free what it held
 * first); the dataset owns x, y and t until mg_dataset_free. Errors: bad
 * sizes (MG_ERR_ARG), n * d > MG_DATA_MAX_VALUES (MG_ERR_LIMIT), out of
 * memory (MG_ERR_NOMEM). */
mg_status mg_dataset_alloc(mg_dataset *ds, int n, int d, int nclasses, mg_buf *err);
/* Frees x, y and t and zeroes ds. Safe on a zeroed or freed dataset. */
void mg_dataset_free(mg_dataset *ds);

/* --- generators ------------------------------------------------------------
 *
 * Every generator has the same inputs: n points (1..MG_DATA_MAX_POINTS),
 * noise (0..MG_DATA_MAX_NOISE, the standard deviation of a Gaussian jitter
 * drawn with Box-Muller from the rng), k (classes, arms or blobs; 0 means
 * the generator's default) and the rng, which is the only source of
 * randomness: the same seed gives the same data. Every point consumes the
 * same number of draws whatever the noise, so moving the noise with a
 * fixed seed moves the same points further from the curve.
 *
 * Classification: n is split over the k classes as evenly as possible
 * (class c gets n/k points, plus one when c < n%k) and the rows are then
 * shuffled with the rng. g1, g2 below are independent N(0, 1) draws.
 *
 *   moons    2 classes, d = 2, like sklearn's make_moons: for the m points
 *            of a class, a_i = pi*i/(m-1) (i = 0..m-1; a_0 = 0 when m = 1);
 *            class 0: (cos a, sin a), the upper half circle around (0, 0);
 *            class 1: (1 - cos a, 0.5 - sin a), the lower one around
 *            (1, 0.5); then each coordinate + noise*g.
 *   circles  2 classes, d = 2, like sklearn's make_circles(factor=0.5):
 *            a_i = 2*pi*i/m (i = 0..m-1); class 0: (cos a, sin a),
 *            class 1: 0.5*(cos a, sin a); then + noise*g.
 *   xor      2 classes, d = 2: |x1|, |x2| uniform in (0, 1]; class 1 has
 *            sign(x1)*sign(x2) = +1 (quadrants I and III, alternating),
 *            class 0 has -1 (quadrants IV and II); then + noise*g, so noise
 *            pushes points across the axes.
 *   spiral   k arms (default 2, 2..5), d = 2, like the CS231n spiral with
 *            evenly spaced arms: for point i of the m points of arm c,
 *            r = i/(m-1) (0 when m = 1), t = 2*pi*c/k + 4*r + noise*g,
 *            point (r*sin t, r*cos t). The noise jitters the angle
 *            (radians), as in CS231n (which uses 0.2).
 *   twospirals  2 classes, d = 2, TensorFlow Playground's spiral: for
 *            point i of the m points of class c, r = i/m, t = 3.5*pi*r +
 *            pi*c, point (r*sin t, r*cos t) + noise*g: two arms of 1.75
 *            turns, much harder than spiral's.
 *   blobs    k Gaussian blobs (default 3, 2..8), d = 2: blob c is centred
 *            at 1.5*(cos(2*pi*c/k), sin(2*pi*c/k)) with spread 0.25 plus
 *            the noise: centre + s*g with s = sqrt(0.25^2 + noise^2).
 *
 * Regression (nclasses = 0, y = NULL, targets in t), x uniform in a range:
 *   line     d = 1, the "house price" example: x in [-1, 1),
 *            t = 2*x + 1 + noise*g.
 *   sine     d = 1: x in [-pi, pi), t = sin(x) + noise*g.
 *   plane    d = 2: x1, x2 in [-1, 1), t = 1.5*x1 - 2*x2 + 0.5 + noise*g.
 */

/* One row of the generator table, for listing them (CLI help, the page). */
typedef struct mg_data_info {
    const char *name;     /* "moons", ... */
    const char *summary;  /* one line for help text */
    int d;                /* features per point */
    int kmin, kmax;       /* allowed k (classes); 0, 0 for regression */
    int kdefault;         /* k used when k = 0 (0 for regression) */
    double noise;         /* a sensible default noise */
} mg_data_info;

/* The generators in table order; mg_data_info_at is NULL outside
 * 0..mg_data_count()-1, mg_data_find NULL for an unknown name. */
int mg_data_count(void);
const mg_data_info *mg_data_info_at(int i);
const mg_data_info *mg_data_find(const char *name);

/* Fills out (overwritten) with n points of the dataset called name.
 * Errors: unknown name (MG_ERR_NAME, the message lists the known ones),
 * n < 1 (MG_ERR_ARG), n > MG_DATA_MAX_POINTS (MG_ERR_LIMIT), noise outside
 * 0..MG_DATA_MAX_NOISE or not a number, k outside the generator's range
 * (MG_ERR_ARG), out of memory (MG_ERR_NOMEM). */
mg_status mg_data_generate(mg_dataset *out, const char *name, int n, double noise, int k,
                           mg_rng *rng, mg_buf *err);

/* --- splits and standardization ------------------------------------------ */

/* Shuffles the rows of all with rng (Fisher-Yates) and copies the first
 * round(n * train_ratio) of them (at least 1) to train, the rest to test
 * (empty, n = 0, when that is all of them). train_ratio must be in (0, 1]
 * and all must have at least one point. train and test are overwritten and
 * must not be all; all is not changed. */
mg_status mg_data_split(const mg_dataset *all, double train_ratio, mg_rng *rng,
                        mg_dataset *train, mg_dataset *test, mg_buf *err);

/* Per-feature mean and population standard deviation (divide by n) of
 * ds->x into mean[d] and std[d] (caller-owned). A feature with std 0 gets
 * std 1; an empty dataset gets mean 0, std 1. Targets are not touched. */
void mg_data_standardize_fit(const mg_dataset *ds, float *mean, float *std);
/* x = (x - mean) / std per feature, in place (std <= 0 or not finite is
 * taken as 1). Fit on the training set, apply to train and test. */
void mg_data_standardize_apply(mg_dataset *ds, const float *mean, const float *std);

/* --- IDX (MNIST) ------------------------------------------------------------
 *
 * IDX: bytes 0-1 are 0, byte 2 the element type, byte 3 the number of
 * dimensions, then each dimension as a big-endian uint32, then the values
 * (row-major, big-endian). Only unsigned bytes (0x08) are supported, which
 * is what MNIST, Fashion-MNIST and our packed 10k digits use. */
#define MG_IDX_MAX_DIMS 4
#define MG_IDX_UBYTE 0x08

typedef struct mg_idx {
    int dtype;                      /* MG_IDX_UBYTE */
    int ndim;                       /* 1..MG_IDX_MAX_DIMS */
    uint32_t dims[MG_IDX_MAX_DIMS]; /* the first ndim are set, the rest 0 */
    size_t count;                   /* values: the product of the dims */
    const uint8_t *data;            /* the values, inside the parsed bytes
                                       (not a copy: valid while they are) */
} mg_idx;

/* Parses an IDX file held in memory. Checks the magic (a gzip file gets
 * "decompress it first"), the type, ndim, that the size in bytes of the
 * data fits in a size_t, and that the header plus the data is exactly len
 * bytes. Errors are MG_ERR_SYNTAX, except a size overflow (MG_ERR_LIMIT)
 * and NULL bytes with len > 0 (MG_ERR_ARG); messages start with "IDX: ".
 * out is zeroed on error. */
mg_status mg_idx_parse(const uint8_t *bytes, size_t len, mg_idx *out, mg_buf *err);

/* An MNIST-style dataset from an images file, (n, rows, cols) unsigned
 * bytes, and a labels file, (n) values 0..9: out gets n points of
 * d = rows*cols pixels scaled to [0, 1] (p / 255), labels in y,
 * nclasses = 10. The bytes are not kept. Errors: the parse errors above,
 * prefixed "images: " or "labels: " instead of "IDX: "; wrong ndim, a zero
 * dimension, different counts, a label above 9 (the message names the
 * first bad index) give MG_ERR_ARG; more than MG_DATA_MAX_VALUES pixels
 * MG_ERR_LIMIT. */
mg_status mg_mnist_from_idx(const uint8_t *images, size_t images_len, const uint8_t *labels,
                            size_t labels_len, mg_dataset *out, mg_buf *err);

#endif
