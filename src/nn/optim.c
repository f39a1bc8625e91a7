/* Optimization: the training settings (one table: name, default, range),
 * the optimizers (one table: their rule, fast in float, with the textbook
 * rule in double beside it), the learning-rate schedules, and the update
 * of a model's parameters, layer by layer so each layer's update size is
 * known. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

/* ---- the settings -------------------------------------------------------- */

static const char *loss_name_of(int i) { return mg_loss_name((mg_loss)i); }
static const char *opt_name_of(int i) { return mg_opt_name((mg_opt)i); }
static const char *schedule_name_of(int i) { return mg_schedule_name((mg_schedule)i); }

#define REAL(field, def, lo, hi, lo_open, summary)                                               \
    {#field, summary, MG_SETTING_REAL, offsetof(mg_train_config, field), def, lo, hi, lo_open, 0, NULL}
#define INT(field, def, lo, hi, summary)                                                          \
    {#field, summary, MG_SETTING_INT, offsetof(mg_train_config, field), def, lo, hi, 0, 0, NULL}
#define NAME(field, def, count, name_of, summary)                                                 \
    {#field, summary, MG_SETTING_NAME, offsetof(mg_train_config, field), def, 0, count - 1, 0, count, name_of}

static const mg_setting settings[] = {
    NAME(loss, MG_LOSS_AUTO, MG_LOSS_COUNT, loss_name_of, "the loss (auto: ce, bce or mse by the data)"),
    NAME(opt, MG_OPT_ADAM, MG_OPT_COUNT, opt_name_of, "the optimizer"),
    REAL(lr, 0.001, 0, 100, 1, "learning rate"),
    REAL(momentum, 0.9, 0, 0.9999, 0, "momentum and nesterov: the velocity's decay"),
    REAL(beta1, 0.9, 0, 0.9999, 0, "adam: decay of the average gradient"),
    REAL(beta2, 0.999, 0, 0.99999, 0, "adam: decay of the average squared gradient"),
    REAL(rho, 0.9, 0, 0.99999, 0, "rmsprop: decay of the average squared gradient"),
    REAL(eps, 1e-8, 0, 0.999, 1, "adam, rmsprop, adagrad: added to the denominator"),
    REAL(weight_decay, 0, 0, 1, 0, "decoupled weight decay: w -= lr * wd * w (weights only)"),
    REAL(l1, 0, 0, 10, 0, "L1 penalty l1 * sum |w| added to the loss (weights only)"),
    REAL(l2, 0, 0, 10, 0, "L2 penalty l2/2 * sum w^2 added to the loss (weights only)"),
    REAL(clip, 0, 0, 1e6, 0, "scale the gradient to this global norm when above it; 0: off"),
    INT(accum, 1, 1, 1024, "update every accum mini-batches, their gradients summed"),
    NAME(schedule, MG_SCHEDULE_CONSTANT, MG_SCHEDULE_COUNT, schedule_name_of, "learning-rate schedule"),
    INT(step_size, 1000, 1, 1000000000, "step schedule: updates between decays"),
    REAL(gamma, 0.1, 0, 1, 0, "step schedule: the factor of each decay"),
    INT(total_steps, 10000, 1, 1000000000, "cosine schedule: updates to reach 0"),
};
#undef REAL
#undef INT
#undef NAME

int mg_setting_count(void) { return (int)(sizeof settings / sizeof settings[0]); }

const mg_setting *mg_setting_at(int i)
{
    return i >= 0 && i < mg_setting_count() ? &settings[i] : NULL;
}

const mg_setting *mg_setting_find(const char *name, int n)
{
    for (int i = 0; i < mg_setting_count(); i++)
        if ((int)strlen(settings[i].name) == n && memcmp(settings[i].name, name, (size_t)n) == 0)
            return &settings[i];
    return NULL;
}

double mg_setting_get(const mg_setting *s, const mg_train_config *c)
{
    const char *at = (const char *)c + s->offset;
    switch (s->type) {
    case MG_SETTING_REAL: return *(const float *)at;
    case MG_SETTING_INT: return *(const int *)at;
    case MG_SETTING_NAME: return *(const int *)at; /* enums are int-sized (checked below) */
    }
    return 0;
}

static void put_setting(mg_train_config *c, const mg_setting *s, double v)
{
    char *at = (char *)c + s->offset;
    switch (s->type) {
    case MG_SETTING_REAL: *(float *)at = (float)v; break;
    case MG_SETTING_INT:
    case MG_SETTING_NAME: *(int *)at = (int)v; break;
    }
}

_Static_assert(sizeof(mg_loss) == sizeof(int) && sizeof(mg_opt) == sizeof(int) &&
                   sizeof(mg_schedule) == sizeof(int),
               "settings of a named kind are stored as int");

void mg_train_defaults(mg_train_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (int i = 0; i < mg_setting_count(); i++)
        put_setting(cfg, &settings[i], settings[i].def);
}

/* "one of sgd, momentum, ..." into b */
static void list_names(mg_buf *b, const mg_setting *s)
{
    mg_buf_puts(b, "one of");
    for (int i = 0; i < s->count; i++)
        mg_buf_printf(b, "%s %s", i ? "," : "", s->name_of(i));
}

/* v within s's range? Else the message into err. */
static mg_status check_value(const mg_setting *s, double v, mg_buf *err)
{
    int ok = s->lo_open ? v > s->lo : v >= s->lo;
    ok = ok && v <= s->hi && !isnan(v);
    if (s->type != MG_SETTING_REAL)
        ok = ok && v == floor(v);
    if (ok)
        return MG_OK;
    mg_buf_clear(err);
    if (s->type == MG_SETTING_NAME) {
        mg_buf_printf(err, "%s %g: unknown (", s->name, v);
        list_names(err, s);
        mg_buf_puts(err, ")");
    } else {
        mg_buf_printf(err, "%s %.9g: allowed %s %g to %g", s->name, v,
                      s->type == MG_SETTING_INT ? "whole numbers from" : s->lo_open ? "above" : "from",
                      s->lo, s->hi);
    }
    return MG_ERR_ARG;
}

mg_status mg_train_config_check(const mg_train_config *c, mg_buf *err)
{
    for (int i = 0; i < mg_setting_count(); i++) {
        mg_status st = check_value(&settings[i], mg_setting_get(&settings[i], c), err);
        if (st)
            return st;
    }
    return MG_OK;
}

mg_status mg_train_config_set(mg_train_config *c, const char *name, int n, const char *value,
                              mg_buf *err)
{
    const mg_setting *s = mg_setting_find(name, n);
    if (!s) {
        mg_buf_clear(err);
        mg_buf_printf(err, "unknown setting '%.*s' (the settings are", n, name);
        for (int i = 0; i < mg_setting_count(); i++)
            mg_buf_printf(err, "%s %s", i ? "," : "", settings[i].name);
        mg_buf_puts(err, ")");
        return MG_ERR_NAME;
    }
    double v;
    if (s->type == MG_SETTING_NAME) {
        int i = 0;
        while (i < s->count && strcmp(s->name_of(i), value) != 0)
            i++;
        if (i == s->count) {
            mg_buf_clear(err);
            mg_buf_printf(err, "%s '%s' is unknown (", s->name, value);
            list_names(err, s);
            mg_buf_puts(err, ")");
            return MG_ERR_NAME;
        }
        v = i;
    } else {
        char *end;
        v = strtod(value, &end);
        if (end == value || *end) {
            mg_buf_clear(err);
            mg_buf_printf(err, "%s '%s' is not a number", s->name, value);
            return MG_ERR_ARG;
        }
    }
    mg_status st = check_value(s, v, err);
    if (st)
        return st;
    put_setting(c, s, v);
    return MG_OK;
}

/* ---- the optimizers ---------------------------------------------------------
 *
 * Each step function runs one loop per call over n parameters, so the
 * compiler vectorizes it; every element sees the same float operations in
 * every build (no FMA, no reassociation). It returns ||delta p||^2 in eight
 * running sums, as sumsq in train.c. */

#define STEP_ONE(at, j, RULE)                                                              \
    do {                                                                                   \
        size_t e = (at); /* RULE reads element e */                                        \
        float gi = g[e] * clip, d;                                                         \
        RULE;                                                                              \
        d -= lr * wd * p[e]; /* exactly d when wd = 0 (p is finite) */                     \
        p[e] += d;                                                                         \
        sq[j] += (double)d * d;                                                            \
    } while (0)
#define STEP_LOOP(RULE)                                                                    \
    do {                                                                                   \
        double sq[8] = {0};                                                                \
        float clip = s->clip, lr = s->lr, wd = s->wd;                                      \
        size_t i = 0;                                                                      \
        for (; i + 8 <= n; i += 8)                                                         \
            for (int j = 0; j < 8; j++)                                                    \
                STEP_ONE(i + j, j, RULE);                                                  \
        for (int j = 0; i < n; i++, j++)                                                   \
            STEP_ONE(i, j, RULE);                                                          \
        return ((sq[0] + sq[1]) + (sq[2] + sq[3])) + ((sq[4] + sq[5]) + (sq[6] + sq[7]));  \
    } while (0)

static double sgd_step(const mg_opt_step *s, float *restrict p, const float *restrict g,
                       float *restrict m1, float *restrict m2, size_t n)
{
    (void)m1, (void)m2;
    STEP_LOOP(d = -lr * gi);
}

static double momentum_step(const mg_opt_step *s, float *restrict p, const float *restrict g,
                            float *restrict m1, float *restrict m2, size_t n)
{
    (void)m2;
    float mu = s->cfg->momentum;
    STEP_LOOP(m1[e] = mu * m1[e] + gi; d = -lr * m1[e]);
}

static double nesterov_step(const mg_opt_step *s, float *restrict p, const float *restrict g,
                            float *restrict m1, float *restrict m2, size_t n)
{
    (void)m2;
    float mu = s->cfg->momentum;
    STEP_LOOP(m1[e] = mu * m1[e] + gi; d = -lr * (gi + mu * m1[e]));
}

static double rmsprop_step(const mg_opt_step *s, float *restrict p, const float *restrict g,
                           float *restrict m1, float *restrict m2, size_t n)
{
    (void)m1;
    float rho = s->cfg->rho, eps = s->cfg->eps;
    STEP_LOOP(m2[e] = rho * m2[e] + (1 - rho) * gi * gi; d = -lr * gi / (sqrtf(m2[e]) + eps));
}

static double adam_step(const mg_opt_step *s, float *restrict p, const float *restrict g,
                        float *restrict m1, float *restrict m2, size_t n)
{
    /* PyTorch's form: the bias corrections folded into a step size and the
     * scale of sqrt(m2), once per step, so the loop is all float
     * (mg_opt_step_ref keeps the textbook formula, in double) */
    float b1 = s->cfg->beta1, b2 = s->cfg->beta2, eps = s->cfg->eps;
    float step = (float)(s->lr / s->bc1), scale = (float)(1.0 / sqrt(s->bc2));
    STEP_LOOP(m1[e] = b1 * m1[e] + (1 - b1) * gi; m2[e] = b2 * m2[e] + (1 - b2) * gi * gi;
              d = -step * m1[e] / (sqrtf(m2[e]) * scale + eps));
}

static double adagrad_step(const mg_opt_step *s, float *restrict p, const float *restrict g,
                           float *restrict m1, float *restrict m2, size_t n)
{
    (void)m1;
    float eps = s->cfg->eps;
    STEP_LOOP(m2[e] = m2[e] + gi * gi; d = -lr * gi / (sqrtf(m2[e]) + eps));
}
#undef STEP_LOOP
#undef STEP_ONE

static const mg_opt_info opts[MG_OPT_COUNT] = {
    [MG_OPT_SGD] = {"sgd", "w -= lr * g", "", "", 0, sgd_step},
    [MG_OPT_MOMENTUM] = {"momentum", "v = momentum * v + g; w -= lr * v", "momentum", "v", 0,
                         momentum_step},
    [MG_OPT_NESTEROV] = {"nesterov", "v = momentum * v + g; w -= lr * (g + momentum * v)",
                         "momentum", "v", 0, nesterov_step},
    [MG_OPT_RMSPROP] = {"rmsprop", "s = rho * s + (1 - rho) * g^2; w -= lr * g / (sqrt(s) + eps)",
                        "rho eps", ", s", 1, rmsprop_step},
    [MG_OPT_ADAM] = {"adam",
                     "m = beta1 * m + (1 - beta1) * g; v = beta2 * v + (1 - beta2) * g^2; "
                     "w -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)",
                     "beta1 beta2 eps", "m, v", 1, adam_step},
    [MG_OPT_ADAGRAD] = {"adagrad", "s = s + g^2; w -= lr * g / (sqrt(s) + eps)", "eps", ", s", 1,
                        adagrad_step},
};

const mg_opt_info *mg_opt_info_of(mg_opt opt) { return (unsigned)opt < MG_OPT_COUNT ? &opts[opt] : NULL; }
const char *mg_opt_name(mg_opt opt) { return (unsigned)opt < MG_OPT_COUNT ? opts[opt].name : "?"; }

void mg_opt_step_ref(const mg_train_config *c, int64_t t, double lr, double clip, double wd,
                     double *p, double g, double *m1, double *m2)
{
    double gi = g * clip, d = 0;
    switch (c->opt) {
    case MG_OPT_SGD: d = -lr * gi; break;
    case MG_OPT_MOMENTUM:
        *m1 = c->momentum * *m1 + gi;
        d = -lr * *m1;
        break;
    case MG_OPT_NESTEROV:
        *m1 = c->momentum * *m1 + gi;
        d = -lr * (gi + c->momentum * *m1);
        break;
    case MG_OPT_RMSPROP:
        *m2 = c->rho * *m2 + (1 - c->rho) * gi * gi;
        d = -lr * gi / (sqrt(*m2) + c->eps);
        break;
    case MG_OPT_ADAM:
        *m1 = c->beta1 * *m1 + (1 - c->beta1) * gi;
        *m2 = c->beta2 * *m2 + (1 - c->beta2) * gi * gi;
        d = -lr * (*m1 / (1 - pow(c->beta1, (double)t))) /
            (sqrt(*m2 / (1 - pow(c->beta2, (double)t))) + c->eps);
        break;
    case MG_OPT_ADAGRAD:
        *m2 += gi * gi;
        d = -lr * gi / (sqrt(*m2) + c->eps);
        break;
    case MG_OPT_COUNT: break;
    }
    *p += d - lr * wd * *p;
}

/* ---- the schedules ----------------------------------------------------------- */

static double constant_rate(const mg_train_config *c, double t)
{
    (void)t;
    return c->lr;
}

static double step_rate(const mg_train_config *c, double t)
{
    return c->lr * pow(c->gamma, floor(t / c->step_size));
}

static double cosine_rate(const mg_train_config *c, double t)
{
    double x = t < c->total_steps ? t / c->total_steps : 1.0;
    return c->lr * 0.5 * (1.0 + cos(3.141592653589793 * x));
}

static const mg_schedule_info schedules[MG_SCHEDULE_COUNT] = {
    [MG_SCHEDULE_CONSTANT] = {"constant", "lr", "", constant_rate},
    [MG_SCHEDULE_STEP] = {"step", "lr * gamma^floor(t / step_size)", "step_size gamma", step_rate},
    [MG_SCHEDULE_COSINE] = {"cosine", "lr * (1 + cos(pi * min(t, total_steps) / total_steps)) / 2",
                            "total_steps", cosine_rate},
};

const mg_schedule_info *mg_schedule_info_of(mg_schedule s)
{
    return (unsigned)s < MG_SCHEDULE_COUNT ? &schedules[s] : NULL;
}

const char *mg_schedule_name(mg_schedule s)
{
    return (unsigned)s < MG_SCHEDULE_COUNT ? schedules[s].name : "?";
}

float mg_model_lr(const mg_model *m) { return (float)schedules[m->cfg.schedule].rate(&m->cfg, (double)m->t); }

/* ---- the update --------------------------------------------------------------- */

mg_status mg_model_update(mg_model *m)
{
    const mg_train_config *c = &m->cfg;
    const mg_opt_info *opt = &opts[c->opt];
    double gn2 = mg_sumsq(m->grads, m->nparams);
    m->grad_norm = sqrt(gn2);
    if (!isfinite(m->grad_norm)) {
        int bad = 0;
        for (int l = 0; l < m->nlayers && !bad; l++) {
            const mg_layer_info *L = &m->layers[l];
            if (!isfinite(mg_sumsq(m->grads + L->w_off, L->w_count + L->b_count)))
                bad = l + 1;
        }
        return mg_model_diverged(m,
            "step %lld: the gradient of layer %d (%s) became inf or nan; try a lower "
            "learning rate or gradient clipping",
            (long long)m->updates + 1, bad, bad ? mg_layer_kind_name(m->layers[bad - 1].kind) : "?");
    }
    float clip = c->clip > 0 && m->grad_norm > c->clip ? (float)(c->clip / m->grad_norm) : 1.0f;
    /* an average of g*g in float: above sqrt(FLT_MAX) it would be inf, and
     * the step would quietly stop moving the weight */
    if (opt->squares && m->grad_norm * clip >= 1.8e19)
        return mg_model_diverged(m,
            "step %lld: the gradient (norm %.3g) is too large for %s's average of squared "
            "gradients; try a lower learning rate or gradient clipping",
            (long long)m->updates + 1, m->grad_norm, opt->name);
    float lr = mg_model_lr(m); /* the rate in force for update t + 1 */
    m->last_lr = lr;
    m->last_clip = clip;
    m->t++;
    m->updates++;
    mg_opt_step s = {lr, clip, 0, c, 1.0 - pow(c->beta1, (double)m->t), 1.0 - pow(c->beta2, (double)m->t)};
    int bad_update = 0;
    for (int l = 0; l < m->nlayers; l++) {
        const mg_layer_info *L = &m->layers[l];
        size_t w = L->w_off, b = L->b_off;
        s.wd = mg_layer_decays(L) ? c->weight_decay : 0.0f;
        m->update_sq[l] = opt->step(&s, m->params + w, m->grads + w, m->m1 + w, m->m2 + w, L->w_count);
        s.wd = 0.0f;
        double bias_sq = opt->step(&s, m->params + b, m->grads + b, m->m1 + b, m->m2 + b, L->b_count);
        /* a finite gradient times a large rate can still overflow a weight */
        if (!isfinite(m->update_sq[l] + bias_sq) && !bad_update)
            bad_update = l + 1;
    }
    if (bad_update)
        return mg_model_diverged(m,
            "step %lld: the update made parameters of layer %d (%s) inf or nan; reset "
            "the model and try a lower learning rate or gradient clipping",
            (long long)m->updates, bad_update, mg_layer_kind_name(m->layers[bad_update - 1].kind));
    /* the applied gradient becomes last_grads; grads start from zero */
    float *applied = m->grads;
    m->grads = m->last_grads;
    m->last_grads = applied;
    memset(m->grads, 0, m->nparams * sizeof *m->grads);
    return MG_OK;
}
