/* The layer kinds: one table. Each row holds the kind's name and syntax,
 * its argument parser, its parameter and state counts, the floats it takes
 * from the step arena, and its forward and backward side by side (the
 * kernels are in tensor/). model.c walks the layers through this table:
 * the arena is the sum of what the rows declare, so it is exact by
 * construction (test_model checks the peak against it for every kind).
 * The initializers' table is here too: they fill the layers' weights. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../tensor/ops.h"
#include "model_internal.h"

static size_t shape_size(const int s[3]) { return (size_t)s[0] * (size_t)s[1] * (size_t)s[2]; }

/* ---- the initializers ------------------------------------------------------- */

static const mg_init_info inits[MG_INIT_COUNT] = {
    [MG_INIT_AUTO] = {"auto", "He for ReLU-like activations, Xavier otherwise (uniform)"},
    [MG_INIT_ZEROS] = {"zeros", "every weight 0 (the biases always start at 0)"},
    [MG_INIT_XAVIER_UNIFORM] = {"xavier_uniform", "uniform in +-sqrt(6 / (fan_in + fan_out))"},
    [MG_INIT_XAVIER_NORMAL] = {"xavier_normal", "normal with std sqrt(2 / (fan_in + fan_out))"},
    [MG_INIT_HE_UNIFORM] = {"he_uniform", "uniform in +-sqrt(6 / fan_in)"},
    [MG_INIT_HE_NORMAL] = {"he_normal", "normal with std sqrt(2 / fan_in)"},
};

const mg_init_info *mg_init_info_of(mg_init init) { return (unsigned)init < MG_INIT_COUNT ? &inits[init] : NULL; }
const char *mg_init_name(mg_init init) { return (unsigned)init < MG_INIT_COUNT ? inits[init].name : "?"; }

/* n weights w of a layer with fan_in and fan_out drawn by init */
static void fill_weights(float *w, size_t n, mg_init init, double fan_in, double fan_out, mg_rng *rng)
{
    double scale = 0;
    int normal = 0;
    switch (init) {
    case MG_INIT_XAVIER_UNIFORM: scale = sqrt(6.0 / (fan_in + fan_out)); break;
    case MG_INIT_XAVIER_NORMAL: scale = sqrt(2.0 / (fan_in + fan_out)), normal = 1; break;
    case MG_INIT_HE_UNIFORM: scale = sqrt(6.0 / fan_in); break;
    case MG_INIT_HE_NORMAL: scale = sqrt(2.0 / fan_in), normal = 1; break;
    case MG_INIT_ZEROS:
    case MG_INIT_AUTO: /* resolved by the caller */
    case MG_INIT_COUNT: break;
    }
    for (size_t i = 0; i < n; i++)
        w[i] = (float)(normal ? scale * mg_rng_normal(rng) : mg_rng_range(rng, -scale, scale));
}

/* ---- parsing a layer's words ------------------------------------------------- */

struct mg_spec_words {
    const char *w[8];
    int len[8];
    int n;
    /* for messages: the layer's number and text */
    int li;
    const char *start, *end;
    mg_buf *err;
};
typedef mg_spec_words spec_words;

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

void mg_layer_prefix(mg_buf *err, int li, const char *start, const char *end)
{
    while (start < end && isspace((unsigned char)*start))
        start++;
    while (end > start && isspace((unsigned char)end[-1]))
        end--;
    mg_buf_printf(err, "layer %d '%.*s': ", li + 1, (int)(end - start), start);
}

/* Starts the message of a failed parse (the layer's prefix); returns the
 * buffer to print the rest into, or NULL when no message is wanted. */
static mg_buf *spec_fail(const spec_words *sw)
{
    if (!sw->err)
        return NULL;
    mg_buf_clear(sw->err);
    mg_layer_prefix(sw->err, sw->li, sw->start, sw->end);
    return sw->err;
}

#define SPEC_FAIL(...)                                                                   \
    do {                                                                                 \
        mg_buf *e_ = spec_fail(sw);                                                      \
        if (e_)                                                                          \
            mg_buf_printf(e_, __VA_ARGS__);                                              \
        return -1;                                                                       \
    } while (0)

