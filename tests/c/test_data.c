/* Datasets: the generators (sizes, balance, determinism, ranges, the
 * noiseless shapes), every error message, split, standardization, the IDX
 * parser on hand-made buffers, MNIST from IDX, and the packed 10k digits
 * that the build makes (skipped with a note when they are not there). */
#include <stdlib.h>

#include "check.h"
#include "data/data.h"
#include "read_file.h"

#define PI 3.14159265358979323846

static mg_rng seeded(uint64_t seed)
{
    mg_rng rng;
    mg_rng_seed(&rng, seed, 1);
    return rng;
}

/* Generates or fails the test run with the message. */
static int gen(mg_dataset *ds, const char *name, int n, double noise, int k, uint64_t seed)
{
    mg_rng rng = seeded(seed);
    mg_buf err = {0};
    mg_status st = mg_data_generate(ds, name, n, noise, k, &rng, &err);
    if (st)
        fprintf(stderr, "generate %s: %s\n", name, mg_buf_str(&err));
    CHECK_INT(st, MG_OK);
    CHECK_STR(mg_buf_str(&err), "");
    mg_buf_free(&err);
    return st == MG_OK;
}

static int same_data(const mg_dataset *a, const mg_dataset *b)
{
    if (a->n != b->n || a->d != b->d || a->nclasses != b->nclasses)
        return 0;
    size_t n = (size_t)a->n;
    if (memcmp(a->x, b->x, n * (size_t)a->d * sizeof(float)) != 0)
        return 0;
    if (a->nclasses)
        return memcmp(a->y, b->y, n * sizeof(int32_t)) == 0;
    return memcmp(a->t, b->t, n * sizeof(float)) == 0;
}

/* The table, and for every generator: shape, balance, finite values in a
 * plausible box, same seed same data, other seed other data. */
static void test_generators(void)
{
    static const char *names[] = {"moons", "circles", "xor",  "spiral", "twospirals",
                                  "blobs", "line",    "sine", "plane"};
    static const int want_d[] = {2, 2, 2, 2, 2, 2, 1, 1, 2};
    static const int want_k[] = {2, 2, 2, 2, 2, 3, 0, 0, 0};
    CHECK_INT(mg_data_count(), 9);
    CHECK(mg_data_info_at(-1) == NULL);
    CHECK(mg_data_info_at(9) == NULL);
    CHECK(mg_data_find("nope") == NULL);
    CHECK(mg_data_find(NULL) == NULL);
    for (int g = 0; g < 9; g++) {
        const mg_data_info *info = mg_data_info_at(g);
        CHECK_STR(info->name, names[g]);
        CHECK(mg_data_find(names[g]) == info);
        CHECK_INT(info->d, want_d[g]);
        CHECK_INT(info->kdefault, want_k[g]);
        CHECK(info->noise > 0 && info->noise <= MG_DATA_MAX_NOISE);

        const int n = 1001;
        mg_dataset a = {0}, b = {0}, c = {0};
        if (!gen(&a, names[g], n, info->noise, 0, 42) || !gen(&b, names[g], n, info->noise, 0, 42) ||
            !gen(&c, names[g], n, info->noise, 0, 43))
            continue;
        CHECK_INT(a.n, n);
        CHECK_INT(a.d, want_d[g]);
        CHECK_INT(a.nclasses, want_k[g]);
        CHECK(same_data(&a, &b));  /* same seed, same data */
        CHECK(!same_data(&a, &c)); /* other seed, other data */
        CHECK(a.x != NULL);
        CHECK((a.nclasses > 0) == (a.y != NULL));
        CHECK((a.nclasses > 0) == (a.t == NULL));
        int bad = 0;
        for (int i = 0; i < n * a.d; i++)
            bad += !(isfinite(a.x[i]) && fabsf(a.x[i]) < 4.0f);
        CHECK_INT(bad, 0);
        if (a.nclasses) {
            int count[8] = {0}, out_of_range = 0;
            for (int i = 0; i < n; i++) {
                if (a.y[i] < 0 || a.y[i] >= a.nclasses)
                    out_of_range++;
                else
                    count[a.y[i]]++;
            }
            CHECK_INT(out_of_range, 0);
            for (int k = 0; k < a.nclasses; k++) /* 1001 = 501 + 500, or 334 + 334 + 333 */
                CHECK_INT(count[k], n / a.nclasses + (k < n % a.nclasses));
            /* shuffled: the first half is not all one class */
            int first_half_class0 = 0;
            for (int i = 0; i < n / 2; i++)
                first_half_class0 += a.y[i] == 0;
            CHECK(first_half_class0 > n / 10 && first_half_class0 < n / 2);
        } else {
            int bad_t = 0;
            for (int i = 0; i < n; i++)
                bad_t += !(isfinite(a.t[i]) && fabsf(a.t[i]) < 6.0f);
            CHECK_INT(bad_t, 0);
        }
        mg_dataset_free(&a);
        mg_dataset_free(&b);
        mg_dataset_free(&c);
        CHECK(a.x == NULL && a.y == NULL && a.t == NULL && a.n == 0);
    }

    /* k: default and explicit */
    mg_dataset ds = {0};
    if (gen(&ds, "spiral", 10, 0.2, 5, 1)) {
        CHECK_INT(ds.nclasses, 5);
        int count[5] = {0};
        for (int i = 0; i < ds.n; i++)
            count[ds.y[i]]++;
        for (int k = 0; k < 5; k++)
            CHECK_INT(count[k], 2);
    }
    mg_dataset_free(&ds);
    if (gen(&ds, "blobs", 7, 0.1, 8, 1)) { /* fewer points than blobs: classes 0..6 */
        CHECK_INT(ds.nclasses, 8);
        int count[8] = {0};
        for (int i = 0; i < ds.n; i++)
            count[ds.y[i]]++;
        for (int k = 0; k < 8; k++)
            CHECK_INT(count[k], k < 7);
    }
    mg_dataset_free(&ds);
    if (gen(&ds, "moons", 1, 0.0, 2, 1)) {
        CHECK_INT(ds.n, 1);
        CHECK_INT(ds.y[0], 0);
        CHECK_NEAR(ds.x[0], 1.0, 0); /* a_0 = 0: (cos 0, sin 0) */
        CHECK_NEAR(ds.x[1], 0.0, 0);
    }
    mg_dataset_free(&ds);
    if (gen(&ds, "moons", MG_DATA_MAX_POINTS, 1.0, 0, 1))
        CHECK_INT(ds.n, MG_DATA_MAX_POINTS);
    mg_dataset_free(&ds);
}

