/* Handles for datasets and models: the WASM-facing side of src/data and
 * src/nn. Thin: each call checks its handle and forwards. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../data/data.h"
#include "../data/features.h"
#include "../nn/model.h"
#include "../nn/trainer.h"
#include "api.h"

typedef struct data_handle {
    mg_dataset set[2]; /* train, test */
    mg_buf error;
} data_handle;

typedef struct model_handle {
    mg_model *m;
    mg_trainer tr;
    int tr_data;   /* dataset handle the trainer walks (0: none) */
    int tr_n;
    uint64_t seed;
    mg_metrics metrics;
    float trace_loss;
    float *pred;
    size_t pred_cap;
    float *grid_in, *grid_out; /* grid points through features, and results */
    size_t grid_in_cap, grid_out_cap;
    mg_buf error, json, file;
} model_handle;

static data_handle *datas[MG_API_MAX_HANDLES + 1];
static model_handle *models[MG_API_MAX_HANDLES + 1];

static const char bad_handle[] = "invalid handle: the object was freed or never created";

static data_handle *get_data(int h) { return h > 0 && h <= MG_API_MAX_HANDLES ? datas[h] : NULL; }
static model_handle *get_model(int h) { return h > 0 && h <= MG_API_MAX_HANDLES ? models[h] : NULL; }

/* ---- datasets ------------------------------------------------------------- */

int mg_api_data_create(void)
{
    for (int h = 1; h <= MG_API_MAX_HANDLES; h++) {
        if (datas[h])
            continue;
        datas[h] = calloc(1, sizeof *datas[h]);
        return datas[h] ? h : 0;
    }
    return 0;
}

void mg_api_data_free(int h)
{
    data_handle *d = get_data(h);
    if (!d)
        return;
    mg_dataset_free(&d->set[0]);
    mg_dataset_free(&d->set[1]);
    mg_buf_free(&d->error);
    free(d);
    datas[h] = NULL;
}

int mg_api_data_generate(int h, const char *name, int n, double noise, int k, double train_ratio,
                         int seed)
{
    data_handle *d = get_data(h);
    if (!d)
        return MG_ERR_ARG;
    mg_dataset_free(&d->set[0]);
    mg_dataset_free(&d->set[1]);
    mg_buf_clear(&d->error);
    mg_rng rng;
    mg_rng_seed(&rng, (uint64_t)seed, 1); /* as mg train --seed */
    mg_dataset all = {0};
    mg_status st = mg_data_generate(&all, name ? name : "", n, noise, k, &rng, &d->error);
    if (!st)
        st = mg_data_split(&all, train_ratio, &rng, &d->set[0], &d->set[1], &d->error);
    mg_dataset_free(&all);
    return (int)st;
}

int mg_api_data_resplit(int h, double train_ratio, int seed)
{
    data_handle *d = get_data(h);
    if (!d)
        return MG_ERR_ARG;
    mg_buf_clear(&d->error);
    if (d->set[0].n + d->set[1].n == 0)
        return MG_OK; /* nothing to split */
    /* both sets as one, in order (train, then test) */
    mg_dataset all = {0};
    const mg_dataset *a = &d->set[0], *b = &d->set[1];
    int dd = a->n ? a->d : b->d, nclasses = a->n ? a->nclasses : b->nclasses;
    mg_status st = mg_dataset_alloc(&all, a->n + b->n, dd, nclasses, &d->error);
    if (st)
        return (int)st;
    for (int s = 0, at = 0; s < 2; at += d->set[s].n, s++) {
        const mg_dataset *src = &d->set[s];
        if (!src->n)
            continue;
        memcpy(all.x + (size_t)at * (size_t)dd, src->x, (size_t)src->n * (size_t)dd * sizeof *all.x);
        if (nclasses)
            memcpy(all.y + at, src->y, (size_t)src->n * sizeof *all.y);
        else
            memcpy(all.t + at, src->t, (size_t)src->n * sizeof *all.t);
    }
    mg_rng rng;
    mg_rng_seed(&rng, (uint64_t)seed, 1);
    mg_dataset train = {0}, test = {0};
    st = mg_data_split(&all, train_ratio, &rng, &train, &test, &d->error);
    mg_dataset_free(&all);
    if (st)
        return (int)st;
    mg_dataset_free(&d->set[0]);
    mg_dataset_free(&d->set[1]);
    d->set[0] = train;
    d->set[1] = test;
    return MG_OK;
}

