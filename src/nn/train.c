/* Training and evaluation: losses on the model's output, the optimizers
 * (one loop over the flat parameter buffer, layer by layer so each layer's
 * update size is known), per-layer statistics, metrics and the
 * single-sample trace. Epochs and batching are in trainer.c. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../tensor/fmath.h"
#include "../tensor/ops.h"
#include "model_internal.h"

const char *mg_loss_name(mg_loss loss)
{
    static const char *const names[MG_LOSS_COUNT] = {"auto", "mse", "bce", "ce", "svm"};
    return (unsigned)loss < MG_LOSS_COUNT ? names[loss] : "?";
}

const char *mg_opt_name(mg_opt opt)
{
    static const char *const names[MG_OPT_COUNT] = {"sgd", "momentum", "nesterov", "rmsprop", "adam"};
    return (unsigned)opt < MG_OPT_COUNT ? names[opt] : "?";
}

void mg_train_defaults(mg_train_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->loss = MG_LOSS_AUTO;
    cfg->opt = MG_OPT_ADAM;
    cfg->lr = 0.001f;
    cfg->momentum = 0.9f;
    cfg->beta1 = 0.9f;
    cfg->beta2 = 0.999f;
    cfg->rho = 0.9f;
    cfg->eps = 1e-8f;
    cfg->accum = 1;
    cfg->schedule = MG_SCHEDULE_CONSTANT;
    cfg->step_size = 1000;
    cfg->gamma = 0.1f;
    cfg->total_steps = 10000;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static mg_status fail(mg_model *m, mg_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mg_buf_clear(&m->error);
    mg_buf_vprintf(&m->error, fmt, ap);
    va_end(ap);
    return st;
}

/* A training step that went non-finite: its gradient is dropped (nothing
 * of it is applied, pending accumulation included) and the message says
 * which step and where. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static mg_status diverged(mg_model *m, const char *fmt, ...)
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

const mg_train_config *mg_model_config(const mg_model *m) { return &m->cfg; }
mg_loss mg_model_loss(const mg_model *m) { return m->loss; }
int64_t mg_model_steps(const mg_model *m) { return m->t; }
double mg_model_grad_norm(const mg_model *m) { return m->grad_norm; }

static int in_range(float v, float lo, float hi) { return v >= lo && v <= hi; }

mg_status mg_model_configure(mg_model *m, const mg_train_config *cfg, int nclasses)
{
    int out = mg_model_out_size(m);
    if (nclasses < 0 || nclasses == 1 || nclasses > MG_MODEL_MAX_CLASSES)
        return fail(m, MG_ERR_ARG, "%d classes: allowed 2 to %d (or 0 for regression)", nclasses,
                    MG_MODEL_MAX_CLASSES);
    if ((unsigned)cfg->loss >= MG_LOSS_COUNT)
        return fail(m, MG_ERR_ARG, "unknown loss %d (0 to %d)", (int)cfg->loss, MG_LOSS_COUNT - 1);
    if ((unsigned)cfg->opt >= MG_OPT_COUNT)
        return fail(m, MG_ERR_ARG, "unknown optimizer %d (0 to %d)", (int)cfg->opt,
                    MG_OPT_COUNT - 1);
    if ((unsigned)cfg->schedule >= MG_SCHEDULE_COUNT)
        return fail(m, MG_ERR_ARG, "unknown schedule %d (0 to %d)", (int)cfg->schedule,
                    MG_SCHEDULE_COUNT - 1);
    mg_loss loss = cfg->loss;
    if (loss == MG_LOSS_AUTO)
        loss = nclasses == 0 ? MG_LOSS_MSE : out == 1 ? MG_LOSS_BCE : MG_LOSS_CE;
    switch (loss) {
    case MG_LOSS_CE:
        if (nclasses == 0 || out != nclasses)
            return fail(m, MG_ERR_ARG,
                        "loss ce needs one output per class: the model has %d outputs and the "
                        "data %d classes (end the spec with 'dense %d')",
                        out, nclasses, nclasses ? nclasses : 2);
        break;
    case MG_LOSS_BCE:
    case MG_LOSS_SVM:
        if (nclasses != 2 || out != 1)
            return fail(m, MG_ERR_ARG,
                        "loss %s needs 2 classes and one output: the model has %d outputs and the "
                        "data %d classes",
                        mg_loss_name(loss), out, nclasses);
        break;
    case MG_LOSS_MSE:
        if (!nclasses && out != 1)
            return fail(m, MG_ERR_ARG,
                        "regression data has one target per point: the model has %d outputs "
                        "(end the spec with 'dense 1')",
                        out);
        if (nclasses && out != nclasses && !(out == 1 && nclasses == 2))
            return fail(m, MG_ERR_ARG,
                        "loss mse on %d classes needs %d outputs (one-hot targets), or 1 output "
                        "for 2 classes; the model has %d",
                        nclasses, nclasses, out);
        break;
    default: break;
    }
    if (!(cfg->lr > 0 && cfg->lr <= 100))
        return fail(m, MG_ERR_ARG, "learning rate %g: allowed > 0 and <= 100", (double)cfg->lr);
    const struct {
        const char *name;
        float v, hi;
    } ranges[] = {
        {"momentum", cfg->momentum, 0.9999f}, {"beta1", cfg->beta1, 0.9999f},
        {"beta2", cfg->beta2, 0.99999f},      {"rho", cfg->rho, 0.99999f},
        {"weight decay", cfg->weight_decay, 1}, {"l1", cfg->l1, 10}, {"l2", cfg->l2, 10},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (!in_range(ranges[i].v, 0, ranges[i].hi))
            return fail(m, MG_ERR_ARG, "%s %g: allowed 0 to %g", ranges[i].name,
                        (double)ranges[i].v, (double)ranges[i].hi);
    if (!(cfg->eps > 0 && cfg->eps < 1))
        return fail(m, MG_ERR_ARG, "eps %g: allowed > 0 and < 1", (double)cfg->eps);
    if (!in_range(cfg->clip, 0, 1e6f))
        return fail(m, MG_ERR_ARG, "gradient clipping norm %g: allowed 0 (off) to 1e6", (double)cfg->clip);
    if (cfg->accum < 1 || cfg->accum > 1024)
        return fail(m, MG_ERR_ARG, "gradient accumulation over %d mini-batches: allowed 1 to 1024",
                    cfg->accum);
    if (cfg->step_size < 1 || cfg->total_steps < 1)
        return fail(m, MG_ERR_ARG, "schedule: step size %d and total steps %d: allowed 1 or more",
                    cfg->step_size, cfg->total_steps);
    if (!in_range(cfg->gamma, 0, 1))
        return fail(m, MG_ERR_ARG, "schedule: gamma %g: allowed 0 to 1", (double)cfg->gamma);
    /* The optimizer's state (moments, step count) carries on while the
     * optimizer and the loss stay, as when PyTorch's learning rate is changed
     * between steps; another optimizer or loss starts from zero state. The
     * gradient computed so far (a trace's, or mini-batches accumulated) is
     * never dropped: an update after a change of setting applies it. */
    int fresh = !m->configured || cfg->opt != m->cfg.opt || loss != m->loss ||
                nclasses != m->nclasses;
    m->cfg = *cfg;
    m->loss = loss;
    m->nclasses = nclasses;
    m->configured = 1;
    if (fresh) {
        m->t = 0;
        memset(m->m1, 0, m->nparams * sizeof *m->m1);
        memset(m->m2, 0, m->nparams * sizeof *m->m2);
        memset(m->stats, 0, sizeof m->stats);
    }
    mg_buf_clear(&m->error);
    return MG_OK;
}

