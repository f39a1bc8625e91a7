/* The flat API exported to WebAssembly, natively: handles, errors on bad
 * or stale handles, the step JSON and the values array. */
#include "api/api.h"
#include "check.h"

int main(void)
{
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
    CHECK_INT(mg_api_model_configure(m, 3, 4, 0.01, 0.9, 0, 0, 0, 0, 1, 0, 1000, 0.1, 1000, 3), 0);
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

    return check_done("test_api");
}
