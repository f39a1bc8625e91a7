/* Networks (src/nn): spec parsing and its errors, shapes and parameter
 * counts, whole-model gradients against finite differences for every layer
 * kind and loss, the scalar engine's MLP as an independent reference,
 * each optimizer's update rule, accumulation, clipping, schedules, the
 * single-sample trace, evaluation metrics, save/load, divergence and int8
 * quantization. */
#include <stdlib.h>

#include "check.h"
#include "nn/model.h"
#include "nn/model_internal.h" /* the arena, for its sizing */
#include "scalar/smlp.h"

static mg_model *make(const char *spec, int c, int h, int w, int batch, uint64_t seed)
{
    int shape[3] = {c, h, w};
    mg_buf err = {0};
    mg_model *m = mg_model_create(spec, shape, batch, MG_INIT_AUTO, seed, &err);
    if (!m)
        fprintf(stderr, "  cannot create '%s': %s\n", spec, mg_buf_str(&err));
    mg_buf_free(&err);
    return m;
}

static void fill(float *v, size_t n, mg_rng *rng, double lo, double hi)
{
    for (size_t i = 0; i < n; i++)
        v[i] = (float)mg_rng_range(rng, lo, hi);
}

static void test_spec_errors(void)
{
    static const struct {
        const char *spec;
        int shape[3];
        const char *message;
    } cases[] = {
        {"", {2, 1, 1}, "empty model spec: list layers such as 'dense 16 relu, dense 1'"},
        {"dense 0 relu", {2, 1, 1},
         "layer 1 'dense 0 relu': dense needs a number of units from 1 to 4096, as in 'dense 16 relu'"},
        {"dense 16 relux, dense 1", {2, 1, 1},
         "layer 1 'dense 16 relux': unknown activation 'relux' (the activations are linear, relu, "
         "leaky_relu, tanh, sigmoid, gelu, elu)"},
        {"dense 8, dens 4", {2, 1, 1},
         "layer 2 'dens 4': unknown layer 'dens' (the layers are dense, conv, maxpool, avgpool, "
         "flatten, dropout, batchnorm)"},
        {"conv 5 8 relu, maxpool 2, conv 5 16 relu, maxpool 2, conv 5 4", {1, 28, 28},
         "layer 5 'conv 5 4': a 5x5 kernel is bigger than its input 4x4 (with padding 0)"},
        {"conv 3 4 stride 0", {1, 8, 8}, "layer 1 'conv 3 4 stride 0': stride needs a number from 1 to 15"},
        {"conv 3", {1, 8, 8}, "conv needs a number of output channels from 1 to 256"},
        {"maxpool 3", {1, 2, 2}, "layer 1 'maxpool 3': a 3x3 window is bigger than its input 2x2"},
        {"dropout 1", {2, 1, 1}, "dropout needs a probability p with 0 <= p < 1"},
        {"dropout x", {2, 1, 1}, "dropout needs a probability p with 0 <= p < 1"},
        {"dense 4,, dense 1", {2, 1, 1}, "layer 2 '': empty layer (two commas in a row"},
        {"dense 4 relu extra", {2, 1, 1}, "layer 1 'dense 4 relu extra': unexpected 'extra'"},
        {"flatten 3", {2, 1, 1}, "layer 1 'flatten 3': unexpected '3'"},
        {"dense 4096, dense 4096", {2, 1, 1},
         "layer 2 'dense 4096': brings the model to 16793600 parameters; the limit is 4194304"},
        {"dense 1", {0, 1, 1}, "input shape 0x1x1: each size must be at least 1"},
        {"conv 1 1", {65536, 65536, 1}, "input shape 65536x65536x1: each size must be at least 1 and the product at most 1048576"},
        {"conv 3 4 stride 2 stride 3", {1, 8, 8}, "layer 1 'conv 3 4 stride 2 stride 3': stride is given twice"},
        {"conv 3 4 pad 3", {1, 8, 8}, "pad needs a number from 0 to 2 (less than the kernel size)"},
        {"conv 3 4 relu pad 1", {1, 8, 8}, "unexpected 'pad' (stride and pad come before the activation)"},
        {"dropout 0x0.8", {2, 1, 1}, "dropout needs a probability p with 0 <= p < 1"},
        {"conv 1 128 pad 0, conv 1 256, conv 1 256, conv 1 256, conv 1 256, conv 1 256, conv 1 256, conv 1 256, conv 1 256, conv 1 256, conv 1 256, conv 1 256, conv 1 256, conv 1 256, conv 1 256, conv 1 256, conv 1 256", {1, 64, 64},
         "values per sample; the limit is 4194304"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mg_buf err = {0};
        mg_model *m = mg_model_create(cases[i].spec, cases[i].shape, 8, MG_INIT_AUTO, 1, &err);
        CHECK(m == NULL);
        CHECK_CONTAINS(mg_buf_str(&err), cases[i].message);
        mg_model_free(m);
        mg_buf_free(&err);
    }
    int shape[3] = {2, 1, 1};
    mg_buf err = {0};
    CHECK(mg_model_create("dense 1", shape, 0, MG_INIT_AUTO, 1, &err) == NULL);
    CHECK_STR(mg_buf_str(&err), "batch size 0: allowed 1 to 4096");
    /* activations of a whole batch are bounded too (a 32-bit heap must not wrap) */
    int big[3] = {1, 64, 64};
    mg_buf_clear(&err);
    CHECK(mg_model_create("conv 3 128 pad 1", big, 4096, MG_INIT_AUTO, 1, &err) == NULL);
    CHECK_CONTAINS(mg_buf_str(&err), "MB of activations; the limit is 536 MB");
    /* regression data has one target per point */
    mg_model *two = mg_model_create("dense 2", shape, 4, MG_INIT_AUTO, 1, &err);
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    CHECK_INT(mg_model_configure(two, &cfg, 0), MG_ERR_ARG);
    CHECK_CONTAINS(mg_model_error(two), "regression data has one target per point");
    mg_model_free(two);
    mg_buf_free(&err);
}

static void test_shapes(void)
{
    mg_model *m = make("conv 5 8 relu, maxpool 2, conv 5 16 relu, maxpool 2, flatten, dense 10",
                       1, 28, 28, 4, 1);
    CHECK(m != NULL);
    if (!m)
        return;
    CHECK_INT(mg_model_nparams(m), 208 + 3216 + 2570);
    CHECK_INT(mg_model_nlayers(m), 6);
    const mg_layer_info *L = mg_model_layer(m, 2);
    CHECK(L->out_shape[0] == 16 && L->out_shape[1] == 8 && L->out_shape[2] == 8);
    CHECK_INT(mg_model_layer(m, 4)->out_shape[0], 256);
    CHECK_INT(mg_model_out_size(m), 10);
    mg_model_free(m);
    m = make("conv 3 4 stride 2 pad 1 tanh, avgpool 2, batchnorm, dropout 0.5, dense 3 sigmoid", 2, 9, 7, 4, 1);
    CHECK(m != NULL);
    if (m) {
        L = mg_model_layer(m, 0);
        CHECK(L->out_shape[0] == 4 && L->out_shape[1] == 5 && L->out_shape[2] == 4);
        CHECK(L->stride == 2 && L->pad == 1 && L->act == MG_ACT_TANH);
        CHECK_INT(mg_model_layer(m, 1)->out_shape[1], 2);
        CHECK_INT(mg_model_layer(m, 2)->w_count, 4);
        CHECK_INT(mg_model_nparams(m), 4 * 2 * 9 + 4 + 8 + 3 * 16 + 3);
    }
    mg_model_free(m);
}

/* Central differences of the model's loss with respect to every one of
 * its parameters, against the gradient mg_model_grad computes. h = 1e-3:
 * with 1e-2 a step of a few parameters moved a relu or leaky relu unit's
 * input, or a max pool's winner, across its kink for some sample (the
 * difference then averages two slopes); the loss is a float32, so the
 * difference carries its rounding, about 1e-7 |loss| / 2h ~ 5e-5, which
 * dominates the h^2 truncation. Each model's tolerance on max |analytic -
 * numeric| is the error measured on it times 4, rounded up to one digit
 * (MG_TEST_MEASURE=1 prints the measurement): 4 to 8 times what this
 * build and every other (the same bits) gives, far below the O(1)
 * relative error of a wrong rule. */
static void check_model_grad(const char *spec, int c, int h, int w, int nclasses, mg_loss loss,
                             int n, double tol)
{
    mg_model *m = make(spec, c, h, w, n, 7);
    CHECK(m != NULL);
    if (!m)
        return;
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    cfg.loss = loss;
    cfg.l2 = 0.01f;
    cfg.l1 = 0.001f;
    if (mg_model_configure(m, &cfg, nclasses) != MG_OK) {
        CHECK_STR(mg_model_error(m), "");
        mg_model_free(m);
        return;
    }
    mg_rng rng;
    mg_rng_seed(&rng, 3, 3);
    int in = mg_model_in_size(m), out = mg_model_out_size(m);
    float *x = malloc(sizeof(float) * (size_t)(n * in));
    float *t = malloc(sizeof(float) * (size_t)(n * out));
    int32_t *y = malloc(sizeof(int32_t) * (size_t)n);
    fill(x, (size_t)(n * in), &rng, -1, 1);
    fill(t, (size_t)(n * out), &rng, -1, 1);
    for (int i = 0; i < n; i++)
        y[i] = nclasses ? i % nclasses : 0;
    const int32_t *labels = nclasses ? y : NULL;
    const float *targets = nclasses ? NULL : t;
    size_t np = mg_model_nparams(m);
    float *analytic = malloc(sizeof(float) * np);
    float loss0;
    CHECK_INT(mg_model_grad(m, x, labels, targets, n, &loss0), MG_OK);
    memcpy(analytic, mg_model_grads(m), sizeof(float) * np);
    float *p = mg_model_params(m);
    int bad = 0;
    double worst = 0;
    for (size_t i = 0; i < np; i++) {
        float keep = p[i], lp, lm, hh = 1e-3f;
        p[i] = keep + hh;
        mg_model_grad(m, x, labels, targets, n, &lp);
        p[i] = keep - hh;
        mg_model_grad(m, x, labels, targets, n, &lm);
        p[i] = keep;
        double fd = ((double)lp - lm) / (2.0 * hh), err = fabs(fd - analytic[i]);
        worst = err > worst ? err : worst;
        if (!(err <= tol) && bad++ < 5)
            fprintf(stderr, "  %s (%s): param %zu analytic %.6g numeric %.6g\n", spec,
                    mg_loss_name(mg_model_loss(m)), i, (double)analytic[i], fd);
    }
    if (bad)
        fprintf(stderr, "%s: %d of %zu gradients off by more than %g (worst %.3g)\n", spec, bad, np,
                tol, worst);
    if (getenv("MG_TEST_MEASURE"))
        printf("  %s (%s): %zu parameters, max |analytic - numeric| %.2e, tolerance %g\n", spec,
               mg_loss_name(mg_model_loss(m)), np, worst, tol);
    CHECK_INT(bad, 0);
    free(analytic);
    free(x);
    free(t);
    free(y);
    mg_model_free(m);
}

static void test_gradients(void)
{
    /* tolerances: the measured max |analytic - numeric| (in the comment)
     * times 4, rounded up to one digit */
    check_model_grad("dense 5 tanh, dense 4 sigmoid, dense 3", 3, 1, 1, 3, MG_LOSS_CE, 4,
                     4e-4); /* 7.8e-5 */
    check_model_grad("dense 6 leaky_relu, dense 1", 2, 1, 1, 2, MG_LOSS_BCE, 5, 2e-4); /* 3.0e-5 */
    check_model_grad("dense 6 tanh, dense 1", 2, 1, 1, 2, MG_LOSS_SVM, 5, 8e-5);       /* 2.0e-5 */
    check_model_grad("dense 4 tanh, dense 1", 2, 1, 1, 0, MG_LOSS_MSE, 3, 5e-5);       /* 1.1e-5 */
    check_model_grad("dense 4 tanh, dense 3", 2, 1, 1, 3, MG_LOSS_MSE, 4, 2e-4);       /* 3.5e-5 */
    check_model_grad("dense 5, batchnorm, dense 5 tanh, dense 3", 3, 1, 1, 3, MG_LOSS_CE, 6,
                     4e-4); /* 8.7e-5 */
    check_model_grad("conv 3 3 pad 1 tanh, maxpool 2, conv 2 2 stride 2 sigmoid, flatten, dense 3",
                     2, 8, 6, 3, MG_LOSS_CE, 2, 5e-4); /* 1.1e-4 */
    check_model_grad("conv 3 4 tanh, batchnorm, avgpool 2, dense 2", 1, 7, 7, 2, MG_LOSS_CE, 3,
                     3e-4); /* 5.2e-5 */
}

/* The tensor MLP against the scalar engine's MLP (double precision) with
 * the same weights: the same loss and the same gradients. */
static void test_scalar_crosscheck(void)
{
    mg_model *m = make("dense 3 tanh, dense 1", 2, 1, 1, 4, 11);
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    mg_model_configure(m, &cfg, 0); /* mse regression */
    const float x[4][2] = {{0.5f, -1.25f}, {1.5f, 0.25f}, {-0.75f, 0.5f}, {0.1f, 0.9f}};
    const float t[4] = {0.3f, -0.8f, 1.1f, 0.0f};
    float loss;
    CHECK_INT(mg_model_grad(m, &x[0][0], NULL, t, 4, &loss), MG_OK);

    mg_graph *g = mg_graph_create(10000);
    mg_smlp s;
    mg_rng rng;
    mg_rng_seed(&rng, 1, 1);
    const int nout[2] = {3, 1};
    const mg_act act[2] = {MG_ACT_TANH, MG_ACT_LINEAR};
    CHECK_INT(mg_smlp_init(&s, g, 2, 2, nout, act, &rng), MG_OK);
    /* tensor layout: W1 (3,2), b1 (3), W2 (1,3), b2 (1); scalar: per neuron w..., b */
    const float *p = mg_model_params(m);
    int map[13];
    int k = 0;
    for (int j = 0; j < 3; j++) {
        map[k++] = j * 2;
        map[k++] = j * 2 + 1;
        map[k++] = 6 + j;
    }
    for (int i = 0; i < 3; i++)
        map[k++] = 9 + i;
    map[k++] = 12;
    for (int i = 0; i < 13; i++)
        mg_graph_set_data(g, s.param0 + i, p[map[i]]);
    /* loss = mean over samples of (out - t)^2, built sample by sample:
     * each forward truncates the graph, so accumulate grads per sample */
    double total = 0;
    double grads[13] = {0};
    for (int i = 0; i < 4; i++) {
        double xi[2] = {x[i][0], x[i][1]};
        int32_t out;
        CHECK_INT(mg_smlp_forward(&s, g, xi, &out), MG_OK);
        int32_t e = mg_sub(g, out, mg_leaf(g, t[i], NULL));
        int32_t l = mg_div(g, mg_mul(g, e, e), mg_leaf(g, 4, NULL));
        mg_graph_zero_grad(g);
        CHECK_INT(mg_graph_backward(g, l), MG_OK);
        total += mg_graph_data(g, l);
        for (int j = 0; j < 13; j++)
            grads[j] += mg_graph_grad(g, s.param0 + j);
    }
    CHECK_NEAR(loss, total, 1e-6);
    const float *dp = mg_model_grads(m);
    for (int j = 0; j < 13; j++)
        if (!CHECK_NEAR(dp[map[j]], grads[j], 1e-6))
            fprintf(stderr, "  param %d (%s)\n", j, mg_graph_label(g, s.param0 + j));
    mg_graph_free(g);
    mg_model_free(m);
}

/* One update of each optimizer against its formula. */
static void test_optimizers(void)
{
    for (int opt = 0; opt < MG_OPT_COUNT; opt++) {
        mg_model *m = make("dense 2 tanh, dense 1", 2, 1, 1, 4, 5);
        mg_train_config cfg;
        mg_train_defaults(&cfg);
        cfg.opt = (mg_opt)opt;
        cfg.lr = 0.1f;
        mg_model_configure(m, &cfg, 0);
        const float x[4] = {0.5f, -0.5f, 1.0f, 0.25f};
        const float t[2] = {0.3f, -0.2f};
        size_t np = mg_model_nparams(m);
        float w0[16], g0[16], loss;
        /* two steps, so the moments matter */
        for (int step = 1; step <= 2; step++) {
            memcpy(w0, mg_model_params(m), np * sizeof(float));
            mg_model_grad(m, x, NULL, t, 2, &loss);
            memcpy(g0, mg_model_grads(m), np * sizeof(float));
            float state1[16] = {0}, state2[16] = {0};
            static float s1[MG_OPT_COUNT][16], s2[MG_OPT_COUNT][16];
            memcpy(state1, s1[opt], sizeof state1);
            memcpy(state2, s2[opt], sizeof state2);
            CHECK_INT(mg_model_train_step(m, x, NULL, t, 2, &loss), MG_OK);
            for (size_t i = 0; i < np; i++) {
                double g = g0[i], want = w0[i];
                switch (opt) {
                case MG_OPT_SGD: want -= 0.1 * g; break;
                case MG_OPT_MOMENTUM:
                    s1[opt][i] = 0.9f * state1[i] + (float)g;
                    want -= 0.1 * s1[opt][i];
                    break;
                case MG_OPT_NESTEROV:
                    s1[opt][i] = 0.9f * state1[i] + (float)g;
                    want -= 0.1 * (g + 0.9 * s1[opt][i]);
                    break;
                case MG_OPT_RMSPROP:
                    s2[opt][i] = 0.9f * state2[i] + 0.1f * (float)(g * g);
                    want -= 0.1 * g / (sqrt(s2[opt][i]) + 1e-8);
                    break;
                case MG_OPT_ADAM:
                    s1[opt][i] = 0.9f * state1[i] + 0.1f * (float)g;
                    s2[opt][i] = 0.999f * state2[i] + 0.001f * (float)(g * g);
                    want -= 0.1 * (s1[opt][i] / (1 - pow(0.9, step))) /
                            (sqrt(s2[opt][i] / (1 - pow(0.999, step))) + 1e-8);
                    break;
                case MG_OPT_ADAGRAD:
                    s2[opt][i] = state2[i] + (float)(g * g);
                    want -= 0.1 * g / (sqrt(s2[opt][i]) + 1e-8);
                    break;
                }
                if (!CHECK_NEAR(mg_model_params(m)[i], want, 1e-5))
                    fprintf(stderr, "  %s step %d param %zu\n", mg_opt_name((mg_opt)opt), step, i);
            }
        }
        CHECK_INT(mg_model_steps(m), 2);
        mg_model_free(m);
    }
}

/* The fast float update loops against the textbook rules in double
 * (mg_opt_step_ref) over 100 steps of a small regression, every optimizer
 * with non-default settings, clipping and weight decay: model a trains
 * with mg_model_train_step, model b takes the same data and applies the
 * reference rule to its own gradient. The weights' largest difference
 * after 100 steps, relative to the largest weight, is printed; the bound is
 * about 10x the worst measured: 4e-6 (measured 2e-7 to 3.7e-7, Adam's
 * float loop folding the bias corrections into a step size as PyTorch
 * does) and for RMSprop 2e-4 (measured 1.6e-5: its steps of nearly
 * constant size around the minimum amplify float rounding). */
static void test_opt_reference(void)
{
    const float x[8] = {0.5f, -0.5f, 1.0f, 0.25f, -1, 0.5f, 0.2f, 0.8f};
    const float t[4] = {0.3f, -0.2f, 0.5f, 0.9f};
    for (int opt = 0; opt < MG_OPT_COUNT; opt++) {
        mg_model *a = make("dense 4 tanh, dense 1", 2, 1, 1, 4, 11);
        mg_model *b = make("dense 4 tanh, dense 1", 2, 1, 1, 4, 11);
        mg_train_config cfg;
        mg_train_defaults(&cfg);
        cfg.opt = (mg_opt)opt;
        cfg.lr = opt == MG_OPT_SGD || opt == MG_OPT_MOMENTUM || opt == MG_OPT_NESTEROV ? 0.05f : 0.01f;
        cfg.momentum = 0.8f;
        cfg.beta1 = 0.85f;
        cfg.beta2 = 0.99f;
        cfg.rho = 0.95f;
        cfg.eps = 1e-6f;
        cfg.weight_decay = 0.01f;
        cfg.clip = 0.5f;
        CHECK_INT(mg_model_configure(a, &cfg, 0), MG_OK);
        CHECK_INT(mg_model_configure(b, &cfg, 0), MG_OK);
        size_t np = mg_model_nparams(b);
        double p[32], m1[32] = {0}, m2[32] = {0};
        for (size_t i = 0; i < np; i++)
            p[i] = mg_model_params(b)[i];
        float loss;
        for (int step = 1; step <= 100; step++) {
            CHECK_INT(mg_model_train_step(a, x, NULL, t, 4, &loss), MG_OK);
            CHECK_INT(mg_model_grad(b, x, NULL, t, 4, &loss), MG_OK);
            double norm = 0;
            for (size_t i = 0; i < np; i++)
                norm += (double)mg_model_grads(b)[i] * mg_model_grads(b)[i];
            norm = sqrt(norm);
            double clip = norm > cfg.clip ? cfg.clip / norm : 1.0;
            for (size_t i = 0; i < np; i++) {
                int bias = 0; /* weight decay is for weights */
                for (int l = 0; l < 2; l++) {
                    const mg_layer_info *L = mg_model_layer(b, l);
                    bias |= i >= L->b_off && i < L->b_off + L->b_count;
                }
                mg_opt_step_ref(&cfg, step, cfg.lr, clip, bias ? 0 : cfg.weight_decay, &p[i],
                                mg_model_grads(b)[i], &m1[i], &m2[i]);
                mg_model_params(b)[i] = (float)p[i];
            }
        }
        /* the largest difference, relative to the largest weight */
        double worst = 0, scale = 0;
        for (size_t i = 0; i < np; i++) {
            worst = fmax(worst, fabs(mg_model_params(a)[i] - p[i]));
            scale = fmax(scale, fabs(p[i]));
        }
        worst /= scale;
        printf("optimizer %-8s: weights after 100 steps within %.2g (relative) of the double reference\n",
               mg_opt_name((mg_opt)opt), worst);
        CHECK(worst < (opt == MG_OPT_RMSPROP ? 2e-4 : 4e-6));
        mg_model_free(a);
        mg_model_free(b);
    }
}

static void test_accumulation_clipping_schedules(void)
{
    /* accumulating two half batches equals one step on the whole batch */
    mg_model *a = make("dense 3 tanh, dense 1", 2, 1, 1, 4, 9);
    mg_model *b = make("dense 3 tanh, dense 1", 2, 1, 1, 4, 9);
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    cfg.opt = MG_OPT_SGD;
    cfg.lr = 0.5f;
    mg_model_configure(a, &cfg, 0);
    cfg.accum = 2;
    mg_model_configure(b, &cfg, 0);
    const float x[8] = {0.5f, -0.5f, 1.0f, 0.25f, -1, 0.5f, 0.2f, 0.8f};
    const float t[4] = {0.3f, -0.2f, 0.5f, 0.9f};
    float loss;
    mg_model_train_step(a, x, NULL, t, 4, &loss);
    mg_model_train_step(b, x, NULL, t, 2, &loss);
    CHECK_INT(mg_model_steps(b), 0); /* not yet */
    mg_model_train_step(b, x + 4, NULL, t + 2, 2, &loss);
    CHECK_INT(mg_model_steps(b), 1);
    for (size_t i = 0; i < mg_model_nparams(a); i++)
        CHECK_NEAR(mg_model_params(b)[i], mg_model_params(a)[i], 1e-6);

    /* clipping: the update is the clipped gradient */
    cfg.accum = 1;
    cfg.clip = 0.01f;
    mg_model_configure(b, &cfg, 0);
    float w0[16], g0[16];
    size_t np = mg_model_nparams(b);
    memcpy(w0, mg_model_params(b), np * sizeof(float));
    mg_model_grad(b, x, NULL, t, 4, &loss);
    memcpy(g0, mg_model_grads(b), np * sizeof(float));
    double norm = 0;
    for (size_t i = 0; i < np; i++)
        norm += (double)g0[i] * g0[i];
    norm = sqrt(norm);
    CHECK(norm > 0.01);
    mg_model_train_step(b, x, NULL, t, 4, &loss);
    CHECK_NEAR(mg_model_grad_norm(b), norm, 1e-5);
    for (size_t i = 0; i < np; i++)
        CHECK_NEAR(mg_model_params(b)[i], w0[i] - 0.5 * g0[i] * 0.01 / norm, 1e-6);

    /* schedules: the rate reported is the one the next update applies,
     * counted from the optimizer's first step (a fresh model here) */
    mg_model_free(b);
    b = make("dense 3 tanh, dense 1", 2, 1, 1, 4, 9);
    cfg.clip = 0;
    cfg.schedule = MG_SCHEDULE_STEP;
    cfg.step_size = 2;
    cfg.gamma = 0.5f;
    mg_model_configure(b, &cfg, 0);
    CHECK_NEAR(mg_model_lr(b), 0.5, 1e-7);
    static const double applied[4] = {0.5, 0.5, 0.25, 0.25};
    for (int k = 0; k < 4; k++) {
        float lr_reported = mg_model_lr(b);
        memcpy(w0, mg_model_params(b), np * sizeof(float));
        mg_model_grad(b, x, NULL, t, 4, &loss);
        memcpy(g0, mg_model_grads(b), np * sizeof(float));
        mg_model_train_step(b, x, NULL, t, 4, &loss);
        CHECK_NEAR(lr_reported, applied[k], 1e-7);
        CHECK_NEAR(mg_model_params(b)[0], w0[0] - applied[k] * g0[0], 1e-6);
    }
    /* a new base rate, same optimizer: the schedule goes on from t = 4 */
    cfg.lr = 1.0f;
    mg_model_configure(b, &cfg, 0);
    CHECK_INT(mg_model_steps(b), 4);
    CHECK_NEAR(mg_model_lr(b), 0.25, 1e-7); /* two halvings of 1 */
    for (int i = 0; i < 4; i++)
        mg_model_train_step(b, x, NULL, t, 4, &loss);
    CHECK_NEAR(mg_model_lr(b), 0.0625, 1e-7); /* t = 8: four halvings */
    mg_model_free(b);
    b = make("dense 3 tanh, dense 1", 2, 1, 1, 4, 9);
    cfg.lr = 0.5f;
    cfg.schedule = MG_SCHEDULE_COSINE;
    cfg.total_steps = 4;
    mg_model_configure(b, &cfg, 0);
    for (int i = 0; i < 2; i++)
        mg_model_train_step(b, x, NULL, t, 4, &loss);
    CHECK_NEAR(mg_model_lr(b), 0.25, 1e-7); /* halfway down the cosine */
    for (int i = 0; i < 3; i++)
        mg_model_train_step(b, x, NULL, t, 4, &loss);
    CHECK_NEAR(mg_model_lr(b), 0.0, 1e-7);

    /* per-layer statistics after an update */
    const mg_layer_stats *st = mg_model_stats(a, 0);
    CHECK(st->w_norm > 0 && st->g_norm > 0 && st->update_ratio > 0);
    int total = 0;
    for (int i = 0; i < MG_HIST_BINS; i++)
        total += st->hist[i];
    CHECK_INT(total, 6); /* the 3x2 weights of layer 1 */
    CHECK_NEAR(st->hist_hi, -st->hist_lo, 0);
    mg_model_free(a);
    mg_model_free(b);
}

static void test_trace(void)
{
    mg_model *m = make("dense 3 relu, dense 2", 2, 1, 1, 8, 4);
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    mg_model_configure(m, &cfg, 2);
    const float x[2] = {0.7f, -0.4f};
    const int32_t y = 1;
    float loss, loss2;
    mg_trace_layer tl;
    CHECK_INT(mg_model_trace_layer(m, 0, &tl), MG_ERR_STATE);
    CHECK_INT(mg_model_trace(m, x, &y, NULL, &loss), MG_OK);
    float dw[6], db[3];
    CHECK_INT(mg_model_trace_layer(m, 0, &tl), MG_OK);
    CHECK(tl.in_size == 2 && tl.out_size == 3 && tl.w_size == 6 && tl.b_size == 3);
    const float *out0 = tl.out;
    memcpy(dw, tl.dw, sizeof dw);
    memcpy(db, tl.db, sizeof db);
    /* the chain rule, filled in: a = relu(z), dL/dW[j][i] = dL/dz[j] * x[i] */
    for (int j = 0; j < 3; j++) {
        CHECK_NEAR(tl.out[j], tl.pre[j] > 0 ? tl.pre[j] : 0, 0);
        CHECK_NEAR(tl.dpre[j], tl.pre[j] > 0 ? tl.dout[j] : 0, 0);
        CHECK_NEAR(db[j], tl.dpre[j], 0);
        for (int i = 0; i < 2; i++)
            CHECK_NEAR(dw[j * 2 + i], tl.dpre[j] * x[i], 1e-7);
    }
    CHECK_INT(mg_model_trace_layer(m, 1, &tl), MG_OK);
    CHECK(tl.in == out0); /* layer 2 reads what layer 1 wrote */
    CHECK(tl.pre == tl.out && tl.dpre == tl.dout); /* linear: z is a */
    /* equal to what a training step computes on that sample */
    CHECK_INT(mg_model_grad(m, x, &y, NULL, 1, &loss2), MG_OK);
    CHECK_NEAR(loss2, loss, 0);
    for (int i = 0; i < 6; i++)
        CHECK_NEAR(mg_model_grads(m)[i], dw[i], 0);
    CHECK_INT(mg_model_trace_layer(m, 0, &tl), MG_ERR_STATE); /* a new pass ends the trace */
    float data_loss;
    const float *probs;
    CHECK_INT(mg_model_trace_output(m, &data_loss, &probs), MG_ERR_STATE);
    mg_model_free(m);

    /* the traced output: the data loss and the probabilities, by hand
     * (softmax for ce, sigmoid for bce), and the regularization on top */
    for (int ce = 0; ce < 2; ce++) {
        m = make(ce ? "dense 3 tanh, dense 2" : "dense 3 tanh, dense 1", 2, 1, 1, 8, 4);
        mg_train_defaults(&cfg);
        cfg.l2 = 0.1f;
        CHECK_INT(mg_model_configure(m, &cfg, 2), MG_OK);
        CHECK_INT(mg_model_trace(m, x, &y, NULL, &loss), MG_OK);
        CHECK_INT(mg_model_trace_output(m, &data_loss, &probs), MG_OK);
        CHECK_INT(mg_model_trace_layer(m, 1, &tl), MG_OK);
        double want;
        if (ce) {
            double e0 = exp(tl.out[0]), e1 = exp(tl.out[1]);
            CHECK_NEAR(probs[0], e0 / (e0 + e1), 1e-6);
            CHECK_NEAR(probs[1], e1 / (e0 + e1), 1e-6);
            want = -log(e1 / (e0 + e1)); /* label 1 */
        } else {
            double p = 1 / (1 + exp(-tl.out[0]));
            CHECK_NEAR(probs[0], p, 1e-6);
            want = -log(p);
        }
        CHECK_NEAR(data_loss, want, 1e-6);
        /* L2: 0.1 * sum(w^2) / 2 over both layers' weights (not biases) */
        double reg = 0;
        for (int l = 0; l < 2; l++) {
            const mg_layer_info *L = mg_model_layer(m, l);
            for (size_t k = 0; k < L->w_count; k++)
                reg += 0.05 * mg_model_params(m)[L->w_off + k] * mg_model_params(m)[L->w_off + k];
        }
        CHECK(reg > 1e-3);
        CHECK_NEAR(loss, want + reg, 1e-6);
        mg_model_free(m);
    }

    /* a trace changes nothing: batchnorm running statistics stay */
    m = make("dense 4, batchnorm, dropout 0.5, dense 2", 2, 1, 1, 8, 4);
    mg_model_configure(m, &cfg, 2);
    const float xs[8] = {0.7f, -0.4f, 0.1f, 0.9f, -1, 0.3f, 0.5f, 0.5f};
    const int32_t ys[4] = {1, 0, 1, 0};
    for (int i = 0; i < 3; i++)
        mg_model_train_step(m, xs, ys, NULL, 4, &loss);
    mg_metrics before, after;
    mg_model_evaluate(m, xs, ys, NULL, 4, &before);
    for (int i = 0; i < 10; i++)
        CHECK_INT(mg_model_trace(m, xs + 2 * (i % 4), ys + i % 4, NULL, &loss), MG_OK);
    mg_model_evaluate(m, xs, ys, NULL, 4, &after);
    CHECK_NEAR(after.loss, before.loss, 0);
    mg_model_free(m);
}

/* A setting changed halfway through a step-through (issue 13): the traced
 * gradient survives mg_model_configure, so the update that follows moves
 * every weight by -lr * grad with the new rate (checked by hand for SGD);
 * with the same optimizer its state carries on (Adam's moments and step
 * count, as when PyTorch's param_group lr is changed); a new optimizer
 * starts from zero state. */
static void test_configure_keeps_gradient(void)
{
    mg_model *m = make("dense 3 tanh, dense 1", 2, 1, 1, 8, 7);
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    cfg.opt = MG_OPT_SGD;
    cfg.lr = 0.03f;
    CHECK_INT(mg_model_configure(m, &cfg, 2), MG_OK);
    const float x[2] = {0.6f, -0.8f};
    const int32_t y = 1;
    float loss;
    size_t np = mg_model_nparams(m);
    float w0[16], g[16];
    CHECK_INT(mg_model_trace(m, x, &y, NULL, &loss), MG_OK);
    memcpy(w0, mg_model_params(m), np * sizeof(float));
    memcpy(g, mg_model_grads(m), np * sizeof(float));
    double gn = 0;
    for (size_t i = 0; i < np; i++)
        gn += (double)g[i] * g[i];
    CHECK(gn > 1e-6); /* a real gradient to apply */
    cfg.lr = 1.0f;
    CHECK_INT(mg_model_configure(m, &cfg, 2), MG_OK);
    CHECK_INT(mg_model_apply_update(m), MG_OK);
    for (size_t i = 0; i < np; i++)
        if (!CHECK_NEAR(mg_model_params(m)[i], (double)w0[i] - 1.0 * g[i], 1e-7))
            fprintf(stderr, "  param %zu\n", i);
    mg_model_free(m);

    /* Adam, lr changed after one step: step 2 uses the moments of step 1
     * and bias correction t = 2 (hand formula in double) */
    m = make("dense 3 tanh, dense 1", 2, 1, 1, 8, 7);
    mg_train_defaults(&cfg);
    cfg.opt = MG_OPT_ADAM;
    cfg.lr = 0.01f;
    CHECK_INT(mg_model_configure(m, &cfg, 2), MG_OK);
    double m1[16], m2[16];
    for (int step = 1; step <= 2; step++) {
        double lr = step == 1 ? 0.01 : 0.05;
        if (step == 2) {
            cfg.lr = 0.05f;
            CHECK_INT(mg_model_configure(m, &cfg, 2), MG_OK);
        }
        memcpy(w0, mg_model_params(m), np * sizeof(float));
        CHECK_INT(mg_model_grad(m, x, &y, NULL, 1, &loss), MG_OK);
        memcpy(g, mg_model_grads(m), np * sizeof(float));
        CHECK_INT(mg_model_apply_update(m), MG_OK);
        for (size_t i = 0; i < np; i++) {
            m1[i] = step == 1 ? 0.1 * g[i] : 0.9 * m1[i] + 0.1 * g[i];
            m2[i] = step == 1 ? 0.001 * g[i] * g[i] : 0.999 * m2[i] + 0.001 * g[i] * g[i];
            double want = w0[i] - lr * (m1[i] / (1 - pow(0.9, step))) /
                                      (sqrt(m2[i] / (1 - pow(0.999, step))) + 1e-8);
            if (!CHECK_NEAR(mg_model_params(m)[i], want, 1e-6))
                fprintf(stderr, "  adam step %d param %zu\n", step, i);
        }
    }
    CHECK_INT(mg_model_steps(m), 2);
    /* another optimizer: fresh state (its velocity starts at 0, so the
     * first update is lr * g); the model's count of updates goes on */
    cfg.opt = MG_OPT_MOMENTUM;
    CHECK_INT(mg_model_configure(m, &cfg, 2), MG_OK);
    CHECK_INT(mg_model_steps(m), 2);
    memcpy(w0, mg_model_params(m), np * sizeof(float));
    CHECK_INT(mg_model_grad(m, x, &y, NULL, 1, &loss), MG_OK);
    memcpy(g, mg_model_grads(m), np * sizeof(float));
    CHECK_INT(mg_model_apply_update(m), MG_OK);
    for (size_t i = 0; i < np; i++)
        CHECK_NEAR(mg_model_params(m)[i], (double)w0[i] - 0.05 * g[i], 1e-7);
    CHECK_INT(mg_model_steps(m), 3);
    mg_model_free(m);
}

static void test_metrics(void)
{
    mg_model *m = make("dense 3", 2, 1, 1, 4, 1);
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    mg_model_configure(m, &cfg, 3);
    /* a fixed linear classifier: class = argmax of (x1, x2, -x1-x2) */
    float *p = mg_model_params(m);
    const float w[9] = {1, 0, 0, 1, -1, -1, 0, 0, 0};
    memcpy(p, w, sizeof w);
    const float x[10] = {1, 0, 0, 1, -1, -1, 1, 0.5f, 0.2f, 0.9f};
    const int32_t y[5] = {0, 1, 2, 1, 1}; /* predictions: 0, 1, 2, 0, 1 */
    mg_metrics mt;
    CHECK_INT(mg_model_evaluate(m, x, y, NULL, 5, &mt), MG_OK);
    CHECK_NEAR(mt.accuracy, 0.8, 1e-12);
    CHECK_INT(mt.confusion[1 * 3 + 0], 1); /* true 1 predicted 0 */
    CHECK_INT(mt.confusion[1 * 3 + 1], 2);
    CHECK_NEAR(mt.precision[0], 0.5, 1e-12);
    CHECK_NEAR(mt.recall[1], 2.0 / 3.0, 1e-12);
    CHECK_NEAR(mt.f1[1], 0.8, 1e-12);
    const int32_t bad[5] = {0, 1, 3, 1, 1};
    CHECK_INT(mg_model_evaluate(m, x, bad, NULL, 5, &mt), MG_ERR_ARG);
    CHECK_STR(mg_model_error(m), "label 3 of sample 2 of the batch is outside 0..2 (the model is configured for 3 classes)");
    mg_model_free(m);
}

static void test_save_load(void)
{
    mg_model *m = make("dense 4 tanh, batchnorm, dense 2", 2, 1, 1, 8, 2);
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    cfg.lr = 0.05f;
    mg_model_configure(m, &cfg, 2);
    mg_rng rng;
    mg_rng_seed(&rng, 5, 5);
    float x[16];
    int32_t y[8];
    fill(x, 16, &rng, -1, 1);
    for (int i = 0; i < 8; i++)
        y[i] = x[2 * i] > 0;
    float loss, la, lb;
    for (int i = 0; i < 5; i++)
        mg_model_train_step(m, x, y, NULL, 8, &loss);
    mg_buf file = {0}, err = {0};
    CHECK_INT(mg_model_save(m, &file), MG_OK);
    mg_model *copy = mg_model_load((const uint8_t *)file.data, file.len, 8, &err);
    CHECK(copy != NULL);
    if (copy) {
        CHECK_STR(mg_model_spec(copy), "dense 4 tanh, batchnorm, dense 2");
        CHECK_INT(mg_model_steps(copy), 5);
        /* both continue identically: parameters, running stats and moments came along */
        for (int i = 0; i < 3; i++) {
            mg_model_train_step(m, x, y, NULL, 8, &la);
            mg_model_train_step(copy, x, y, NULL, 8, &lb);
            CHECK_NEAR(lb, la, 0);
        }
        mg_metrics ma, mb;
        mg_model_evaluate(m, x, y, NULL, 8, &ma);
        mg_model_evaluate(copy, x, y, NULL, 8, &mb);
        CHECK_NEAR(mb.loss, ma.loss, 0);
    }
    mg_model_free(copy);
    /* damaged files */
    uint8_t *bytes = (uint8_t *)file.data;
    bytes[file.len / 2] ^= 0x40;
    CHECK(mg_model_load(bytes, file.len, 8, &err) == NULL);
    CHECK_STR(mg_buf_str(&err), "model file is corrupt or truncated: checksum mismatch");
    bytes[file.len / 2] ^= 0x40;
    mg_buf_clear(&err);
    CHECK(mg_model_load(bytes, file.len - 9, 8, &err) == NULL);
    CHECK_STR(mg_buf_str(&err), "model file is corrupt or truncated: checksum mismatch");
    mg_buf_clear(&err);
    CHECK(mg_model_load((const uint8_t *)"hello", 5, 8, &err) == NULL);
    CHECK_STR(mg_buf_str(&err), "not a Micrograd Lab model file (it does not start with MGMODEL)");
    mg_buf_clear(&err);
    bytes[8] = 9;
    CHECK(mg_model_load(bytes, file.len, 8, &err) == NULL);
    CHECK_STR(mg_buf_str(&err), "model file version 9; this build reads version 1");
    mg_buf_free(&err);
    mg_buf_free(&file);
    mg_model_free(m);
}

static void test_divergence(void)
{
    mg_model *m = make("dense 8 relu, dense 1", 1, 1, 1, 4, 3);
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    cfg.opt = MG_OPT_SGD;
    cfg.lr = 100;
    mg_model_configure(m, &cfg, 0);
    const float x[4] = {1e3f, -2e3f, 3e3f, 5e3f};
    const float t[4] = {1e4f, -1e4f, 2e4f, 3e4f};
    float loss;
    mg_status st = MG_OK;
    int step;
    for (step = 0; step < 50 && st == MG_OK; step++)
        st = mg_model_train_step(m, x, NULL, t, 4, &loss);
    CHECK_INT(st, MG_ERR_DOMAIN);
    printf("divergence: %s\n", mg_model_error(m));
    CHECK_CONTAINS(mg_model_error(m), "; try a lower learning rate or gradient clipping");
    char want[160];
    snprintf(want, sizeof want, "step %d: ", step);
    CHECK(strncmp(mg_model_error(m), want, strlen(want)) == 0);
    CHECK_INT((int)mg_model_steps(m), step - 1); /* the failing step changed nothing */
    /* here the outputs stay finite and their squared error overflows */
    CHECK_STR(mg_model_error(m), "step 2: the loss became inf (every layer's output is finite, "
                                 "too large for the loss); try a lower learning rate or gradient "
                                 "clipping");
    for (size_t i = 0; i < mg_model_nparams(m); i++)
        CHECK(isfinite(mg_model_params(m)[i])); /* nothing non-finite was applied */
    mg_model_free(m);

    /* cross-entropy stays finite for large logits, so the weights grow
     * until a layer's output overflows: the message names it */
    m = make("dense 8 relu, dense 3", 2, 1, 1, 4, 3);
    CHECK_INT(mg_model_configure(m, &cfg, 3), MG_OK);
    const float xc[8] = {1e15f, -2e15f, 3e15f, 5e15f, -4e15f, 1e15f, 2e15f, -3e15f};
    const int32_t yc[4] = {0, 1, 2, 1};
    st = MG_OK;
    for (step = 0; step < 50 && st == MG_OK; step++)
        st = mg_model_train_step(m, xc, yc, NULL, 4, &loss);
    printf("divergence: %s\n", mg_model_error(m));
    CHECK_INT(st, MG_ERR_DOMAIN);
    CHECK_STR(mg_model_error(m), "step 2: the output of layer 2 (dense) became inf, so the loss "
                                 "is nan; try a lower learning rate or gradient clipping");
    mg_model_free(m);

    /* Adam's average of g*g would overflow in float and freeze the weight:
     * refused before the step */
    m = make("dense 1", 1, 1, 1, 4, 3);
    cfg.opt = MG_OPT_ADAM;
    cfg.lr = 0.01f;
    CHECK_INT(mg_model_configure(m, &cfg, 0), MG_OK);
    mg_model_params(m)[0] = 1e-19f;
    const float xa[4] = {1e19f, 1e19f, 1e19f, 1e19f}, ta[4] = {0, 0, 0, 0};
    CHECK_INT(mg_model_train_step(m, xa, NULL, ta, 4, &loss), MG_ERR_DOMAIN);
    CHECK_STR(mg_model_error(m), "step 1: the gradient (norm 2e+19) is too large for adam's average "
                                 "of squared gradients; try a lower learning rate or gradient "
                                 "clipping");
    CHECK_INT((int)mg_model_steps(m), 0);
    mg_model_free(m);

    /* a finite gradient times a large rate overflows the weight: said */
    m = make("dense 1", 1, 1, 1, 4, 3);
    cfg.opt = MG_OPT_SGD;
    cfg.lr = 100;
    CHECK_INT(mg_model_configure(m, &cfg, 0), MG_OK);
    mg_model_params(m)[0] = 1;
    mg_model_params(m)[1] = 0;
    const float xs[4] = {2e18f, 2e18f, 2e18f, 2e18f};
    CHECK_INT(mg_model_train_step(m, xs, NULL, ta, 4, &loss), MG_ERR_DOMAIN);
    CHECK_STR(mg_model_error(m), "step 1: the update made parameters of layer 1 (dense) inf or nan; "
                                 "reset the model and try a lower learning rate or gradient "
                                 "clipping");
    CHECK(!isfinite(mg_model_params(m)[0])); /* (the overflow is found after the fact) */
    mg_model_free(m);
}

/* int8 quantization: every weight of a channel moves by at most half of
 * its scale (max |w| / 127), the largest keeps its value, biases and
 * batchnorm stay as they were, and the sizes add up. */
static void test_quantize(void)
{
    mg_model *m = make("conv 3 4 relu, flatten, batchnorm, dense 3", 2, 5, 5, 4, 11);
    mg_rng rng;
    mg_rng_seed(&rng, 5, 1);
    fill(mg_model_params(m), mg_model_nparams(m), &rng, -2, 2);
    mg_buf err = {0};
    mg_quant_report rep;
    mg_model *q = mg_model_quantize_int8(m, &rep, &err);
    CHECK(q != NULL);
    CHECK_INT(rep.layers, 2);
    CHECK_INT((int)rep.scales, 4 + 3);
    const float *a = mg_model_params(m), *b = mg_model_params(q);
    size_t qw = 0;
    int bad = 0;
    for (int l = 0; l < mg_model_nlayers(m); l++) {
        const mg_layer_info *L = mg_model_layer(m, l);
        int quantized = L->kind == MG_LAYER_DENSE || L->kind == MG_LAYER_CONV;
        size_t row = quantized ? L->w_count / (size_t)L->units : 0;
        for (size_t i = 0; i < L->w_count; i++) {
            size_t at = L->w_off + i;
            if (!quantized) {
                bad += a[at] != b[at];
                continue;
            }
            const float *r = a + L->w_off + i / row * row;
            float mx = 0;
            for (size_t k = 0; k < row; k++)
                mx = fabsf(r[k]) > mx ? fabsf(r[k]) : mx;
            double step = mx / 127.0;
            bad += !(fabs((double)b[at] - a[at]) <= step / 2 * (1 + 1e-6));
            bad += fabsf(a[at]) == mx && fabs((double)b[at] - a[at]) > 1e-6 * mx;
            /* b is an integer multiple of the step */
            double k = b[at] / step;
            bad += fabs(k - round(k)) > 1e-3 || fabs(k) > 127.5;
        }
        qw += quantized ? L->w_count : 0;
        for (size_t i = 0; i < L->b_count; i++)
            bad += a[L->b_off + i] != b[L->b_off + i];
    }
    CHECK_INT(bad, 0);
    CHECK_INT((int)rep.weights, (int)qw);
    CHECK_INT((int)rep.float_bytes, (int)(mg_model_nparams(m) * 4));
    CHECK_INT((int)rep.int8_bytes, (int)(qw + 7 * 4 + (mg_model_nparams(m) - qw) * 4));
    mg_model_free(q);
    mg_model_free(m);
    mg_buf_free(&err);
}

/* The step arena is sized from the layer table before any pass runs; a
 * size too small fails at run time ("internal error"), one too large
 * wastes memory. So for every layer kind and activation: a training step
 * of max_batch samples uses exactly the arena (when it is the larger
 * need), and a trace of one sample exactly it when max_batch is 1. */
static void test_arena_sizing(void)
{
    char specs[MG_ACT_COUNT + 8][96];
    int ns = 0;
    for (int a = 0; a < MG_ACT_COUNT; a++)
        snprintf(specs[ns++], sizeof specs[0], "dense 5 %s, dense 3", mg_act_name((mg_act)a));
    snprintf(specs[ns++], sizeof specs[0], "conv 3 4 pad 1 relu, maxpool 2, flatten, dense 3");
    snprintf(specs[ns++], sizeof specs[0], "conv 3 2 stride 2 tanh, avgpool 2, dense 3");
    snprintf(specs[ns++], sizeof specs[0], "conv 3 4, batchnorm, dropout 0.3, flatten, dense 3");
    snprintf(specs[ns++], sizeof specs[0], "dense 6 relu, batchnorm, dropout 0.5, dense 3");
    snprintf(specs[ns++], sizeof specs[0], "flatten, dense 3");
    const int shape[3] = {1, 6, 6};
    float x[64 * 36], loss;
    int32_t y[64];
    for (int i = 0; i < 64 * 36; i++)
        x[i] = (float)((i * 37) % 11) / 11.0f - 0.5f;
    for (int i = 0; i < 64; i++)
        y[i] = i % 3;
    for (int s = 0; s < ns; s++) {
        for (int mb = 1; mb <= 64; mb += 63) {
            mg_buf err = {0};
            mg_model *m = mg_model_create(specs[s], shape, mb, MG_INIT_AUTO, 3, &err);
            CHECK(m != NULL);
            if (!m) {
                fprintf(stderr, "  %s: %s\n", specs[s], mg_buf_str(&err));
                mg_buf_free(&err);
                continue;
            }
            mg_train_config cfg;
            mg_train_defaults(&cfg);
            CHECK_INT(mg_model_configure(m, &cfg, 3), MG_OK);
            CHECK_INT(mg_model_train_step(m, x, y, NULL, mb, &loss), MG_OK);
            size_t cap = m->arena.cap, train_peak = m->arena.peak;
            CHECK_INT(mg_model_trace(m, x, y, NULL, &loss), MG_OK);
            size_t peak = m->arena.peak;
            int ok = mb == 64 ? train_peak == cap : train_peak <= cap && peak == cap;
            CHECK(ok);
            if (!ok)
                fprintf(stderr, "  '%s' max_batch %d: arena %zu floats, a step used %zu, a trace %zu\n",
                        specs[s], mb, cap, train_peak, peak);
            mg_model_free(m);
            mg_buf_free(&err);
        }
    }
}

int main(void)
{
    test_spec_errors();
    test_shapes();
    test_gradients();
    test_scalar_crosscheck();
    test_optimizers();
    test_accumulation_clipping_schedules();
    test_trace();
    test_configure_keeps_gradient();
    test_opt_reference();
    test_metrics();
    test_save_load();
    test_divergence();
    test_quantize();
    test_arena_sizing();
    return check_done("test_model");
}