float mg_model_lr(const mg_model *m)
{
    const mg_train_config *c = &m->cfg;
    double t = (double)m->t;
    switch (c->schedule) {
    case MG_SCHEDULE_STEP: return (float)(c->lr * pow(c->gamma, floor(t / c->step_size)));
    case MG_SCHEDULE_COSINE: {
        double x = t < c->total_steps ? t / c->total_steps : 1.0;
        return (float)(c->lr * 0.5 * (1.0 + cos(3.141592653589793 * x)));
    }
    default: return c->lr;
    }
}

/* ---- losses ------------------------------------------------------------ */

static mg_status check_data(mg_model *m, const int32_t *labels, const float *targets, int n)
{
    if (!m->configured)
        return fail(m, MG_ERR_STATE, "the model has no loss and optimizer yet (configure it first)");
    if (n < 1 || n > m->max_batch)
        return fail(m, MG_ERR_ARG, "batch of %d samples: allowed 1 to %d", n, m->max_batch);
    if (m->nclasses) {
        if (!labels)
            return fail(m, MG_ERR_ARG, "classification needs labels");
        for (int i = 0; i < n; i++)
            if (labels[i] < 0 || labels[i] >= m->nclasses)
                return fail(m, MG_ERR_ARG,
                            "label %d of sample %d of the batch is outside 0..%d (the model is "
                            "configured for %d classes)",
                            (int)labels[i], i, m->nclasses - 1, m->nclasses);
    } else if (!targets) {
        return fail(m, MG_ERR_ARG, "regression needs targets");
    }
    return MG_OK;
}

