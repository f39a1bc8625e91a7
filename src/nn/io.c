/* Saving and loading models: a small versioned little-endian binary image.
 *
 *   "MGMODEL\n"            8 bytes of magic
 *   u32 version            MG_MODEL_FILE_VERSION
 *   u32 spec length, spec bytes (no NUL)
 *   i32 in_shape[3]
 *   u64 nparams, u64 nstate
 *   i32 nclasses, i32 configured
 *   training config: u32 loss, opt, schedule; f32 lr, momentum, beta1,
 *     beta2, rho, eps, weight_decay, l1, l2, clip, gamma; i32 accum,
 *     step_size, total_steps
 *   i64 t (updates made)
 *   f32 params[nparams], state[nstate] (batchnorm running statistics),
 *   f32 m1[nparams], m2[nparams] (optimizer moments)
 *   u32 FNV-1a checksum of everything before it */
#include <math.h>
#include <string.h>

#include "model_internal.h"

#define MG_MODEL_FILE_VERSION 1
static const char magic[8] = {'M', 'G', 'M', 'O', 'D', 'E', 'L', '\n'};

static void put_u32(mg_buf *b, uint32_t v)
{
    char c[4] = {(char)(v & 0xff), (char)((v >> 8) & 0xff), (char)((v >> 16) & 0xff),
                 (char)(v >> 24)};
    mg_buf_append(b, c, 4);
}

static void put_u64(mg_buf *b, uint64_t v)
{
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}

static void put_f32(mg_buf *b, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    put_u32(b, u);
}

static void put_floats(mg_buf *b, const float *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_f32(b, v[i]);
}

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

mg_status mg_model_save(const mg_model *m, mg_buf *out)
{
    size_t start = out->len;
    const mg_train_config *c = &m->cfg;
    mg_buf_append(out, magic, sizeof magic);
    put_u32(out, MG_MODEL_FILE_VERSION);
    size_t spec_len = strlen(m->spec);
    put_u32(out, (uint32_t)spec_len);
    mg_buf_append(out, m->spec, spec_len);
    for (int i = 0; i < 3; i++)
        put_u32(out, (uint32_t)m->in_shape[i]);
    put_u64(out, m->nparams);
    put_u64(out, m->nstate);
    put_u32(out, (uint32_t)m->nclasses);
    put_u32(out, (uint32_t)m->configured);
    put_u32(out, (uint32_t)c->loss);
    put_u32(out, (uint32_t)c->opt);
    put_u32(out, (uint32_t)c->schedule);
    const float f[] = {c->lr, c->momentum, c->beta1, c->beta2, c->rho, c->eps,
                       c->weight_decay, c->l1, c->l2, c->clip, c->gamma};
    put_floats(out, f, sizeof f / sizeof f[0]);
    put_u32(out, (uint32_t)c->accum);
    put_u32(out, (uint32_t)c->step_size);
    put_u32(out, (uint32_t)c->total_steps);
    put_u64(out, (uint64_t)m->t);
    put_floats(out, m->params, m->nparams);
    put_floats(out, m->state, m->nstate);
    put_floats(out, m->m1, m->nparams);
    put_floats(out, m->m2, m->nparams);
    if (out->failed)
        return MG_ERR_NOMEM;
    put_u32(out, fnv1a((const uint8_t *)out->data + start, out->len - start));
    return out->failed ? MG_ERR_NOMEM : MG_OK;
}

typedef struct reader {
    const uint8_t *p;
    size_t len, pos;
    int short_read;
} reader;

