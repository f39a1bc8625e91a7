/* Dataset generators, splits and standardization (formulas in data.h).
 *
 * Every generator computes in double and stores float. Where a point takes
 * several random draws they are separate statements: the order in which C
 * evaluates function arguments is unspecified, and the same seed must give
 * the same data natively and in WebAssembly. */
#include "data.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846


/* --- the dataset ---------------------------------------------------------- */

mg_status mg_dataset_alloc(mg_dataset *ds, int n, int d, int nclasses, mg_buf *err)
{
    memset(ds, 0, sizeof *ds);
    if (err)
        mg_buf_clear(err);
    if (n < 0 || d < 1 || nclasses < 0)
        return mg_buf_fail(err, MG_ERR_ARG,
                    "dataset: bad size n = %d, d = %d, nclasses = %d (need n >= 0, d >= 1, "
                    "nclasses >= 0)",
                    n, d, nclasses);
    if ((long long)n * d > MG_DATA_MAX_VALUES)
        return mg_buf_fail(err, MG_ERR_LIMIT,
                    "dataset: %d points x %d features = %lld values exceed the limit of %d",
                    n, d, (long long)n * d, MG_DATA_MAX_VALUES);
    size_t rows = n ? (size_t)n : 1; /* never NULL, even when empty */
    ds->x = calloc(rows * (size_t)d, sizeof *ds->x);
    if (nclasses > 0)
        ds->y = calloc(rows, sizeof *ds->y);
    else
        ds->t = calloc(rows, sizeof *ds->t);
    if (!ds->x || (!ds->y && !ds->t)) {
        mg_dataset_free(ds);
        return mg_buf_fail(err, MG_ERR_NOMEM, "dataset: out of memory for %d points x %d features", n,
                    d);
    }
    ds->n = n;
    ds->d = d;
    ds->nclasses = nclasses;
    return MG_OK;
}

void mg_dataset_free(mg_dataset *ds)
{
    free(ds->x);
    free(ds->y);
    free(ds->t);
    memset(ds, 0, sizeof *ds);
}

/* --- randomness ------------------------------------------------------------ */

/* Fisher-Yates over the rows of a classification dataset. */
static void shuffle_rows(mg_dataset *ds, mg_rng *rng)
{
    int d = ds->d;
    for (int i = ds->n - 1; i > 0; i--) {
        int j = (int)mg_rng_below(rng, (uint32_t)i + 1u);
        if (j == i)
            continue;
        for (int f = 0; f < d; f++) {
            float tmp = ds->x[(size_t)i * d + f];
            ds->x[(size_t)i * d + f] = ds->x[(size_t)j * d + f];
            ds->x[(size_t)j * d + f] = tmp;
        }
        int32_t lab = ds->y[i];
        ds->y[i] = ds->y[j];
        ds->y[j] = lab;
    }
}

/* Points of class c when n points are split over k classes. */
static int class_size(int n, int k, int c)
{
    return n / k + (c < n % k ? 1 : 0);
}

static void set_point(mg_dataset *ds, int row, double x1, double x2, int32_t label)
{
    ds->x[(size_t)row * 2] = (float)x1;
    ds->x[(size_t)row * 2 + 1] = (float)x2;
    ds->y[row] = label;
}

/* --- classification --------------------------------------------------------
 * Shapes and formulas: see data.h. Arguments were checked by
 * mg_data_generate. */

static mg_status gen_moons(mg_dataset *out, int n, double noise, int k, mg_rng *rng,
                           mg_buf *err)
{
    mg_status st = mg_dataset_alloc(out, n, 2, k, err);
    if (st)
        return st;
    int row = 0;
    for (int c = 0; c < 2; c++) {
        int m = class_size(n, 2, c);
        for (int i = 0; i < m; i++, row++) {
            double a = m > 1 ? PI * i / (m - 1) : 0.0;
            double x1 = c == 0 ? cos(a) : 1.0 - cos(a);
            double x2 = c == 0 ? sin(a) : 0.5 - sin(a);
            x1 += noise * mg_rng_normal(rng);
            x2 += noise * mg_rng_normal(rng);
            set_point(out, row, x1, x2, c);
        }
    }
    shuffle_rows(out, rng);
    return MG_OK;
}

static mg_status gen_circles(mg_dataset *out, int n, double noise, int k, mg_rng *rng,
                             mg_buf *err)
{
    mg_status st = mg_dataset_alloc(out, n, 2, k, err);
    if (st)
        return st;
    int row = 0;
    for (int c = 0; c < 2; c++) {
        int m = class_size(n, 2, c);
        double r = c == 0 ? 1.0 : 0.5;
        for (int i = 0; i < m; i++, row++) {
            double a = 2.0 * PI * i / m;
            double x1 = r * cos(a);
            double x2 = r * sin(a);
            x1 += noise * mg_rng_normal(rng);
            x2 += noise * mg_rng_normal(rng);
            set_point(out, row, x1, x2, c);
        }
    }
    shuffle_rows(out, rng);
    return MG_OK;
}