int mg_api_data_load_idx(int h, const unsigned char *images, int images_len,
                         const unsigned char *labels, int labels_len, int train_count)
{
    data_handle *d = get_data(h);
    if (!d)
        return MG_ERR_ARG;
    mg_dataset_free(&d->set[0]);
    mg_dataset_free(&d->set[1]);
    mg_buf_clear(&d->error);
    mg_dataset all = {0};
    mg_status st = mg_mnist_from_idx(images, images_len > 0 ? (size_t)images_len : 0, labels,
                                     labels_len > 0 ? (size_t)labels_len : 0, &all, &d->error);
    if (st)
        return (int)st;
    if (train_count < 1 || train_count > all.n) {
        int n = all.n;
        mg_dataset_free(&all);
        return mg_buf_fail(&d->error, MG_ERR_ARG, "train count %d: the file has %d samples", train_count,
                    n);
    }
    int rest = all.n - train_count;
    size_t dd = (size_t)all.d;
    st = mg_dataset_alloc(&d->set[0], train_count, all.d, all.nclasses, &d->error);
    if (!st)
        st = mg_dataset_alloc(&d->set[1], rest, all.d, all.nclasses, &d->error);
    if (!st) {
        memcpy(d->set[0].x, all.x, (size_t)train_count * dd * sizeof *all.x);
        memcpy(d->set[0].y, all.y, (size_t)train_count * sizeof *all.y);
        memcpy(d->set[1].x, all.x + (size_t)train_count * dd, (size_t)rest * dd * sizeof *all.x);
        memcpy(d->set[1].y, all.y + train_count, (size_t)rest * sizeof *all.y);
    }
    mg_dataset_free(&all);
    return (int)st;
}

int mg_api_data_set(int h, int which, const float *x, const int32_t *y, const float *t, int n,
                    int d, int nclasses)
{
    data_handle *dh = get_data(h);
    if (!dh)
        return MG_ERR_ARG;
    if (which != 0 && which != 1)
        return mg_buf_fail(&dh->error, MG_ERR_ARG, "which set: %d (0 train, 1 test)", which);
    mg_dataset *s = &dh->set[which];
    mg_dataset_free(s);
    if (n > 0 && (!x || (nclasses ? !y : !t)))
        return mg_buf_fail(&dh->error, MG_ERR_ARG, "missing %s", !x ? "points" : nclasses ? "labels" : "targets");
    mg_status st = mg_dataset_alloc(s, n, d, nclasses, &dh->error);
    if (st)
        return (int)st;
    for (int i = 0; i < n; i++) {
        if (nclasses && (y[i] < 0 || y[i] >= nclasses)) {
            mg_dataset_free(s);
            return mg_buf_fail(&dh->error, MG_ERR_ARG, "point %d: label %d is outside 0..%d", i + 1,
                        (int)y[i], nclasses - 1);
        }
        for (int k = 0; k < d; k++)
            if (!isfinite(x[(size_t)i * (size_t)d + (size_t)k]) || (!nclasses && !isfinite(t[i]))) {
                mg_dataset_free(s);
                return mg_buf_fail(&dh->error, MG_ERR_ARG, "point %d is not a finite number", i + 1);
            }
    }
    if (n > 0) {
        memcpy(s->x, x, (size_t)n * (size_t)d * sizeof *x);
        if (nclasses)
            memcpy(s->y, y, (size_t)n * sizeof *y);
        else
            memcpy(s->t, t, (size_t)n * sizeof *t);
    }
    return MG_OK;
}

int mg_api_data_features(int dst, int src, unsigned mask)
{
    data_handle *out = get_data(dst), *in = get_data(src);
    if (!out || !in || out == in)
        return out ? mg_buf_fail(&out->error, MG_ERR_ARG, "features: bad source dataset %d", src) : MG_ERR_ARG;
    int d = in->set[0].d;
    int cols = mg_features_count(mask, d);
    if (d < 1 || d > 2 || cols < 1)
        return mg_buf_fail(&out->error, MG_ERR_ARG,
                    "features need data with 1 or 2 coordinates and at least one feature of them");
    for (int w = 0; w < 2; w++) {
        const mg_dataset *a = &in->set[w];
        mg_dataset *b = &out->set[w];
        mg_dataset_free(b);
        mg_status st = mg_dataset_alloc(b, a->n, cols, a->nclasses, &out->error);
        if (st)
            return (int)st;
        mg_features_apply(b->x, a->x, a->n, d, mask);
        if (a->nclasses)
            memcpy(b->y, a->y, (size_t)a->n * sizeof *a->y);
        else
            memcpy(b->t, a->t, (size_t)a->n * sizeof *a->t);
    }
    return MG_OK;
}

