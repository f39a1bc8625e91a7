/* Fuzzes the model spec parser and the model builder (src/nn/model.c).
 *
 * Input: byte 0 picks the input shape (a table of the shapes the page and
 * the CLI use, and some that must be refused), byte 1 the batch size and
 * byte 2 the initialization (some values out of range); the rest, up to a
 * NUL byte, is the spec.
 *
 * Promises checked:
 * - an error leaves NULL and a message, "layer N '...': " in front of it
 *   for a layer's error;
 * - a model obeys the documented limits, its layers chain shape to shape,
 *   and the parameter blocks tile the flat buffer;
 * - a small enough model trains a step, traces a sample and predicts
 *   without an internal error and with finite numbers (inputs, weights and
 *   the learning rate are small), and saves to a file that loads back to
 *   the same parameters. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "nn/model.h"

static const int shapes[][3] = {
    {2, 1, 1},  {1, 28, 28}, {3, 8, 8},  {1, 1, 1},     {4, 5, 7},
    {16, 3, 3}, {7, 1, 1},   {1, 12, 9}, {2, 16, 16},   {1, 64, 64},
    /* refused */
    {0, 1, 1},  {-1, 2, 2},  {1, 0, 5},  {65536, 65536, 1}, {1 << 20, 2, 1}, {1, 1, 1 << 21},
};
#define NSHAPES (int)(sizeof shapes / sizeof shapes[0])

/* Multiply-adds of one forward pass of one sample. */
static double forward_cost(const mg_model *m)
{
    double c = 0;
    for (int l = 0; l < mg_model_nlayers(m); l++) {
        const mg_layer_info *L = mg_model_layer(m, l);
        const int *o = L->out_shape;
        double out = (double)o[0] * o[1] * o[2];
        if (L->kind == MG_LAYER_DENSE || L->kind == MG_LAYER_CONV)
            c += (double)L->w_count * (L->kind == MG_LAYER_CONV ? (double)o[1] * o[2] : 1.0);
        c += out;
    }
    return c;
}

static void check_structure(const mg_model *m, const int in[3])
{
    int nl = mg_model_nlayers(m);
    FUZZ_CHECK(nl >= 1 && nl <= MG_MODEL_MAX_LAYERS, "%d layers", nl);
    size_t off = 0, acts = 0;
    const int *prev = in;
    for (int l = 0; l < nl; l++) {
        const mg_layer_info *L = mg_model_layer(m, l);
        FUZZ_CHECK(memcmp(L->in_shape, prev, sizeof L->in_shape) == 0,
                   "layer %d takes %dx%dx%d after %dx%dx%d", l + 1, L->in_shape[0],
                   L->in_shape[1], L->in_shape[2], prev[0], prev[1], prev[2]);
        for (int k = 0; k < 3; k++)
            FUZZ_CHECK(L->out_shape[k] >= 1, "layer %d out_shape[%d] = %d", l + 1, k,
                       L->out_shape[k]);
        FUZZ_CHECK(L->w_off == off && L->b_off == off + L->w_count,
                   "layer %d: w_off %zu b_off %zu, expected %zu", l + 1, L->w_off, L->b_off, off);
        off += L->w_count + L->b_count;
        acts += (size_t)L->out_shape[0] * (size_t)L->out_shape[1] * (size_t)L->out_shape[2];
        FUZZ_CHECK((unsigned)L->act < MG_ACT_COUNT && (unsigned)L->kind < MG_LAYER_COUNT,
                   "layer %d kind %d act %d", l + 1, (int)L->kind, (int)L->act);
        if (L->kind == MG_LAYER_DROPOUT)
            FUZZ_CHECK(L->p >= 0 && L->p < 1, "dropout p %g", (double)L->p);
        prev = L->out_shape;
    }
    FUZZ_CHECK(off == mg_model_nparams(m) && off <= MG_MODEL_MAX_PARAMS, "%zu parameters, layers %zu",
               mg_model_nparams(m), off);
    FUZZ_CHECK(acts <= MG_MODEL_MAX_ACTIVATIONS, "%zu activations", acts);
    FUZZ_CHECK(strlen(mg_model_spec(m)) < MG_SPEC_MAX, "spec length");
}

static void check_finite(const float *v, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(isfinite(v[i]), "%s[%zu] = %g", what, i, (double)v[i]);
}

/* One training step, a trace and a prediction on a small batch, then a
 * save/load round trip. */
