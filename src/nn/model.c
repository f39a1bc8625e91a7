/* Models: built from a spec through the layer table (layers.c), the layout
 * of the flat buffers, initialization, and the forward and backward passes
 * through the layers. Each forward pass records what backward needs
 * (layer_rec) in the arena: the tape. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tensor/ops.h"
#include "model_internal.h"

static size_t shape_size(const int s[3]) { return (size_t)s[0] * (size_t)s[1] * (size_t)s[2]; }

/* ---- building ------------------------------------------------------------ */

static void *alloc_floats(size_t n) { return calloc(n ? n : 1, sizeof(float)); }

/* The floats a training pass of n samples takes from the arena: each
 * layer's own (the table's arena), the input gradient of every layer but
 * the first (a flatten passes its output's on), and the loss's gradient. */
static size_t pass_floats(const mg_model *m, int n)
{
    size_t total = 0;
    for (int l = 0; l < m->nlayers; l++) {
        const mg_layer_info *L = &m->layers[l];
        total += mg_layer_arena(L, n);
        if (l > 0 && L->kind != MG_LAYER_FLATTEN)
            total += mg_arena_cost((size_t)n * shape_size(L->in_shape));
    }
    return total + mg_arena_cost((size_t)n * (size_t)mg_model_out_size(m));
}

/* A trace adds, for its one sample, f'(z) and a vector of ones for every
 * layer with an activation (dense, conv), and the output's probabilities. */
static size_t trace_floats(const mg_model *m)
{
    size_t total = pass_floats(m, 1);
    for (int l = 0; l < m->nlayers; l++)
        if (mg_layer_kind_info_of(m->layers[l].kind)->has_act)
            total += 2 * mg_arena_cost(shape_size(m->layers[l].out_shape));
    return total + mg_arena_cost((size_t)mg_model_out_size(m));
}

size_t mg_model_arena_floats(const mg_model *m)
{
    size_t train = pass_floats(m, m->max_batch), trace = trace_floats(m);
    return train > trace ? train : trace;
}