/* ---- the kinds ------------------------------------------------------------------
 *
 * parse: reads the words after the kind's name from *next on into L (its
 * in_shape is set) and sets out_shape; 0 or -1 with the message.
 * params: w_count, b_count and the floats of state (running statistics).
 * arena: the floats it takes from the arena for a forward and backward
 * pass of n samples, besides the input gradient model.c takes for it. */

static int parse_dense(mg_layer_info *L, const spec_words *sw, int *next)
{
    if (word_int(sw, 1, 1, MG_MODEL_MAX_UNITS, &L->units))
        SPEC_FAIL("dense needs a number of units from 1 to %d, as in 'dense 16 relu'", MG_MODEL_MAX_UNITS);
    *next = 2;
    L->out_shape[0] = L->units;
    L->out_shape[1] = L->out_shape[2] = 1;
    return 0;
}

static int parse_conv(mg_layer_info *L, const spec_words *sw, int *next)
{
    const int *in = L->in_shape;
    if (word_int(sw, 1, 1, MG_MODEL_MAX_KERNEL, &L->K))
        SPEC_FAIL("conv needs a kernel size from 1 to %d, as in 'conv 5 8 relu'", MG_MODEL_MAX_KERNEL);
    if (word_int(sw, 2, 1, MG_MODEL_MAX_CHANNELS, &L->units))
        SPEC_FAIL("conv needs a number of output channels from 1 to %d, as in 'conv 5 8 relu'",
                  MG_MODEL_MAX_CHANNELS);
    *next = 3;
    int have_stride = 0, have_pad = 0;
    for (;;) {
        if (word_is(sw, *next, "stride")) {
            if (have_stride++)
                SPEC_FAIL("stride is given twice");
            if (word_int(sw, *next + 1, 1, MG_MODEL_MAX_KERNEL, &L->stride))
                SPEC_FAIL("stride needs a number from 1 to %d", MG_MODEL_MAX_KERNEL);
            *next += 2;
        } else if (word_is(sw, *next, "pad")) {
            if (have_pad++)
                SPEC_FAIL("pad is given twice");
            if (word_int(sw, *next + 1, 0, L->K - 1, &L->pad))
                SPEC_FAIL("pad needs a number from 0 to %d (less than the kernel size)", L->K - 1);
            *next += 2;
        } else {
            break;
        }
    }
    int oh = mg_conv_out_size(in[1], L->K, L->stride, L->pad);
    int ow = mg_conv_out_size(in[2], L->K, L->stride, L->pad);
    if (oh < 1 || ow < 1)
        SPEC_FAIL("a %dx%d kernel is bigger than its input %dx%d (with padding %d)", L->K, L->K, in[1],
                  in[2], L->pad);
    L->out_shape[0] = L->units;
    L->out_shape[1] = oh;
    L->out_shape[2] = ow;
    return 0;
}

static int parse_pool(mg_layer_info *L, const spec_words *sw, int *next)
{
    const int *in = L->in_shape;
    const char *name = mg_layer_kind_name(L->kind);
    if (word_int(sw, 1, 1, MG_MODEL_MAX_KERNEL, &L->K))
        SPEC_FAIL("%s needs a window size from 1 to %d, as in '%s 2'", name, MG_MODEL_MAX_KERNEL, name);
    *next = 2;
    L->stride = L->K;
    if (in[1] < L->K || in[2] < L->K)
        SPEC_FAIL("a %dx%d window is bigger than its input %dx%d", L->K, L->K, in[1], in[2]);
    L->out_shape[0] = in[0];
    L->out_shape[1] = in[1] / L->K;
    L->out_shape[2] = in[2] / L->K;
    return 0;
}

static int parse_flatten(mg_layer_info *L, const spec_words *sw, int *next)
{
    (void)sw;
    *next = 1;
    L->out_shape[0] = (int)shape_size(L->in_shape);
    L->out_shape[1] = L->out_shape[2] = 1;
    return 0;
}

static int parse_dropout(mg_layer_info *L, const spec_words *sw, int *next)
{
    char num[32];
    char *stop = NULL;
    double p = -1;
    if (sw->n > 1 && sw->len[1] < (int)sizeof num &&
        strspn(sw->w[1], "0123456789.") >= (size_t)sw->len[1]) { /* plain decimals only */
        memcpy(num, sw->w[1], (size_t)sw->len[1]);
        num[sw->len[1]] = '\0';
        p = strtod(num, &stop);
    }
    if (p < 0 || !(p < 1) || !stop || *stop)
        SPEC_FAIL("dropout needs a probability p with 0 <= p < 1, as in 'dropout 0.5'");
    L->p = (float)p;
    *next = 2;
    memcpy(L->out_shape, L->in_shape, sizeof L->out_shape);
    return 0;
}

