/* The float32 tensor engine against PyTorch (tests/ref/tensor_cases.json,
 * written by tests/ref/gen_tensor_ref.py in float64 on the same float32
 * inputs): every kernel's forward values and gradients (the fast kernels
 * and the reference ones), a network per layer kind, activation and loss
 * (loss, every parameter's gradient, eval outputs), several updates of
 * every optimizer with hyperparameters other than the defaults, weight
 * decay, L1/L2, clipping, accumulation and schedules, and the MNIST MLP
 * and CNN after 20 Adam steps from the same initial weights.
 *
 * The same file runs natively (ctest) and compiled to WebAssembly
 * (./build.sh wasm builds it; tests/js/wasm_ctest.test.mjs runs it).
 *
 * Error measure: |got - want| / max(|want|, rms(want)), the worst over an
 * array; values far below the array's typical size are measured against
 * that size (a float32 sum of O(1) terms carries an absolute error of
 * about 1e-7 of them, however small the sum). For optimizer and network
 * steps the compared arrays are the parameters' changes since the start
 * (comparing the parameters themselves would hide a wrong update behind
 * the size of the weight). Each group's tolerance is stated at TOL_* with
 * the worst error measured on it (the run prints both: MG_TEST_VERBOSE=1
 * prints every array). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "data/data.h"
#include "json_mini.h"
#include "nn/model.h"
#include "read_file.h"
#include "tensor/ops.h"

#ifndef MG_TESTS_DIR
#error "MG_TESTS_DIR (the tests/ folder) is set by CMakeLists.txt"
#endif
#ifndef MG_DATA_DIR
#error "MG_DATA_DIR (web/build/data, the packed digits) is set by CMakeLists.txt"
#endif

/* Tolerances per group, about 10x the worst error measured (the same
 * natively with AVX-512 and in WASM with SIMD128), so that a change of
 * rounding passes and a wrong rule, off by O(1), does not:
 * ops        worst 6.5e-7 (conv2d dweight, fast kernel: a float sum of 144
 *            products in a fixed order; the reference kernels, double
 *            sums, stay below 6e-8): tolerance 5e-6
 * losses     worst 9.2e-8 (bce dlogits: one rounding of a float): 1e-6
 * models     worst 4.8e-7 (gradients through two batchnorms): 5e-6
 * optimizers worst 8.2e-6: the parameters are stored in float32 after
 *            every update, a rounding of up to half an ulp of a weight
 *            near 1 (6e-8) against changes of about 1e-2: 8e-5
 * networks   worst 3.7e-6 (the CNN's second conv after 20 Adam steps; 20
 *            losses to 1e-6): 4e-5 */
enum { G_OPS, G_LOSSES, G_MODELS, G_OPTIM, G_NETWORKS, G_COUNT };
static const char *const group_name[G_COUNT] = {"ops", "losses", "models", "optimizers",
                                                "networks"};
static const double group_tol[G_COUNT] = {5e-6, 1e-6, 5e-6, 8e-5, 4e-5};
static double group_worst[G_COUNT];
static const char *group_worst_at[G_COUNT];
static char worst_names[G_COUNT][160];
static int verbose;

/* ---- comparisons ------------------------------------------------------- */

static double *want_array(const json *obj, const char *key, int *n)
{
    const json *a = json_get(obj, key);
    if (!a || a->type != JSON_ARRAY) {
        fprintf(stderr, "tensor_cases.json: no array '%s'\n", key);
        exit(2);
    }
    double *v = malloc(sizeof(double) * (size_t)(a->n ? a->n : 1));
    for (int i = 0; i < a->n; i++)
        v[i] = a->items[i]->num;
    *n = a->n;
    return v;
}

static float *floats_of(const json *obj, const char *key, int *n)
{
    int cnt;
    double *d = want_array(obj, key, &cnt);
    float *f = malloc(sizeof(float) * (size_t)(cnt ? cnt : 1));
    for (int i = 0; i < cnt; i++)
        f[i] = (float)d[i];
    free(d);
    if (n)
        *n = cnt;
    return f;
}