mg_model *mg_model_build(const char *spec, const int in_shape[3], int max_batch, mg_buf *err)
{
    int li = 0;
    if (in_shape[0] < 1 || in_shape[1] < 1 || in_shape[2] < 1 || in_shape[0] > MG_MODEL_MAX_INPUT ||
        in_shape[1] > MG_MODEL_MAX_INPUT || in_shape[2] > MG_MODEL_MAX_INPUT ||
        /* in 64 bits: two sizes of 2^16 wrap a 32-bit size_t (WASM) to 0 */
        (uint64_t)in_shape[0] * (uint64_t)in_shape[1] * (uint64_t)in_shape[2] > MG_MODEL_MAX_INPUT) {
        if (err)
            mg_buf_printf(err, "input shape %dx%dx%d: each size must be at least 1 and the "
                               "product at most %d",
                          in_shape[0], in_shape[1], in_shape[2], MG_MODEL_MAX_INPUT);
        return NULL;
    }
    if (max_batch < 1 || max_batch > MG_MODEL_MAX_BATCH) {
        if (err)
            mg_buf_printf(err, "batch size %d: allowed 1 to %d", max_batch, MG_MODEL_MAX_BATCH);
        return NULL;
    }
    size_t len = strlen(spec);
    if (len >= MG_SPEC_MAX) {
        if (err)
            mg_buf_printf(err, "the model spec is %zu bytes; the limit is %d", len, MG_SPEC_MAX - 1);
        return NULL;
    }
    mg_model *m = calloc(1, sizeof *m);
    if (!m)
        goto nomem;
    memcpy(m->spec, spec, len + 1);
    memcpy(m->in_shape, in_shape, sizeof m->in_shape);
    m->max_batch = max_batch;
    const char *s = spec;
    int shape[3] = {in_shape[0], in_shape[1], in_shape[2]};
    size_t nparams = 0, nstate = 0, acts = 0;
    int blank = 1;
    for (const char *c = spec; *c; c++)
        blank &= isspace((unsigned char)*c) != 0;
    if (blank) {
        if (err)
            mg_buf_printf(err, "empty model spec: list layers such as 'dense 16 relu, dense 1'");
        goto fail;
    }
    for (li = 0;; li++) {
        const char *end = strchr(s, ',');
        if (!end)
            end = s + strlen(s);
        if (li == MG_MODEL_MAX_LAYERS) {
            if (err)
                mg_buf_printf(err, "more than %d layers", MG_MODEL_MAX_LAYERS);
            goto fail;
        }
        mg_layer_info *L = &m->layers[li];
        if (mg_layer_parse(L, li, s, end, shape, err))
            goto fail;
        size_t layer_state;
        mg_layer_params(L, &layer_state);
        if (layer_state) {
            m->rm_off[li] = nstate;
            nstate += layer_state;
        }
        L->w_off = nparams;
        L->b_off = nparams + L->w_count;
        nparams += L->w_count + L->b_count;
        acts += shape_size(L->out_shape);
        if (shape_size(L->out_shape) > MG_MODEL_MAX_ACTIVATIONS || acts > MG_MODEL_MAX_ACTIVATIONS) {
            if (err) {
                mg_layer_prefix(err, li, s, end);
                mg_buf_printf(err, "the layers' outputs reach %zu values per sample; the limit is %d",
                              acts, MG_MODEL_MAX_ACTIVATIONS);
            }
            goto fail;
        }
        if (nparams > MG_MODEL_MAX_PARAMS) {
            if (err) {
                mg_layer_prefix(err, li, s, end);
                mg_buf_printf(err, "brings the model to %zu parameters; the limit is %d", nparams,
                              MG_MODEL_MAX_PARAMS);
            }
            goto fail;
        }
        memcpy(shape, L->out_shape, sizeof shape);
        if (!*end)
            break;
        s = end + 1;
    }
    m->nlayers = li + 1;
    if ((double)acts * 6.0 * max_batch > (double)MG_MODEL_MAX_STEP_FLOATS) {
        if (err)
            mg_buf_printf(err,
                          "batches of %d samples need about %.0f MB of activations; the limit is "
                          "%d MB (use a smaller batch or network)",
                          max_batch, (double)acts * 6.0 * max_batch * 4 / 1e6,
                          (int)(MG_MODEL_MAX_STEP_FLOATS * 4.0 / 1e6));
        goto fail;
    }
    m->nparams = nparams;
    m->nstate = nstate;
    size_t in_size = shape_size(in_shape);
    int out_size = mg_model_out_size(m);
    m->params = alloc_floats(nparams);
    m->grads = alloc_floats(nparams);
    m->m1 = alloc_floats(nparams);
    m->m2 = alloc_floats(nparams);
    m->last_grads = alloc_floats(nparams);
    m->state = alloc_floats(nstate);
    m->state_copy = alloc_floats(nstate);
    m->xbuf = alloc_floats((size_t)max_batch * in_size);
    m->tbuf = alloc_floats((size_t)max_batch * (size_t)out_size);
    m->loss_tmp = alloc_floats((size_t)max_batch * (size_t)out_size);
    m->lbuf = calloc((size_t)max_batch, sizeof *m->lbuf);
    if (!m->params || !m->grads || !m->m1 || !m->m2 || !m->last_grads || !m->state || !m->state_copy || !m->xbuf || !m->tbuf ||
        !m->loss_tmp || !m->lbuf || mg_arena_init(&m->arena, mg_model_arena_floats(m)))
        goto nomem;
    return m; /* cfg is set by mg_model_configure */
nomem:
    if (err)
        mg_buf_printf(err, "out of memory creating the model");
fail:
    mg_model_free(m);
    return NULL;
}

void mg_model_init_params(mg_model *m, mg_init init, uint64_t seed)
{
    mg_rng_seed(&m->rng, seed, 0x6d67); /* dropout draws from the same seed, its own stream */
    mg_rng rng;
    mg_rng_seed(&rng, seed, 0);
    memset(m->params, 0, m->nparams * sizeof *m->params);
    for (int l = 0; l < m->nlayers; l++)
        mg_layer_init(m, l, init, &rng); /* in layer order: the same weights in every build */
}

mg_model *mg_model_create(const char *spec, const int in_shape[3], int max_batch, mg_init init,
                          uint64_t seed, mg_buf *err)
{
    if ((unsigned)init >= MG_INIT_COUNT) {
        if (err)
            mg_buf_printf(err, "unknown initialization %d", (int)init);
        return NULL;
    }
    mg_model *m = mg_model_build(spec, in_shape, max_batch, err);
    if (m)
        mg_model_init_params(m, init, seed);
    return m;
}

void mg_model_free(mg_model *m)
{
    if (!m)
        return;
    free(m->params);
    free(m->grads);
    free(m->m1);
    free(m->m2);
    free(m->last_grads);
    free(m->state);
    free(m->state_copy);
    free(m->xbuf);
    free(m->tbuf);
    free(m->loss_tmp);
    free(m->lbuf);
    mg_arena_free(&m->arena);
    mg_buf_free(&m->error);
    free(m);
}