static const mg_dataset *data_set(int h, int which)
{
    data_handle *d = get_data(h);
    return d && (which == 0 || which == 1) ? &d->set[which] : NULL;
}

int mg_api_data_n(int h, int which)
{
    const mg_dataset *s = data_set(h, which);
    return s ? s->n : 0;
}

int mg_api_data_d(int h)
{
    const mg_dataset *s = data_set(h, 0);
    return s ? s->d : 0;
}

int mg_api_data_nclasses(int h)
{
    const mg_dataset *s = data_set(h, 0);
    return s ? s->nclasses : 0;
}

const float *mg_api_data_x(int h, int which)
{
    const mg_dataset *s = data_set(h, which);
    return s ? s->x : NULL;
}

const int32_t *mg_api_data_y(int h, int which)
{
    const mg_dataset *s = data_set(h, which);
    return s ? s->y : NULL;
}

const float *mg_api_data_t(int h, int which)
{
    const mg_dataset *s = data_set(h, which);
    return s ? s->t : NULL;
}

const char *mg_api_data_error(int h)
{
    data_handle *d = get_data(h);
    return d ? mg_buf_str(&d->error) : bad_handle;
}

/* ---- models ----------------------------------------------------------------- */

int mg_api_model_create(void)
{
    for (int h = 1; h <= MG_API_MAX_HANDLES; h++) {
        if (models[h])
            continue;
        models[h] = calloc(1, sizeof *models[h]);
        return models[h] ? h : 0;
    }
    return 0;
}

static void forget_quant(const mg_model *m); /* int8 quantization, at the end */

static void drop_model(model_handle *mh)
{
    forget_quant(mh->m);
    mg_model_free(mh->m);
    mh->m = NULL;
    mg_trainer_free(&mh->tr);
    mh->tr_data = mh->tr_n = 0;
}

void mg_api_model_free(int h)
{
    model_handle *mh = get_model(h);
    if (!mh)
        return;
    drop_model(mh);
    free(mh->pred);
    free(mh->grid_in);
    free(mh->grid_out);
    mg_buf_free(&mh->error);
    mg_buf_free(&mh->json);
    mg_buf_free(&mh->file);
    free(mh);
    models[h] = NULL;
}

/* The handle's model, or NULL with an error set. */
static model_handle *with_model(int h)
{
    model_handle *mh = get_model(h);
    if (mh && !mh->m) {
        mg_buf_fail(&mh->error, MG_ERR_STATE, "no model has been built yet");
        return NULL;
    }
    return mh;
}

/* The status for a call on h that has no model: a handle without one, or
 * no handle at all. */
static int no_model(int h) { return get_model(h) ? MG_ERR_STATE : MG_ERR_ARG; }

static int model_status(model_handle *mh, mg_status st)
{
    if (st)
        mg_buf_fail(&mh->error, st, "%s", mg_model_error(mh->m));
    return (int)st;
}

int mg_api_model_build(int h, const char *spec, int c, int hgt, int w, int max_batch, int init,
                       int seed)
{
    model_handle *mh = get_model(h);
    if (!mh)
        return MG_ERR_ARG;
    drop_model(mh);
    mg_buf_clear(&mh->error);
    int shape[3] = {c, hgt, w};
    mh->seed = (uint64_t)seed;
    mh->m = mg_model_create(spec ? spec : "", shape, max_batch, (mg_init)init, mh->seed, &mh->error);
    return mh->m ? MG_OK : MG_ERR_ARG;
}

int mg_api_model_configure(int h, const char *settings, int nclasses)
{
    model_handle *mh = with_model(h);
    if (!mh)
        return no_model(h);
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    const char *p = settings ? settings : "";
    char value[64];
    for (;;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " ");
        const char *eq = memchr(p, '=', n);
        if (!eq || eq == p)
            return mg_buf_fail(&mh->error, MG_ERR_ARG, "settings: '%.*s' is not name=value", (int)n, p);
        size_t vn = n - (size_t)(eq + 1 - p);
        if (vn >= sizeof value)
            return mg_buf_fail(&mh->error, MG_ERR_ARG, "settings: the value of '%.*s' is too long",
                               (int)(eq - p), p);
        memcpy(value, eq + 1, vn);
        value[vn] = 0;
        mg_status st = mg_train_config_set(&cfg, p, (int)(eq - p), value, &mh->error);
        if (st)
            return st;
        p += n;
    }
    return model_status(mh, mg_model_configure(mh->m, &cfg, nclasses));
}