/* The mean data loss of outputs out (n, O); if dout is not NULL, adds its
 * gradient times scale. */
static float data_loss(mg_model *m, const float *out, const int32_t *labels, const float *targets,
                       int n, float *dout, float scale)
{
    int O = mg_model_out_size(m);
    float *t = m->loss_tmp, loss = 0;
    switch (m->loss) {
    case MG_LOSS_CE:
        loss = mg_softmax_ce_forward(t, out, labels, n, O);
        if (dout)
            mg_softmax_ce_backward(dout, t, labels, n, O, scale);
        break;
    case MG_LOSS_BCE:
    case MG_LOSS_SVM:
        for (int i = 0; i < n; i++)
            t[i] = m->loss == MG_LOSS_BCE ? (float)labels[i] : labels[i] ? 1.0f : -1.0f;
        if (m->loss == MG_LOSS_BCE) {
            loss = mg_bce_logits_forward(out, t, n);
            if (dout)
                mg_bce_logits_backward(dout, out, t, n, scale);
        } else {
            loss = mg_svm_forward(out, t, n);
            if (dout)
                mg_svm_backward(dout, out, t, n, scale);
        }
        break;
    case MG_LOSS_MSE:
        if (labels) {
            for (int i = 0; i < n; i++)
                for (int k = 0; k < O; k++)
                    t[i * O + k] = O == 1 ? (float)labels[i] : (float)(labels[i] == k);
            targets = t;
        }
        loss = mg_mse_forward(out, targets, n, O);
        if (dout)
            mg_mse_backward(dout, out, targets, n, O, scale);
        break;
    default: break;
    }
    return loss;
}

/* Adds the L1/L2 terms of the weights (dense and conv) to the loss and,
 * scaled, to the gradients. */
static float regularize(mg_model *m, float scale)
{
    const mg_train_config *c = &m->cfg;
    if (c->l1 == 0 && c->l2 == 0)
        return 0;
    float reg = 0;
    for (int l = 0; l < m->nlayers; l++) {
        const mg_layer_info *L = &m->layers[l];
        if (L->kind != MG_LAYER_DENSE && L->kind != MG_LAYER_CONV)
            continue;
        const float *w = m->params + L->w_off;
        float *dw = m->grads + L->w_off;
        int n = (int)L->w_count;
        if (c->l1 > 0) {
            reg += c->l1 * mg_l1_forward(w, n);
            mg_l1_backward(dw, w, c->l1 * scale, n);
        }
        if (c->l2 > 0) {
            reg += c->l2 * mg_l2_forward(w, n);
            mg_l2_backward(dw, w, c->l2 * scale, n);
        }
    }
    return reg;
}

/* Forward, loss and backward into m->grads; the loss with regularization
 * in *loss. */