static int32_t *ints_of(const json *obj, const char *key)
{
    int cnt;
    double *d = want_array(obj, key, &cnt);
    int32_t *v = malloc(sizeof(int32_t) * (size_t)(cnt ? cnt : 1));
    for (int i = 0; i < cnt; i++)
        v[i] = (int32_t)d[i];
    free(d);
    return v;
}

static int size_of(const json *sizes, const char *key) { return (int)json_num(sizes, key, -1); }

/* got (float or double, n values) against want; one check per array,
 * the first mismatches side by side. */
static void compare(int group, const char *name, const char *what, const float *gotf,
                    const double *gotd, const double *want, int n, int nwant)
{
    check_count++;
    if (n != nwant) {
        check_failed++;
        fprintf(stderr, "%s: %s: %d values, the reference has %d\n", name, what, n, nwant);
        return;
    }
    double rms = 0;
    for (int i = 0; i < n; i++)
        rms += want[i] * want[i];
    rms = n ? sqrt(rms / n) : 0;
    double worst = 0, tol = group_tol[group];
    int bad = 0, worst_i = 0;
    for (int i = 0; i < n; i++) {
        double g = gotf ? gotf[i] : gotd[i], w = want[i];
        double scale = fabs(w) > rms ? fabs(w) : rms;
        double err = g == w ? 0 : scale > 0 ? fabs(g - w) / scale : INFINITY;
        if (!(err <= tol)) {
            if (bad < 5)
                fprintf(stderr, "  %s %s[%d]: got %.9g want %.9g (error %.2g)\n", name, what, i, g,
                        w, err);
            bad++;
            err = isnan(err) ? INFINITY : err;
        }
        if (err > worst)
            worst = err, worst_i = i;
    }
    if (bad) {
        check_failed++;
        fprintf(stderr, "%s: %s: %d of %d values off by more than %g\n", name, what, bad, n, tol);
    }
    if (verbose)
        printf("  %-12s %-60.60s %-14s worst %.2e at %d\n", group_name[group], name, what, worst,
               worst_i);
    if (worst > group_worst[group]) {
        group_worst[group] = worst;
        snprintf(worst_names[group], sizeof worst_names[group], "%s %s[%d]", name, what, worst_i);
        group_worst_at[group] = worst_names[group];
    }
}

static void compare_f(int group, const char *name, const json *want, const char *key,
                      const float *got, int n)
{
    int nw;
    double *w = want_array(want, key, &nw);
    compare(group, name, key, got, NULL, w, n, nw);
    free(w);
}

static void compare_scalar(int group, const char *name, const char *what, double got, double want)
{
    compare(group, name, what, NULL, &got, &want, 1, 1);
}

static float *zeros(size_t n) { return calloc(n ? n : 1, sizeof(float)); }

/* ---- ops ------------------------------------------------------------------ */

static int out_size(int in, int K, int stride, int pad) { return mg_conv_out_size(in, K, stride, pad); }

