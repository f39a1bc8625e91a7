/* The flat API exported to WebAssembly, natively: handles, errors on bad
 * or stale handles, the step JSON and the values array. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "check.h"

/* A number after "key": in a JSON object, or -1. */
static double json_num(const char *json, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *at = strstr(json, pat);
    return at ? strtod(at + strlen(pat), NULL) : -1;
}

/* Lesson 15 through the API: the int8 copy of a trained model in a handle
 * of its own, its weights within half a step (max |w| / 127 of their
 * output channel) of the float ones, the sizes as counted here from the
 * layout, the accuracy close to the float model's; errors for a bad
 * source; the report gone once the handle holds another model. */
static void test_quantize(void)
{
    int data = mg_api_data_create(), m = mg_api_model_create(), q = mg_api_model_create();
    CHECK_INT(mg_api_data_generate(data, "moons", 400, 0.1, 0, 0.5, 3), 0);
    CHECK_INT(mg_api_model_build(m, "dense 16 relu, dense 8 tanh, dense 2", 2, 1, 1, 64, 0, 5), 0);
    CHECK_INT(mg_api_model_configure(m, "loss=ce opt=adam lr=0.01", 2), 0);
    CHECK_INT(mg_api_model_train(m, data, 20, 400), 0);
    CHECK_INT(mg_api_model_evaluate(m, data, 1), 0);
    double acc = json_num(mg_api_model_metrics_json(m), "accuracy");
    CHECK(acc > 0.95);

    CHECK_STR(mg_api_model_quant_json(q), "{}");
    CHECK_INT(mg_api_model_quantize(q, m), 0);
    const char *rep = mg_api_model_quant_json(q);
    int n = mg_api_model_nparams(m);
    int weights = 2 * 16 + 16 * 8 + 8 * 2, scales = 16 + 8 + 2;
    CHECK_INT(mg_api_model_nparams(q), n);
    CHECK_INT((int)json_num(rep, "layers"), 3);
    CHECK_INT((int)json_num(rep, "weights"), weights);
    CHECK_INT((int)json_num(rep, "scales"), scales);
    CHECK_INT((int)json_num(rep, "float_bytes"), 4 * n);
    CHECK_INT((int)json_num(rep, "int8_bytes"), weights + 4 * scales + 4 * (n - weights));
    /* weights of each output channel (rows of `in` weights in the flat
     * buffer: dense weights are (out, in)) move by at most half a step;
     * biases stay */
    const float *a = mg_api_model_params(m), *b = mg_api_model_params(q);
    int shapes[3][2] = {{16, 2}, {8, 16}, {2, 8}}, at = 0, bad = 0;
    double worst = 0;
    for (int l = 0; l < 3; l++) {
        int out = shapes[l][0], in = shapes[l][1];
        for (int o = 0; o < out; o++, at += in) {
            float mx = 0;
            for (int i = 0; i < in; i++)
                mx = fabsf(a[at + i]) > mx ? fabsf(a[at + i]) : mx;
            for (int i = 0; i < in; i++) {
                double e = fabs((double)b[at + i] - a[at + i]);
                worst = e > worst ? e : worst;
                bad += e > mx / 127.0 / 2 * (1 + 1e-6);
            }
        }
        for (int k = 0; k < out; k++, at++)
            bad += a[at] != b[at];
    }
    CHECK_INT(at, n);
    CHECK_INT(bad, 0);
    CHECK_NEAR(json_num(rep, "max_abs_err"), worst, 1e-9);
    CHECK_INT(mg_api_model_evaluate(q, data, 1), 0);
    double qacc = json_num(mg_api_model_metrics_json(q), "accuracy");
    printf("quantized moons model: accuracy %.4f (float %.4f), worst weight error %.3g\n", qacc, acc, worst);
    CHECK(fabs(qacc - acc) <= 0.01);

    /* bad sources and destinations */
    CHECK_INT(mg_api_model_quantize(q, q), 5);
    CHECK_CONTAINS(mg_api_model_error(q), "a handle of its own");
    CHECK_CONTAINS(mg_api_model_quant_json(q), "\"layers\":3"); /* a failed call keeps the copy */
    int empty = mg_api_model_create();
    CHECK_INT(mg_api_model_quantize(q, empty), 7);
    CHECK_CONTAINS(mg_api_model_error(q), "has no model built yet");
    CHECK_INT(mg_api_model_quantize(q, MG_API_MAX_HANDLES + 1), 5);
    CHECK_INT(mg_api_model_quantize(0, m), 5);
    CHECK(mg_api_model_params(q) != NULL); /* the copy is still there */
    /* a new model in the handle has no report */
    CHECK_INT(mg_api_model_quantize(q, m), 0);
    CHECK_CONTAINS(mg_api_model_quant_json(q), "\"layers\":3");
    CHECK_INT(mg_api_model_build(q, "dense 2", 2, 1, 1, 8, 0, 1), 0);
    CHECK_STR(mg_api_model_quant_json(q), "{}");
    mg_api_model_free(empty);
    mg_api_model_free(q);
    mg_api_model_free(m);
    mg_api_data_free(data);
}

