/* Training: configuring a model (the settings, the loss), a training step
 * (forward, loss, backward; the update is optim.c's), the gradient of a
 * batch, and the single-sample trace the step-through explains. Epochs and
 * batching are in trainer.c, evaluation in metrics.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../tensor/fmath.h"
#include "../tensor/ops.h"
#include "model_internal.h"

const mg_train_config *mg_model_config(const mg_model *m) { return &m->cfg; }
mg_loss mg_model_loss(const mg_model *m) { return m->loss; }
int64_t mg_model_steps(const mg_model *m) { return m->updates; }
int64_t mg_model_opt_t(const mg_model *m) { return m->t; }
double mg_model_grad_norm(const mg_model *m) { return m->grad_norm; }

mg_status mg_model_configure(mg_model *m, const mg_train_config *cfg, int nclasses)
{
    int out = mg_model_out_size(m);
    if (nclasses < 0 || nclasses == 1 || nclasses > MG_MODEL_MAX_CLASSES)
        return mg_model_fail(m, MG_ERR_ARG, "%d classes: allowed 2 to %d (or 0 for regression)", nclasses,
                    MG_MODEL_MAX_CLASSES);
    mg_buf why = {0};
    mg_status st = mg_train_config_check(cfg, &why);
    mg_loss loss = mg_loss_resolve(cfg->loss, out, nclasses);
    if (!st && mg_loss_info_of(loss)->fits(out, nclasses, &why))
        st = MG_ERR_ARG;
    if (st) {
        st = mg_model_fail(m, st, "%s", why.failed ? "out of memory" : mg_buf_str(&why));
        mg_buf_free(&why);
        return st;
    }
    mg_buf_free(&why);
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

/* Forward, loss and backward into m->grads; the loss with regularization
 * in *loss. */
static mg_status compute_grads(mg_model *m, const float *x, const int32_t *labels,
                               const float *targets, int n, float scale, float *loss)
{
    float *out = mg_model_forward_pass(m, x, n, 1);
    float *dout = out ? mg_arena_zeros(&m->arena, (size_t)n * (size_t)mg_model_out_size(m)) : NULL;
    if (!dout)
        return mg_model_fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
    float l = mg_data_loss(m, out, labels, targets, n, dout, scale);
    l += mg_regularize(m, scale);
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
            return mg_model_diverged(m,
                "step %lld: the output of layer %d (%s) became %s, so the loss is %s; try "
                "a lower learning rate or gradient clipping",
                (long long)m->updates + 1, bad, mg_layer_kind_name(m->layers[bad - 1].kind),
                isnan(v) ? "nan" : "inf", isnan(l) ? "nan" : "inf");
        return mg_model_diverged(m,
            "step %lld: the loss became %s (every layer's output is finite, too large "
            "for the loss); try a lower learning rate or gradient clipping",
            (long long)m->updates + 1, isnan(l) ? "nan" : "inf");
    }
    if (mg_model_backward_pass(m, dout))
        return mg_model_fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
    return MG_OK;
}

mg_status mg_model_train_step(mg_model *m, const float *x, const int32_t *labels,
                              const float *targets, int n, float *loss)
{
    mg_status st = mg_model_check_data(m, labels, targets, n);
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
    return mg_model_update(m);
}

mg_status mg_model_apply_update(mg_model *m)
{
    if (!m->configured)
        return mg_model_fail(m, MG_ERR_STATE, "the model has no loss and optimizer yet (configure it first)");
    m->pending = 0;
    return mg_model_update(m);
}

/* ---- the single-sample trace -------------------------------------------- */

mg_status mg_model_grad(mg_model *m, const float *x, const int32_t *labels, const float *targets,
                        int n, float *loss)
{
    mg_status st = mg_model_check_data(m, labels, targets, n);
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
            return mg_model_fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
        m->trace_data_loss = mg_data_loss(m, out, label, target, 1, NULL, 1.0f);
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
            return mg_model_fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
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
    if (mg_layer_kind_info_of(L->kind)->has_act) { /* z, dL/dz, f'(z) */
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