static void run_op(const json *c)
{
    const char *op = json_str(c, "op", "?"), *name = json_str(c, "name", "?");
    const json *sz = json_get(c, "sizes"), *in = json_get(c, "inputs"), *want = json_get(c, "want");
    float *a = NULL, *b = NULL, *w = NULL, *bias = NULL, *dout = NULL, *out = NULL;
    float *d1 = NULL, *d2 = NULL, *d3 = NULL;
    int n = 0;
    if (strcmp(op, "matmul") == 0) {
        int N = size_of(sz, "N"), C = size_of(sz, "C"), OC = size_of(sz, "OC");
        a = floats_of(in, "inp", NULL);
        w = floats_of(in, "weight", NULL);
        bias = json_get(in, "bias") ? floats_of(in, "bias", NULL) : NULL;
        dout = floats_of(in, "dout", NULL);
        for (int fast = 1; fast >= 0; fast--) {
            char nm[160];
            snprintf(nm, sizeof nm, "%s%s", name, fast ? "" : " (reference kernel)");
            out = zeros((size_t)N * OC);
            d1 = zeros((size_t)N * C);
            d2 = zeros((size_t)OC * C);
            d3 = zeros((size_t)OC);
            (fast ? mg_matmul_forward : mg_matmul_forward_ref)(out, a, w, bias, N, C, OC);
            (fast ? mg_matmul_backward : mg_matmul_backward_ref)(d1, d2, bias ? d3 : NULL, dout, a,
                                                                 w, N, C, OC);
            compare_f(G_OPS, nm, want, "out", out, N * OC);
            compare_f(G_OPS, nm, want, "dinp", d1, N * C);
            compare_f(G_OPS, nm, want, "dweight", d2, OC * C);
            if (bias)
                compare_f(G_OPS, nm, want, "dbias", d3, OC);
            free(out), free(d1), free(d2), free(d3);
        }
        out = d1 = d2 = d3 = NULL;
    } else if (strcmp(op, "bias") == 0) {
        int N = size_of(sz, "N"), C = size_of(sz, "C");
        a = floats_of(in, "inp", NULL);
        bias = floats_of(in, "bias", NULL);
        dout = floats_of(in, "dout", NULL);
        out = zeros((size_t)N * C), d1 = zeros((size_t)N * C), d2 = zeros((size_t)C);
        mg_bias_forward(out, a, bias, N, C);
        mg_bias_backward(d1, d2, dout, N, C);
        compare_f(G_OPS, name, want, "out", out, N * C);
        compare_f(G_OPS, name, want, "dinp", d1, N * C);
        compare_f(G_OPS, name, want, "dbias", d2, C);
    } else if (strcmp(op, "add") == 0 || strcmp(op, "mul") == 0) {
        a = floats_of(in, "a", &n);
        b = floats_of(in, "b", NULL);
        dout = floats_of(in, "dout", NULL);
        out = zeros((size_t)n), d1 = zeros((size_t)n), d2 = zeros((size_t)n);
        if (op[0] == 'a') {
            mg_add_forward(out, a, b, n);
            mg_add_backward(d1, d2, dout, n);
        } else {
            mg_mul_forward(out, a, b, n);
            mg_mul_backward(d1, d2, dout, a, b, n);
        }
        compare_f(G_OPS, name, want, "out", out, n);
        compare_f(G_OPS, name, want, "da", d1, n);
        compare_f(G_OPS, name, want, "db", d2, n);
    } else if (strcmp(op, "leaky_relu") == 0) {
        a = floats_of(in, "inp", &n);
        dout = floats_of(in, "dout", NULL);
        out = zeros((size_t)n), d1 = zeros((size_t)n);
        float alpha = (float)json_num(sz, "alpha", 0);
        mg_leaky_relu_forward(out, a, alpha, n);
        mg_leaky_relu_backward(d1, dout, a, alpha, n);
        compare_f(G_OPS, name, want, "out", out, n);
        compare_f(G_OPS, name, want, "dinp", d1, n);
    } else if (mg_act_parse(op, (int)strlen(op)) != MG_ACT_COUNT) {
        /* the other activations through the dispatch the layers use */
        mg_act act = mg_act_parse(op, (int)strlen(op));
        a = floats_of(in, "inp", &n);
        dout = floats_of(in, "dout", NULL);
        out = zeros((size_t)n), d1 = zeros((size_t)n);
        mg_act_forward(act, out, a, n);
        mg_act_backward(act, d1, dout, a, out, n);
        compare_f(G_OPS, name, want, "out", out, n);
        compare_f(G_OPS, name, want, "dinp", d1, n);
    } else if (strcmp(op, "softmax") == 0) {
        int N = size_of(sz, "N"), C = size_of(sz, "C");
        a = floats_of(in, "inp", NULL);
        dout = floats_of(in, "dout", NULL);
        out = zeros((size_t)N * C), d1 = zeros((size_t)N * C);
        mg_softmax_forward(out, a, N, C);
        mg_softmax_backward(d1, dout, out, N, C);
        compare_f(G_OPS, name, want, "out", out, N * C);
        compare_f(G_OPS, name, want, "dinp", d1, N * C);
    } else if (strcmp(op, "conv2d") == 0) {
        int N = size_of(sz, "N"), C = size_of(sz, "C"), H = size_of(sz, "H"), W = size_of(sz, "W");
        int OC = size_of(sz, "OC"), K = size_of(sz, "K"), s = size_of(sz, "stride"),
            p = size_of(sz, "pad");
        int OH = out_size(H, K, s, p), OW = out_size(W, K, s, p);
        a = floats_of(in, "inp", NULL);
        w = floats_of(in, "weight", NULL);
        bias = floats_of(in, "bias", NULL);
        dout = floats_of(in, "dout", NULL);
        for (int fast = 1; fast >= 0; fast--) {
            char nm[160];
            snprintf(nm, sizeof nm, "%s%s", name, fast ? "" : " (reference kernel)");
            out = zeros((size_t)N * OC * OH * OW);
            d1 = zeros((size_t)N * C * H * W);
            d2 = zeros((size_t)OC * C * K * K);
            d3 = zeros((size_t)OC);
            (fast ? mg_conv2d_forward : mg_conv2d_forward_ref)(out, a, w, bias, N, C, H, W, OC, K,
                                                               s, p);
            (fast ? mg_conv2d_backward : mg_conv2d_backward_ref)(d1, d2, d3, dout, a, w, N, C, H,
                                                                 W, OC, K, s, p);
            compare_f(G_OPS, nm, want, "out", out, N * OC * OH * OW);
            compare_f(G_OPS, nm, want, "dinp", d1, N * C * H * W);
            compare_f(G_OPS, nm, want, "dweight", d2, OC * C * K * K);
            compare_f(G_OPS, nm, want, "dbias", d3, OC);
            free(out), free(d1), free(d2), free(d3);
        }
        out = d1 = d2 = d3 = NULL;
    } else if (strcmp(op, "maxpool") == 0 || strcmp(op, "avgpool") == 0) {
        int N = size_of(sz, "N"), C = size_of(sz, "C"), H = size_of(sz, "H"), W = size_of(sz, "W");
        int K = size_of(sz, "K"), nout = N * C * (H / K) * (W / K);
        a = floats_of(in, "inp", NULL);
        dout = floats_of(in, "dout", NULL);
        out = zeros((size_t)nout), d1 = zeros((size_t)N * C * H * W);
        if (op[0] == 'm') {
            int32_t *arg = calloc((size_t)nout, sizeof *arg);
            mg_maxpool_forward(out, arg, a, N, C, H, W, K);
            mg_maxpool_backward(d1, dout, arg, nout);
            free(arg);
        } else {
            mg_avgpool_forward(out, a, N, C, H, W, K);
            mg_avgpool_backward(d1, dout, N, C, H, W, K);
        }
        compare_f(G_OPS, name, want, "out", out, nout);
        compare_f(G_OPS, name, want, "dinp", d1, N * C * H * W);
    } else if (strcmp(op, "dropout") == 0) {
        a = floats_of(in, "inp", &n);
        dout = floats_of(in, "dout", NULL);
        out = zeros((size_t)n), d1 = zeros((size_t)n), d2 = zeros((size_t)n);
        mg_rng rng;
        mg_rng_seed(&rng, (uint64_t)json_num(sz, "seed", 0), (uint64_t)json_num(sz, "stream", 0));
        mg_dropout_forward(out, d2, a, (float)json_num(sz, "p", 0), n, (int)json_num(sz, "training", 0),
                           &rng);
        mg_dropout_backward(d1, dout, d2, n);
        compare_f(G_OPS, name, want, "out", out, n);
        compare_f(G_OPS, name, want, "mask", d2, n);
        compare_f(G_OPS, name, want, "dinp", d1, n);
    } else if (strcmp(op, "batchnorm") == 0) {
        int N = size_of(sz, "N"), C = size_of(sz, "C"), S = size_of(sz, "S");
        int training = size_of(sz, "training");
        a = floats_of(in, "inp", NULL);
        w = floats_of(in, "gamma", NULL);
        bias = floats_of(in, "beta", NULL);
        dout = floats_of(in, "dout", NULL);
        float *rm = floats_of(in, "running_mean", NULL), *rv = floats_of(in, "running_var", NULL);
        float *mean = zeros((size_t)C), *rstd = zeros((size_t)C);
        out = zeros((size_t)N * C * S), d1 = zeros((size_t)N * C * S), d2 = zeros((size_t)C),
        d3 = zeros((size_t)C);
        mg_batchnorm_forward(out, mean, rstd, a, w, bias, rm, rv, N, C, S,
                             (float)json_num(sz, "momentum", 0), (float)json_num(sz, "eps", 0),
                             training);
        mg_batchnorm_backward(d1, d2, d3, dout, a, mean, rstd, w, N, C, S, training);
        compare_f(G_OPS, name, want, "out", out, N * C * S);
        compare_f(G_OPS, name, want, "dinp", d1, N * C * S);
        compare_f(G_OPS, name, want, "dgamma", d2, C);
        compare_f(G_OPS, name, want, "dbeta", d3, C);
        compare_f(G_OPS, name, want, "running_mean", rm, C);
        compare_f(G_OPS, name, want, "running_var", rv, C);
        free(rm), free(rv), free(mean), free(rstd);
    } else if (strcmp(op, "mse") == 0 || strcmp(op, "bce") == 0 || strcmp(op, "svm") == 0 ||
               strcmp(op, "softmax_ce") == 0) {
        float scale = (float)json_num(sz, "scale", 0), loss;
        int N = size_of(sz, "N");
        const char *dname = "dlogits";
        if (strcmp(op, "softmax_ce") == 0) {
            int C = size_of(sz, "C");
            a = floats_of(in, "logits", NULL);
            int32_t *labels = ints_of(in, "labels");
            n = N * C;
            out = zeros((size_t)n), d1 = zeros((size_t)n);
            loss = mg_softmax_ce_forward(out, a, labels, N, C);
            mg_softmax_ce_backward(d1, out, labels, N, C, scale);
            free(labels);
        } else if (op[0] == 'm') {
            int D = size_of(sz, "D");
            a = floats_of(in, "pred", NULL);
            b = floats_of(in, "target", NULL);
            n = N * D;
            d1 = zeros((size_t)n);
            loss = mg_mse_forward(a, b, N, D);
            mg_mse_backward(d1, a, b, N, D, scale);
            dname = "dpred";
        } else {
            a = floats_of(in, op[0] == 'b' ? "logits" : "scores", NULL);
            b = floats_of(in, "target", NULL);
            n = N;
            d1 = zeros((size_t)n);
            loss = op[0] == 'b' ? mg_bce_logits_forward(a, b, N) : mg_svm_forward(a, b, N);
            (op[0] == 'b' ? mg_bce_logits_backward : mg_svm_backward)(d1, a, b, N, scale);
            dname = op[0] == 'b' ? "dlogits" : "dscores";
        }
        compare_f(G_LOSSES, name, want, "loss", &loss, 1);
        compare_f(G_LOSSES, name, want, dname, d1, n);
    } else if (strcmp(op, "l1") == 0 || strcmp(op, "l2") == 0) {
        float rate = (float)json_num(sz, "rate", 0);
        a = floats_of(in, "w", &n);
        d1 = zeros((size_t)n);
        float v = op[1] == '1' ? mg_l1_forward(a, n) : mg_l2_forward(a, n);
        (op[1] == '1' ? mg_l1_backward : mg_l2_backward)(d1, a, rate, n);
        compare_f(G_LOSSES, name, want, "value", &v, 1);
        compare_f(G_LOSSES, name, want, "dw", d1, n);
    } else {
        fprintf(stderr, "tensor_cases.json: unknown op '%s'\n", op);
        check_failed++;
    }
    free(a), free(b), free(w), free(bias), free(dout), free(out), free(d1), free(d2), free(d3);
}