/* With noise 0 every point lies on its curve; with noise the same seed
 * gives the same points moved off it. */
static void test_shapes(void)
{
    mg_dataset ds = {0}, noisy = {0};
    const int n = 200;
    if (gen(&ds, "moons", n, 0.0, 0, 7)) {
        int off = 0;
        for (int i = 0; i < n; i++) {
            double x1 = ds.x[2 * i], x2 = ds.x[2 * i + 1];
            double r = ds.y[i] == 0 ? hypot(x1, x2) : hypot(x1 - 1.0, x2 - 0.5);
            int side = ds.y[i] == 0 ? x2 >= -1e-7 : x2 <= 0.5 + 1e-7;
            off += !(fabs(r - 1.0) < 1e-6 && side);
        }
        CHECK_INT(off, 0);
    }
    /* sklearn's end points: class 0 from (1, 0) to (-1, 0), class 1 from
     * (0, 0.5) to (2, 0.5) */
    int ends = 0;
    for (int i = 0; i < n; i++) {
        double x1 = ds.x[2 * i], x2 = ds.x[2 * i + 1];
        ends += (fabs(x1 - 1.0) < 1e-6 && fabs(x2) < 1e-6) ||
                (fabs(x1 + 1.0) < 1e-6 && fabs(x2) < 1e-6) ||
                (fabs(x1) < 1e-6 && fabs(x2 - 0.5) < 1e-6) ||
                (fabs(x1 - 2.0) < 1e-6 && fabs(x2 - 0.5) < 1e-6);
    }
    CHECK_INT(ends, 4);
    if (gen(&noisy, "moons", n, 0.1, 0, 7)) {
        double dist = 0.0, maxd = 0.0;
        for (int i = 0; i < n; i++) {
            CHECK_INT(noisy.y[i], ds.y[i]); /* same shuffle */
            double d = hypot(noisy.x[2 * i] - ds.x[2 * i], noisy.x[2 * i + 1] - ds.x[2 * i + 1]);
            dist += d;
            maxd = d > maxd ? d : maxd;
        }
        /* mean of |N(0, 0.1^2 I2)| is 0.1 * sqrt(pi/2) = 0.125 */
        CHECK_NEAR(dist / n, 0.125, 0.02);
        CHECK(maxd < 0.6);
    }
    mg_dataset_free(&ds);
    mg_dataset_free(&noisy);

    if (gen(&ds, "circles", n, 0.0, 0, 7)) {
        int off = 0;
        for (int i = 0; i < n; i++) {
            double r = hypot(ds.x[2 * i], ds.x[2 * i + 1]);
            off += !(fabs(r - (ds.y[i] == 0 ? 1.0 : 0.5)) < 1e-6);
        }
        CHECK_INT(off, 0);
    }
    mg_dataset_free(&ds);

    if (gen(&ds, "xor", n, 0.0, 0, 7)) {
        int off = 0, quadrant[4] = {0};
        for (int i = 0; i < n; i++) {
            float x1 = ds.x[2 * i], x2 = ds.x[2 * i + 1];
            off += !(fabsf(x1) > 0 && fabsf(x1) <= 1 && fabsf(x2) > 0 && fabsf(x2) <= 1);
            off += (x1 * x2 > 0) != (ds.y[i] == 1);
            quadrant[(x1 < 0) * 2 + (x2 < 0)]++;
        }
        CHECK_INT(off, 0);
        for (int q = 0; q < 4; q++)
            CHECK_INT(quadrant[q], n / 4);
    }
    mg_dataset_free(&ds);

    if (gen(&ds, "spiral", 3 * 50, 0.0, 3, 7)) {
        /* noiseless arm c: angle atan2(x, y) = 2 pi c / 3 + 4 r (mod 2 pi) */
        int off = 0;
        for (int i = 0; i < ds.n; i++) {
            double x1 = ds.x[2 * i], x2 = ds.x[2 * i + 1], r = hypot(x1, x2);
            if (r < 1e-3)
                continue;
            double want = 2.0 * PI * ds.y[i] / 3 + 4.0 * r;
            double diff = remainder(atan2(x1, x2) - want, 2.0 * PI);
            off += !(fabs(diff) < 1e-5 && r <= 1.0 + 1e-6);
        }
        CHECK_INT(off, 0);
    }
    mg_dataset_free(&ds);

    if (gen(&ds, "twospirals", 2 * 100, 0.0, 0, 7)) {
        /* noiseless: point i of class c at r = i/100, angle atan2(x1, x2) =
         * 3.5 pi r + pi c (mod 2 pi); every r = 0, 0.01, ... 0.99 once per class */
        int off = 0, seen[2][100] = {{0}};
        for (int i = 0; i < ds.n; i++) {
            double x1 = ds.x[2 * i], x2 = ds.x[2 * i + 1], r = hypot(x1, x2);
            int step = (int)lround(r * 100);
            off += !(step >= 0 && step < 100 && fabs(r - step / 100.0) < 1e-6);
            if (step >= 0 && step < 100)
                seen[ds.y[i]][step]++;
            if (r < 1e-3)
                continue;
            double diff = remainder(atan2(x1, x2) - (3.5 * PI * r + PI * ds.y[i]), 2.0 * PI);
            off += !(fabs(diff) < 1e-5);
        }
        CHECK_INT(off, 0);
        for (int c = 0; c < 2; c++)
            for (int s = 0; s < 100; s++)
                off += seen[c][s] != 1;
        CHECK_INT(off, 0);
    }
    mg_dataset_free(&ds);

    if (gen(&ds, "blobs", 3000, 0.0, 3, 7)) {
        double sum[3][2] = {{0}}, ss = 0;
        for (int i = 0; i < ds.n; i++)
            for (int f = 0; f < 2; f++)
                sum[ds.y[i]][f] += ds.x[2 * i + f];
        for (int c = 0; c < 3; c++) {
            CHECK_NEAR(sum[c][0] / 1000, 1.5 * cos(2 * PI * c / 3), 0.05);
            CHECK_NEAR(sum[c][1] / 1000, 1.5 * sin(2 * PI * c / 3), 0.05);
        }
        for (int i = 0; i < ds.n; i++) {
            double a = 2 * PI * ds.y[i] / 3;
            double d1 = ds.x[2 * i] - 1.5 * cos(a), d2 = ds.x[2 * i + 1] - 1.5 * sin(a);
            ss += d1 * d1 + d2 * d2;
        }
        CHECK_NEAR(sqrt(ss / (2 * ds.n)), 0.25, 0.02); /* the base spread */
    }
    mg_dataset_free(&ds);

    if (gen(&ds, "line", n, 0.0, 0, 7)) {
        int off = 0;
        for (int i = 0; i < n; i++)
            off += !(fabs(ds.t[i] - (2.0 * ds.x[i] + 1.0)) < 1e-6 && ds.x[i] >= -1 && ds.x[i] < 1);
        CHECK_INT(off, 0);
    }
    mg_dataset_free(&ds);
    if (gen(&ds, "sine", n, 0.0, 0, 7)) {
        int off = 0;
        for (int i = 0; i < n; i++)
            off += !(fabs(ds.t[i] - sin(ds.x[i])) < 1e-6 && fabs(ds.x[i]) <= PI + 1e-6);
        CHECK_INT(off, 0);
    }
    mg_dataset_free(&ds);
    if (gen(&ds, "plane", n, 0.0, 0, 7)) {
        int off = 0;
        for (int i = 0; i < n; i++) {
            double x1 = ds.x[2 * i], x2 = ds.x[2 * i + 1];
            off += !(fabs(ds.t[i] - (1.5 * x1 - 2.0 * x2 + 0.5)) < 1e-6);
        }
        CHECK_INT(off, 0);
    }
    mg_dataset_free(&ds);
    /* regression noise: residual std is the noise */
    if (gen(&ds, "line", 20000, 0.3, 0, 7)) {
        double ss = 0;
        for (int i = 0; i < ds.n; i++) {
            double r = ds.t[i] - (2.0 * ds.x[i] + 1.0);
            ss += r * r;
        }
        CHECK_NEAR(sqrt(ss / ds.n), 0.3, 0.01);
    }
    mg_dataset_free(&ds);
}

