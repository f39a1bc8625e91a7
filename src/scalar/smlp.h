/* A scalar MLP over graph Values, like micrograd's nn.py (Neuron, Layer,
 * MLP): it builds the full graph of a small network for one sample, so the
 * page can show every multiply and add.
 *
 * The parameters are leaves at the start of the graph, created by
 * mg_smlp_init, in micrograd's order: layer by layer, neuron by neuron,
 * the neuron's weights then its bias. Labels: w{l}.{j}.{i} is the weight
 * from input i to neuron j of layer l (layers count from 1), b{l}.{j} its
 * bias; a forward pass labels inputs x{i}, pre-activations z{l}.{j} and
 * activations a{l}.{j}. mg_smlp_forward first drops every node after the
 * parameters (mg_graph_truncate), so one graph serves sample after sample
 * without growing, and parameter grads survive until mg_graph_zero_grad. */
#ifndef MG_SMLP_H
#define MG_SMLP_H

#include <stdint.h>

#include "../base/act.h"
#include "../base/rng.h"
#include "../base/status.h"
#include "value.h"

#define MG_SMLP_MAX_LAYERS 8
#define MG_SMLP_MAX_WIDTH 64

typedef struct mg_smlp {
    int nin;
    int nlayers;
    int nout[MG_SMLP_MAX_LAYERS];
    mg_act act[MG_SMLP_MAX_LAYERS];
    int32_t nparams;
    int32_t param0; /* id of the first parameter; they are consecutive */
    int32_t mark;   /* graph size right after the parameters */
} mg_smlp;

/* Adds the parameters of an MLP with nin inputs and nlayers layers of
 * nout[l] neurons with activation act[l] to g, which must be empty.
 * Weights are uniform in [-1, 1) from rng (as micrograd), biases 0.
 * Errors (sizes outside 1..MG_SMLP_MAX_WIDTH / MG_SMLP_MAX_LAYERS, unknown
 * activation, graph full) return a status; the message is in
 * mg_graph_error(g). */
mg_status mg_smlp_init(mg_smlp *m, mg_graph *g, int nin, int nlayers, const int *nout,
                       const mg_act *act, mg_rng *rng);

/* Builds the graph of one sample x (m->nin numbers) and writes the ids of
 * the output nodes to out (m->nout[m->nlayers - 1] of them). */
mg_status mg_smlp_forward(const mg_smlp *m, mg_graph *g, const double *x, int32_t *out);

#endif
