/* What the fuzzers (tests/fuzz) found, one case per finding, each in the
 * plain C API with the exact result expected. The inputs that crashed are
 * kept beside the fuzzers in tests/fuzz/regress/<target>/ and run by
 * `./build.sh test` too. */
#include <stdlib.h>

#include "check.h"
#include "nn/model.h"

/* fuzz_spec, tests/fuzz/regress/spec/trace-arena-conv-batch1: a model
 * built for batches of one sample could not trace that sample ("internal
 * error: the step arena is too small"): the trace's f'(z) buffers were
 * not in the arena's budget, and a conv layer with an activation uses
 * more than its share there. */
static void test_trace_arena_batch1(void)
{
    static const struct {
        const char *spec;
        int shape[3];
    } cases[] = {
        {"conv 3 2 pad 2 relu, dense 1", {1, 12, 9}},
        {"conv 3 8 pad 1 tanh, dense 1", {1, 28, 28}},
        {"dense 64 relu, dense 1", {2, 1, 1}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mg_buf err = {0};
        mg_model *m = mg_model_create(cases[i].spec, cases[i].shape, 1, MG_INIT_AUTO, 1, &err);
        CHECK(m != NULL);
        if (!m) {
            fprintf(stderr, "  %s: %s\n", cases[i].spec, mg_buf_str(&err));
            mg_buf_free(&err);
            continue;
        }
        mg_train_config cfg;
        mg_train_defaults(&cfg);
        CHECK_INT(mg_model_configure(m, &cfg, 0), MG_OK);
        int in = mg_model_in_size(m);
        float *x = calloc((size_t)in, sizeof *x), t = 0.5f, loss = -1;
        for (int k = 0; k < in; k++)
            x[k] = (float)(k % 7) / 7.0f;
        CHECK_INT(mg_model_trace(m, x, NULL, &t, &loss), MG_OK);
        CHECK_STR(mg_model_error(m), "");
        CHECK(loss >= 0);
        mg_trace_layer tl;
        CHECK_INT(mg_model_trace_layer(m, 0, &tl), MG_OK);
        CHECK(tl.dact != NULL);
        /* the training step of one sample computes the same loss */
        float step_loss = -1;
        CHECK_INT(mg_model_train_step(m, x, NULL, &t, 1, &step_loss), MG_OK);
        CHECK_NEAR(step_loss, loss, 0);
        free(x);
        mg_model_free(m);
        mg_buf_free(&err);
    }
}

int main(void)
{
    test_trace_arena_batch1();
    return check_done("test_fuzz_regress");
}
