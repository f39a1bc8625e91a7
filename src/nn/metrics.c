/* What a model computes besides training: predictions, every layer's
 * outputs (the page's neuron pictures), metrics over a data set (loss,
 * accuracy, confusion matrix, precision, recall, F1; RMSE and R^2), and
 * per-layer statistics of the latest update. */
#include <math.h>
#include <string.h>

#include "model_internal.h"

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
    st->g_norm = sqrt(mg_sumsq(g, n));
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
    st->w_norm = sqrt(mg_sumsq(m->params + L->w_off, n));
    st->update_ratio = st->w_norm > 0 ? sqrt(m->update_sq[i]) / st->w_norm : 0;
    return st;
}

/* ---- inference ---------------------------------------------------------- */

mg_status mg_model_predict(mg_model *m, const float *x, int n, float *out)
{
    if (n < 0)
        return mg_model_fail(m, MG_ERR_ARG, "%d samples", n);
    size_t in = (size_t)mg_model_in_size(m), O = (size_t)mg_model_out_size(m);
    for (int start = 0; start < n; start += m->max_batch) {
        int nb = n - start < m->max_batch ? n - start : m->max_batch;
        const float *y = mg_model_forward_pass(m, x + (size_t)start * in, nb, 0);
        if (!y)
            return mg_model_fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
        memcpy(out + (size_t)start * O, y, (size_t)nb * O * sizeof *out);
    }
    return MG_OK;
}

mg_status mg_model_activations(mg_model *m, const float *x, int n, float *out)
{
    size_t in = (size_t)mg_model_in_size(m);
    for (int start = 0; start < n; start += m->max_batch) {
        int nb = n - start < m->max_batch ? n - start : m->max_batch;
        if (!mg_model_forward_pass(m, x + (size_t)start * in, nb, 0))
            return mg_model_fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
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

mg_status mg_model_evaluate(mg_model *m, const float *x, const int32_t *labels,
                            const float *targets, int n, mg_metrics *out)
{
    memset(out, 0, sizeof *out);
    if (n < 1)
        return mg_model_fail(m, MG_ERR_ARG, "no samples to evaluate");
    mg_status st = mg_model_check_data(m, labels, targets, 1);
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
        if ((st = mg_model_check_data(m, lb, tb, nb)))
            return st;
        const float *y = mg_model_forward_pass(m, x + (size_t)start * in, nb, 0);
        if (!y)
            return mg_model_fail(m, MG_ERR_STATE, "internal error: the step arena is too small");
        loss += (double)mg_data_loss(m, y, lb, tb, nb, NULL, 1.0f) * nb;
        for (int i = 0; i < nb; i++) {
            if (C) {
                int p = mg_predicted_class(m, y + (size_t)i * (size_t)O, O);
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