int mg_api_model_train(int h, int data, int batch, int nsteps)
{
    model_handle *mh = with_model(h);
    if (!mh)
        return no_model(h);
    const mg_dataset *s = data_set(data, 0);
    if (!s || s->n == 0)
        return mg_buf_fail(&mh->error, MG_ERR_ARG, "the dataset has no training samples%s",
                           get_data(data) ? "" : " (it was freed or never created)");
    if (s->d != mg_model_in_size(mh->m))
        return mg_buf_fail(&mh->error, MG_ERR_ARG, "the model takes %d inputs, the data has %d features",
                    mg_model_in_size(mh->m), s->d);
    if (nsteps < 0)
        return mg_buf_fail(&mh->error, MG_ERR_ARG, "%d steps: allowed 0 or more", nsteps);
    if (mh->tr_data != data || mh->tr_n != s->n) {
        mg_trainer_free(&mh->tr);
        if (mg_trainer_init(&mh->tr, s->n, mh->seed, &mh->error))
            return MG_ERR_NOMEM;
        mh->tr_data = data;
        mh->tr_n = s->n;
    }
    return model_status(mh, mg_trainer_run(&mh->tr, mh->m, s->x, s->y, s->t, batch, nsteps));
}

double mg_api_model_last_loss(int h)
{
    model_handle *mh = get_model(h);
    return mh ? mh->tr.last_loss : NAN;
}

double mg_api_model_epoch_loss(int h)
{
    model_handle *mh = get_model(h);
    return mh ? mh->tr.epoch_loss : NAN;
}

double mg_api_model_epochs(int h)
{
    model_handle *mh = get_model(h);
    return mh && mh->tr.n ? (double)mh->tr.epoch + (double)mh->tr.cursor / mh->tr.n : 0;
}

double mg_api_model_steps(int h)
{
    model_handle *mh = get_model(h);
    return mh && mh->m ? (double)mg_model_steps(mh->m) : 0;
}

double mg_api_model_grad_norm(int h)
{
    model_handle *mh = get_model(h);
    return mh && mh->m ? mg_model_grad_norm(mh->m) : 0;
}

int mg_api_model_evaluate(int h, int data, int which)
{
    model_handle *mh = with_model(h);
    if (!mh)
        return no_model(h);
    const mg_dataset *s = data_set(data, which);
    if (!s || s->n == 0)
        return mg_buf_fail(&mh->error, MG_ERR_ARG, "the dataset has no %s samples%s",
                           which ? "test" : "training",
                           get_data(data) ? "" : " (it was freed or never created)");
    if (s->d != mg_model_in_size(mh->m))
        return mg_buf_fail(&mh->error, MG_ERR_ARG, "the model takes %d inputs, the data has %d features",
                    mg_model_in_size(mh->m), s->d);
    return model_status(mh, mg_model_evaluate(mh->m, s->x, s->y, s->t, s->n, &mh->metrics));
}

static void json_doubles(mg_buf *b, const double *v, int n)
{
    mg_buf_puts(b, "[");
    for (int i = 0; i < n; i++) {
        mg_buf_puts(b, i ? "," : "");
        mg_buf_json_number(b, v[i]);
    }
    mg_buf_puts(b, "]");
}

const char *mg_api_model_metrics_json(int h)
{
    model_handle *mh = get_model(h);
    if (!mh)
        return "{}";
    const mg_metrics *mt = &mh->metrics;
    mg_buf *b = &mh->json;
    mg_buf_clear(b);
    mg_buf_printf(b, "{\"n\":%d,\"loss\":", mt->n);
    mg_buf_json_number(b, mt->loss);
    if (mt->nclasses) {
        int C = mt->nclasses;
        mg_buf_puts(b, ",\"accuracy\":");
        mg_buf_json_number(b, mt->accuracy);
        mg_buf_puts(b, ",\"confusion\":[");
        for (int i = 0; i < C; i++) {
            mg_buf_puts(b, i ? ",[" : "[");
            for (int j = 0; j < C; j++)
                mg_buf_printf(b, "%s%d", j ? "," : "", (int)mt->confusion[i * C + j]);
            mg_buf_puts(b, "]");
        }
        mg_buf_puts(b, "],\"precision\":");
        json_doubles(b, mt->precision, C);
        mg_buf_puts(b, ",\"recall\":");
        json_doubles(b, mt->recall, C);
        mg_buf_puts(b, ",\"f1\":");
        json_doubles(b, mt->f1, C);
    } else {
        mg_buf_puts(b, ",\"rmse\":");
        mg_buf_json_number(b, mt->rmse);
        mg_buf_puts(b, ",\"r2\":");
        mg_buf_json_number(b, mt->r2);
    }
    mg_buf_puts(b, "}");
    return b->failed ? "{}" : mg_buf_str(b);
}