static mg_status compute_grads(mg_model *m, const float *x, const int32_t *labels,
                               const float *targets, int n, float scale, float *loss)
{
    float *out = mg_model_forward_pass(m, x, n, 1);
    float *dout = out ? mg_arena_zeros(&m->arena, (size_t)n * (size_t)mg_model_out_size(m)) : NULL;
    if (!dout)
        return fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
    float l = data_loss(m, out, labels, targets, n, dout, scale);
    l += regularize(m, scale);
    *loss = l;
    if (!isfinite(l)) {
        /* name the first layer whose output went bad, if one did */
        int bad = 0;
        float v = 0;
        for (int k = 0; k < m->nlayers && !bad; k++) {
            const int *sh = m->layers[k].out_shape;
            size_t cnt = (size_t)n * (size_t)sh[0] * (size_t)sh[1] * (size_t)sh[2];
            for (size_t i = 0; i < cnt && !bad; i++)
                if (!isfinite(m->rec[k].out[i]))
                    bad = k + 1, v = m->rec[k].out[i];
        }
        if (bad)
            return diverged(m,
                "step %lld: the output of layer %d (%s) became %s, so the loss is %s; try "
                "a lower learning rate or gradient clipping",
                (long long)m->t + 1, bad, mg_layer_kind_name(m->layers[bad - 1].kind),
                isnan(v) ? "nan" : "inf", isnan(l) ? "nan" : "inf");
        return diverged(m,
            "step %lld: the loss became %s (every layer's output is finite, too large "
            "for the loss); try a lower learning rate or gradient clipping",
            (long long)m->t + 1, isnan(l) ? "nan" : "inf");
    }
    if (mg_model_backward_pass(m, dout))
        return fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
    return MG_OK;
}

/* ---- the update -------------------------------------------------------- */

/* Sum of squares in double, with eight running sums (element i goes to sum
 * i % 8, combined pairwise at the end): a fixed order, so every build gets
 * the same bits, and eight times faster than one chain of dependent
 * additions. */
/* The eight running sums, combined pairwise (a fixed order). */
static double sum8(const double s[8])
{
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

static double sumsq(const float *v, size_t n)
{
    double s[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++)
            s[j] += (double)v[i + j] * v[i + j];
    for (int j = 0; i < n; i++, j++)
        s[j] += (double)v[i] * v[i];
    return sum8(s);
}

const mg_layer_stats *mg_model_stats(mg_model *m, int i)
{
    if (i < 0 || i >= m->nlayers)
        return NULL;
    mg_layer_stats *st = &m->stats[i];
    memset(st, 0, sizeof *st);
    const mg_layer_info *L = &m->layers[i];
    if (m->t == 0 || L->w_count == 0)
        return st;
    const float *g = m->last_grads + L->w_off;
    size_t n = L->w_count;
    st->g_norm = sqrt(sumsq(g, n));
    float mx = 0;
    for (size_t k = 0; k < n; k++)
        if (fabsf(g[k]) > mx)
            mx = fabsf(g[k]);
    st->hist_lo = -mx;
    st->hist_hi = mx;
    for (size_t k = 0; k < n; k++) {
        int bin = mx > 0 ? (int)((g[k] + mx) / (2 * mx) * MG_HIST_BINS) : MG_HIST_BINS / 2;
        st->hist[bin < 0 ? 0 : bin >= MG_HIST_BINS ? MG_HIST_BINS - 1 : bin]++;
    }
    st->w_norm = sqrt(sumsq(m->params + L->w_off, n));
    st->update_ratio = st->w_norm > 0 ? sqrt(m->update_sq[i]) / st->w_norm : 0;
    return st;
}

/* The optimizer's step on n parameters p with gradients g (clipped by the
 * factor clip) and moments m1, m2; weight decay wd (0 for biases). Returns
 * ||delta p||^2 (eight running sums, as sumsq). One loop per optimizer, so
 * the compiler can vectorize each; every element sees the same float
 * operations in every build. */
#define STEP_ONE(at, j, RULE)                                                              \
    do {                                                                                   \
        size_t e = (at); /* RULE reads element e */                                        \
        float gi = g[e] * clip, d;                                                         \
        RULE;                                                                              \
        d -= lr * wd * p[e]; /* exactly d when wd = 0 (p is finite) */                     \
        p[e] += d;                                                                         \
        s[j] += (double)d * d;                                                             \
    } while (0)
#define STEP_LOOP(RULE)                                                                    \
    do {                                                                                   \
        size_t i = 0;                                                                      \
        for (; i + 8 <= n; i += 8)                                                         \
            for (int j = 0; j < 8; j++)                                                    \
                STEP_ONE(i + j, j, RULE);                                                  \
        for (int j = 0; i < n; i++, j++)                                                   \
            STEP_ONE(i, j, RULE);                                                          \
    } while (0)

static double step_params(const mg_train_config *c, float *restrict p, const float *restrict g,
                          float *restrict m1, float *restrict m2, size_t n, float clip, float lr,
                          float wd, double bc1, double bc2)
{
    double s[8] = {0};
    float mu = c->momentum, rho = c->rho, b1 = c->beta1, b2 = c->beta2, eps = c->eps;
    switch (c->opt) {
    case MG_OPT_MOMENTUM:
        STEP_LOOP(m1[e] = mu * m1[e] + gi; d = -lr * m1[e]);
        break;
    case MG_OPT_NESTEROV:
        STEP_LOOP(m1[e] = mu * m1[e] + gi; d = -lr * (gi + mu * m1[e]));
        break;
    case MG_OPT_RMSPROP:
        STEP_LOOP(m2[e] = rho * m2[e] + (1 - rho) * gi * gi;
                  d = -lr * gi / (sqrtf(m2[e]) + eps));
        break;
    case MG_OPT_ADAM: {
        /* PyTorch's form: the bias corrections folded into a step size and
         * the scale of sqrt(m2), once per step, so the loop is all float
         * (mg_opt_step_ref keeps the textbook formula, in double) */
        float step = (float)(lr / bc1), scale = (float)(1.0 / sqrt(bc2));
        STEP_LOOP(m1[e] = b1 * m1[e] + (1 - b1) * gi; m2[e] = b2 * m2[e] + (1 - b2) * gi * gi;
                  d = -step * m1[e] / (sqrtf(m2[e]) * scale + eps));
        break;
    }
    default:
        STEP_LOOP(d = -lr * gi);
        break;
    }
    return sum8(s);
}
#undef STEP_LOOP
#undef STEP_ONE

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
    case MG_OPT_COUNT: break;
    }
    *p += d - lr * wd * *p;
}