/* ---- models and optimizers ---------------------------------------------------- */

static mg_model *model_of(const json *c, int batch, const mg_train_config *cfg)
{
    const json *sh = json_get(c, "shape");
    int shape[3] = {(int)sh->items[0]->num, (int)sh->items[1]->num, (int)sh->items[2]->num};
    mg_buf err = {0};
    const char *spec = json_str(c, "spec", "");
    mg_model *m = mg_model_create(spec, shape, batch, MG_INIT_AUTO,
                                  (uint64_t)json_num(c, "seed", 1), &err);
    if (!m || mg_model_configure(m, cfg, (int)json_num(c, "nclasses", 0)) != MG_OK) {
        fprintf(stderr, "%s: %s\n", spec, m ? mg_model_error(m) : mg_buf_str(&err));
        exit(2);
    }
    mg_buf_free(&err);
    return m;
}

static void set_params(mg_model *m, const json *c, const char *key)
{
    int n;
    float *p = floats_of(c, key, &n);
    if ((size_t)n != mg_model_nparams(m)) {
        fprintf(stderr, "%s: %d parameters in the reference, %zu in the model\n",
                json_str(c, "spec", ""), n, mg_model_nparams(m));
        exit(2);
    }
    memcpy(mg_model_params(m), p, sizeof(float) * (size_t)n);
    free(p);
}

