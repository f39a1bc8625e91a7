/* Handles for expression programs. The handle tables here and in
 * api_model.c are the only mutable static state in the library: they let
 * JS hold small integers instead of raw pointers, and reject stale or
 * made-up handles with an error. */
#include <math.h>
#include <stdlib.h>

#include "../base/buf.h"
#include "../scalar/expr.h"
#include "api.h"

typedef struct expr_handle {
    mg_program *p;
    mg_step step;
    int step_done;
    int stepped; /* a step has been made since backward_begin */
    mg_buf step_json;
    double *values;
    int32_t values_cap;
} expr_handle;

static expr_handle *handles[MG_API_MAX_HANDLES + 1];

static const char bad_handle[] = "invalid handle: the program was freed or never created";

static expr_handle *get(int h)
{
    return h > 0 && h <= MG_API_MAX_HANDLES ? handles[h] : NULL;
}

const char *mg_api_status_name(int status) { return mg_status_name((mg_status)status); }

int mg_api_expr_create(int max_nodes)
{
    for (int h = 1; h <= MG_API_MAX_HANDLES; h++) {
        if (handles[h])
            continue;
        expr_handle *e = calloc(1, sizeof *e);
        if (!e)
            return 0;
        e->p = mg_program_create(max_nodes);
        if (!e->p) {
            free(e);
            return 0;
        }
        handles[h] = e;
        return h;
    }
    return 0;
}

void mg_api_expr_free(int h)
{
    expr_handle *e = get(h);
    if (!e)
        return;
    mg_program_free(e->p);
    mg_buf_free(&e->step_json);
    free(e->values);
    free(e);
    handles[h] = NULL;
}

int mg_api_expr_eval(int h, const char *src, int len)
{
    expr_handle *e = get(h);
    if (!e)
        return MG_ERR_ARG;
    e->stepped = 0;
    return (int)mg_program_eval_len(e->p, src ? src : "", src && len > 0 ? (size_t)len : 0);
}

int mg_api_expr_run(int h, const char *src, int len)
{
    expr_handle *e = get(h);
    if (!e)
        return MG_ERR_ARG;
    e->stepped = 0;
    return (int)mg_program_run_len(e->p, src ? src : "", src && len > 0 ? (size_t)len : 0);
}

int mg_api_expr_backward(int h)
{
    expr_handle *e = get(h);
    return e ? (int)mg_program_backward(e->p) : MG_ERR_ARG;
}

int mg_api_expr_zero_grad(int h)
{
    expr_handle *e = get(h);
    if (!e)
        return MG_ERR_ARG;
    mg_graph_zero_grad(mg_program_graph(e->p));
    return MG_OK;
}

int mg_api_expr_backward_begin(int h)
{
    expr_handle *e = get(h);
    if (!e)
        return MG_ERR_ARG;
    e->stepped = 0;
    e->step_done = 0;
    return (int)mg_program_backward_begin(e->p);
}

int mg_api_expr_backward_step(int h)
{
    expr_handle *e = get(h);
    if (!e)
        return MG_ERR_ARG;
    mg_status st = mg_program_backward_step(e->p, &e->step, &e->step_done);
    e->stepped = st == MG_OK;
    return (int)st;
}

const char *mg_api_expr_step_json(int h)
{
    expr_handle *e = get(h);
    if (!e || !e->stepped)
        return "{}";
    mg_buf *b = &e->step_json;
    mg_buf_clear(b);
    if (e->step_done) {
        mg_buf_puts(b, "{\"done\":true,\"remaining\":0}");
        return mg_buf_str(b);
    }
    const mg_step *s = &e->step;
    mg_buf_printf(b, "{\"done\":false,\"node\":%ld,\"grad\":", (long)s->node);
    mg_buf_json_number(b, s->grad);
    mg_buf_printf(b, ",\"remaining\":%ld,\"children\":[",
                  (long)mg_graph_backward_remaining(mg_program_graph(e->p)));
    for (int i = 0; i < s->nchildren; i++) {
        mg_buf_printf(b, "%s{\"id\":%ld,\"local\":", i ? "," : "", (long)s->child[i]);
        mg_buf_json_number(b, s->local[i]);
        mg_buf_puts(b, ",\"contrib\":");
        mg_buf_json_number(b, s->contrib[i]);
        mg_buf_puts(b, ",\"grad\":");
        mg_buf_json_number(b, s->child_grad[i]);
        mg_buf_puts(b, "}");
    }
    mg_buf_puts(b, "]}");
    return b->failed ? "{}" : mg_buf_str(b);
}

int mg_api_expr_set_leaf(int h, int node, double value)
{
    expr_handle *e = get(h);
    if (!e)
        return MG_ERR_ARG;
    e->stepped = 0;
    return (int)mg_program_set_leaf(e->p, node, value);
}

double mg_api_expr_numeric_grad(int h, int node, double eps, int kind)
{
    expr_handle *e = get(h);
    double out = NAN;
    if (e)
        mg_program_numeric_grad(e->p, node, eps, (mg_diff)kind, &out);
    return out;
}

const char *mg_api_expr_json(int h)
{
    expr_handle *e = get(h);
    const char *json = e ? mg_program_json(e->p) : NULL;
    return json ? json : "{}";
}

int mg_api_expr_node_count(int h)
{
    expr_handle *e = get(h);
    return e ? (int)mg_graph_size(mg_program_graph(e->p)) : 0;
}

const double *mg_api_expr_values(int h)
{
    expr_handle *e = get(h);
    if (!e)
        return NULL;
    mg_graph *g = mg_program_graph(e->p);
    int32_t n = mg_graph_size(g);
    if (n > e->values_cap || !e->values) {
        double *v = realloc(e->values, (size_t)(n ? n : 1) * 2 * sizeof *v);
        if (!v)
            return NULL;
        e->values = v;
        e->values_cap = n ? n : 1;
    }
    for (int32_t i = 0; i < n; i++) {
        e->values[2 * i] = mg_graph_data(g, i);
        e->values[2 * i + 1] = mg_graph_grad(g, i);
    }
    return e->values;
}

const char *mg_api_expr_error(int h)
{
    expr_handle *e = get(h);
    return e ? mg_program_error(e->p) : bad_handle;
}

int mg_api_expr_error_line(int h)
{
    expr_handle *e = get(h);
    return e ? mg_program_error_line(e->p) : 0;
}

int mg_api_expr_error_col(int h)
{
    expr_handle *e = get(h);
    return e ? mg_program_error_col(e->p) : 0;
}