static mg_status update(mg_model *m)
{
    const mg_train_config *c = &m->cfg;
    double gn2 = sumsq(m->grads, m->nparams);
    m->grad_norm = sqrt(gn2);
    if (!isfinite(m->grad_norm)) {
        int bad = 0;
        for (int l = 0; l < m->nlayers && !bad; l++) {
            const mg_layer_info *L = &m->layers[l];
            if (!isfinite(sumsq(m->grads + L->w_off, L->w_count + L->b_count)))
                bad = l + 1;
        }
        return diverged(m,
            "step %lld: the gradient of layer %d (%s) became inf or nan; try a lower "
            "learning rate or gradient clipping",
            (long long)m->t + 1, bad, bad ? mg_layer_kind_name(m->layers[bad - 1].kind) : "?");
    }
    float clip = c->clip > 0 && m->grad_norm > c->clip ? (float)(c->clip / m->grad_norm) : 1.0f;
    /* RMSprop and Adam average g*g in float: above sqrt(FLT_MAX) it would be
     * inf, and the step would quietly stop moving the weight */
    if ((c->opt == MG_OPT_RMSPROP || c->opt == MG_OPT_ADAM) && m->grad_norm * clip >= 1.8e19)
        return diverged(m,
            "step %lld: the gradient (norm %.3g) is too large for %s's average of squared "
            "gradients; try a lower learning rate or gradient clipping",
            (long long)m->t + 1, m->grad_norm, mg_opt_name(c->opt));
    float lr = mg_model_lr(m); /* the rate in force for update t + 1 */
    m->last_lr = lr;
    m->last_clip = clip;
    m->t++;
    double bc1 = 1.0 - pow(c->beta1, (double)m->t), bc2 = 1.0 - pow(c->beta2, (double)m->t);
    int bad_update = 0;
    for (int l = 0; l < m->nlayers; l++) {
        const mg_layer_info *L = &m->layers[l];
        size_t w = L->w_off, b = L->b_off;
        float wd = L->kind != MG_LAYER_BATCHNORM ? (float)c->weight_decay : 0.0f;
        m->update_sq[l] = step_params(c, m->params + w, m->grads + w, m->m1 + w, m->m2 + w,
                                      L->w_count, clip, lr, wd, bc1, bc2);
        double bias_sq = step_params(c, m->params + b, m->grads + b, m->m1 + b, m->m2 + b,
                                     L->b_count, clip, lr, 0.0f, bc1, bc2);
        /* a finite gradient times a large rate can still overflow a weight */
        if (!isfinite(m->update_sq[l] + bias_sq) && !bad_update)
            bad_update = l + 1;
    }
    if (bad_update)
        return diverged(m,
            "step %lld: the update made parameters of layer %d (%s) inf or nan; reset "
            "the model and try a lower learning rate or gradient clipping",
            (long long)m->t, bad_update, mg_layer_kind_name(m->layers[bad_update - 1].kind));
    /* the applied gradient becomes last_grads; grads start from zero */
    float *applied = m->grads;
    m->grads = m->last_grads;
    m->last_grads = applied;
    memset(m->grads, 0, m->nparams * sizeof *m->grads);
    return MG_OK;
}