static void expect_gen_error(const char *name, int n, double noise, int k, mg_status want_st,
                             const char *want)
{
    mg_rng rng = seeded(1);
    mg_dataset ds = {0};
    mg_buf err = {0};
    mg_status st = mg_data_generate(&ds, name, n, noise, k, &rng, &err);
    CHECK_INT(st, want_st);
    CHECK_STR(mg_buf_str(&err), want);
    CHECK(ds.x == NULL && ds.y == NULL && ds.t == NULL && ds.n == 0);
    mg_buf_free(&err);
}

static void test_generate_errors(void)
{
    expect_gen_error("foo", 10, 0.1, 0, MG_ERR_NAME,
                     "unknown dataset \"foo\" (known: moons, circles, xor, spiral, twospirals, "
                     "blobs, line, sine, plane)");
    expect_gen_error(NULL, 10, 0.1, 0, MG_ERR_NAME,
                     "unknown dataset \"(null)\" (known: moons, circles, xor, spiral, twospirals, "
                     "blobs, line, sine, plane)");
    expect_gen_error("Moons", 10, 0.1, 0, MG_ERR_NAME,
                     "unknown dataset \"Moons\" (known: moons, circles, xor, spiral, twospirals, "
                     "blobs, line, sine, plane)");
    expect_gen_error("moons", 0, 0.1, 0, MG_ERR_ARG,
                     "dataset \"moons\": n = 0 points is out of range 1..100000");
    expect_gen_error("line", -5, 0.1, 0, MG_ERR_ARG,
                     "dataset \"line\": n = -5 points is out of range 1..100000");
    expect_gen_error("moons", 100001, 0.1, 0, MG_ERR_LIMIT,
                     "dataset \"moons\": n = 100001 points is out of range 1..100000");
    expect_gen_error("moons", 10, -0.1, 0, MG_ERR_ARG,
                     "dataset \"moons\": noise = -0.1 is out of range 0..1");
    expect_gen_error("sine", 10, 1.5, 0, MG_ERR_ARG,
                     "dataset \"sine\": noise = 1.5 is out of range 0..1");
    expect_gen_error("sine", 10, INFINITY, 0, MG_ERR_ARG,
                     "dataset \"sine\": noise = inf is out of range 0..1");
    expect_gen_error("circles", 10, NAN, 0, MG_ERR_ARG,
                     "dataset \"circles\": noise is nan, must be in 0..1");
    expect_gen_error("moons", 10, 0.1, 3, MG_ERR_ARG,
                     "dataset \"moons\": k = 3, but moons always has 2 classes (pass k = 0 or 2)");
    expect_gen_error("xor", 10, 0.1, -1, MG_ERR_ARG,
                     "dataset \"xor\": k = -1, but xor always has 2 classes (pass k = 0 or 2)");
    expect_gen_error("line", 10, 0.1, 2, MG_ERR_ARG,
                     "dataset \"line\": k = 2, but line is a regression dataset (pass k = 0)");
    expect_gen_error("spiral", 10, 0.1, 6, MG_ERR_ARG,
                     "dataset \"spiral\": k = 6 is out of range 2..5 classes (0 = default 2)");
    expect_gen_error("spiral", 10, 0.1, 1, MG_ERR_ARG,
                     "dataset \"spiral\": k = 1 is out of range 2..5 classes (0 = default 2)");
    expect_gen_error("blobs", 10, 0.1, 9, MG_ERR_ARG,
                     "dataset \"blobs\": k = 9 is out of range 2..8 classes (0 = default 3)");
    expect_gen_error("blobs", 10, 0.1, -2, MG_ERR_ARG,
                     "dataset \"blobs\": k = -2 is out of range 2..8 classes (0 = default 3)");
    /* a NULL err is allowed: the status still says what failed */
    mg_rng rng = seeded(1);
    mg_dataset ds = {0};
    CHECK_INT(mg_data_generate(&ds, "nope", 10, 0.1, 0, &rng, NULL), MG_ERR_NAME);
    CHECK_INT(mg_data_generate(&ds, "moons", 10, 0.1, 0, NULL, NULL), MG_ERR_ARG);

    /* an error message does not survive a later success */
    mg_buf err = {0};
    mg_buf_puts(&err, "old");
    CHECK_INT(mg_data_generate(&ds, "moons", 10, 0.1, 0, &rng, &err), MG_OK);
    CHECK_STR(mg_buf_str(&err), "");
    mg_dataset_free(&ds);

    CHECK_INT(mg_dataset_alloc(&ds, -1, 2, 0, &err), MG_ERR_ARG);
    CHECK_STR(mg_buf_str(&err),
              "dataset: bad size n = -1, d = 2, nclasses = 0 (need n >= 0, d >= 1, nclasses >= 0)");
    CHECK_INT(mg_dataset_alloc(&ds, 100000, 2000, 10, &err), MG_ERR_LIMIT);
    CHECK_STR(mg_buf_str(&err),
              "dataset: 100000 points x 2000 features = 200000000 values exceed the limit of "
              "134217728");
    CHECK(ds.x == NULL);
    CHECK_INT(mg_dataset_alloc(&ds, 0, 3, 2, &err), MG_OK);
    CHECK(ds.n == 0 && ds.x != NULL && ds.y != NULL && ds.t == NULL);
    mg_dataset_free(&ds);
    mg_dataset_free(&ds); /* twice is fine */
    mg_buf_free(&err);
}