const float *mg_api_model_predict(int h, const float *x, int n)
{
    model_handle *mh = with_model(h);
    if (!mh)
        return NULL;
    if (n < 1 || !x) {
        mg_buf_fail(&mh->error, MG_ERR_ARG, "predict: %d inputs: allowed 1 or more", n);
        return NULL;
    }
    size_t need = (size_t)n * (size_t)mg_model_out_size(mh->m);
    if (need > mh->pred_cap) {
        float *p = realloc(mh->pred, need * sizeof *p);
        if (!p) {
            mg_buf_fail(&mh->error, MG_ERR_NOMEM, "out of memory for %d predictions", n);
            return NULL;
        }
        mh->pred = p;
        mh->pred_cap = need;
    }
    if (model_status(mh, mg_model_predict(mh->m, x, n, mh->pred)))
        return NULL;
    return mh->pred;
}

/* Grows *buf to hold n floats. */
static int reserve_floats(float **buf, size_t *cap, size_t n)
{
    if (n <= *cap)
        return 1;
    float *p = realloc(*buf, n * sizeof *p);
    if (!p)
        return 0;
    *buf = p;
    *cap = n;
    return 1;
}

/* Class probabilities (mg_model_probs of the outputs) for n inputs, in
 * mh->pred: the probabilities first, the raw outputs after them. */
const float *mg_api_model_probs(int h, const float *x, int n)
{
    model_handle *mh = with_model(h);
    if (!mh)
        return NULL;
    size_t O = (size_t)mg_model_out_size(mh->m);
    if (n < 1 || !x) {
        mg_buf_fail(&mh->error, MG_ERR_ARG, "probs: %d inputs", n);
        return NULL;
    }
    if ((size_t)n > SIZE_MAX / sizeof(float) / 2 / O) {
        mg_buf_fail(&mh->error, MG_ERR_LIMIT, "probs: %d inputs are too many", n);
        return NULL;
    }
    size_t out = (size_t)n * O;
    if (!reserve_floats(&mh->pred, &mh->pred_cap, 2 * out)) {
        mg_buf_fail(&mh->error, MG_ERR_NOMEM, "out of memory for %d predictions", n);
        return NULL;
    }
    if (model_status(mh, mg_model_predict(mh->m, x, n, mh->pred + out)))
        return NULL;
    mg_model_probs(mh->m, mh->pred + out, n, mh->pred);
    return mh->pred;
}

/* The grid points mapped to features in mh->grid_in; the point count, or
 * -1 with an error. */
static int grid_inputs(model_handle *mh, unsigned mask, int d, int res, double x0, double x1,
                       double y0, double y1, int max_res)
{
    int cols = mg_features_count(mask, d);
    if ((d != 1 && d != 2) || res < 2 || res > max_res || cols != mg_model_in_size(mh->m) ||
        !(x1 > x0) || !(y1 > y0 || d == 1))
        return mg_buf_fail(&mh->error, MG_ERR_ARG,
                    "grid: %d coordinates, resolution %d (2..%d), %d features for a model of %d inputs",
                    d, res, max_res, cols, mg_model_in_size(mh->m)), -1;
    int n = d == 2 ? res * res : res;
    if (!reserve_floats(&mh->grid_in, &mh->grid_in_cap, (size_t)n * (size_t)(cols + 2)))
        return mg_buf_fail(&mh->error, MG_ERR_NOMEM, "out of memory for the grid"), -1;
    float *raw = mh->grid_in + (size_t)n * (size_t)cols; /* scratch after the features */
    for (int i = 0; i < (d == 2 ? res : 1); i++)
        for (int j = 0; j < res; j++) {
            float *p = raw + (size_t)(i * res + j) * (size_t)d;
            if (d == 2) { /* the edges included: column 0 at x0, row 0 at y1 */
                p[0] = (float)(x0 + j * (x1 - x0) / (res - 1));
                p[1] = (float)(y1 - i * (y1 - y0) / (res - 1));
            } else {
                p[0] = (float)(x0 + j * (x1 - x0) / (res - 1));
            }
        }
    mg_features_apply(mh->grid_in, raw, n, d, mask);
    return n;
}