const char *mg_model_error(const mg_model *m) { return mg_buf_str(&m->error); }
const char *mg_model_spec(const mg_model *m) { return m->spec; }
int mg_model_nlayers(const mg_model *m) { return m->nlayers; }
size_t mg_model_nparams(const mg_model *m) { return m->nparams; }
int mg_model_in_size(const mg_model *m) { return (int)shape_size(m->in_shape); }
int mg_model_out_size(const mg_model *m) { return (int)shape_size(m->layers[m->nlayers - 1].out_shape); }
float *mg_model_params(mg_model *m) { return m->params; }
float *mg_model_grads(mg_model *m) { return m->grads; }
const float *mg_model_last_grads(const mg_model *m) { return m->last_grads; }

const mg_layer_info *mg_model_layer(const mg_model *m, int i)
{
    return i >= 0 && i < m->nlayers ? &m->layers[i] : NULL;
}

/* ---- forward and backward ------------------------------------------------ */

/* Runs the layers on n samples x (n, in_size); returns the output (n,
 * out_size) in the arena, or NULL if the arena is too small (a bug). */
float *mg_model_forward_pass(mg_model *m, const float *x, int n, int training)
{
    mg_arena_reset(&m->arena);
    m->rec_n = n;
    m->rec_training = training;
    m->traced = 0;
    const float *in = x;
    for (int l = 0; l < m->nlayers; l++) {
        layer_rec *r = &m->rec[l];
        memset(r, 0, sizeof *r);
        r->in = in;
        if (mg_layer_forward(m, l, n, training))
            return NULL;
        in = r->out;
    }
    return (float *)in;
}

/* Backward through the layers, from dlogits (n, out_size) in the arena,
 * accumulating into m->grads. 0 on success, -1 if the arena is short. */
int mg_model_backward_pass(mg_model *m, float *dlogits)
{
    int n = m->rec_n;
    m->rec[m->nlayers - 1].dout = dlogits;
    for (int l = m->nlayers - 1; l >= 0; l--) {
        const mg_layer_info *L = &m->layers[l];
        layer_rec *r = &m->rec[l];
        float *din = NULL;
        if (L->kind == MG_LAYER_FLATTEN) {
            din = r->dout; /* the same numbers, the input's shape */
        } else if (l > 0) {
            din = mg_arena_zeros(&m->arena, (size_t)n * shape_size(L->in_shape));
            if (!din)
                return -1;
        }
        if (mg_layer_backward(m, l, din))
            return -1;
        if (l > 0)
            m->rec[l - 1].dout = din;
    }
    return 0;
}

/* ---- checks and errors, for every module of the model ---------------------- */

mg_status mg_model_fail(mg_model *m, mg_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mg_buf_clear(&m->error);
    mg_buf_vprintf(&m->error, fmt, ap);
    va_end(ap);
    return st;
}

mg_status mg_model_diverged(mg_model *m, const char *fmt, ...)
{
    memset(m->grads, 0, m->nparams * sizeof *m->grads);
    m->pending = 0;
    va_list ap;
    va_start(ap, fmt);
    mg_buf_clear(&m->error);
    mg_buf_vprintf(&m->error, fmt, ap);
    va_end(ap);
    return MG_ERR_DOMAIN;
}

mg_status mg_model_check_data(mg_model *m, const int32_t *labels, const float *targets, int n)
{
    if (!m->configured)
        return mg_model_fail(m, MG_ERR_STATE, "the model has no loss and optimizer yet (configure it first)");
    if (n < 1 || n > m->max_batch)
        return mg_model_fail(m, MG_ERR_ARG, "batch of %d samples: allowed 1 to %d", n, m->max_batch);
    if (m->nclasses) {
        if (!labels)
            return mg_model_fail(m, MG_ERR_ARG, "classification needs labels");
        for (int i = 0; i < n; i++)
            if (labels[i] < 0 || labels[i] >= m->nclasses)
                return mg_model_fail(m, MG_ERR_ARG,
                            "label %d of sample %d of the batch is outside 0..%d (the model is "
                            "configured for %d classes)",
                            (int)labels[i], i, m->nclasses - 1, m->nclasses);
    } else if (!targets) {
        return mg_model_fail(m, MG_ERR_ARG, "regression needs targets");
    }
    return MG_OK;
}

/* Sum of squares in double, with eight running sums (element i goes to sum
 * i % 8, combined pairwise at the end): a fixed order, so every build gets
 * the same bits, and eight times faster than one chain of dependent
 * additions. */
double mg_sumsq(const float *v, size_t n)
{
    double s[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++)
            s[j] += (double)v[i + j] * v[i + j];
    for (int j = 0; i < n; i++, j++)
        s[j] += (double)v[i] * v[i];
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}