static int parse_batchnorm(mg_layer_info *L, const spec_words *sw, int *next)
{
    (void)sw;
    *next = 1;
    memcpy(L->out_shape, L->in_shape, sizeof L->out_shape);
    return 0;
}

static void params_none(mg_layer_info *L, size_t *nstate)
{
    (void)L, (void)nstate;
}

static void params_dense(mg_layer_info *L, size_t *nstate)
{
    (void)nstate;
    L->w_count = (size_t)L->units * shape_size(L->in_shape);
    L->b_count = (size_t)L->units;
}

static void params_conv(mg_layer_info *L, size_t *nstate)
{
    (void)nstate;
    L->w_count = (size_t)L->units * (size_t)L->in_shape[0] * (size_t)(L->K * L->K);
    L->b_count = (size_t)L->units;
}

static void params_batchnorm(mg_layer_info *L, size_t *nstate)
{
    L->w_count = L->b_count = (size_t)L->in_shape[0]; /* gamma, beta */
    *nstate = 2 * (size_t)L->in_shape[0];            /* running mean, running variance */
}

/* dense and conv: weights by init (the layer's fans), biases 0 */
static void init_weighted(const mg_layer_info *L, float *w, float *state, mg_init init, mg_rng *rng)
{
    (void)state;
    double fan_in = (double)(L->w_count / (size_t)L->units);
    double fan_out = (double)L->units * (L->kind == MG_LAYER_CONV ? L->K * L->K : 1);
    if (init == MG_INIT_AUTO)
        init = mg_act_info_of(L->act)->he ? MG_INIT_HE_UNIFORM : MG_INIT_XAVIER_UNIFORM;
    fill_weights(w, L->w_count, init, fan_in, fan_out, rng);
}

static void init_none(const mg_layer_info *L, float *w, float *state, mg_init init, mg_rng *rng)
{
    (void)L, (void)w, (void)state, (void)init, (void)rng;
}

static void init_batchnorm(const mg_layer_info *L, float *w, float *state, mg_init init, mg_rng *rng)
{
    (void)init, (void)rng;
    size_t C = (size_t)L->in_shape[0];
    for (size_t c = 0; c < C; c++) {
        w[c] = 1.0f;         /* gamma 1 (beta, the biases, 0) */
        state[c] = 0.0f;     /* running mean */
        state[C + c] = 1.0f; /* running variance */
    }
}

/* the arena: out/pre, dpre (with an activation), argmax, masks */
static size_t arena_weighted(const mg_layer_info *L, int n)
{
    size_t nout = (size_t)n * shape_size(L->out_shape);
    /* pre, then out and dpre when the activation is not linear */
    return mg_arena_cost(nout) * (L->act == MG_ACT_LINEAR ? 1 : 3);
}
static size_t arena_maxpool(const mg_layer_info *L, int n)
{
    return 2 * mg_arena_cost((size_t)n * shape_size(L->out_shape)); /* out, argmax */
}
static size_t arena_avgpool(const mg_layer_info *L, int n)
{
    return mg_arena_cost((size_t)n * shape_size(L->out_shape));
}
static size_t arena_none(const mg_layer_info *L, int n)
{
    (void)L, (void)n;
    return 0;
}
static size_t arena_dropout(const mg_layer_info *L, int n)
{
    return 2 * mg_arena_cost((size_t)n * shape_size(L->out_shape)); /* out, mask */
}
static size_t arena_batchnorm(const mg_layer_info *L, int n)
{
    return mg_arena_cost((size_t)n * shape_size(L->out_shape)) + mg_arena_cost(2 * (size_t)L->in_shape[0]);
}

/* forward: r->in is set; fills r->out (and what backward needs); -1 if
 * the arena is short (a sizing bug). w, b: the layer's parameters. */
struct mg_layer_pass {
    mg_model *m;
    int l, n, training;
};
typedef mg_layer_pass pass;