/* Settings by name: a change between two chunks of training keeps the
 * trainer (its epoch, its place in the shuffled order) and the count of
 * updates; the new rate is the one the next update applies; another
 * optimizer starts its own state. Build starts everything again. */
static void test_configure_by_name(void)
{
    int data = mg_api_data_create(), m = mg_api_model_create();
    CHECK_INT(mg_api_data_generate(data, "moons", 100, 0.1, 0, 0.8, 3), 0); /* 80 train */
    CHECK_INT(mg_api_model_build(m, "dense 4 tanh, dense 1", 2, 1, 1, 64, 0, 5), 0);
    CHECK_INT(mg_api_model_configure(m, "opt=sgd lr=0.1", 2), 0);
    CHECK_INT(mg_api_model_train(m, data, 20, 6), 0); /* 1.5 epochs */
    CHECK_NEAR(mg_api_model_epochs(m), 1.5, 0);
    CHECK_NEAR(mg_api_model_steps(m), 6, 0);
    CHECK_INT(mg_api_model_configure(m, "opt=sgd lr=0.05 weight_decay=0.01", 2), 0);
    CHECK_CONTAINS(mg_api_model_json(m), "\"lr_next\":0.05");
    CHECK_NEAR(mg_api_model_epochs(m), 1.5, 0);
    CHECK_NEAR(mg_api_model_steps(m), 6, 0);
    CHECK_INT(mg_api_model_configure(m, "opt=adagrad", 2), 0);
    CHECK_INT(mg_api_model_train(m, data, 20, 2), 0);
    CHECK_NEAR(mg_api_model_epochs(m), 2, 0);
    CHECK_NEAR(mg_api_model_steps(m), 8, 0);
    CHECK_CONTAINS(mg_api_model_json(m), "\"name\":\"adagrad\",\"t\":2");
    CHECK_INT(mg_api_model_build(m, "dense 4 tanh, dense 1", 2, 1, 1, 64, 0, 5), 0);
    CHECK_NEAR(mg_api_model_epochs(m), 0, 0);
    CHECK_NEAR(mg_api_model_steps(m), 0, 0);
    mg_api_model_free(m);
    mg_api_data_free(data);
}

