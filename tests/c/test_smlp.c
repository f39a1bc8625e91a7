/* The scalar MLP (src/scalar/smlp.c): micrograd's parameter layout, the
 * forward pass against a direct computation in plain C, every parameter's
 * gradient against finite differences, reuse of one graph across samples,
 * and its errors. */
#include "check.h"
#include "scalar/smlp.h"

/* The same network computed directly from the parameter values. */
static double direct_forward(const mg_smlp *m, const double *params, const double *x)
{
    double in[MG_SMLP_MAX_WIDTH], out[MG_SMLP_MAX_WIDTH];
    int fan_in = m->nin, p = 0;
    for (int i = 0; i < m->nin; i++)
        in[i] = x[i];
    for (int l = 0; l < m->nlayers; l++) {
        for (int j = 0; j < m->nout[l]; j++) {
            double z = params[p + fan_in];
            for (int i = 0; i < fan_in; i++)
                z += params[p + i] * in[i];
            p += fan_in + 1;
            switch (m->act[l]) {
            case MG_ACT_RELU: out[j] = z > 0 ? z : 0; break;
            case MG_ACT_TANH: out[j] = tanh(z); break;
            case MG_ACT_SIGMOID: out[j] = 1 / (1 + exp(-z)); break;
            default: out[j] = z; break;
            }
        }
        fan_in = m->nout[l];
        for (int j = 0; j < fan_in; j++)
            in[j] = out[j];
    }
    return in[0];
}

int main(void)
{
    mg_rng rng;
    mg_rng_seed(&rng, 1337, 0);
    mg_graph *g = mg_graph_create(100000);
    mg_smlp m;
    /* micrograd's MLP(3, [4, 4, 1]) has 41 parameters */
    const int nout[3] = {4, 4, 1};
    const mg_act act[3] = {MG_ACT_TANH, MG_ACT_SIGMOID, MG_ACT_LINEAR};
    CHECK_INT(mg_smlp_init(&m, g, 3, 3, nout, act, &rng), MG_OK);
    CHECK_INT(m.nparams, 41);
    CHECK_STR(mg_graph_label(g, 0), "w1.0.0");
    CHECK_STR(mg_graph_label(g, 3), "b1.0");
    CHECK_STR(mg_graph_label(g, 40), "b3.0");
    CHECK_NEAR(mg_graph_data(g, 3), 0.0, 0);
    for (int i = 0; i < 41; i++)
        CHECK(mg_graph_data(g, i) >= -1.0 && mg_graph_data(g, i) < 1.0);

    double params[41];
    for (int i = 0; i < 41; i++) {
        params[i] = mg_graph_data(g, i);
        if (i % 4 == 3 && i < 16)
            params[i] = 0.1 * i; /* non-zero biases */
        mg_graph_set_data(g, i, params[i]);
    }
    const double xs[2][3] = {{2.0, 3.0, -1.0}, {0.5, -1.5, 0.25}};
    int32_t out;
    for (int s = 0; s < 2; s++) {
        CHECK_INT(mg_smlp_forward(&m, g, xs[s], &out), MG_OK);
        int32_t size = mg_graph_size(g);
        CHECK_NEAR(mg_graph_data(g, out), direct_forward(&m, params, xs[s]), 1e-14);
        mg_graph_zero_grad(g);
        CHECK_INT(mg_graph_backward(g, out), MG_OK);
        for (int i = 0; i < 41; i++) {
            double h = 1e-6;
            params[i] += h;
            double fp = direct_forward(&m, params, xs[s]);
            params[i] -= 2 * h;
            double fm = direct_forward(&m, params, xs[s]);
            params[i] += h;
            if (!CHECK_NEAR(mg_graph_grad(g, i), (fp - fm) / (2 * h), 1e-8))
                fprintf(stderr, "  param %d (%s)\n", i, mg_graph_label(g, i));
        }
        /* the next sample reuses the graph: same size, no growth */
        CHECK_INT(mg_smlp_forward(&m, g, xs[s], &out), MG_OK);
        CHECK_INT(mg_graph_size(g), size);
    }
    CHECK_STR(mg_graph_label(g, out), "z3.0");
    CHECK_STR(mg_graph_label(g, 41), "x0");

    /* errors */
    mg_smlp bad;
    int wide[1] = {MG_SMLP_MAX_WIDTH + 1};
    CHECK_INT(mg_smlp_init(&bad, g, 2, 1, wide, act, &rng), MG_ERR_STATE);
    CHECK_STR(mg_graph_error(g), "smlp: the graph must be empty");
    mg_graph *e = mg_graph_create(10);
    CHECK_INT(mg_smlp_init(&bad, e, 2, 1, wide, act, &rng), MG_ERR_ARG);
    CHECK_STR(mg_graph_error(e), "smlp: layer 1 has 65 neurons; allowed 1..64");
    CHECK_INT(mg_smlp_init(&bad, e, 0, 1, nout, act, &rng), MG_ERR_ARG);
    CHECK_INT(mg_smlp_init(&bad, e, 2, 9, nout, act, &rng), MG_ERR_ARG);
    CHECK_INT(mg_smlp_init(&bad, e, 3, 3, nout, act, &rng), MG_ERR_LIMIT);
    CHECK_STR(mg_graph_error(e), "graph is full: it holds at most 10 nodes");
    CHECK_INT(mg_graph_size(e), 0);
    mg_graph_free(e);
    mg_graph_free(g);
    return check_done("test_smlp");
}