static void set_setting(mg_train_config *cfg, const char *name, const char *value)
{
    mg_buf err = {0};
    if (mg_train_config_set(cfg, name, (int)strlen(name), value, &err)) {
        fprintf(stderr, "tensor_cases.json: %s\n", mg_buf_str(&err));
        exit(2);
    }
    mg_buf_free(&err);
}

static void run_model(const json *c)
{
    const char *name = json_str(c, "name", "?");
    int n = (int)json_num(c, "n", 0);
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    set_setting(&cfg, "loss", json_str(c, "loss", ""));
    cfg.l1 = (float)json_num(c, "l1", 0);
    cfg.l2 = (float)json_num(c, "l2", 0);
    mg_model *m = model_of(c, n, &cfg);
    set_params(m, c, "params");
    float *x = floats_of(c, "x", NULL);
    int32_t *labels = json_get(c, "labels") ? ints_of(c, "labels") : NULL;
    float *targets = json_get(c, "targets") ? floats_of(c, "targets", NULL) : NULL;
    const json *want = json_get(c, "want");
    float loss = 0;
    CHECK_INT(mg_model_grad(m, x, labels, targets, n, &loss), MG_OK);
    compare_scalar(G_MODELS, name, "loss", loss, json_num(want, "loss", NAN));
    compare_f(G_MODELS, name, want, "grads", mg_model_grads(m), (int)mg_model_nparams(m));
    int nout = n * mg_model_out_size(m);
    float *pred = zeros((size_t)nout);
    CHECK_INT(mg_model_predict(m, x, n, pred), MG_OK);
    compare_f(G_MODELS, name, want, "predict", pred, nout);
    free(pred), free(x), free(labels), free(targets);
    mg_model_free(m);
}