static uint32_t get_u32(reader *r)
{
    if (r->len - r->pos < 4) {
        r->short_read = 1;
        r->pos = r->len;
        return 0;
    }
    const uint8_t *p = r->p + r->pos;
    r->pos += 4;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(reader *r)
{
    uint64_t lo = get_u32(r);
    return lo | (uint64_t)get_u32(r) << 32;
}

static float get_f32(reader *r)
{
    uint32_t u = get_u32(r);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static void get_floats(reader *r, float *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = get_f32(r);
}

mg_model *mg_model_load(const uint8_t *bytes, size_t len, int max_batch, mg_buf *err)
{
    reader r = {bytes, len, 0, 0};
    mg_buf_clear(err);
    if (!bytes && len > 0) {
        mg_buf_printf(err, "model file: the bytes are NULL but len is %zu", len);
        return NULL;
    }
    if (len < sizeof magic || memcmp(bytes, magic, sizeof magic) != 0) {
        mg_buf_printf(err, "not a Micrograd Lab model file (it does not start with MGMODEL)");
        return NULL;
    }
    r.pos = sizeof magic;
    uint32_t version = get_u32(&r);
    if (version == MG_MODEL_FILE_VERSION && len >= sizeof magic + 8) {
        /* the checksum first: nothing from a damaged file is used */
        reader tail = {bytes, len, len - 4, 0};
        if (get_u32(&tail) != fnv1a(bytes, len - 4)) {
            mg_buf_printf(err, "model file is corrupt or truncated: checksum mismatch");
            return NULL;
        }
    }
    if (version != MG_MODEL_FILE_VERSION) {
        mg_buf_printf(err, "model file version %u; this build reads version %d", version,
                      MG_MODEL_FILE_VERSION);
        return NULL;
    }
    uint32_t spec_len = get_u32(&r);
    if (r.short_read || spec_len >= MG_SPEC_MAX || spec_len > len - r.pos) {
        mg_buf_printf(err, "model file is truncated or corrupt (spec length %u)", spec_len);
        return NULL;
    }
    char spec[MG_SPEC_MAX];
    memcpy(spec, bytes + r.pos, spec_len);
    spec[spec_len] = '\0';
    r.pos += spec_len;
    int shape[3];
    for (int i = 0; i < 3; i++)
        shape[i] = (int)get_u32(&r);
    uint64_t nparams = get_u64(&r), nstate = get_u64(&r);
    if (r.short_read) {
        mg_buf_printf(err, "model file is truncated: %zu bytes", len);
        return NULL;
    }
    /* what is wrong with the file, before what mg_model_build would say
     * about a spec on these inputs */
    int bad_shape = 0;
    for (int i = 0; i < 3; i++)
        bad_shape |= shape[i] < 1 || shape[i] > MG_MODEL_MAX_INPUT;
    if (bad_shape || (int64_t)shape[0] * shape[1] * shape[2] > MG_MODEL_MAX_INPUT) {
        mg_buf_printf(err,
                      "model file has an invalid input shape %dx%dx%d: each size must be at "
                      "least 1 and the product at most %d",
                      shape[0], shape[1], shape[2], MG_MODEL_MAX_INPUT);
        return NULL;
    }
    if (max_batch < 1 || max_batch > MG_MODEL_MAX_BATCH) {
        mg_buf_printf(err, "batch size %d: allowed 1 to %d", max_batch, MG_MODEL_MAX_BATCH);
        return NULL;
    }
    mg_buf sub = {0};
    mg_model *m = mg_model_build(spec, shape, max_batch, &sub);
    if (!m) {
        mg_buf_printf(err, "model file has an invalid spec '%s': %s", spec, mg_buf_str(&sub));
        mg_buf_free(&sub);
        return NULL;
    }
    mg_buf_free(&sub);
    if (nparams != m->nparams || nstate != m->nstate) {
        mg_buf_printf(err,
                      "model file is inconsistent: spec '%s' on inputs %dx%dx%d has %zu parameters "
                      "and %zu running statistics, the file says %llu and %llu",
                      spec, shape[0], shape[1], shape[2], m->nparams, m->nstate,
                      (unsigned long long)nparams, (unsigned long long)nstate);
        goto fail;
    }
    /* 8 u32 (nclasses, configured, loss, opt, schedule, accum, step_size,
     * total_steps), 11 f32, the i64 t, the float arrays and the checksum */
    size_t expect = r.pos + 8 * 4 + 11 * 4 + 8 + (3 * m->nparams + m->nstate) * 4 + 4;
    if (len != expect) {
        mg_buf_printf(err, "model file is %s: expected %zu bytes, got %zu",
                      len < expect ? "truncated" : "too long", expect, len);
        goto fail;
    }
    int nclasses = (int)get_u32(&r), configured = (int)get_u32(&r);
    mg_train_config c;
    c.loss = (mg_loss)get_u32(&r);
    c.opt = (mg_opt)get_u32(&r);
    c.schedule = (mg_schedule)get_u32(&r);
    float *f[] = {&c.lr, &c.momentum, &c.beta1, &c.beta2, &c.rho, &c.eps,
                  &c.weight_decay, &c.l1, &c.l2, &c.clip, &c.gamma};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        *f[i] = get_f32(&r);
    c.accum = (int)get_u32(&r);
    c.step_size = (int)get_u32(&r);
    c.total_steps = (int)get_u32(&r);
    int64_t t = (int64_t)get_u64(&r);
    if (configured && mg_model_configure(m, &c, nclasses) != MG_OK) {
        mg_buf_printf(err, "model file has invalid training settings: %s", mg_model_error(m));
        goto fail;
    }
    get_floats(&r, m->params, m->nparams);
    get_floats(&r, m->state, m->nstate);
    get_floats(&r, m->m1, m->nparams);
    get_floats(&r, m->m2, m->nparams);
    for (size_t i = 0; i < m->nparams; i++) {
        const char *bad = !isfinite(m->params[i]) ? "parameter"
                          : !isfinite(m->m1[i])   ? "optimizer first moment"
                          : !(m->m2[i] >= 0 && isfinite(m->m2[i])) ? "optimizer second moment"
                                                                  : NULL;
        if (bad) {
            mg_buf_printf(err, "model file has an invalid %s (index %zu)", bad, i);
            goto fail;
        }
    }
    for (int l = 0; l < m->nlayers; l++) {
        if (m->layers[l].kind != MG_LAYER_BATCHNORM)
            continue;
        size_t C = (size_t)m->layers[l].in_shape[0];
        const float *run = m->state + m->rm_off[l];
        for (size_t k = 0; k < C; k++)
            if (!isfinite(run[k]) || !(run[C + k] >= 0 && isfinite(run[C + k]))) {
                mg_buf_printf(err, "model file has invalid running statistics in layer %d", l + 1);
                goto fail;
            }
    }
    m->t = m->updates = t < 0 ? 0 : t;
    mg_rng_seed(&m->rng, (uint64_t)t, 0x6d67);
    return m;
fail:
    mg_model_free(m);
    return NULL;
}