/* A dataset whose row i is (i, -i) with label i % 3 or target 10 i. */
static void tagged(mg_dataset *ds, int n, int nclasses)
{
    mg_buf err = {0};
    CHECK_INT(mg_dataset_alloc(ds, n, 2, nclasses, &err), MG_OK);
    for (int i = 0; i < n; i++) {
        ds->x[2 * i] = (float)i;
        ds->x[2 * i + 1] = (float)-i;
        if (nclasses)
            ds->y[i] = i % nclasses;
        else
            ds->t[i] = 10.0f * i;
    }
    mg_buf_free(&err);
}

/* Every row of all appears once in train + test, intact. */
static void check_partition(const mg_dataset *all, const mg_dataset *train,
                            const mg_dataset *test)
{
    int n = all->n;
    CHECK_INT(train->n + test->n, n);
    char *seen = calloc((size_t)n, 1);
    int bad = 0;
    for (int part = 0; part < 2; part++) {
        const mg_dataset *ds = part ? test : train;
        CHECK_INT(ds->d, all->d);
        CHECK_INT(ds->nclasses, all->nclasses);
        for (int i = 0; i < ds->n; i++) {
            int id = (int)ds->x[2 * i];
            if (id < 0 || id >= n || seen[id] || ds->x[2 * i + 1] != -ds->x[2 * i]) {
                bad++;
                continue;
            }
            seen[id] = 1;
            if (all->nclasses)
                bad += ds->y[i] != id % all->nclasses;
            else
                bad += ds->t[i] != 10.0f * id;
        }
    }
    CHECK_INT(bad, 0);
    free(seen);
}