/* The case's config object, by name through the settings table (as the
 * CLI and the page set them): a name or a number for each key. */
static mg_train_config config_of(const json *c, const char *loss)
{
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    set_setting(&cfg, "loss", loss);
    for (int i = 0; c && i < c->n; i++) {
        char num[32];
        const json *v = c->items[i];
        if (v->type == JSON_NUMBER)
            snprintf(num, sizeof num, "%.17g", v->num);
        set_setting(&cfg, c->keys[i], v->type == JSON_STRING ? v->str : num);
    }
    return cfg;
}

/* The parameters' change since p0 against the reference's (want - p0). */
static void compare_delta(int group, const char *name, const char *what, const float *p,
                          const float *p0, const json *want_params, size_t np)
{
    double *got = malloc(sizeof(double) * np), *want = malloc(sizeof(double) * np);
    for (size_t i = 0; i < np; i++) {
        got[i] = (double)p[i] - p0[i];
        want[i] = want_params->items[i]->num - p0[i];
    }
    compare(group, name, what, NULL, got, want, (int)np, want_params->n);
    free(got), free(want);
}

static void run_optimizers(const json *optim)
{
    const json *cases = json_get(optim, "cases"), *batches = json_get(optim, "batches");
    int nb = batches->n;
    int batch = 0;
    float **bx = malloc(sizeof(float *) * (size_t)nb);
    int32_t **by = malloc(sizeof(int32_t *) * (size_t)nb);
    for (int k = 0; k < nb; k++) {
        bx[k] = floats_of(batches->items[k], "x", NULL);
        by[k] = ints_of(batches->items[k], "labels");
        batch = json_get(batches->items[k], "labels")->n;
    }
    for (int ci = 0; ci < cases->n; ci++) {
        const json *c = cases->items[ci], *want = json_get(c, "want");
        const char *name = json_str(c, "name", "?");
        mg_train_config cfg = config_of(json_get(c, "config"), json_str(optim, "loss", ""));
        mg_model *m = model_of(optim, batch, &cfg);
        set_params(m, optim, "params");
        size_t np = mg_model_nparams(m);
        float *p0 = malloc(sizeof(float) * np);
        memcpy(p0, mg_model_params(m), sizeof(float) * np);
        const json *wl = json_get(want, "losses"), *wp = json_get(want, "params"),
                   *wlr = json_get(want, "lr");
        int updates = (int)json_num(c, "updates", 0), k = 0;
        for (int u = 0; u < updates; u++) {
            char what[64];
            snprintf(what, sizeof what, "lr of update %d", u + 1);
            compare_scalar(G_OPTIM, name, what, mg_model_lr(m), wlr->items[u]->num);
            for (int a = 0; a < cfg.accum; a++, k++) {
                float loss = 0;
                CHECK_INT(mg_model_train_step(m, bx[k % nb], by[k % nb], NULL, batch, &loss), MG_OK);
                snprintf(what, sizeof what, "loss of step %d", k + 1);
                compare_scalar(G_OPTIM, name, what, loss, wl->items[k]->num);
            }
            CHECK_INT(mg_model_steps(m), u + 1);
            snprintf(what, sizeof what, "params after update %d", u + 1);
            compare_delta(G_OPTIM, name, what, mg_model_params(m), p0, wp->items[u], np);
        }
        free(p0);
        mg_model_free(m);
    }
    for (int k = 0; k < nb; k++)
        free(bx[k]), free(by[k]);
    free(bx), free(by);
}

