#include "smlp.h"

#include <stdio.h>

mg_status mg_smlp_init(mg_smlp *m, mg_graph *g, int nin, int nlayers, const int *nout,
                       const mg_act *act, mg_rng *rng)
{
    if (mg_graph_size(g) != 0) {
        mg_graph_set_error(g, "smlp: the graph must be empty");
        return MG_ERR_STATE;
    }
    if (nin < 1 || nin > MG_SMLP_MAX_WIDTH) {
        mg_graph_set_error(g, "smlp: %d inputs; allowed 1..%d", nin, MG_SMLP_MAX_WIDTH);
        return MG_ERR_ARG;
    }
    if (nlayers < 1 || nlayers > MG_SMLP_MAX_LAYERS) {
        mg_graph_set_error(g, "smlp: %d layers; allowed 1..%d", nlayers,
                 MG_SMLP_MAX_LAYERS);
        return MG_ERR_ARG;
    }
    for (int l = 0; l < nlayers; l++) {
        if (nout[l] < 1 || nout[l] > MG_SMLP_MAX_WIDTH) {
            mg_graph_set_error(g, "smlp: layer %d has %d neurons; allowed 1..%d", l + 1,
                     nout[l], MG_SMLP_MAX_WIDTH);
            return MG_ERR_ARG;
        }
        if ((unsigned)act[l] >= MG_ACT_COUNT) {
            mg_graph_set_error(g, "smlp: layer %d: unknown activation %d", l + 1, (int)act[l]);
            return MG_ERR_ARG;
        }
        m->nout[l] = nout[l];
        m->act[l] = act[l];
    }
    m->nin = nin;
    m->nlayers = nlayers;
    m->param0 = 0;
    char label[32];
    int fan_in = nin;
    for (int l = 0; l < nlayers; l++) {
        for (int j = 0; j < nout[l]; j++) {
            for (int i = 0; i < fan_in; i++) {
                snprintf(label, sizeof label, "w%d.%d.%d", l + 1, j, i);
                if (mg_leaf(g, mg_rng_range(rng, -1.0, 1.0), label) < 0)
                    goto full;
            }
            snprintf(label, sizeof label, "b%d.%d", l + 1, j);
            if (mg_leaf(g, 0.0, label) < 0)
                goto full;
        }
        fan_in = nout[l];
    }
    m->nparams = mg_graph_size(g);
    m->mark = m->nparams;
    return MG_OK;
full:
    mg_graph_truncate(g, 0);
    return MG_ERR_LIMIT;
}

/* label := "<c><l>.<j>" (e.g. "a2.13"), as snprintf would write it but
 * without its cost: a step of micrograd's demo labels 6,600 nodes. */
static void neuron_label(char label[32], char c, int l, int j)
{
    char *p = label;
    *p++ = c;
    for (int k = 0; k < 2; k++) {
        int v = k ? j : l;
        char digits[12];
        int n = 0;
        do
            digits[n++] = (char)('0' + v % 10);
        while ((v /= 10) > 0);
        while (n > 0)
            *p++ = digits[--n];
        *p++ = k ? '\0' : '.';
    }
}

mg_status mg_smlp_forward(const mg_smlp *m, mg_graph *g, const double *x, int32_t *out)
{
    int32_t in[MG_SMLP_MAX_WIDTH], next[MG_SMLP_MAX_WIDTH];
    char label[32];
    mg_graph_truncate(g, m->mark);
    for (int i = 0; i < m->nin; i++) {
        snprintf(label, sizeof label, "x%d", i);
        in[i] = mg_leaf(g, x[i], label);
    }
    int32_t p = m->param0;
    int fan_in = m->nin;
    for (int l = 0; l < m->nlayers; l++) {
        for (int j = 0; j < m->nout[l]; j++) {
            /* micrograd: sum((wi*xi for wi, xi in zip(w, x)), b) */
            int32_t w0 = p, b = p + fan_in;
            int32_t z = b;
            for (int i = 0; i < fan_in; i++)
                z = mg_add(g, z, mg_mul(g, w0 + i, in[i]));
            p += fan_in + 1;
            neuron_label(label, 'z', l + 1, j);
            if (z >= 0 && z != b)
                mg_graph_set_label(g, z, label);
            int32_t a = mg_act_apply(g, m->act[l], z);
            if (a != z && a >= 0) {
                neuron_label(label, 'a', l + 1, j);
                mg_graph_set_label(g, a, label);
            }
            next[j] = a;
        }
        for (int j = 0; j < m->nout[l]; j++)
            in[j] = next[j];
        fan_in = m->nout[l];
    }
    for (int j = 0; j < fan_in; j++) {
        if (in[j] < 0)
            return MG_ERR_LIMIT; /* message in mg_graph_error(g) */
        out[j] = in[j];
    }
    return MG_OK;
}