#define TAKE(ptr, count)                                                                 \
    do {                                                                                 \
        if (!((ptr) = (void *)mg_arena_zeros(&p->m->arena, (count))))                    \
            return -1;                                                                   \
    } while (0)

static int forward_weighted(const pass *p, const mg_layer_info *L, layer_rec *r, const float *w, const float *b)
{
    int isz = (int)shape_size(L->in_shape);
    size_t nout = (size_t)p->n * shape_size(L->out_shape);
    TAKE(r->pre, nout);
    if (L->kind == MG_LAYER_DENSE)
        mg_matmul_forward(r->pre, r->in, w, b, p->n, isz, L->units);
    else
        mg_conv2d_forward(r->pre, r->in, w, b, p->n, L->in_shape[0], L->in_shape[1], L->in_shape[2],
                          L->units, L->K, L->stride, L->pad);
    r->out = r->pre;
    if (L->act != MG_ACT_LINEAR) {
        TAKE(r->out, nout);
        mg_act_forward(L->act, r->out, r->pre, (int)nout);
    }
    return 0;
}

static int backward_weighted(const pass *p, const mg_layer_info *L, layer_rec *r, float *din,
                             const float *w, float *dw, float *db)
{
    size_t nout = (size_t)p->n * shape_size(L->out_shape);
    r->dpre = r->dout;
    if (L->act != MG_ACT_LINEAR) {
        TAKE(r->dpre, nout);
        mg_act_backward(L->act, r->dpre, r->dout, r->pre, r->out, (int)nout);
    }
    if (L->kind == MG_LAYER_DENSE)
        mg_matmul_backward(din, dw, db, r->dpre, r->in, w, p->n, (int)shape_size(L->in_shape), L->units);
    else
        mg_conv2d_backward(din, dw, db, r->dpre, r->in, w, p->n, L->in_shape[0], L->in_shape[1],
                           L->in_shape[2], L->units, L->K, L->stride, L->pad);
    return 0;
}

static int forward_maxpool(const pass *p, const mg_layer_info *L, layer_rec *r, const float *w, const float *b)
{
    (void)w, (void)b;
    size_t nout = (size_t)p->n * shape_size(L->out_shape);
    TAKE(r->out, nout);
    TAKE(r->argmax, nout);
    mg_maxpool_forward(r->out, r->argmax, r->in, p->n, L->in_shape[0], L->in_shape[1], L->in_shape[2], L->K);
    return 0;
}

static int backward_maxpool(const pass *p, const mg_layer_info *L, layer_rec *r, float *din,
                            const float *w, float *dw, float *db)
{
    (void)w, (void)dw, (void)db;
    if (din)
        mg_maxpool_backward(din, r->dout, r->argmax, (int)((size_t)p->n * shape_size(L->out_shape)));
    return 0;
}

static int forward_avgpool(const pass *p, const mg_layer_info *L, layer_rec *r, const float *w, const float *b)
{
    (void)w, (void)b;
    TAKE(r->out, (size_t)p->n * shape_size(L->out_shape));
    mg_avgpool_forward(r->out, r->in, p->n, L->in_shape[0], L->in_shape[1], L->in_shape[2], L->K);
    return 0;
}

static int backward_avgpool(const pass *p, const mg_layer_info *L, layer_rec *r, float *din,
                            const float *w, float *dw, float *db)
{
    (void)w, (void)dw, (void)db;
    if (din)
        mg_avgpool_backward(din, r->dout, p->n, L->in_shape[0], L->in_shape[1], L->in_shape[2], L->K);
    return 0;
}

static int forward_flatten(const pass *p, const mg_layer_info *L, layer_rec *r, const float *w, const float *b)
{
    (void)p, (void)L, (void)w, (void)b;
    r->out = (float *)r->in; /* the same numbers, another shape */
    return 0;
}

static int backward_flatten(const pass *p, const mg_layer_info *L, layer_rec *r, float *din,
                            const float *w, float *dw, float *db)
{
    (void)p, (void)L, (void)r, (void)din, (void)w, (void)dw, (void)db;
    return 0; /* model.c passes dout on as din */
}