static void test_split(void)
{
    mg_dataset all = {0}, train = {0}, test = {0}, train2 = {0}, test2 = {0};
    mg_buf err = {0};
    tagged(&all, 1000, 3);
    mg_rng rng = seeded(5), rng2 = seeded(5);
    CHECK_INT(mg_data_split(&all, 0.8, &rng, &train, &test, &err), MG_OK);
    CHECK_INT(train.n, 800);
    CHECK_INT(test.n, 200);
    check_partition(&all, &train, &test);
    /* shuffled, not the first 800 */
    int moved = 0;
    for (int i = 0; i < train.n; i++)
        moved += (int)train.x[2 * i] != i;
    CHECK(moved > 700);
    CHECK_INT(mg_data_split(&all, 0.8, &rng2, &train2, &test2, &err), MG_OK);
    CHECK(same_data(&train, &train2) && same_data(&test, &test2)); /* same seed */
    mg_dataset_free(&train);
    mg_dataset_free(&test);
    mg_dataset_free(&train2);
    mg_dataset_free(&test2);

    /* ratio 1: everything in train, an empty test */
    CHECK_INT(mg_data_split(&all, 1.0, &rng, &train, &test, &err), MG_OK);
    CHECK_INT(train.n, 1000);
    CHECK_INT(test.n, 0);
    CHECK(test.x != NULL && test.y != NULL);
    check_partition(&all, &train, &test);
    mg_dataset_free(&train);
    mg_dataset_free(&test);
    /* rounding, and at least one training point */
    CHECK_INT(mg_data_split(&all, 0.0004, &rng, &train, &test, &err), MG_OK);
    CHECK_INT(train.n, 1);
    CHECK_INT(test.n, 999);
    mg_dataset_free(&train);
    mg_dataset_free(&test);
    CHECK_INT(mg_data_split(&all, 0.3333, &rng, &train, &test, &err), MG_OK);
    CHECK_INT(train.n, 333);
    mg_dataset_free(&train);
    mg_dataset_free(&test);
    mg_dataset_free(&all);

    /* regression keeps the targets with their rows */
    tagged(&all, 101, 0);
    CHECK_INT(mg_data_split(&all, 0.5, &rng, &train, &test, &err), MG_OK);
    CHECK_INT(train.n, 51); /* round(50.5) */
    CHECK(train.y == NULL && train.t != NULL);
    check_partition(&all, &train, &test);
    mg_dataset_free(&train);
    mg_dataset_free(&test);

    CHECK_INT(mg_data_split(&all, 0.0, &rng, &train, &test, &err), MG_ERR_ARG);
    CHECK_STR(mg_buf_str(&err), "split: train_ratio = 0 is out of range (0, 1]");
    CHECK_INT(mg_data_split(&all, 1.5, &rng, &train, &test, &err), MG_ERR_ARG);
    CHECK_STR(mg_buf_str(&err), "split: train_ratio = 1.5 is out of range (0, 1]");
    CHECK_INT(mg_data_split(&all, -0.2, &rng, &train, &test, &err), MG_ERR_ARG);
    CHECK_STR(mg_buf_str(&err), "split: train_ratio = -0.2 is out of range (0, 1]");
    CHECK_INT(mg_data_split(&all, NAN, &rng, &train, &test, &err), MG_ERR_ARG);
    CHECK_STR(mg_buf_str(&err), "split: train_ratio is nan, must be in (0, 1]");
    CHECK_INT(mg_data_split(&all, 0.5, NULL, &train, &test, &err), MG_ERR_ARG);
    CHECK_STR(mg_buf_str(&err), "split: rng is NULL");
    CHECK(train.x == NULL && test.x == NULL);
    mg_dataset_free(&all);
    mg_dataset empty = {0};
    CHECK_INT(mg_dataset_alloc(&empty, 0, 2, 2, &err), MG_OK);
    CHECK_INT(mg_data_split(&empty, 0.5, &rng, &train, &test, &err), MG_ERR_ARG);
    CHECK_STR(mg_buf_str(&err), "split: the dataset is empty");
    mg_dataset_free(&empty);
    mg_buf_free(&err);
}

static void test_standardize(void)
{
    mg_dataset ds = {0}, other = {0};
    if (!gen(&ds, "plane", 5000, 0.1, 0, 3) || !gen(&other, "plane", 500, 0.1, 0, 4))
        return;
    /* move and stretch feature 1 so standardizing has work to do */
    for (int i = 0; i < ds.n; i++)
        ds.x[2 * i + 1] = 100.0f + 30.0f * ds.x[2 * i + 1];
    for (int i = 0; i < other.n; i++)
        other.x[2 * i + 1] = 100.0f + 30.0f * other.x[2 * i + 1];
    float mean[2], std[2];
    mg_data_standardize_fit(&ds, mean, std);
    CHECK_NEAR(mean[0], 0.0, 0.03);
    CHECK_NEAR(std[0], 1.0 / sqrt(3.0), 0.02); /* uniform on [-1, 1) */
    CHECK_NEAR(mean[1], 100.0, 0.01);
    CHECK_NEAR(std[1], 30.0 / sqrt(3.0), 0.02);
    mg_data_standardize_apply(&ds, mean, std);
    mg_data_standardize_apply(&other, mean, std);
    float m2[2], s2[2];
    mg_data_standardize_fit(&ds, m2, s2);
    for (int f = 0; f < 2; f++) {
        CHECK_NEAR(m2[f], 0.0, 1e-5);
        CHECK_NEAR(s2[f], 1.0, 1e-5);
    }
    mg_data_standardize_fit(&other, m2, s2); /* a test set: close, not exact */
    for (int f = 0; f < 2; f++) {
        CHECK_NEAR(m2[f], 0.0, 0.15);
        CHECK_NEAR(s2[f], 1.0, 0.1);
    }
    mg_dataset_free(&ds);
    mg_dataset_free(&other);

    /* a constant feature: std 1, the feature becomes 0 */
    mg_buf err = {0};
    CHECK_INT(mg_dataset_alloc(&ds, 4, 2, 2, &err), MG_OK);
    for (int i = 0; i < 4; i++) {
        ds.x[2 * i] = 7.0f;
        ds.x[2 * i + 1] = (float)i;
    }
    mg_data_standardize_fit(&ds, mean, std);
    CHECK_NEAR(mean[0], 7.0, 0);
    CHECK_NEAR(std[0], 1.0, 0);
    CHECK_NEAR(mean[1], 1.5, 0);
    CHECK_NEAR(std[1], sqrt(1.25), 1e-7);
    float zero_std[2] = {0.0f, 0.0f};
    mg_data_standardize_apply(&ds, mean, zero_std); /* std 0 taken as 1 */
    CHECK_NEAR(ds.x[0], 0.0, 0);
    CHECK_NEAR(ds.x[7], 1.5, 0);
    mg_dataset_free(&ds);
    CHECK_INT(mg_dataset_alloc(&ds, 0, 2, 2, &err), MG_OK);
    mg_data_standardize_fit(&ds, mean, std);
    CHECK(mean[0] == 0.0f && std[0] == 1.0f && mean[1] == 0.0f && std[1] == 1.0f);
    mg_dataset_free(&ds);
    mg_buf_free(&err);
}