const float *mg_api_model_grid(int h, unsigned mask, int d, int res, double x0, double x1,
                               double y0, double y1)
{
    model_handle *mh = with_model(h);
    if (!mh)
        return NULL;
    int n = grid_inputs(mh, mask, d, res, x0, x1, y0, y1, 400);
    if (n < 0)
        return NULL;
    size_t out = (size_t)n * (size_t)mg_model_out_size(mh->m);
    if (!reserve_floats(&mh->grid_out, &mh->grid_out_cap, 2 * out)) {
        mg_buf_fail(&mh->error, MG_ERR_NOMEM, "out of memory for the grid");
        return NULL;
    }
    if (model_status(mh, mg_model_predict(mh->m, mh->grid_in, n, mh->grid_out + out)))
        return NULL;
    mg_model_probs(mh->m, mh->grid_out + out, n, mh->grid_out);
    return mh->grid_out;
}

const float *mg_api_model_neurons(int h, unsigned mask, int d, int res, double x0, double x1,
                                  double y0, double y1)
{
    model_handle *mh = with_model(h);
    if (!mh)
        return NULL;
    int n = grid_inputs(mh, mask, d, res, x0, x1, y0, y1, 64);
    if (n < 0)
        return NULL;
    size_t units = 0;
    for (int l = 0; l < mg_model_nlayers(mh->m); l++) {
        const int *s = mg_model_layer(mh->m, l)->out_shape;
        units += (size_t)s[0] * (size_t)s[1] * (size_t)s[2];
    }
    if (!reserve_floats(&mh->grid_out, &mh->grid_out_cap, units * (size_t)n)) {
        mg_buf_fail(&mh->error, MG_ERR_NOMEM, "out of memory for the neuron grids");
        return NULL;
    }
    if (model_status(mh, mg_model_activations(mh->m, mh->grid_in, n, mh->grid_out)))
        return NULL;
    return mh->grid_out;
}

int mg_api_model_update(int h)
{
    model_handle *mh = with_model(h);
    if (!mh)
        return no_model(h);
    return model_status(mh, mg_model_apply_update(mh->m));
}

static void json_shape(mg_buf *b, const char *key, const int s[3])
{
    mg_buf_printf(b, ",\"%s\":[%d,%d,%d]", key, s[0], s[1], s[2]);
}

/* The optimizer as JSON: its clock t, every numeric setting (the settings
 * table), the rate of the next update, and the rate and clipping factor of
 * the latest; null before the model is configured. */
static void opt_json(mg_buf *b, const mg_model *m)
{
    if (mg_model_loss(m) == MG_LOSS_AUTO) { /* configure always resolves auto */
        mg_buf_puts(b, "null");
        return;
    }
    const mg_train_config *c = mg_model_config(m);
    mg_buf_printf(b, "{\"name\":\"%s\",\"t\":%lld", mg_opt_name(c->opt), (long long)mg_model_opt_t(m));
    for (int k = 0; k < mg_setting_count(); k++) {
        const mg_setting *s = mg_setting_at(k);
        if (s->type == MG_SETTING_NAME)
            continue;
        mg_buf_printf(b, ",\"%s\":", s->name);
        mg_buf_json_number(b, mg_setting_get(s, c));
    }
    const struct {
        const char *key;
        double v;
    } now[] = {{"lr_next", mg_model_lr(m)}, {"lr_last", mg_model_last_lr(m)},
               {"clip_last", mg_model_last_clip(m)}};
    for (size_t k = 0; k < sizeof now / sizeof now[0]; k++) {
        mg_buf_printf(b, ",\"%s\":", now[k].key);
        mg_buf_json_number(b, now[k].v);
    }
    mg_buf_puts(b, "}");
}

