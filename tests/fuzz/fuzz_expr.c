/* Fuzzes the expression language (src/scalar/expr.c): the input is a
 * program. It is run (parse, evaluate, backward) and then, when it is
 * valid, evaluated again and stepped through one node at a time through
 * the WASM API (src/api/api_expr.c), the way the graph page does it.
 *
 * Promises checked:
 * - an error has a status, a message, and "line L, col C: " in front of
 *   it whenever it has a place; it leaves no partial result;
 * - a success has finite data and grads everywhere and valid JSON-ish text;
 * - the step-through gives bit for bit the grads of the full backward pass
 *   (the same additions in the same order), and the same error if any;
 * - setting a leaf and the numeric gradient never leave a non-finite
 *   value behind. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "fuzz.h"
#include "scalar/expr.h"

static void check_error(mg_program *p, mg_status st)
{
    FUZZ_CHECK(st > MG_OK && st < MG_STATUS_COUNT, "status %d", (int)st);
    const char *msg = mg_program_error(p);
    FUZZ_CHECK(*msg, "status %d with an empty message", (int)st);
    int line = mg_program_error_line(p), col = mg_program_error_col(p);
    if (line) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "line %d, col %d: ", line, col);
        FUZZ_CHECK(col >= 1 && strncmp(msg, prefix, strlen(prefix)) == 0, "message '%s' at %d:%d",
                   msg, line, col);
    }
    FUZZ_CHECK(mg_program_nbindings(p) == 0, "%d bindings after an error",
               mg_program_nbindings(p));
    FUZZ_CHECK(mg_graph_size(mg_program_graph(p)) == 0, "a graph of %d nodes after an error",
               (int)mg_graph_size(mg_program_graph(p)));
    FUZZ_CHECK(strcmp(mg_program_json(p), "{}") == 0, "a result after an error");
}

/* Evaluates the program again through the API and steps backward one node
 * at a time; the grads must equal those of mg_program_run (in ref). */
static void check_step_through(const uint8_t *data, size_t size, mg_program *ref)
{
    int h = mg_api_expr_create(0);
    FUZZ_CHECK(h > 0, "no handle");
    FUZZ_CHECK(mg_api_expr_eval(h, (const char *)data, (int)size) == MG_OK, "%s",
               mg_api_expr_error(h));
    mg_graph *g = mg_program_graph(ref);
    int32_t n = mg_graph_size(g);
    FUZZ_CHECK(mg_api_expr_node_count(h) == n, "%d nodes, then %d", (int)n,
               mg_api_expr_node_count(h));
    int st = mg_api_expr_backward_begin(h);
    FUZZ_CHECK(st == MG_OK, "backward_begin: %s", mg_api_expr_error(h));
    int steps = 0;
    for (;;) {
        st = mg_api_expr_backward_step(h);
        FUZZ_CHECK(st == MG_OK, "step %d failed where backward did not: %s", steps,
                   mg_api_expr_error(h));
        const char *json = mg_api_expr_step_json(h);
        FUZZ_CHECK(json[0] == '{' && json[strlen(json) - 1] == '}', "step JSON '%s'", json);
        if (strncmp(json, "{\"done\":true", 12) == 0)
            break;
        FUZZ_CHECK(++steps <= n, "more steps (%d) than nodes (%d)", steps, (int)n);
    }
    /* after the last step, every grad equals the full pass's */
    const double *v = mg_api_expr_values(h);
    FUZZ_CHECK(v != NULL, "no values");
    for (int32_t i = 0; i < n; i++) {
        double want = mg_graph_grad(g, i), got = v[2 * i + 1];
        FUZZ_CHECK(memcmp(&want, &got, sizeof want) == 0 || (want == 0 && got == 0),
                   "node %d: step-through grad %.17g, backward %.17g", (int)i, got, want);
        FUZZ_CHECK(v[2 * i] == mg_graph_data(g, i), "node %d data differs", (int)i);
    }
    mg_api_expr_free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mg_program *p = mg_program_create(0);
    FUZZ_CHECK(p != NULL, "cannot create a program");
    mg_status st = mg_program_run_len(p, (const char *)data, size);
    if (st) {
        check_error(p, st);
        /* the same program through the API fails with the same message */
        int h = mg_api_expr_create(0);
        int ast = mg_api_expr_run(h, (const char *)data, (int)size);
        FUZZ_CHECK(ast == (int)st && strcmp(mg_api_expr_error(h), mg_program_error(p)) == 0,
                   "API: status %d '%s', library: status %d '%s'", ast, mg_api_expr_error(h),
                   (int)st, mg_program_error(p));
        mg_api_expr_free(h);
        mg_program_free(p);
        return 0;
    }
    FUZZ_CHECK(*mg_program_error(p) == '\0', "success with a message '%s'", mg_program_error(p));
    mg_graph *g = mg_program_graph(p);
    int32_t n = mg_graph_size(g);
    FUZZ_CHECK(n >= 1 && mg_program_nbindings(p) >= 1, "%d nodes, %d bindings", (int)n,
               mg_program_nbindings(p));
    int32_t out = mg_program_output(p);
    FUZZ_CHECK(out >= 0 && out < n, "output node %d of %d", (int)out, (int)n);
    for (int32_t i = 0; i < n; i++)
        FUZZ_CHECK(isfinite(mg_graph_data(g, i)) && isfinite(mg_graph_grad(g, i)),
                   "node %d: data %g grad %g", (int)i, mg_graph_data(g, i), mg_graph_grad(g, i));
    const char *json = mg_program_json(p);
    FUZZ_CHECK(json && strncmp(json, "{\"output\":", 10) == 0 && json[strlen(json) - 1] == '}',
               "JSON '%.80s'", json ? json : "(null)");
    check_step_through(data, size, p);

    /* change the first leaf and take its numeric gradient: on success every
     * value is finite, on failure the old values are back */
    int32_t leaf = -1;
    for (int i = 0; i < mg_program_nbindings(p) && leaf < 0; i++)
        if (mg_program_binding(p, i)->is_leaf)
            leaf = mg_program_binding(p, i)->node;
    if (leaf >= 0) {
        double old_out = mg_graph_data(g, out), x = mg_graph_data(g, leaf);
        st = mg_program_set_leaf(p, leaf, x * 2 + 1);
        if (st) {
            FUZZ_CHECK(st == MG_ERR_DOMAIN && *mg_program_error(p), "set_leaf: %d '%s'", (int)st,
                       mg_program_error(p));
            FUZZ_CHECK(mg_graph_data(g, out) == old_out, "set_leaf failed but the output moved");
        }
        for (int32_t i = 0; i < n; i++)
            FUZZ_CHECK(isfinite(mg_graph_data(g, i)), "node %d not finite after set_leaf", (int)i);
        double d = 0;
        st = mg_program_numeric_grad(p, leaf, 1e-4, MG_DIFF_CENTRAL, &d);
        FUZZ_CHECK(st ? isnan(d) && *mg_program_error(p) : !isnan(d),
                   "numeric_grad: %d %g", (int)st, d);
    }
    mg_program_free(p);
    return 0;
}