static void exercise(mg_model *m, int batch)
{
    int in = mg_model_in_size(m), out = mg_model_out_size(m);
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    cfg.lr = 0.01f;
    cfg.clip = 1.0f;
    int nclasses = out == 1 ? 0 : out <= MG_MODEL_MAX_CLASSES ? out : -1;
    if (nclasses < 0)
        return;
    mg_status st = mg_model_configure(m, &cfg, nclasses);
    FUZZ_CHECK(st == MG_OK, "configure: %s", mg_model_error(m));
    float *x = malloc((size_t)batch * (size_t)in * sizeof *x);
    float *t = malloc((size_t)batch * (size_t)out * sizeof *t);
    int32_t *y = malloc((size_t)batch * sizeof *y);
    FUZZ_CHECK(x && t && y, "out of memory");
    for (size_t i = 0; i < (size_t)batch * (size_t)in; i++)
        x[i] = (float)((i * 7919) % 13) / 13.0f - 0.5f;
    for (int i = 0; i < batch; i++) {
        y[i] = nclasses ? i % nclasses : 0;
        t[i] = 0.25f * (float)(i % 3);
    }
    float loss = 0;
    st = mg_model_train_step(m, x, nclasses ? y : NULL, nclasses ? NULL : t, batch, &loss);
    FUZZ_CHECK(st == MG_OK, "train step: %s", mg_model_error(m));
    FUZZ_CHECK(isfinite(loss), "loss %g", (double)loss);
    check_finite(mg_model_params(m), mg_model_nparams(m), "params");
    st = mg_model_trace(m, x, nclasses ? y : NULL, nclasses ? NULL : t, &loss);
    FUZZ_CHECK(st == MG_OK, "trace: %s", mg_model_error(m));
    for (int l = 0; l < mg_model_nlayers(m); l++) {
        mg_trace_layer tl;
        FUZZ_CHECK(mg_model_trace_layer(m, l, &tl) == MG_OK, "trace layer %d", l);
        FUZZ_CHECK(tl.out && tl.in, "trace layer %d has no in/out", l);
        check_finite(tl.out, tl.out_size, "trace out");
        if (tl.dout)
            check_finite(tl.dout, tl.out_size, "trace dout");
    }
    st = mg_model_predict(m, x, batch, t);
    FUZZ_CHECK(st == MG_OK, "predict: %s", mg_model_error(m));
    check_finite(t, (size_t)batch * (size_t)out, "predictions");

    mg_buf file = {0}, err = {0};
    FUZZ_CHECK(mg_model_save(m, &file) == MG_OK, "save");
    mg_model *copy = mg_model_load((const uint8_t *)file.data, file.len, batch, &err);
    FUZZ_CHECK(copy != NULL, "a saved model does not load: %s", mg_buf_str(&err));
    FUZZ_CHECK(strcmp(mg_model_spec(copy), mg_model_spec(m)) == 0 &&
                   mg_model_nparams(copy) == mg_model_nparams(m) &&
                   memcmp(mg_model_params(copy), mg_model_params(m),
                          mg_model_nparams(m) * sizeof(float)) == 0,
               "the loaded model differs");
    mg_model_free(copy);
    mg_buf_free(&file);
    mg_buf_free(&err);
    free(x);
    free(t);
    free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    const int *shape = shapes[data[0] % NSHAPES];
    int batch = 1 + data[1] % 8;
    if (data[1] == 255)
        batch = 0; /* refused */
    mg_init init = (mg_init)(data[2] % (MG_INIT_COUNT + 2)); /* the last two are refused */
    if (size - 3 > 4 * MG_SPEC_MAX)
        return 0;
    char *spec = malloc(size - 3 + 1);
    FUZZ_CHECK(spec, "out of memory");
    memcpy(spec, data + 3, size - 3);
    spec[size - 3] = '\0';

    mg_buf err = {0};
    mg_model *m = mg_model_create(spec, shape, batch, init, 1, &err);
    if (!m) {
        const char *msg = mg_buf_str(&err);
        FUZZ_CHECK(*msg, "NULL model without a message (spec '%.80s')", spec);
        FUZZ_CHECK(strlen(msg) < 600 + MG_SPEC_MAX, "a message of %zu bytes", strlen(msg));
        if (strncmp(msg, "layer ", 6) == 0) {
            int li = 0;
            FUZZ_CHECK(sscanf(msg, "layer %d '", &li) == 1 && li >= 1 && li <= MG_MODEL_MAX_LAYERS,
                       "message '%s'", msg);
        }
    } else {
        FUZZ_CHECK(!*mg_buf_str(&err), "a model and the message '%s'", mg_buf_str(&err));
        FUZZ_CHECK(strcmp(mg_model_spec(m), spec) == 0, "spec changed");
        check_structure(m, shape);
        if (forward_cost(m) * batch < 2e6)
            exercise(m, batch);
        mg_model_free(m);
    }
    mg_buf_free(&err);
    free(spec);
    return 0;
}