int main(void)
{
    test_configure_by_name();
    int h = mg_api_expr_create(0);
    CHECK(h > 0);
    CHECK_INT(mg_api_expr_run(h, "a = 2; b = -3\nL = a*b", 21), 0);
    CHECK_CONTAINS(mg_api_expr_json(h), "\"leaves\":{\"a\":{\"data\":2,\"grad\":-3}");
    CHECK_INT(mg_api_expr_node_count(h), 3);
    const double *v = mg_api_expr_values(h);
    CHECK(v != NULL);
    if (v) {
        CHECK_NEAR(v[0], 2, 0);  /* a.data */
        CHECK_NEAR(v[1], -3, 0); /* a.grad */
        CHECK_NEAR(v[4], -6, 0); /* L.data */
        CHECK_NEAR(v[5], 1, 0);  /* L.grad */
    }

    /* step-through */
    CHECK_STR(mg_api_expr_step_json(h), "{}");
    CHECK_INT(mg_api_expr_zero_grad(h), 0);
    CHECK_INT(mg_api_expr_backward_begin(h), 0);
    CHECK_INT(mg_api_expr_backward_step(h), 0);
    CHECK_STR(mg_api_expr_step_json(h),
              "{\"done\":false,\"node\":2,\"grad\":1,\"remaining\":2,\"children\":["
              "{\"id\":0,\"local\":-3,\"contrib\":-3,\"grad\":-3},"
              "{\"id\":1,\"local\":2,\"contrib\":2,\"grad\":2}]}");
    CHECK_INT(mg_api_expr_backward_step(h), 0);
    CHECK_INT(mg_api_expr_backward_step(h), 0);
    CHECK_CONTAINS(mg_api_expr_step_json(h), "\"node\":0,\"grad\":-3,\"remaining\":0,\"children\":[]");
    CHECK_INT(mg_api_expr_backward_step(h), 0);
    CHECK_STR(mg_api_expr_step_json(h), "{\"done\":true,\"remaining\":0}");
    CHECK_INT(mg_api_expr_eval(h, "a = 1", 5), 0);
    CHECK_STR(mg_api_expr_step_json(h), "{}"); /* no stale step after a new program */

    /* errors with their place */
    CHECK_INT(mg_api_expr_run(h, "a = 1\nb = (a", 12), 1);
    CHECK_STR(mg_api_status_name(1), "syntax");
    CHECK_INT(mg_api_expr_error_line(h), 2);
    CHECK_INT(mg_api_expr_error_col(h), 7);
    CHECK_CONTAINS(mg_api_expr_error(h), "missing ')'");
    CHECK_STR(mg_api_expr_json(h), "{}");
    CHECK_INT(mg_api_expr_run(h, NULL, 5), 1); /* NULL is the empty program */
    CHECK_INT(mg_api_expr_run(h, "x=1\0y=@", 7), 1); /* a NUL is not the end */
    CHECK_STR(mg_api_expr_error(h), "line 1, col 4: unexpected byte 0x00 (only printable ASCII is allowed in programs)");
    CHECK(mg_api_expr_values(h) != NULL); /* an empty graph has an empty array */
    CHECK_INT(mg_api_expr_node_count(h), 0);
    CHECK_INT(mg_api_expr_backward(h), 7);
    CHECK_INT(mg_api_expr_backward_step(h), 7);

    /* bad and stale handles */
    mg_api_expr_free(h);
    mg_api_expr_free(h); /* twice is harmless */
    CHECK_INT(mg_api_expr_run(h, "a = 1", 5), 5);
    CHECK_CONTAINS(mg_api_expr_error(h), "invalid handle");
    CHECK_INT(mg_api_expr_run(0, "a = 1", 5), 5);
    CHECK_INT(mg_api_expr_run(-3, "a = 1", 5), 5);
    CHECK_INT(mg_api_expr_run(MG_API_MAX_HANDLES + 1, "a = 1", 5), 5);
    CHECK(mg_api_expr_values(h) == NULL);
    CHECK_STR(mg_api_expr_json(h), "{}");
    CHECK_STR(mg_api_status_name(99), "unknown");

    /* the table is bounded; freed slots are reused */
    int hs[MG_API_MAX_HANDLES];
    for (int i = 0; i < MG_API_MAX_HANDLES; i++) {
        hs[i] = mg_api_expr_create(16);
        CHECK(hs[i] > 0);
    }
    CHECK_INT(mg_api_expr_create(16), 0);
    mg_api_expr_free(hs[5]);
    CHECK_INT(mg_api_expr_create(16), hs[5]);
    for (int i = 0; i < MG_API_MAX_HANDLES; i++)
        mg_api_expr_free(hs[i]);
    /* probabilities: the softmax of predict's outputs for a cross-entropy model */
    int m = mg_api_model_create();
    CHECK(mg_api_model_probs(m, NULL, 1) == NULL); /* no model yet */
    CHECK_CONTAINS(mg_api_model_error(m), "no model");
    CHECK_INT(mg_api_model_build(m, "dense 4 tanh, dense 3", 2, 1, 1, 8, 0, 7), 0);
    CHECK_INT(mg_api_model_configure(m, "loss=ce opt=adam lr=0.01", 3), 0);
    const float xs[4] = {0.5f, -1.0f, 2.0f, 0.25f};
    float logits[6];
    memcpy(logits, mg_api_model_predict(m, xs, 2), sizeof logits);
    const float *probs = mg_api_model_probs(m, xs, 2);
    CHECK(probs != NULL);
    for (int i = 0; probs && i < 2; i++) {
        double z = 0, sum = 0;
        for (int k = 0; k < 3; k++)
            z += exp(logits[3 * i + k]);
        for (int k = 0; k < 3; k++) {
            CHECK_NEAR(probs[3 * i + k], exp(logits[3 * i + k]) / z, 1e-6);
            sum += probs[3 * i + k];
        }
        CHECK_NEAR(sum, 1.0, 1e-6);
    }
    CHECK(mg_api_model_probs(m, xs, 0) == NULL);
    CHECK_CONTAINS(mg_api_model_error(m), "probs: 0 inputs");
    mg_api_model_free(m);
    CHECK(mg_api_model_probs(m, xs, 1) == NULL); /* a freed handle */

    test_quantize();
    return check_done("test_api");
}
