/* Fuzzes the model file loader (src/nn/io.c) through the WASM API
 * (mg_api_model_load, what the page's "import model" calls).
 *
 * Byte 0 picks how the rest is used:
 *   0  the rest is the file, as is;
 *   1  the rest is the file with its last 4 bytes replaced by the right
 *      checksum, so that the fuzzer gets past the checksum to the header,
 *      the spec and the arrays;
 *   2  "a file from another spec": a valid file of a fixed model
 *      (configured, trained a step) whose spec is replaced by the rest,
 *      with the spec length and the checksum fixed.
 *
 * Promises checked: a refused file leaves an error message and the
 * handle's previous model untouched; a loaded model has finite
 * parameters, describes itself, predicts, and saves to a file that loads
 * again and saves to the same bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "fuzz.h"
#include "nn/model.h"

#define BASE_SPEC "conv 3 2 pad 1 relu, batchnorm, maxpool 2, dense 3"

/* The saved file of the fixed model of mode 2 (made once). */
static mg_buf base;
static size_t base_spec_len;

static void make_base(void)
{
    if (base.len)
        return;
    int shape[3] = {1, 4, 4};
    mg_buf err = {0};
    mg_model *m = mg_model_create(BASE_SPEC, shape, 2, MG_INIT_AUTO, 7, &err);
    FUZZ_CHECK(m, "%s", mg_buf_str(&err));
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    FUZZ_CHECK(mg_model_configure(m, &cfg, 3) == MG_OK, "%s", mg_model_error(m));
    float x[32];
    for (int i = 0; i < 32; i++)
        x[i] = (float)(i % 5) / 5.0f;
    int32_t y[2] = {0, 2};
    float loss;
    FUZZ_CHECK(mg_model_train_step(m, x, y, NULL, 2, &loss) == MG_OK, "%s", mg_model_error(m));
    FUZZ_CHECK(mg_model_save(m, &base) == MG_OK, "save");
    base_spec_len = strlen(BASE_SPEC);
    mg_model_free(m);
}

/* The bytes to load for this input in *out (caller frees). */
static size_t make_file(const uint8_t *data, size_t size, uint8_t **out)
{
    int mode = data[0] % 3;
    data++;
    size--;
    if (mode == 2) {
        make_base();
        /* magic (8), version (4), spec length (4), spec, the rest */
        size_t rest = base.len - 16 - base_spec_len;
        size_t len = 16 + size + rest;
        uint8_t *f = malloc(len);
        FUZZ_CHECK(f, "out of memory");
        memcpy(f, base.data, 12);
        f[12] = (uint8_t)size;
        f[13] = (uint8_t)(size >> 8);
        f[14] = (uint8_t)(size >> 16);
        f[15] = (uint8_t)(size >> 24);
        memcpy(f + 16, data, size);
        memcpy(f + 16 + size, base.data + 16 + base_spec_len, rest);
        uint32_t sum = fuzz_fnv1a(f, len - 4);
        for (int i = 0; i < 4; i++)
            f[len - 4 + (size_t)i] = (uint8_t)(sum >> (8 * i));
        *out = f;
        return len;
    }
    uint8_t *f = malloc(size ? size : 1);
    FUZZ_CHECK(f, "out of memory");
    memcpy(f, data, size);
    if (mode == 1 && size >= 4) {
        uint32_t sum = fuzz_fnv1a(f, size - 4);
        for (int i = 0; i < 4; i++)
            f[size - 4 + (size_t)i] = (uint8_t)(sum >> (8 * i));
    }
    *out = f;
    return size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t *file;
    size_t len = make_file(data, size, &file);
    int h = mg_api_model_create();
    FUZZ_CHECK(h > 0, "no handle");
    /* a model is already there: a refused file must leave it alone */
    FUZZ_CHECK(mg_api_model_build(h, "dense 2", 3, 1, 1, 4, 0, 1) == MG_OK, "%s",
               mg_api_model_error(h));
    int st = mg_api_model_load(h, file, (int)len, 4, 1);
    if (st) {
        const char *msg = mg_api_model_error(h);
        FUZZ_CHECK(st == MG_ERR_ARG && *msg, "status %d, message '%s'", st, msg);
        FUZZ_CHECK(mg_api_model_nparams(h) == 8, "the old model changed: %d parameters",
                   mg_api_model_nparams(h));
    } else {
        const char *json = mg_api_model_json(h);
        FUZZ_CHECK(strncmp(json, "{\"spec\":", 8) == 0, "JSON '%.80s'", json);
        int n = mg_api_model_nparams(h);
        const float *p = mg_api_model_params(h);
        for (int i = 0; i < n; i++)
            FUZZ_CHECK(p[i] == p[i] && p[i] - p[i] == 0, "parameter %d is %g", i, (double)p[i]);
        /* it runs: one sample of zeros through every layer */
        int in = 1;
        const char *q = strstr(json, "\"in\":");
        FUZZ_CHECK(q && sscanf(q, "\"in\":%d", &in) == 1 && in >= 1, "no input size in '%.200s'", json);
        float *x = calloc((size_t)in, sizeof *x);
        FUZZ_CHECK(x, "out of memory");
        FUZZ_CHECK(mg_api_model_predict(h, x, 1) != NULL, "predict: %s", mg_api_model_error(h));
        free(x);
        /* save, load, save: the same bytes */
        FUZZ_CHECK(mg_api_model_save(h) == MG_OK, "save: %s", mg_api_model_error(h));
        int len1 = mg_api_model_file_len(h);
        uint8_t *saved = malloc((size_t)len1);
        FUZZ_CHECK(saved, "out of memory");
        memcpy(saved, mg_api_model_file(h), (size_t)len1);
        int h2 = mg_api_model_create();
        FUZZ_CHECK(mg_api_model_load(h2, saved, len1, 4, 1) == MG_OK, "reload: %s",
                   mg_api_model_error(h2));
        FUZZ_CHECK(mg_api_model_save(h2) == MG_OK, "save again");
        FUZZ_CHECK(mg_api_model_file_len(h2) == len1 &&
                       memcmp(mg_api_model_file(h2), saved, (size_t)len1) == 0,
                   "save(load(file)) is not a fixed point");
        mg_api_model_free(h2);
        free(saved);
    }
    mg_api_model_free(h);
    free(file);
    return 0;
}
