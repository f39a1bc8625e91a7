/* Models: the spec parser, the layout of the flat buffers, initialization,
 * and the forward and backward passes through the layers. Each forward
 * pass records what backward needs (layer_rec) in the arena: the tape. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tensor/ops.h"
#include "model_internal.h"

const char *mg_layer_kind_name(mg_layer_kind kind)
{
    static const char *const names[MG_LAYER_COUNT] = {
        "dense", "conv", "maxpool", "avgpool", "flatten", "dropout", "batchnorm",
    };
    return (unsigned)kind < MG_LAYER_COUNT ? names[kind] : "?";
}

const char *mg_init_name(mg_init init)
{
    static const char *const names[MG_INIT_COUNT] = {
        "auto", "zeros", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal",
    };
    return (unsigned)init < MG_INIT_COUNT ? names[init] : "?";
}

static size_t shape_size(const int s[3]) { return (size_t)s[0] * (size_t)s[1] * (size_t)s[2]; }

/* ---- the spec parser ---------------------------------------------------- */

typedef struct spec_words {
    const char *w[8];
    int len[8];
    int n;
} spec_words;

static int word_is(const spec_words *sw, int i, const char *s)
{
    return i < sw->n && (int)strlen(s) == sw->len[i] && memcmp(sw->w[i], s, (size_t)sw->len[i]) == 0;
}