static int forward_dropout(const pass *p, const mg_layer_info *L, layer_rec *r, const float *w, const float *b)
{
    (void)w, (void)b;
    size_t nout = (size_t)p->n * shape_size(L->out_shape);
    TAKE(r->out, nout);
    TAKE(r->saved, nout);
    mg_dropout_forward(r->out, r->saved, r->in, L->p, (int)nout, p->training, &p->m->rng);
    return 0;
}

static int backward_dropout(const pass *p, const mg_layer_info *L, layer_rec *r, float *din,
                            const float *w, float *dw, float *db)
{
    (void)w, (void)dw, (void)db;
    if (din)
        mg_dropout_backward(din, r->dout, r->saved, (int)((size_t)p->n * shape_size(L->out_shape)));
    return 0;
}

#define BN_MOMENTUM 0.1f
#define BN_EPS 1e-5f

static int forward_batchnorm(const pass *p, const mg_layer_info *L, layer_rec *r, const float *w, const float *b)
{
    int C = L->in_shape[0], S = L->in_shape[1] * L->in_shape[2];
    TAKE(r->out, (size_t)p->n * shape_size(L->out_shape));
    TAKE(r->saved, 2 * (size_t)C);
    float *run = p->m->state + p->m->rm_off[p->l];
    mg_batchnorm_forward(r->out, r->saved, r->saved + C, r->in, w, b, run, run + C, p->n, C, S,
                         BN_MOMENTUM, BN_EPS, p->training);
    return 0;
}

static int backward_batchnorm(const pass *p, const mg_layer_info *L, layer_rec *r, float *din,
                              const float *w, float *dw, float *db)
{
    int C = L->in_shape[0], S = L->in_shape[1] * L->in_shape[2];
    mg_batchnorm_backward(din, dw, db, r->dout, r->in, r->saved, r->saved + C, w, p->n, C, S,
                          p->m->rec_training);
    return 0;
}
#undef TAKE

static const mg_layer_kind_info kinds[MG_LAYER_COUNT] = {
    /* name, syntax, summary, has_act, decays (weight decay, L1, L2), quantized (int8) */
    [MG_LAYER_DENSE] = {"dense", "dense N [act]", "N units, each a weighted sum of every input (flattens its input)",
                        1, 1, 1, parse_dense, params_dense, init_weighted, arena_weighted,
                        forward_weighted, backward_weighted},
    [MG_LAYER_CONV] = {"conv", "conv K C [stride S] [pad P] [act]",
                       "C filters of K x K over every input channel", 1, 1, 1, parse_conv, params_conv,
                       init_weighted, arena_weighted, forward_weighted, backward_weighted},
    [MG_LAYER_MAXPOOL] = {"maxpool", "maxpool K", "the largest of each K x K window, stride K", 0, 0, 0,
                          parse_pool, params_none, init_none, arena_maxpool, forward_maxpool,
                          backward_maxpool},
    [MG_LAYER_AVGPOOL] = {"avgpool", "avgpool K", "the mean of each K x K window, stride K", 0, 0, 0,
                          parse_pool, params_none, init_none, arena_avgpool, forward_avgpool,
                          backward_avgpool},
    [MG_LAYER_FLATTEN] = {"flatten", "flatten", "the same values as one vector", 0, 0, 0, parse_flatten,
                          params_none, init_none, arena_none, forward_flatten, backward_flatten},
    [MG_LAYER_DROPOUT] = {"dropout", "dropout P",
                          "while training, zeroes each value with probability P (the rest / (1 - P))",
                          0, 0, 0, parse_dropout, params_none, init_none, arena_dropout, forward_dropout,
                          backward_dropout},
    [MG_LAYER_BATCHNORM] = {"batchnorm", "batchnorm",
                            "normalizes each channel over the batch, then gamma * x + beta", 0, 0, 0,
                            parse_batchnorm, params_batchnorm, init_batchnorm, arena_batchnorm,
                            forward_batchnorm, backward_batchnorm},
};

const mg_layer_kind_info *mg_layer_kind_info_of(mg_layer_kind kind)
{
    return (unsigned)kind < MG_LAYER_COUNT ? &kinds[kind] : NULL;
}