static mg_status gen_xor(mg_dataset *out, int n, double noise, int k, mg_rng *rng,
                         mg_buf *err)
{
    mg_status st = mg_dataset_alloc(out, n, 2, k, err);
    if (st)
        return st;
    int row = 0;
    for (int c = 0; c < 2; c++) {
        int m = class_size(n, 2, c);
        for (int i = 0; i < m; i++, row++) {
            /* class 1: quadrants I, III; class 0: IV, II */
            double s1 = i % 2 == 0 ? 1.0 : -1.0;
            double s2 = c == 1 ? s1 : -s1;
            double x1 = s1 * (1.0 - mg_rng_uniform(rng));
            double x2 = s2 * (1.0 - mg_rng_uniform(rng));
            x1 += noise * mg_rng_normal(rng);
            x2 += noise * mg_rng_normal(rng);
            set_point(out, row, x1, x2, c);
        }
    }
    shuffle_rows(out, rng);
    return MG_OK;
}

static mg_status gen_spiral(mg_dataset *out, int n, double noise, int k, mg_rng *rng,
                            mg_buf *err)
{
    mg_status st = mg_dataset_alloc(out, n, 2, k, err);
    if (st)
        return st;
    int row = 0;
    for (int c = 0; c < k; c++) {
        int m = class_size(n, k, c);
        for (int i = 0; i < m; i++, row++) {
            double r = m > 1 ? (double)i / (m - 1) : 0.0;
            double t = 2.0 * PI * c / k + 4.0 * r;
            t += noise * mg_rng_normal(rng);
            set_point(out, row, r * sin(t), r * cos(t), c);
        }
    }
    shuffle_rows(out, rng);
    return MG_OK;
}

static mg_status gen_twospirals(mg_dataset *out, int n, double noise, int k, mg_rng *rng,
                                mg_buf *err)
{
    mg_status st = mg_dataset_alloc(out, n, 2, k, err);
    if (st)
        return st;
    int row = 0;
    for (int c = 0; c < 2; c++) {
        int m = class_size(n, 2, c);
        for (int i = 0; i < m; i++, row++) {
            double r = (double)i / m;
            double t = 1.75 * 2.0 * PI * r + PI * c;
            double x1 = r * sin(t) + noise * mg_rng_normal(rng);
            double x2 = r * cos(t);
            x2 += noise * mg_rng_normal(rng);
            set_point(out, row, x1, x2, c);
        }
    }
    shuffle_rows(out, rng);
    return MG_OK;
}

static mg_status gen_blobs(mg_dataset *out, int n, double noise, int k, mg_rng *rng,
                           mg_buf *err)
{
    mg_status st = mg_dataset_alloc(out, n, 2, k, err);
    if (st)
        return st;
    double s = sqrt(0.25 * 0.25 + noise * noise);
    int row = 0;
    for (int c = 0; c < k; c++) {
        int m = class_size(n, k, c);
        double a = 2.0 * PI * c / k;
        for (int i = 0; i < m; i++, row++) {
            double x1 = 1.5 * cos(a) + s * mg_rng_normal(rng);
            double x2 = 1.5 * sin(a);
            x2 += s * mg_rng_normal(rng);
            set_point(out, row, x1, x2, c);
        }
    }
    shuffle_rows(out, rng);
    return MG_OK;
}

/* --- regression ------------------------------------------------------------ */

static mg_status gen_line(mg_dataset *out, int n, double noise, int k, mg_rng *rng,
                          mg_buf *err)
{
    mg_status st = mg_dataset_alloc(out, n, 1, k, err);
    if (st)
        return st;
    for (int i = 0; i < n; i++) {
        double x = mg_rng_range(rng, -1.0, 1.0);
        out->x[i] = (float)x;
        out->t[i] = (float)(2.0 * x + 1.0 + noise * mg_rng_normal(rng));
    }
    return MG_OK;
}

static mg_status gen_sine(mg_dataset *out, int n, double noise, int k, mg_rng *rng,
                          mg_buf *err)
{
    mg_status st = mg_dataset_alloc(out, n, 1, k, err);
    if (st)
        return st;
    for (int i = 0; i < n; i++) {
        double x = mg_rng_range(rng, -PI, PI);
        out->x[i] = (float)x;
        out->t[i] = (float)(sin(x) + noise * mg_rng_normal(rng));
    }
    return MG_OK;
}