mg_status mg_model_train_step(mg_model *m, const float *x, const int32_t *labels,
                              const float *targets, int n, float *loss)
{
    mg_status st = check_data(m, labels, targets, n);
    if (st)
        return st;
    if (m->pending == 0) /* mg_model_grad or a trace may have left a gradient */
        memset(m->grads, 0, m->nparams * sizeof *m->grads);
    st = compute_grads(m, x, labels, targets, n, 1.0f / (float)m->cfg.accum, loss);
    if (st)
        return st;
    if (++m->pending < m->cfg.accum)
        return MG_OK;
    m->pending = 0;
    return update(m);
}

/* ---- inference ---------------------------------------------------------- */

mg_status mg_model_predict(mg_model *m, const float *x, int n, float *out)
{
    if (n < 0)
        return fail(m, MG_ERR_ARG, "%d samples", n);
    size_t in = (size_t)mg_model_in_size(m), O = (size_t)mg_model_out_size(m);
    for (int start = 0; start < n; start += m->max_batch) {
        int nb = n - start < m->max_batch ? n - start : m->max_batch;
        const float *y = mg_model_forward_pass(m, x + (size_t)start * in, nb, 0);
        if (!y)
            return fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
        memcpy(out + (size_t)start * O, y, (size_t)nb * O * sizeof *out);
    }
    return MG_OK;
}

void mg_model_probs(const mg_model *m, const float *y, int n, float *out)
{
    int O = mg_model_out_size(m);
    for (int i = 0; i < n; i++) {
        const float *r = y + (size_t)i * (size_t)O;
        float *o = out + (size_t)i * (size_t)O;
        if (!m->nclasses) {
            for (int k = 0; k < O; k++)
                o[k] = r[k];
        } else if (m->loss == MG_LOSS_BCE) {
            o[0] = mg_sigmoidf(r[0]);
        } else if (m->loss == MG_LOSS_SVM) {
            o[0] = 0.5f * (mg_tanhf(r[0]) + 1.0f);
        } else if (m->loss == MG_LOSS_CE) {
            mg_softmax_forward(o, r, 1, O);
        } else { /* mse on labels */
            for (int k = 0; k < O; k++)
                o[k] = r[k] < 0 ? 0.0f : r[k] > 1 ? 1.0f : r[k];
        }
    }
}

mg_status mg_model_activations(mg_model *m, const float *x, int n, float *out)
{
    size_t in = (size_t)mg_model_in_size(m);
    for (int start = 0; start < n; start += m->max_batch) {
        int nb = n - start < m->max_batch ? n - start : m->max_batch;
        if (!mg_model_forward_pass(m, x + (size_t)start * in, nb, 0))
            return fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
        float *block = out;
        for (int l = 0; l < m->nlayers; l++) {
            const int *s = m->layers[l].out_shape;
            size_t osz = (size_t)s[0] * (size_t)s[1] * (size_t)s[2];
            const float *a = m->rec[l].out;
            for (int i = 0; i < nb; i++)
                for (size_t k = 0; k < osz; k++)
                    block[k * (size_t)n + (size_t)(start + i)] = a[(size_t)i * osz + k];
            block += osz * (size_t)n;
        }
    }
    return MG_OK;
}

