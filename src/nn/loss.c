/* The losses: one table (name, what it fits, its value and gradient on a
 * batch of outputs, the probabilities the page draws), and the L1/L2
 * penalties added to them. The kernels are in tensor/ops.c. */
#include <math.h>
#include <string.h>

#include "../tensor/fmath.h"
#include "../tensor/ops.h"
#include "model_internal.h"

/* ---- what fits what ------------------------------------------------------- */

static int fits_any(int out, int nclasses, mg_buf *why)
{
    (void)out, (void)nclasses, (void)why;
    return 0;
}

static int fits_ce(int out, int nclasses, mg_buf *why)
{
    if (nclasses && out == nclasses)
        return 0;
    mg_buf_printf(why,
                  "loss ce needs one output per class: the model has %d outputs and the data %d "
                  "classes (end the spec with 'dense %d')",
                  out, nclasses, nclasses ? nclasses : 2);
    return -1;
}

static int fits_binary(const char *name, int out, int nclasses, mg_buf *why)
{
    if (nclasses == 2 && out == 1)
        return 0;
    mg_buf_printf(why,
                  "loss %s needs 2 classes and one output: the model has %d outputs and the data "
                  "%d classes",
                  name, out, nclasses);
    return -1;
}
static int fits_bce(int out, int nclasses, mg_buf *why) { return fits_binary("bce", out, nclasses, why); }
static int fits_svm(int out, int nclasses, mg_buf *why) { return fits_binary("svm", out, nclasses, why); }

static int fits_mse(int out, int nclasses, mg_buf *why)
{
    if (!nclasses && out != 1) {
        mg_buf_printf(why,
                      "regression data has one target per point: the model has %d outputs (end "
                      "the spec with 'dense 1')",
                      out);
        return -1;
    }
    if (nclasses && out != nclasses && !(out == 1 && nclasses == 2)) {
        mg_buf_printf(why,
                      "loss mse on %d classes needs %d outputs (one-hot targets), or 1 output for "
                      "2 classes; the model has %d",
                      nclasses, nclasses, out);
        return -1;
    }
    return 0;
}

static const mg_loss_info losses[MG_LOSS_COUNT] = {
    [MG_LOSS_AUTO] = {"auto", "ce for several outputs, bce for one, mse for regression", fits_any},
    [MG_LOSS_MSE] = {"mse", "mean of (output - target)^2 (one-hot targets for classes)", fits_mse},
    [MG_LOSS_BCE] = {"bce", "binary cross-entropy on a logit: -log sigmoid(+-z)", fits_bce},
    [MG_LOSS_CE] = {"ce", "cross-entropy of the softmax: -log softmax(z)_y", fits_ce},
    [MG_LOSS_SVM] = {"svm", "micrograd's max-margin loss: mean of relu(1 - y z), y = +-1", fits_svm},
};

const mg_loss_info *mg_loss_info_of(mg_loss loss) { return (unsigned)loss < MG_LOSS_COUNT ? &losses[loss] : NULL; }
const char *mg_loss_name(mg_loss loss) { return (unsigned)loss < MG_LOSS_COUNT ? losses[loss].name : "?"; }

mg_loss mg_loss_resolve(mg_loss loss, int out, int nclasses)
{
    if (loss != MG_LOSS_AUTO)
        return loss;
    return nclasses == 0 ? MG_LOSS_MSE : out == 1 ? MG_LOSS_BCE : MG_LOSS_CE;
}

/* ---- value and gradient ----------------------------------------------------- */

float mg_data_loss(mg_model *m, const float *out, const int32_t *labels, const float *targets,
                   int n, float *dout, float scale)
{
    int O = mg_model_out_size(m);
    float *t = m->loss_tmp, loss = 0;
    switch (m->loss) {
    case MG_LOSS_CE:
        loss = mg_softmax_ce_forward(t, out, labels, n, O); /* leaves the softmax in t */
        if (dout)
            mg_softmax_ce_backward(dout, t, labels, n, O, scale);
        break;
    case MG_LOSS_BCE:
        for (int i = 0; i < n; i++)
            t[i] = (float)labels[i];
        loss = mg_bce_logits_forward(out, t, n);
        if (dout)
            mg_bce_logits_backward(dout, out, t, n, scale);
        break;
    case MG_LOSS_SVM:
        for (int i = 0; i < n; i++)
            t[i] = labels[i] ? 1.0f : -1.0f;
        loss = mg_svm_forward(out, t, n);
        if (dout)
            mg_svm_backward(dout, out, t, n, scale);
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
    case MG_LOSS_AUTO: /* resolved by mg_model_configure */
    case MG_LOSS_COUNT: break;
    }
    return loss;
}

float mg_regularize(mg_model *m, float scale)
{
    const mg_train_config *c = &m->cfg;
    if (c->l1 == 0 && c->l2 == 0)
        return 0;
    float reg = 0;
    for (int l = 0; l < m->nlayers; l++) {
        const mg_layer_info *L = &m->layers[l];
        if (!mg_layer_decays(L))
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

/* ---- what the page draws -------------------------------------------------------- */

void mg_model_probs(const mg_model *m, const float *y, int n, float *out)
{
    int O = mg_model_out_size(m);
    for (int i = 0; i < n; i++) {
        const float *r = y + (size_t)i * (size_t)O;
        float *o = out + (size_t)i * (size_t)O;
        if (!m->nclasses) {
            memcpy(o, r, (size_t)O * sizeof *o);
            continue;
        }
        switch (m->loss) {
        case MG_LOSS_BCE: o[0] = mg_sigmoidf(r[0]); break;
        case MG_LOSS_SVM: o[0] = 0.5f * (mg_tanhf(r[0]) + 1.0f); break;
        case MG_LOSS_CE: mg_softmax_forward(o, r, 1, O); break;
        case MG_LOSS_MSE: /* on labels: clamped to [0, 1] */
        case MG_LOSS_AUTO:
        case MG_LOSS_COUNT:
            for (int k = 0; k < O; k++)
                o[k] = r[k] < 0 ? 0.0f : r[k] > 1 ? 1.0f : r[k];
            break;
        }
    }
}

int mg_predicted_class(const mg_model *m, const float *y, int O)
{
    if (O == 1)
        return m->loss == MG_LOSS_MSE ? y[0] > 0.5f : y[0] > 0.0f;
    int best = 0;
    for (int k = 1; k < O; k++)
        if (y[k] > y[best])
            best = k;
    return best;
}