static mg_status gen_plane(mg_dataset *out, int n, double noise, int k, mg_rng *rng,
                           mg_buf *err)
{
    mg_status st = mg_dataset_alloc(out, n, 2, k, err);
    if (st)
        return st;
    for (int i = 0; i < n; i++) {
        double x1 = mg_rng_range(rng, -1.0, 1.0);
        double x2 = mg_rng_range(rng, -1.0, 1.0);
        out->x[(size_t)i * 2] = (float)x1;
        out->x[(size_t)i * 2 + 1] = (float)x2;
        out->t[i] = (float)(1.5 * x1 - 2.0 * x2 + 0.5 + noise * mg_rng_normal(rng));
    }
    return MG_OK;
}

/* --- the table ------------------------------------------------------------- */

typedef mg_status (*gen_fn)(mg_dataset *out, int n, double noise, int k, mg_rng *rng,
                            mg_buf *err);

static const struct {
    mg_data_info info;
    gen_fn gen;
} GENERATORS[] = {
    {{"moons", "two interleaving half circles (2 classes)", 2, 2, 2, 2, 0.1}, gen_moons},
    {{"circles", "a circle inside a circle of half its radius (2 classes)", 2, 2, 2, 2, 0.05},
     gen_circles},
    {{"xor", "points in [-1,1]^2, class = sign(x1)*sign(x2) (2 classes)", 2, 2, 2, 2, 0.1},
     gen_xor},
    {{"spiral", "k interleaved spiral arms (2..5 classes)", 2, 2, 5, 2, 0.2}, gen_spiral},
    {{"twospirals", "two spirals of 1.75 turns, TensorFlow Playground's hard one (2 classes)", 2,
      2, 2, 2, 0.05},
     gen_twospirals},
    {{"blobs", "k Gaussian blobs on a circle (2..8 classes)", 2, 2, 8, 3, 0.1}, gen_blobs},
    {{"line", "regression: t = 2x + 1 + noise (the house price example)", 1, 0, 0, 0, 0.1},
     gen_line},
    {{"sine", "regression: t = sin(x) + noise on [-pi, pi)", 1, 0, 0, 0, 0.1}, gen_sine},
    {{"plane", "regression: t = 1.5 x1 - 2 x2 + 0.5 + noise", 2, 0, 0, 0, 0.1}, gen_plane},
};

#define NGENERATORS ((int)(sizeof GENERATORS / sizeof GENERATORS[0]))

int mg_data_count(void)
{
    return NGENERATORS;
}

const mg_data_info *mg_data_info_at(int i)
{
    return i >= 0 && i < NGENERATORS ? &GENERATORS[i].info : NULL;
}

static int find_index(const char *name)
{
    for (int i = 0; name && i < NGENERATORS; i++)
        if (strcmp(GENERATORS[i].info.name, name) == 0)
            return i;
    return -1;
}

const mg_data_info *mg_data_find(const char *name)
{
    return mg_data_info_at(find_index(name));
}

mg_status mg_data_generate(mg_dataset *out, const char *name, int n, double noise, int k,
                           mg_rng *rng, mg_buf *err)
{
    memset(out, 0, sizeof *out);
    if (err)
        mg_buf_clear(err);
    int g = find_index(name);
    if (g < 0) {
        if (err) {
            mg_buf_printf(err, "unknown dataset \"%s\" (known:", name ? name : "(null)");
            for (int i = 0; i < NGENERATORS; i++)
                mg_buf_printf(err, "%s %s", i ? "," : "", GENERATORS[i].info.name);
            mg_buf_puts(err, ")");
        }
        return MG_ERR_NAME;
    }
    const mg_data_info *info = &GENERATORS[g].info;
    if (n < 1 || n > MG_DATA_MAX_POINTS)
        return mg_buf_fail(err, n < 1 ? MG_ERR_ARG : MG_ERR_LIMIT,
                    "dataset \"%s\": n = %d points is out of range 1..%d", info->name, n,
                    MG_DATA_MAX_POINTS);
    if (isnan(noise))
        return mg_buf_fail(err, MG_ERR_ARG, "dataset \"%s\": noise is nan, must be in 0..%g",
                    info->name, MG_DATA_MAX_NOISE);
    if (!(noise >= 0.0 && noise <= MG_DATA_MAX_NOISE))
        return mg_buf_fail(err, MG_ERR_ARG, "dataset \"%s\": noise = %g is out of range 0..%g",
                    info->name, noise, MG_DATA_MAX_NOISE);
    if (k != 0 && info->kmax == 0)
        return mg_buf_fail(err, MG_ERR_ARG,
                    "dataset \"%s\": k = %d, but %s is a regression dataset (pass k = 0)",
                    info->name, k, info->name);
    if (k != 0 && info->kmin == info->kmax && k != info->kmin)
        return mg_buf_fail(err, MG_ERR_ARG,
                    "dataset \"%s\": k = %d, but %s always has %d classes (pass k = 0 or %d)",
                    info->name, k, info->name, info->kmin, info->kmin);
    if (k != 0 && (k < info->kmin || k > info->kmax))
        return mg_buf_fail(err, MG_ERR_ARG,
                    "dataset \"%s\": k = %d is out of range %d..%d classes (0 = default %d)",
                    info->name, k, info->kmin, info->kmax, info->kdefault);
    if (!rng)
        return mg_buf_fail(err, MG_ERR_ARG, "dataset \"%s\": rng is NULL", info->name);
    return GENERATORS[g].gen(out, n, noise, k ? k : info->kdefault, rng, err);
}