const char *mg_api_model_json(int h)
{
    model_handle *mh = with_model(h);
    if (!mh)
        return "{}";
    mg_model *m = mh->m;
    mg_buf *b = &mh->json;
    mg_buf_clear(b);
    mg_buf_puts(b, "{\"spec\":");
    mg_buf_json_string(b, mg_model_spec(m));
    mg_buf_printf(b, ",\"nparams\":%zu,\"in\":%d,\"out\":%d,\"loss\":\"%s\",",
                  mg_model_nparams(m), mg_model_in_size(m), mg_model_out_size(m),
                  mg_loss_name(mg_model_loss(m)));
    mg_buf_printf(b, "\"steps\":%lld,\"opt\":", (long long)mg_model_steps(m));
    opt_json(b, m);
    mg_buf_puts(b, ",\"layers\":[");
    for (int i = 0; i < mg_model_nlayers(m); i++) {
        const mg_layer_info *L = mg_model_layer(m, i);
        const mg_layer_stats *st = mg_model_stats(m, i);
        mg_buf_printf(b, "%s{\"kind\":\"%s\",\"act\":\"%s\",\"units\":%d,\"K\":%d,\"stride\":%d,"
                         "\"pad\":%d,\"p\":",
                      i ? "," : "", mg_layer_kind_name(L->kind), mg_act_name(L->act), L->units,
                      L->K, L->stride, L->pad);
        mg_buf_json_number(b, L->p);
        json_shape(b, "in_shape", L->in_shape);
        json_shape(b, "out_shape", L->out_shape);
        mg_buf_printf(b, ",\"w_off\":%zu,\"w_count\":%zu,\"b_off\":%zu,\"b_count\":%zu,\"w_norm\":",
                      L->w_off, L->w_count, L->b_off, L->b_count);
        mg_buf_json_number(b, st->w_norm);
        mg_buf_puts(b, ",\"g_norm\":");
        mg_buf_json_number(b, st->g_norm);
        mg_buf_puts(b, ",\"update_ratio\":");
        mg_buf_json_number(b, st->update_ratio);
        mg_buf_puts(b, ",\"hist_lo\":");
        mg_buf_json_number(b, st->hist_lo);
        mg_buf_puts(b, ",\"hist_hi\":");
        mg_buf_json_number(b, st->hist_hi);
        mg_buf_puts(b, ",\"hist\":[");
        for (int k = 0; k < MG_HIST_BINS; k++)
            mg_buf_printf(b, "%s%d", k ? "," : "", (int)st->hist[k]);
        mg_buf_puts(b, "]}");
    }
    mg_buf_puts(b, "]}");
    return b->failed ? "{}" : mg_buf_str(b);
}

int mg_api_model_nparams(int h)
{
    model_handle *mh = get_model(h);
    return mh && mh->m ? (int)mg_model_nparams(mh->m) : 0;
}

float *mg_api_model_params(int h)
{
    model_handle *mh = get_model(h);
    return mh && mh->m ? mg_model_params(mh->m) : NULL;
}

const float *mg_api_model_grads(int h)
{
    model_handle *mh = get_model(h);
    return mh && mh->m ? mg_model_grads(mh->m) : NULL;
}

const float *mg_api_model_last_grads(int h)
{
    model_handle *mh = get_model(h);
    return mh && mh->m ? mg_model_last_grads(mh->m) : NULL;
}

int mg_api_model_trace(int h, int data, int which, int index)
{
    model_handle *mh = with_model(h);
    if (!mh)
        return no_model(h);
    const mg_dataset *s = data_set(data, which);
    if (!s || index < 0 || index >= s->n)
        return mg_buf_fail(&mh->error, MG_ERR_ARG, "sample %d: the %s set has %d samples", index,
                    which ? "test" : "training", s ? s->n : 0);
    if (s->d != mg_model_in_size(mh->m))
        return mg_buf_fail(&mh->error, MG_ERR_ARG, "the model takes %d inputs, the data has %d features",
                    mg_model_in_size(mh->m), s->d);
    return model_status(mh, mg_model_trace(mh->m, s->x + (size_t)index * (size_t)s->d,
                                           s->y ? s->y + index : NULL,
                                           s->t ? s->t + index : NULL, &mh->trace_loss));
}

double mg_api_model_trace_loss(int h)
{
    model_handle *mh = get_model(h);
    return mh ? mh->trace_loss : NAN;
}

double mg_api_model_trace_data_loss(int h)
{
    model_handle *mh = get_model(h);
    float loss;
    const float *probs;
    return mh && mh->m && mg_model_trace_output(mh->m, &loss, &probs) == MG_OK ? loss : NAN;
}