/* Parses word i as an integer in [lo, hi]; 0 on success. */
static int word_int(const spec_words *sw, int i, int lo, int hi, int *out)
{
    if (i >= sw->n || sw->len[i] > 9)
        return -1;
    int v = 0;
    for (int k = 0; k < sw->len[i]; k++) {
        if (!isdigit((unsigned char)sw->w[i][k]))
            return -1;
        v = v * 10 + (sw->w[i][k] - '0');
    }
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

#define SPEC_FAIL(...)                                                                   \
    do {                                                                                 \
        if (err) {                                                                       \
            mg_buf_clear(err);                                                           \
            layer_prefix(err, li, start, end);                                           \
            mg_buf_printf(err, __VA_ARGS__);                                             \
        }                                                                                \
        return -1;                                                                       \
    } while (0)

/* "layer N 'text': " with the layer's text trimmed. */
static void layer_prefix(mg_buf *err, int li, const char *start, const char *end)
{
    while (start < end && isspace((unsigned char)*start))
        start++;
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    mg_buf_printf(err, "layer %d '%.*s': ", li + 1, (int)(end - start), start);
}

/* Parses one layer (the text from start to end) into L given the input
 * shape in[3]; computes its output shape. */
static int parse_layer(mg_layer_info *L, int li, const char *start, const char *end,
                       const int in[3], mg_buf *err)
{
    spec_words sw = {{0}, {0}, 0};
    for (const char *s = start; s < end;) {
        while (s < end && isspace((unsigned char)*s))
            s++;
        if (s == end)
            break;
        const char *w = s;
        while (s < end && !isspace((unsigned char)*s))
            s++;
        if (sw.n == 8)
            SPEC_FAIL("too many words");
        sw.w[sw.n] = w;
        sw.len[sw.n++] = (int)(s - w);
    }
    if (sw.n == 0)
        SPEC_FAIL("empty layer (two commas in a row, or a comma at the end?)");
    memset(L, 0, sizeof *L);
    memcpy(L->in_shape, in, sizeof L->in_shape);
    L->act = MG_ACT_LINEAR;
    L->stride = 1;
    int next = 1; /* first unread word */
    if (word_is(&sw, 0, "dense")) {
        L->kind = MG_LAYER_DENSE;
        if (word_int(&sw, 1, 1, MG_MODEL_MAX_UNITS, &L->units))
            SPEC_FAIL("dense needs a number of units from 1 to %d, as in 'dense 16 relu'",
                      MG_MODEL_MAX_UNITS);
        next = 2;
        L->out_shape[0] = L->units;
        L->out_shape[1] = L->out_shape[2] = 1;
    } else if (word_is(&sw, 0, "conv")) {
        L->kind = MG_LAYER_CONV;
        if (word_int(&sw, 1, 1, MG_MODEL_MAX_KERNEL, &L->K))
            SPEC_FAIL("conv needs a kernel size from 1 to %d, as in 'conv 5 8 relu'",
                      MG_MODEL_MAX_KERNEL);
        if (word_int(&sw, 2, 1, MG_MODEL_MAX_CHANNELS, &L->units))
            SPEC_FAIL("conv needs a number of output channels from 1 to %d, as in 'conv 5 8 relu'",
                      MG_MODEL_MAX_CHANNELS);
        next = 3;
        int have_stride = 0, have_pad = 0;
        for (;;) {
            if (word_is(&sw, next, "stride")) {
                if (have_stride++)
                    SPEC_FAIL("stride is given twice");
                if (word_int(&sw, next + 1, 1, MG_MODEL_MAX_KERNEL, &L->stride))
                    SPEC_FAIL("stride needs a number from 1 to %d", MG_MODEL_MAX_KERNEL);
                next += 2;
            } else if (word_is(&sw, next, "pad")) {
                if (have_pad++)
                    SPEC_FAIL("pad is given twice");
                if (word_int(&sw, next + 1, 0, L->K - 1, &L->pad))
                    SPEC_FAIL("pad needs a number from 0 to %d (less than the kernel size)", L->K - 1);
                next += 2;
            } else {
                break;
            }
        }
        int oh = mg_conv_out_size(in[1], L->K, L->stride, L->pad);
        int ow = mg_conv_out_size(in[2], L->K, L->stride, L->pad);
        if (oh < 1 || ow < 1)
            SPEC_FAIL("a %dx%d kernel is bigger than its input %dx%d (with padding %d)", L->K,
                      L->K, in[1], in[2], L->pad);
        L->out_shape[0] = L->units;
        L->out_shape[1] = oh;
        L->out_shape[2] = ow;
    } else if (word_is(&sw, 0, "maxpool") || word_is(&sw, 0, "avgpool")) {
        L->kind = word_is(&sw, 0, "maxpool") ? MG_LAYER_MAXPOOL : MG_LAYER_AVGPOOL;
        if (word_int(&sw, 1, 1, MG_MODEL_MAX_KERNEL, &L->K))
            SPEC_FAIL("%s needs a window size from 1 to %d, as in '%s 2'",
                      mg_layer_kind_name(L->kind), MG_MODEL_MAX_KERNEL, mg_layer_kind_name(L->kind));
        next = 2;
        L->stride = L->K;
        if (in[1] < L->K || in[2] < L->K)
            SPEC_FAIL("a %dx%d window is bigger than its input %dx%d", L->K, L->K, in[1], in[2]);
        L->out_shape[0] = in[0];
        L->out_shape[1] = in[1] / L->K;
        L->out_shape[2] = in[2] / L->K;
    } else if (word_is(&sw, 0, "flatten")) {
        L->kind = MG_LAYER_FLATTEN;
        L->out_shape[0] = (int)shape_size(in);
        L->out_shape[1] = L->out_shape[2] = 1;
    } else if (word_is(&sw, 0, "dropout")) {
        L->kind = MG_LAYER_DROPOUT;
        char num[32];
        char *stop = NULL;
        double p = -1;
        if (sw.n > 1 && sw.len[1] < (int)sizeof num &&
            strspn(sw.w[1], "0123456789.") >= (size_t)sw.len[1]) { /* plain decimals only */
            memcpy(num, sw.w[1], (size_t)sw.len[1]);
            num[sw.len[1]] = '\0';
            p = strtod(num, &stop);
        }
        if (p < 0 || !(p < 1) || !stop || *stop)
            SPEC_FAIL("dropout needs a probability p with 0 <= p < 1, as in 'dropout 0.5'");
        L->p = (float)p;
        next = 2;
        memcpy(L->out_shape, in, sizeof L->out_shape);
    } else if (word_is(&sw, 0, "batchnorm")) {
        L->kind = MG_LAYER_BATCHNORM;
        memcpy(L->out_shape, in, sizeof L->out_shape);
    } else {
        SPEC_FAIL("unknown layer '%.*s' (the layers are dense, conv, maxpool, avgpool, flatten, "
                  "dropout, batchnorm)",
                  sw.len[0], sw.w[0]);
    }
    if ((L->kind == MG_LAYER_DENSE || L->kind == MG_LAYER_CONV) && next < sw.n) {
        L->act = mg_act_parse(sw.w[next], sw.len[next]);
        if (L->act == MG_ACT_COUNT) {
            if (err) {
                mg_buf_clear(err);
                layer_prefix(err, li, start, end);
                mg_buf_printf(err, "unknown activation '%.*s' (the activations are", sw.len[next],
                              sw.w[next]);
                for (int a = 0; a < MG_ACT_COUNT; a++)
                    mg_buf_printf(err, "%s %s", a ? "," : "", mg_act_name((mg_act)a));
                mg_buf_puts(err, ")");
            }
            return -1;
        }
        next++;
    }
    if (next < sw.n)
        SPEC_FAIL("unexpected '%.*s'%s", sw.len[next], sw.w[next],
                  L->kind == MG_LAYER_CONV ? " (stride and pad come before the activation)" : "");
    return 0;
}

/* ---- building ------------------------------------------------------------ */

static void *alloc_floats(size_t n) { return calloc(n ? n : 1, sizeof(float)); }

/* Floats the arena needs for a forward and backward pass of n samples. */
static size_t arena_floats(const mg_model *m, int n)
{
    size_t total = 0;
    for (int l = 0; l < m->nlayers; l++) {
        const mg_layer_info *L = &m->layers[l];
        size_t in = (size_t)n * shape_size(L->in_shape), out = (size_t)n * shape_size(L->out_shape);
        /* pre, out, argmax/mask, dpre, din, saved */
        total += 4 * mg_arena_cost(out) + mg_arena_cost(in) + mg_arena_cost(2 * (size_t)L->in_shape[0]);
        /* mg_model_trace's f'(z) and its ones, for one sample */
        if (L->kind == MG_LAYER_DENSE || L->kind == MG_LAYER_CONV)
            total += 2 * mg_arena_cost(shape_size(L->out_shape));
    }
    size_t out = (size_t)n * (size_t)mg_model_out_size(m);
    /* the loss's buffers, and mg_model_trace's output probabilities */
    return total + 3 * mg_arena_cost(out) + mg_arena_cost((size_t)mg_model_out_size(m)) + 64;
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
        if (parse_layer(L, li, s, end, shape, err))
            goto fail;
        size_t fan_in = shape_size(L->in_shape);
        if (L->kind == MG_LAYER_DENSE) {
            L->w_count = (size_t)L->units * fan_in;
            L->b_count = (size_t)L->units;
        } else if (L->kind == MG_LAYER_CONV) {
            L->w_count = (size_t)L->units * (size_t)L->in_shape[0] * (size_t)(L->K * L->K);
            L->b_count = (size_t)L->units;
        } else if (L->kind == MG_LAYER_BATCHNORM) {
            L->w_count = L->b_count = (size_t)L->in_shape[0];
            m->rm_off[li] = nstate;
            nstate += 2 * (size_t)L->in_shape[0];
        }
        L->w_off = nparams;
        L->b_off = nparams + L->w_count;
        nparams += L->w_count + L->b_count;
        acts += shape_size(L->out_shape);
        if (shape_size(L->out_shape) > MG_MODEL_MAX_ACTIVATIONS || acts > MG_MODEL_MAX_ACTIVATIONS) {
            if (err) {
                layer_prefix(err, li, s, end);
                mg_buf_printf(err, "the layers' outputs reach %zu values per sample; the limit is %d",
                              acts, MG_MODEL_MAX_ACTIVATIONS);
            }
            goto fail;
        }
        if (nparams > MG_MODEL_MAX_PARAMS) {
            if (err) {
                layer_prefix(err, li, s, end);
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
        !m->loss_tmp || !m->lbuf || mg_arena_init(&m->arena, arena_floats(m, max_batch)))
        goto nomem;
    for (int l = 0; l < m->nlayers; l++) {
        if (m->layers[l].kind == MG_LAYER_BATCHNORM)
            for (int c = 0; c < m->layers[l].in_shape[0]; c++)
                m->state[m->rm_off[l] + (size_t)m->layers[l].in_shape[0] + (size_t)c] = 1.0f;
    }
    mg_train_defaults(&m->cfg);
    return m;
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
    for (int l = 0; l < m->nlayers; l++) {
        mg_layer_info *L = &m->layers[l];
        float *w = m->params + L->w_off;
        if (L->kind == MG_LAYER_BATCHNORM) {
            for (size_t i = 0; i < L->w_count; i++)
                w[i] = 1.0f; /* gamma 1, beta 0 */
            continue;
        }
        if (L->kind != MG_LAYER_DENSE && L->kind != MG_LAYER_CONV)
            continue;
        double fan_in = (double)(L->w_count / (size_t)L->units);
        double fan_out = (double)L->units * (L->kind == MG_LAYER_CONV ? L->K * L->K : 1);
        mg_init how = init;
        if (how == MG_INIT_AUTO)
            how = mg_act_info_of(L->act)->he ? MG_INIT_HE_UNIFORM : MG_INIT_XAVIER_UNIFORM;
        double scale = 0;
        int normal = how == MG_INIT_XAVIER_NORMAL || how == MG_INIT_HE_NORMAL;
        switch (how) {
        case MG_INIT_XAVIER_UNIFORM: scale = sqrt(6.0 / (fan_in + fan_out)); break;
        case MG_INIT_XAVIER_NORMAL: scale = sqrt(2.0 / (fan_in + fan_out)); break;
        case MG_INIT_HE_UNIFORM: scale = sqrt(6.0 / fan_in); break;
        case MG_INIT_HE_NORMAL: scale = sqrt(2.0 / fan_in); break;
        default: break; /* zeros */
        }
        for (size_t i = 0; i < L->w_count; i++)
            w[i] = (float)(normal ? scale * mg_rng_normal(&rng) : mg_rng_range(&rng, -scale, scale));
    }
    for (int l = 0; l < m->nlayers; l++)
        if (m->layers[l].kind == MG_LAYER_BATCHNORM) {
            size_t C = (size_t)m->layers[l].in_shape[0];
            for (size_t c = 0; c < C; c++) {
                m->state[m->rm_off[l] + c] = 0.0f;
                m->state[m->rm_off[l] + C + c] = 1.0f;
            }
        }
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

#define BN_MOMENTUM 0.1f
#define BN_EPS 1e-5f

/* Runs the layers on n samples x (n, in_size); returns the output (n,
 * out_size) in the arena, or NULL if the arena is too small (a bug). */
float *mg_model_forward_pass(mg_model *m, const float *x, int n, int training)
{
    mg_arena *a = &m->arena;
    mg_arena_reset(a);
    m->rec_n = n;
    m->rec_training = training;
    m->traced = 0;
    float *in = (float *)x; /* read only */
    for (int l = 0; l < m->nlayers; l++) {
        const mg_layer_info *L = &m->layers[l];
        layer_rec *r = &m->rec[l];
        memset(r, 0, sizeof *r);
        r->in = in;
        int isz = (int)shape_size(L->in_shape), osz = (int)shape_size(L->out_shape);
        int nout = n * osz;
        const float *w = m->params + L->w_off, *b = m->params + L->b_off;
        switch (L->kind) {
        case MG_LAYER_DENSE:
        case MG_LAYER_CONV:
            r->pre = mg_arena_zeros(a, (size_t)nout);
            if (!r->pre)
                return NULL;
            if (L->kind == MG_LAYER_DENSE)
                mg_matmul_forward(r->pre, in, w, b, n, isz, L->units);
            else
                mg_conv2d_forward(r->pre, in, w, b, n, L->in_shape[0], L->in_shape[1],
                                  L->in_shape[2], L->units, L->K, L->stride, L->pad);
            r->out = r->pre;
            if (L->act != MG_ACT_LINEAR) {
                r->out = mg_arena_zeros(a, (size_t)nout);
                if (!r->out)
                    return NULL;
                mg_act_forward(L->act, r->out, r->pre, nout);
            }
            break;
        case MG_LAYER_MAXPOOL:
        case MG_LAYER_AVGPOOL:
            r->out = mg_arena_zeros(a, (size_t)nout);
            if (!r->out)
                return NULL;
            if (L->kind == MG_LAYER_MAXPOOL) {
                r->argmax = (int32_t *)mg_arena_zeros(a, (size_t)nout);
                if (!r->argmax)
                    return NULL;
                mg_maxpool_forward(r->out, r->argmax, in, n, L->in_shape[0], L->in_shape[1],
                                   L->in_shape[2], L->K);
            } else {
                mg_avgpool_forward(r->out, in, n, L->in_shape[0], L->in_shape[1], L->in_shape[2],
                                   L->K);
            }
            break;
        case MG_LAYER_FLATTEN:
            r->out = in;
            break;
        case MG_LAYER_DROPOUT:
            r->out = mg_arena_zeros(a, (size_t)nout);
            r->saved = mg_arena_zeros(a, (size_t)nout);
            if (!r->out || !r->saved)
                return NULL;
            mg_dropout_forward(r->out, r->saved, in, L->p, nout, training, &m->rng);
            break;
        case MG_LAYER_BATCHNORM: {
            int C = L->in_shape[0], S = L->in_shape[1] * L->in_shape[2];
            r->out = mg_arena_zeros(a, (size_t)nout);
            r->saved = mg_arena_zeros(a, 2 * (size_t)C);
            if (!r->out || !r->saved)
                return NULL;
            float *run = m->state + m->rm_off[l];
            mg_batchnorm_forward(r->out, r->saved, r->saved + C, in, w, b, run, run + C, n, C, S,
                                 BN_MOMENTUM, BN_EPS, training);
            break;
        }
        case MG_LAYER_COUNT: break;
        }
        in = r->out;
    }
    return in;
}

/* Backward through the layers, from dlogits (n, out_size) in the arena,
 * accumulating into m->grads. 0 on success, -1 if the arena is short. */
int mg_model_backward_pass(mg_model *m, float *dlogits)
{
    mg_arena *a = &m->arena;
    int n = m->rec_n;
    m->rec[m->nlayers - 1].dout = dlogits;
    for (int l = m->nlayers - 1; l >= 0; l--) {
        const mg_layer_info *L = &m->layers[l];
        layer_rec *r = &m->rec[l];
        int isz = (int)shape_size(L->in_shape), osz = (int)shape_size(L->out_shape);
        int nout = n * osz;
        float *din = NULL;
        if (l > 0 && L->kind != MG_LAYER_FLATTEN) {
            din = mg_arena_zeros(a, (size_t)n * (size_t)isz);
            if (!din)
                return -1;
        }
        float *dw = m->grads + L->w_off, *db = m->grads + L->b_off;
        const float *w = m->params + L->w_off;
        switch (L->kind) {
        case MG_LAYER_DENSE:
        case MG_LAYER_CONV:
            r->dpre = r->dout;
            if (L->act != MG_ACT_LINEAR) {
                r->dpre = mg_arena_zeros(a, (size_t)nout);
                if (!r->dpre)
                    return -1;
                mg_act_backward(L->act, r->dpre, r->dout, r->pre, r->out, nout);
            }
            if (L->kind == MG_LAYER_DENSE)
                mg_matmul_backward(din, dw, db, r->dpre, r->in, w, n, isz, L->units);
            else
                mg_conv2d_backward(din, dw, db, r->dpre, r->in, w, n, L->in_shape[0],
                                   L->in_shape[1], L->in_shape[2], L->units, L->K, L->stride,
                                   L->pad);
            break;
        case MG_LAYER_MAXPOOL:
            if (din)
                mg_maxpool_backward(din, r->dout, r->argmax, nout);
            break;
        case MG_LAYER_AVGPOOL:
            if (din)
                mg_avgpool_backward(din, r->dout, n, L->in_shape[0], L->in_shape[1],
                                    L->in_shape[2], L->K);
            break;
        case MG_LAYER_FLATTEN:
            din = r->dout; /* same numbers, new shape */
            break;
        case MG_LAYER_DROPOUT:
            if (din)
                mg_dropout_backward(din, r->dout, r->saved, nout);
            break;
        case MG_LAYER_BATCHNORM: {
            int C = L->in_shape[0], S = L->in_shape[1] * L->in_shape[2];
            mg_batchnorm_backward(din, dw, db, r->dout, r->in, r->saved, r->saved + C, w, n, C, S,
                                  m->rec_training);
            break;
        }
        case MG_LAYER_COUNT: break;
        }
        if (l > 0)
            m->rec[l - 1].dout = din;
    }
    return 0;
}