mg_status mg_model_apply_update(mg_model *m)
{
    if (!m->configured)
        return fail(m, MG_ERR_STATE, "the model has no loss and optimizer yet (configure it first)");
    m->pending = 0;
    return update(m);
}

/* The predicted class of one output row. */
static int predicted_class(const mg_model *m, const float *y, int O)
{
    if (O == 1)
        return m->loss == MG_LOSS_MSE ? y[0] > 0.5f : y[0] > 0.0f;
    int best = 0;
    for (int k = 1; k < O; k++)
        if (y[k] > y[best])
            best = k;
    return best;
}

mg_status mg_model_evaluate(mg_model *m, const float *x, const int32_t *labels,
                            const float *targets, int n, mg_metrics *out)
{
    memset(out, 0, sizeof *out);
    if (n < 1)
        return fail(m, MG_ERR_ARG, "no samples to evaluate");
    mg_status st = check_data(m, labels, targets, 1);
    if (st)
        return st;
    int C = m->nclasses, O = mg_model_out_size(m);
    size_t in = (size_t)mg_model_in_size(m);
    double loss = 0, sse = 0, st1 = 0, st2 = 0;
    int correct = 0;
    for (int start = 0; start < n; start += m->max_batch) {
        int nb = n - start < m->max_batch ? n - start : m->max_batch;
        const int32_t *lb = labels ? labels + start : NULL;
        const float *tb = targets ? targets + (size_t)start * (size_t)O : NULL;
        if ((st = check_data(m, lb, tb, nb)))
            return st;
        const float *y = mg_model_forward_pass(m, x + (size_t)start * in, nb, 0);
        if (!y)
            return fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
        loss += (double)data_loss(m, y, lb, tb, nb, NULL, 1.0f) * nb;
        for (int i = 0; i < nb; i++) {
            if (C) {
                int p = predicted_class(m, y + (size_t)i * (size_t)O, O);
                correct += p == lb[i];
                out->confusion[lb[i] * MG_MODEL_MAX_CLASSES + p]++;
            } else {
                for (int k = 0; k < O; k++) {
                    double t = tb[(size_t)i * (size_t)O + (size_t)k], e = y[(size_t)i * (size_t)O + (size_t)k] - t;
                    sse += e * e;
                    st1 += t;
                    st2 += t * t;
                }
            }
        }
    }
    out->n = n;
    out->loss = loss / n;
    out->nclasses = C;
    if (C) {
        out->accuracy = (double)correct / n;
        /* confusion is stored with a row stride of MG_MODEL_MAX_CLASSES; pack it */
        for (int k = 0; k < C; k++) {
            double tp = out->confusion[k * MG_MODEL_MAX_CLASSES + k], pred = 0, actual = 0;
            for (int j = 0; j < C; j++) {
                pred += out->confusion[j * MG_MODEL_MAX_CLASSES + k];
                actual += out->confusion[k * MG_MODEL_MAX_CLASSES + j];
            }
            out->precision[k] = pred > 0 ? tp / pred : 0;
            out->recall[k] = actual > 0 ? tp / actual : 0;
            double pr = out->precision[k] + out->recall[k];
            out->f1[k] = pr > 0 ? 2 * out->precision[k] * out->recall[k] / pr : 0;
        }
        int32_t packed[MG_MODEL_MAX_CLASSES * MG_MODEL_MAX_CLASSES] = {0};
        for (int i = 0; i < C; i++)
            for (int j = 0; j < C; j++)
                packed[i * C + j] = out->confusion[i * MG_MODEL_MAX_CLASSES + j];
        memcpy(out->confusion, packed, sizeof packed);
    } else {
        double cnt = (double)n * O;
        out->accuracy = -1;
        out->rmse = sqrt(sse / cnt);
        double sst = st2 - st1 * st1 / cnt;
        out->r2 = sst > 0 ? 1 - sse / sst : 0;
    }
    return MG_OK;
}

/* ---- the single-sample trace -------------------------------------------- */