const float *mg_api_model_trace_probs(int h)
{
    model_handle *mh = get_model(h);
    float loss;
    const float *probs;
    return mh && mh->m && mg_model_trace_output(mh->m, &loss, &probs) == MG_OK ? probs : NULL;
}

const float *mg_api_model_opt_state(int h, int which)
{
    model_handle *mh = get_model(h);
    return mh && mh->m ? mg_model_opt_state(mh->m, which) : NULL;
}

const float *mg_api_model_trace_array(int h, int layer, int field)
{
    model_handle *mh = get_model(h);
    mg_trace_layer t;
    if (!mh || !mh->m || mg_model_trace_layer(mh->m, layer, &t) != MG_OK)
        return NULL;
    const float *fields[8] = {t.in, t.pre, t.out, t.dout, t.dpre, t.dw, t.db, t.dact};
    return field >= 0 && field < 8 ? fields[field] : NULL;
}

int mg_api_model_save(int h)
{
    model_handle *mh = with_model(h);
    if (!mh)
        return no_model(h);
    mg_buf_clear(&mh->file);
    if (mg_model_save(mh->m, &mh->file) != MG_OK)
        return mg_buf_fail(&mh->error, MG_ERR_NOMEM, "out of memory saving the model");
    return MG_OK;
}

const unsigned char *mg_api_model_file(int h)
{
    model_handle *mh = get_model(h);
    return mh ? (const unsigned char *)mh->file.data : NULL;
}

int mg_api_model_file_len(int h)
{
    model_handle *mh = get_model(h);
    return mh ? (int)mh->file.len : 0;
}

int mg_api_model_load(int h, const unsigned char *bytes, int len, int max_batch, int seed)
{
    model_handle *mh = get_model(h);
    if (!mh)
        return MG_ERR_ARG;
    mg_buf_clear(&mh->error);
    mg_model *m = mg_model_load(bytes, len > 0 ? (size_t)len : 0, max_batch, &mh->error);
    if (!m)
        return MG_ERR_ARG;
    drop_model(mh);
    mh->m = m;
    mh->seed = (uint64_t)seed;
    return MG_OK;
}

const char *mg_api_model_error(int h)
{
    model_handle *mh = get_model(h);
    return mh ? mg_buf_str(&mh->error) : bad_handle;
}

/* ---- int8 quantization (lesson 15) ------------------------------------------ */

/* The latest report per handle, valid while the handle holds the model it
 * describes (a model built or loaded later has none). */
static struct {
    const mg_model *m;
    mg_quant_report rep;
} quants[MG_API_MAX_HANDLES + 1];

static void forget_quant(const mg_model *m)
{
    for (int h = 1; m && h <= MG_API_MAX_HANDLES; h++)
        if (quants[h].m == m)
            quants[h].m = NULL;
}

int mg_api_model_quantize(int dst, int src)
{
    model_handle *out = get_model(dst);
    if (!out)
        return MG_ERR_ARG;
    mg_buf_clear(&out->error);
    if (dst == src)
        return mg_buf_fail(&out->error, MG_ERR_ARG, "quantize: the copy needs a handle of its own (%d is the source)", src);
    model_handle *in = get_model(src);
    if (!in || !in->m)
        return mg_buf_fail(&out->error, in ? MG_ERR_STATE : MG_ERR_ARG, "quantize: model %d %s", src,
                           in ? "has no model built yet" : "is not a model handle");
    mg_quant_report rep;
    mg_model *q = mg_model_quantize_int8(in->m, &rep, &out->error);
    if (!q) /* the copy could not be made; the message says why */
        return MG_ERR_STATE;
    drop_model(out);
    out->m = q;
    out->seed = in->seed;
    quants[dst].m = q;
    quants[dst].rep = rep;
    return MG_OK;
}

const char *mg_api_model_quant_json(int h)
{
    model_handle *mh = get_model(h);
    if (!mh || !mh->m || quants[h].m != mh->m)
        return "{}";
    const mg_quant_report *r = &quants[h].rep;
    mg_buf *b = &mh->json;
    mg_buf_clear(b);
    mg_buf_printf(b, "{\"layers\":%d,\"weights\":%zu,\"scales\":%zu,\"float_bytes\":%zu,\"int8_bytes\":%zu,"
                     "\"max_abs_err\":",
                  r->layers, r->weights, r->scales, r->float_bytes, r->int8_bytes);
    mg_buf_json_number(b, r->max_abs_err);
    mg_buf_puts(b, "}");
    return b->failed ? "{}" : mg_buf_str(b);
}