/* ---- the MNIST networks --------------------------------------------------------- */

/* lowbias32 (Wellons): the networks' initial weights from their index, as
 * the generator computes them. */
static uint32_t hash32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

static void run_networks(const json *nets)
{
    const char *dir = getenv("MG_DATA_DIR") ? getenv("MG_DATA_DIR") : MG_DATA_DIR;
    char ip[1024], lp[1024];
    snprintf(ip, sizeof ip, "%s/mnist-10k-images.idx", dir);
    snprintf(lp, sizeof lp, "%s/mnist-10k-labels.idx", dir);
    size_t il = 0, ll = 0;
    uint8_t *ib = read_file(ip, &il), *lb = read_file(lp, &ll);
    mg_dataset all = {0};
    mg_buf err = {0};
    if (!ib || !lb || mg_mnist_from_idx(ib, il, lb, ll, &all, &err) != MG_OK) {
        fprintf(stderr, "cannot read the digits %s and %s (%s): run ./build.sh wasm first\n", ip,
                lp, mg_buf_str(&err));
        check_failed++;
        free(ib), free(lb), mg_buf_free(&err);
        return;
    }
    for (int ci = 0; ci < nets->n; ci++) {
        const json *c = nets->items[ci], *want = json_get(c, "want");
        const char *name = json_str(c, "name", "?");
        int batch = (int)json_num(c, "batch", 0), steps = (int)json_num(c, "steps", 0);
        /* the same digits as the generator's */
        double pix = 0, lab = 0;
        for (size_t i = 0; i < (size_t)batch * steps * 784; i++)
            pix += all.x[i];
        for (int i = 0; i < batch * steps; i++)
            lab += all.y[i];
        compare_scalar(G_NETWORKS, name, "pixel sum of the digits", pix, json_num(c, "pixel_sum", 0));
        compare_scalar(G_NETWORKS, name, "label sum of the digits", lab, json_num(c, "label_sum", 0));
        mg_train_config cfg = config_of(json_get(c, "config"), "ce");
        mg_model *m = model_of(c, batch, &cfg);
        float *p = mg_model_params(m);
        const json *tensors = json_get(want, "tensors");
        size_t np = mg_model_nparams(m), covered = 0;
        for (int t = 0; t < tensors->n; t++) {
            const json *T = tensors->items[t];
            size_t off = (size_t)json_num(T, "off", 0), cnt = (size_t)json_num(T, "count", 0);
            double bound = json_num(T, "bound", 0);
            for (size_t i = off; i < off + cnt && i < np; i++)
                p[i] = (float)(bound * (2.0 * hash32((uint32_t)i) / 4294967296.0 - 1.0));
            covered += cnt;
        }
        CHECK_INT(covered, np);
        float *p0 = malloc(sizeof(float) * np);
        memcpy(p0, p, sizeof(float) * np);
        double *losses = malloc(sizeof(double) * (size_t)steps);
        for (int s = 0; s < steps; s++) {
            float loss = 0;
            CHECK_INT(mg_model_train_step(m, all.x + (size_t)s * batch * 784, all.y + s * batch,
                                          NULL, batch, &loss), MG_OK);
            losses[s] = loss;
        }
        int nw;
        double *wl = want_array(want, "losses", &nw);
        compare(G_NETWORKS, name, "losses", NULL, losses, wl, steps, nw);
        free(wl), free(losses);
        for (int t = 0; t < tensors->n; t++) {
            const json *T = tensors->items[t], *idx = json_get(T, "index");
            size_t off = (size_t)json_num(T, "off", 0), cnt = (size_t)json_num(T, "count", 0);
            double *got = malloc(sizeof(double) * (size_t)idx->n), norm = 0;
            for (int k = 0; k < idx->n; k++) {
                size_t i = off + (size_t)idx->items[k]->num;
                got[k] = (double)p[i] - p0[i];
            }
            for (size_t i = off; i < off + cnt; i++)
                norm += ((double)p[i] - p0[i]) * ((double)p[i] - p0[i]);
            char what[64];
            snprintf(what, sizeof what, "tensor %d change", t);
            int n2;
            double *wd = want_array(T, "delta", &n2);
            compare(G_NETWORKS, name, what, NULL, got, wd, idx->n, n2);
            snprintf(what, sizeof what, "tensor %d change norm", t);
            compare_scalar(G_NETWORKS, name, what, sqrt(norm), json_num(T, "delta_norm", NAN));
            free(got), free(wd);
        }
        free(p0);
        mg_model_free(m);
    }
    mg_dataset_free(&all);
    mg_buf_free(&err);
    free(ib), free(lb);
}

int main(void)
{
    verbose = getenv("MG_TEST_VERBOSE") != NULL;
    size_t len = 0;
    char *text = (char *)read_file(MG_TESTS_DIR "/ref/tensor_cases.json", &len);
    json *ref = text ? json_parse(text, len) : NULL;
    if (!ref) {
        fprintf(stderr, "cannot read %s/ref/tensor_cases.json\n", MG_TESTS_DIR);
        return 2;
    }
    const json *ops = json_get(ref, "ops"), *models = json_get(ref, "models");
    for (int i = 0; i < ops->n; i++)
        run_op(ops->items[i]);
    for (int i = 0; i < models->n; i++)
        run_model(models->items[i]);
    run_optimizers(json_get(ref, "optim"));
    run_networks(json_get(ref, "networks"));
    for (int g = 0; g < G_COUNT; g++)
        printf("%-10s worst relative error %.2e (tolerance %g)%s%s\n", group_name[g],
               group_worst[g], group_tol[g], group_worst_at[g] ? ": " : "",
               group_worst_at[g] ? group_worst_at[g] : "");
    json_free(ref);
    free(text);
    return check_done("test_ref");
}