mg_status mg_model_grad(mg_model *m, const float *x, const int32_t *labels, const float *targets,
                        int n, float *loss)
{
    mg_status st = check_data(m, labels, targets, n);
    if (st)
        return st;
    memset(m->grads, 0, m->nparams * sizeof *m->grads);
    m->pending = 0;
    return compute_grads(m, x, labels, targets, n, 1.0f, loss);
}

mg_status mg_model_trace(mg_model *m, const float *x, const int32_t *label, const float *target,
                         float *loss)
{
    /* a trace only looks: batchnorm's running statistics and the dropout
     * RNG are put back as they were */
    mg_rng rng = m->rng;
    if (m->nstate)
        memcpy(m->state_copy, m->state, m->nstate * sizeof *m->state);
    mg_status st = mg_model_grad(m, x, label, target, 1, loss);
    m->rng = rng;
    /* the loss without regularization, and the output's probabilities */
    m->trace_probs = NULL;
    if (st == MG_OK) {
        int O = mg_model_out_size(m);
        const float *out = m->rec[m->nlayers - 1].out;
        float *probs = mg_arena_zeros(&m->arena, (size_t)O);
        if (!probs)
            return fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
        m->trace_data_loss = data_loss(m, out, label, target, 1, NULL, 1.0f);
        if (m->loss == MG_LOSS_CE) {
            memcpy(probs, m->loss_tmp, (size_t)O * sizeof *probs); /* softmax, from data_loss */
            m->trace_probs = probs;
        } else if (m->loss == MG_LOSS_BCE) {
            mg_sigmoid_forward(probs, out, O);
            m->trace_probs = probs;
        }
    }
    if (m->nstate)
        memcpy(m->state, m->state_copy, m->nstate * sizeof *m->state);
    /* the local derivative f'(z) of every neuron, for the explanations */
    for (int l = 0; st == MG_OK && l < m->nlayers; l++) {
        const mg_layer_info *L = &m->layers[l];
        layer_rec *r = &m->rec[l];
        r->dact = NULL;
        if (L->kind != MG_LAYER_DENSE && L->kind != MG_LAYER_CONV)
            continue;
        size_t n = (size_t)L->out_shape[0] * (size_t)L->out_shape[1] * (size_t)L->out_shape[2];
        float *ones = mg_arena_zeros(&m->arena, n);
        r->dact = mg_arena_zeros(&m->arena, n);
        if (!ones || !r->dact)
            return fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
        for (size_t i = 0; i < n; i++)
            ones[i] = 1.0f;
        mg_act_backward(L->act, r->dact, ones, r->pre, r->out, (int)n);
    }
    m->traced = st == MG_OK;
    return st;
}

mg_status mg_model_trace_output(const mg_model *m, float *data_loss, const float **probs)
{
    if (!m->traced)
        return MG_ERR_STATE;
    *data_loss = m->trace_data_loss;
    *probs = m->trace_probs;
    return MG_OK;
}

const float *mg_model_opt_state(const mg_model *m, int which) { return which ? m->m2 : m->m1; }
float mg_model_last_lr(const mg_model *m) { return m->last_lr; }
float mg_model_last_clip(const mg_model *m) { return m->last_clip; }

mg_status mg_model_trace_layer(const mg_model *m, int i, mg_trace_layer *out)
{
    memset(out, 0, sizeof *out);
    if (i < 0 || i >= m->nlayers || !m->traced)
        return MG_ERR_STATE;
    const mg_layer_info *L = &m->layers[i];
    const layer_rec *r = &m->rec[i];
    out->in = r->in;
    out->out = r->out;
    out->dout = r->dout;
    if (L->kind == MG_LAYER_DENSE || L->kind == MG_LAYER_CONV) {
        out->pre = r->pre;
        out->dpre = r->dpre;
        out->dact = r->dact;
    }
    if (L->w_count) {
        out->dw = m->grads + L->w_off;
        out->db = m->grads + L->b_off;
    }
    out->in_size = (size_t)L->in_shape[0] * (size_t)L->in_shape[1] * (size_t)L->in_shape[2];
    out->out_size = (size_t)L->out_shape[0] * (size_t)L->out_shape[1] * (size_t)L->out_shape[2];
    out->w_size = L->w_count;
    out->b_size = L->b_count;
    return MG_OK;
}