/* --- split and standardization --------------------------------------------- */

static void copy_row(mg_dataset *dst, int to, const mg_dataset *src, int from)
{
    memcpy(dst->x + (size_t)to * dst->d, src->x + (size_t)from * src->d,
           (size_t)src->d * sizeof *src->x);
    if (src->nclasses > 0)
        dst->y[to] = src->y[from];
    else
        dst->t[to] = src->t[from];
}

mg_status mg_data_split(const mg_dataset *all, double train_ratio, mg_rng *rng,
                        mg_dataset *train, mg_dataset *test, mg_buf *err)
{
    memset(train, 0, sizeof *train);
    memset(test, 0, sizeof *test);
    if (err)
        mg_buf_clear(err);
    if (isnan(train_ratio))
        return mg_buf_fail(err, MG_ERR_ARG, "split: train_ratio is nan, must be in (0, 1]");
    if (!(train_ratio > 0.0 && train_ratio <= 1.0))
        return mg_buf_fail(err, MG_ERR_ARG, "split: train_ratio = %g is out of range (0, 1]",
                    train_ratio);
    if (all->n < 1)
        return mg_buf_fail(err, MG_ERR_ARG, "split: the dataset is empty");
    if (!rng)
        return mg_buf_fail(err, MG_ERR_ARG, "split: rng is NULL");
    int n = all->n;
    int ntrain = (int)floor(n * train_ratio + 0.5);
    if (ntrain < 1)
        ntrain = 1;
    if (ntrain > n)
        ntrain = n;
    int32_t *perm = malloc((size_t)n * sizeof *perm);
    if (!perm)
        return mg_buf_fail(err, MG_ERR_NOMEM, "split: out of memory for %d indices", n);
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)mg_rng_below(rng, (uint32_t)i + 1u);
        int32_t tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
    }
    mg_status st = mg_dataset_alloc(train, ntrain, all->d, all->nclasses, err);
    if (!st)
        st = mg_dataset_alloc(test, n - ntrain, all->d, all->nclasses, err);
    if (st) {
        mg_dataset_free(train);
        mg_dataset_free(test);
        free(perm);
        return st;
    }
    for (int i = 0; i < ntrain; i++)
        copy_row(train, i, all, perm[i]);
    for (int i = ntrain; i < n; i++)
        copy_row(test, i - ntrain, all, perm[i]);
    free(perm);
    return MG_OK;
}

void mg_data_standardize_fit(const mg_dataset *ds, float *mean, float *std)
{
    int n = ds->n, d = ds->d;
    for (int f = 0; f < d; f++) {
        double sum = 0.0;
        for (int i = 0; i < n; i++)
            sum += ds->x[(size_t)i * d + f];
        double mu = n > 0 ? sum / n : 0.0;
        double ss = 0.0;
        for (int i = 0; i < n; i++) {
            double dev = ds->x[(size_t)i * d + f] - mu;
            ss += dev * dev;
        }
        double sd = n > 0 ? sqrt(ss / n) : 1.0;
        mean[f] = (float)mu;
        std[f] = sd > 0.0 && (float)sd > 0.0f ? (float)sd : 1.0f;
    }
}

void mg_data_standardize_apply(mg_dataset *ds, const float *mean, const float *std)
{
    int n = ds->n, d = ds->d;
    for (int f = 0; f < d; f++) {
        float s = std[f] > 0.0f && isfinite(std[f]) ? std[f] : 1.0f;
        for (int i = 0; i < n; i++) {
            float *v = &ds->x[(size_t)i * d + f];
            *v = (*v - mean[f]) / s;
        }
    }
}