/* --- IDX ------------------------------------------------------------------- */

/* A valid (2, 3) ubyte IDX file. */
static const uint8_t IDX_OK[] = {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 250};

static void expect_idx_error(const uint8_t *bytes, size_t len, mg_status want_st,
                             const char *want)
{
    mg_idx idx;
    mg_buf err = {0};
    CHECK_INT(mg_idx_parse(bytes, len, &idx, &err), want_st);
    CHECK_STR(mg_buf_str(&err), want);
    CHECK(idx.data == NULL && idx.ndim == 0);
    mg_buf_free(&err);
}

static void test_idx(void)
{
    mg_idx idx;
    mg_buf err = {0};
    CHECK_INT(mg_idx_parse(IDX_OK, sizeof IDX_OK, &idx, &err), MG_OK);
    CHECK_STR(mg_buf_str(&err), "");
    CHECK_INT(idx.dtype, MG_IDX_UBYTE);
    CHECK_INT(idx.ndim, 2);
    CHECK_INT(idx.dims[0], 2);
    CHECK_INT(idx.dims[1], 3);
    CHECK_INT(idx.dims[2], 0);
    CHECK_INT(idx.count, 6);
    CHECK(idx.data == IDX_OK + 12); /* no copy */
    CHECK_INT(idx.data[5], 250);

    /* big-endian dims, all four */
    static const uint8_t four[] = {0, 0, 8, 4, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 9, 8};
    CHECK_INT(mg_idx_parse(four, sizeof four, &idx, &err), MG_OK);
    CHECK_INT(idx.ndim, 4);
    CHECK_INT(idx.count, 2);
    uint8_t big[8 + 258] = {0, 0, 8, 1, 0, 0, 1, 2}; /* 0x0102 = 258 */
    CHECK_INT(mg_idx_parse(big, sizeof big, &idx, &err), MG_OK);
    CHECK_INT(idx.dims[0], 258);
    /* a zero dimension is a valid, empty file */
    static const uint8_t empty[] = {0, 0, 8, 2, 0, 0, 0, 0, 0, 0, 0, 5};
    CHECK_INT(mg_idx_parse(empty, sizeof empty, &idx, &err), MG_OK);
    CHECK_INT(idx.count, 0);

    expect_idx_error(IDX_OK, sizeof IDX_OK - 1, MG_ERR_SYNTAX,
                     "IDX: truncated: expected 18 bytes, got 17");
    expect_idx_error(big, 8 + 100, MG_ERR_SYNTAX, "IDX: truncated: expected 266 bytes, got 108");
    expect_idx_error(IDX_OK, 9, MG_ERR_SYNTAX,
                     "IDX: truncated: expected at least 12 header bytes for 2 dims, got 9");
    expect_idx_error(IDX_OK, 3, MG_ERR_SYNTAX,
                     "IDX: truncated: expected at least 4 header bytes, got 3");
    expect_idx_error(NULL, 0, MG_ERR_SYNTAX,
                     "IDX: truncated: expected at least 4 header bytes, got 0");
    expect_idx_error(NULL, 5, MG_ERR_ARG, "IDX: the bytes are NULL but len is 5");

    uint8_t buf[64];
    memcpy(buf, IDX_OK, sizeof IDX_OK);
    buf[sizeof IDX_OK] = 0;
    buf[sizeof IDX_OK + 1] = 0;
    expect_idx_error(buf, sizeof IDX_OK + 2, MG_ERR_SYNTAX,
                     "IDX: 2 trailing bytes: expected 18 bytes, got 20");

    memcpy(buf, IDX_OK, sizeof IDX_OK);
    buf[1] = 1;
    expect_idx_error(buf, sizeof IDX_OK, MG_ERR_SYNTAX,
                     "IDX: bad magic: bytes 0-1 are 0x00 0x01, an IDX file starts with 0x00 0x00");
    static const uint8_t text[] = "P5\n28 28\n255\n";
    expect_idx_error(text, sizeof text - 1, MG_ERR_SYNTAX,
                     "IDX: bad magic: bytes 0-1 are 0x50 0x35, an IDX file starts with 0x00 0x00");

    memcpy(buf, IDX_OK, sizeof IDX_OK);
    buf[2] = 0x0d;
    expect_idx_error(buf, sizeof IDX_OK, MG_ERR_SYNTAX,
                     "IDX: unsupported dtype 0x0d (float32) at byte 2: only 0x08 (unsigned "
                     "byte) is supported");
    buf[2] = 0x09;
    expect_idx_error(buf, sizeof IDX_OK, MG_ERR_SYNTAX,
                     "IDX: unsupported dtype 0x09 (signed byte) at byte 2: only 0x08 (unsigned "
                     "byte) is supported");
    buf[2] = 0x42;
    expect_idx_error(buf, sizeof IDX_OK, MG_ERR_SYNTAX,
                     "IDX: unsupported dtype 0x42 (not an IDX type) at byte 2: only 0x08 "
                     "(unsigned byte) is supported");

    memcpy(buf, IDX_OK, sizeof IDX_OK);
    buf[3] = 0;
    expect_idx_error(buf, sizeof IDX_OK, MG_ERR_SYNTAX,
                     "IDX: ndim = 0 at byte 3 is out of range 1..4");
    buf[3] = 5;
    expect_idx_error(buf, sizeof IDX_OK, MG_ERR_SYNTAX,
                     "IDX: ndim = 5 at byte 3 is out of range 1..4");

    /* what `gzip -c train-images-idx3-ubyte` starts with */
    static const uint8_t gz[] = {0x1f, 0x8b, 0x08, 0x08, 0x9c, 0x0b, 0x63, 0x57, 0, 3};
    expect_idx_error(gz, sizeof gz, MG_ERR_SYNTAX,
                     "IDX: this file is gzip-compressed: decompress it first (gunzip FILE)");
    expect_idx_error(gz, 2, MG_ERR_SYNTAX,
                     "IDX: this file is gzip-compressed: decompress it first (gunzip FILE)");

    uint8_t huge[20] = {0, 0, 8, 4};
    memset(huge + 4, 0xff, 16);
    expect_idx_error(huge, sizeof huge, MG_ERR_LIMIT,
                     "IDX: dims (4294967295, 4294967295, 4294967295, 4294967295): their product "
                     "overflows");
    /* the product overflows only when the last dim is multiplied in */
    static const uint8_t late[] = {0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0, 0, 0, 2};
    mg_status st = mg_idx_parse(late, sizeof late, &idx, &err);
    if (sizeof(size_t) >= 8) { /* 2^65 - ... overflows 64 bits */
        CHECK_INT(st, MG_ERR_LIMIT);
        CHECK_STR(mg_buf_str(&err),
                  "IDX: dims (4294967295, 4294967295, 2): their product overflows");
    }
    /* huge but representable: truncated, not overflowed */
    static const uint8_t wide[] = {0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0};
    st = mg_idx_parse(wide, sizeof wide, &idx, &err);
    if (sizeof(size_t) >= 8) {
        CHECK_INT(st, MG_ERR_SYNTAX);
        CHECK_STR(mg_buf_str(&err), "IDX: truncated: expected 4294967308 bytes, got 12");
    }
    mg_buf_free(&err);
}