const char *mg_layer_kind_name(mg_layer_kind kind)
{
    return (unsigned)kind < MG_LAYER_COUNT ? kinds[kind].name : "?";
}
const char *mg_layer_kind_syntax(mg_layer_kind kind)
{
    return (unsigned)kind < MG_LAYER_COUNT ? kinds[kind].syntax : "?";
}
const char *mg_layer_kind_summary(mg_layer_kind kind)
{
    return (unsigned)kind < MG_LAYER_COUNT ? kinds[kind].summary : "?";
}

int mg_layer_decays(const mg_layer_info *L) { return kinds[L->kind].decays; }

/* ---- one layer of a spec --------------------------------------------------------- */

int mg_layer_parse(mg_layer_info *L, int li, const char *start, const char *end, const int in[3],
                   mg_buf *err)
{
    spec_words words = {.li = li, .start = start, .end = end, .err = err};
    spec_words *sw = &words;
    for (const char *s = start; s < end;) {
        while (s < end && isspace((unsigned char)*s))
            s++;
        if (s == end)
            break;
        const char *w = s;
        while (s < end && !isspace((unsigned char)*s))
            s++;
        if (sw->n == 8)
            SPEC_FAIL("too many words");
        sw->w[sw->n] = w;
        sw->len[sw->n++] = (int)(s - w);
    }
    if (sw->n == 0)
        SPEC_FAIL("empty layer (two commas in a row, or a comma at the end?)");
    memset(L, 0, sizeof *L);
    memcpy(L->in_shape, in, sizeof L->in_shape);
    L->act = MG_ACT_LINEAR;
    L->stride = 1;
    int k = 0;
    while (k < MG_LAYER_COUNT && !word_is(sw, 0, kinds[k].name))
        k++;
    if (k == MG_LAYER_COUNT) {
        mg_buf *e = spec_fail(sw);
        if (e) {
            mg_buf_printf(e, "unknown layer '%.*s' (the layers are", sw->len[0], sw->w[0]);
            for (int j = 0; j < MG_LAYER_COUNT; j++)
                mg_buf_printf(e, "%s %s", j ? "," : "", kinds[j].name);
            mg_buf_puts(e, ")");
        }
        return -1;
    }
    L->kind = (mg_layer_kind)k;
    int next = 1;
    if (kinds[k].parse(L, sw, &next))
        return -1;
    if (kinds[k].has_act && next < sw->n) {
        L->act = mg_act_parse(sw->w[next], sw->len[next]);
        if (L->act == MG_ACT_COUNT) {
            mg_buf *e = spec_fail(sw);
            if (e) {
                mg_buf_printf(e, "unknown activation '%.*s' (the activations are", sw->len[next], sw->w[next]);
                for (int a = 0; a < MG_ACT_COUNT; a++)
                    mg_buf_printf(e, "%s %s", a ? "," : "", mg_act_name((mg_act)a));
                mg_buf_puts(e, ")");
            }
            return -1;
        }
        next++;
    }
    if (next < sw->n)
        SPEC_FAIL("unexpected '%.*s'%s", sw->len[next], sw->w[next],
                  L->kind == MG_LAYER_CONV ? " (stride and pad come before the activation)" : "");
    return 0;
}
#undef SPEC_FAIL

/* ---- the passes over the layers -------------------------------------------------- */

size_t mg_layer_arena(const mg_layer_info *L, int n) { return kinds[L->kind].arena(L, n); }

int mg_layer_forward(mg_model *m, int l, int n, int training)
{
    const mg_layer_info *L = &m->layers[l];
    pass p = {m, l, n, training};
    return kinds[L->kind].forward(&p, L, &m->rec[l], m->params + L->w_off, m->params + L->b_off);
}

int mg_layer_backward(mg_model *m, int l, float *din)
{
    const mg_layer_info *L = &m->layers[l];
    pass p = {m, l, m->rec_n, m->rec_training};
    return kinds[L->kind].backward(&p, L, &m->rec[l], din, m->params + L->w_off, m->grads + L->w_off,
                                   m->grads + L->b_off);
}

void mg_layer_init(mg_model *m, int l, mg_init init, mg_rng *rng)
{
    const mg_layer_info *L = &m->layers[l];
    kinds[L->kind].init(L, m->params + L->w_off, m->state + m->rm_off[l], init, rng);
}

void mg_layer_params(mg_layer_info *L, size_t *nstate)
{
    *nstate = 0;
    kinds[L->kind].params(L, nstate);
}