/* --- MNIST from IDX -------------------------------------------------------- */

/* 2 images of 2 x 3 pixels and their labels. */
static const uint8_t IMG_OK[] = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,
                                 0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 1};
static const uint8_t LAB_OK[] = {0, 0, 8, 1, 0, 0, 0, 2, 3, 9};

static void expect_mnist_error(const uint8_t *img, size_t img_len, const uint8_t *lab,
                               size_t lab_len, mg_status want_st, const char *want)
{
    mg_dataset ds = {0};
    mg_buf err = {0};
    CHECK_INT(mg_mnist_from_idx(img, img_len, lab, lab_len, &ds, &err), want_st);
    CHECK_STR(mg_buf_str(&err), want);
    CHECK(ds.x == NULL && ds.y == NULL && ds.n == 0);
    mg_buf_free(&err);
}

static void test_mnist_small(void)
{
    mg_dataset ds = {0};
    mg_buf err = {0};
    CHECK_INT(mg_mnist_from_idx(IMG_OK, sizeof IMG_OK, LAB_OK, sizeof LAB_OK, &ds, &err), MG_OK);
    CHECK_STR(mg_buf_str(&err), "");
    CHECK_INT(ds.n, 2);
    CHECK_INT(ds.d, 6);
    CHECK_INT(ds.nclasses, 10);
    CHECK(ds.t == NULL);
    CHECK_INT(ds.y[0], 3);
    CHECK_INT(ds.y[1], 9);
    for (int i = 0; i < 12; i++)
        CHECK_NEAR(ds.x[i], IMG_OK[16 + i] / 255.0, 1e-7);
    CHECK(ds.x[5] == 1.0f && ds.x[0] == 0.0f);
    mg_dataset_free(&ds);

    uint8_t lab[16], img[64];
    memcpy(lab, LAB_OK, sizeof LAB_OK);
    lab[9] = 10;
    expect_mnist_error(IMG_OK, sizeof IMG_OK, lab, sizeof LAB_OK, MG_ERR_ARG,
                       "labels: label 10 at index 1 is out of range 0..9");
    lab[8] = 255;
    expect_mnist_error(IMG_OK, sizeof IMG_OK, lab, sizeof LAB_OK, MG_ERR_ARG,
                       "labels: label 255 at index 0 is out of range 0..9");

    static const uint8_t lab3[] = {0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3};
    expect_mnist_error(IMG_OK, sizeof IMG_OK, lab3, sizeof lab3, MG_ERR_ARG,
                       "count mismatch: 2 images but 3 labels");

    /* images as (2, 6): a valid IDX file, but not images */
    static const uint8_t flat[] = {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 6,
                                   1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    expect_mnist_error(flat, sizeof flat, LAB_OK, sizeof LAB_OK, MG_ERR_ARG,
                       "images: expected 3 dims (n, rows, cols), got 2: (2, 6)");
    static const uint8_t lab2d[] = {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 1, 3, 9};
    expect_mnist_error(IMG_OK, sizeof IMG_OK, lab2d, sizeof lab2d, MG_ERR_ARG,
                       "labels: expected 1 dim (n), got 2: (2, 1)");
    static const uint8_t none[] = {0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28};
    static const uint8_t lab0[] = {0, 0, 8, 1, 0, 0, 0, 0};
    expect_mnist_error(none, sizeof none, lab0, sizeof lab0, MG_ERR_ARG,
                       "images: dims (0, 28, 28) contain a 0: no pixels");

    /* parse errors name the file */
    expect_mnist_error(IMG_OK, sizeof IMG_OK, LAB_OK, sizeof LAB_OK - 1, MG_ERR_SYNTAX,
                       "labels: truncated: expected 10 bytes, got 9");
    memcpy(img, IMG_OK, sizeof IMG_OK);
    img[sizeof IMG_OK] = 7;
    expect_mnist_error(img, sizeof IMG_OK + 1, LAB_OK, sizeof LAB_OK, MG_ERR_SYNTAX,
                       "images: 1 trailing bytes: expected 28 bytes, got 29");
    static const uint8_t gz[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    expect_mnist_error(gz, sizeof gz, LAB_OK, sizeof LAB_OK, MG_ERR_SYNTAX,
                       "images: this file is gzip-compressed: decompress it first (gunzip FILE)");
    expect_mnist_error(IMG_OK, sizeof IMG_OK, gz, sizeof gz, MG_ERR_SYNTAX,
                       "labels: this file is gzip-compressed: decompress it first (gunzip FILE)");
    memcpy(img, IMG_OK, sizeof IMG_OK);
    img[2] = 0x0c;
    expect_mnist_error(img, sizeof IMG_OK, LAB_OK, sizeof LAB_OK, MG_ERR_SYNTAX,
                       "images: unsupported dtype 0x0c (int32) at byte 2: only 0x08 (unsigned "
                       "byte) is supported");
    mg_buf_free(&err);
}

/* --- the packed 10k digits (made by the build) ------------------------------ */

/* web/build/data/NAME, relative to the source tree (found from this file's
 * path) or to the ctest directory build/<kind>/. */
static uint8_t *read_packed(const char *name, size_t *len, char *path, size_t path_size)
{
    const char *self = __FILE__, *tail = strstr(self, "tests/c/test_data.c");
    int root_len = tail ? (int)(tail - self) : 0;
    snprintf(path, path_size, "%.*sweb/build/data/%s", root_len, self, name);
    uint8_t *data = read_file(path, len);
    if (!data) {
        snprintf(path, path_size, "../../web/build/data/%s", name);
        data = read_file(path, len);
    }
    return data;
}

static void test_mnist_packed(void)
{
    char img_path[1024], lab_path[1024];
    size_t img_len = 0, lab_len = 0;
    uint8_t *img = read_packed("mnist-10k-images.idx", &img_len, img_path, sizeof img_path);
    uint8_t *lab = read_packed("mnist-10k-labels.idx", &lab_len, lab_path, sizeof lab_path);
    if (!img || !lab) {
        printf("note: web/build/data/mnist-10k-*.idx not found (made by the WASM build step: "
               "node scripts/pack_mnist.mjs web/build/data); skipping the packed MNIST check\n");
        free(img);
        free(lab);
        return;
    }
    CHECK_INT(img_len, 16 + 10000 * 784);
    CHECK_INT(lab_len, 8 + 10000);
    mg_dataset ds = {0};
    mg_buf err = {0};
    mg_status st = mg_mnist_from_idx(img, img_len, lab, lab_len, &ds, &err);
    CHECK_INT(st, MG_OK);
    CHECK_STR(mg_buf_str(&err), "");
    if (st == MG_OK) {
        CHECK_INT(ds.n, 10000);
        CHECK_INT(ds.d, 28 * 28);
        CHECK_INT(ds.nclasses, 10);
        int hist[10] = {0}, train_hist[10] = {0}, test_hist[10] = {0};
        for (int i = 0; i < ds.n; i++) {
            hist[ds.y[i]]++;
            (i < 8000 ? train_hist : test_hist)[ds.y[i]]++;
        }
        printf("packed MNIST %s: labels", img_path);
        for (int c = 0; c < 10; c++)
            printf(" %d:%d", c, hist[c]);
        printf("\n");
        for (int c = 0; c < 10; c++) {
            CHECK(hist[c] >= 800 && hist[c] <= 1200);
            /* the fixed order interleaves the classes: the first 8000
             * (train) and the last 2000 (test) each hold their share */
            CHECK_NEAR(train_hist[c], 0.8 * hist[c], 1.0 / (0.8 * hist[c]));
            CHECK(test_hist[c] >= 150);
        }
        double sum = 0.0;
        float lo = 1.0f, hi = 0.0f;
        for (size_t i = 0; i < (size_t)ds.n * ds.d; i++) {
            sum += ds.x[i];
            lo = ds.x[i] < lo ? ds.x[i] : lo;
            hi = ds.x[i] > hi ? ds.x[i] : hi;
        }
        CHECK(lo == 0.0f && hi == 1.0f);
        /* MNIST's mean pixel is 0.13 */
        CHECK_NEAR(sum / ((double)ds.n * ds.d), 0.13, 0.01);
        /* a digit has ink in its middle and a blank border */
        int blank_border = 0;
        for (int i = 0; i < ds.n; i++)
            blank_border += ds.x[(size_t)i * 784] == 0.0f && ds.x[(size_t)i * 784 + 783] == 0.0f;
        CHECK_INT(blank_border, ds.n);
    }
    mg_dataset_free(&ds);
    mg_buf_free(&err);
    free(img);
    free(lab);
}

int main(void)
{
    test_generators();
    test_shapes();
    test_generate_errors();
    test_split();
    test_standardize();
    test_idx();
    test_mnist_small();
    test_mnist_packed();
    return check_done("test_data");
}
