/* The flat C API exported to WebAssembly (and usable natively). Thin: it
 * maps integer handles to engine objects and calls the modules.
 *
 * Every call that can fail returns an mg_status (0 = MG_OK); the message
 * of the last failure on a handle is mg_api_expr_error(handle), with the
 * place in the program as mg_api_expr_error_line/col (0 if none). Strings
 * and arrays returned are owned by the handle and stay valid until the next
 * call on it; JS copies or reads them at once. Handles are small positive
 * integers; the table holds MG_API_MAX_HANDLES live objects. */
#ifndef MG_API_H
#define MG_API_H

#include <stdint.h>

#define MG_API_MAX_HANDLES 64

/* "ok", "syntax", "name", "domain", "limit", "arg", "nomem", "state". */
const char *mg_api_status_name(int status);

/* A program of the expression language with its graph (at most max_nodes
 * nodes; 0 for the default). Returns a handle > 0, or 0 if the table is
 * full or memory is short. */
int mg_api_expr_create(int max_nodes);
void mg_api_expr_free(int h);

/* Parse and evaluate the len bytes at src (forward only), or evaluate and
 * run backward. A NUL byte inside is an error, not the end. */
int mg_api_expr_eval(int h, const char *src, int len);
int mg_api_expr_run(int h, const char *src, int len);
int mg_api_expr_backward(int h);
int mg_api_expr_zero_grad(int h);

/* Step-through of backward: begin, then step until the step JSON says
 * "done":true. mg_api_expr_step_json describes the last step:
 * {"done":false,"node":ID,"grad":G,"remaining":N,
 *  "children":[{"id":ID,"local":L,"contrib":C,"grad":G},...]} */
int mg_api_expr_backward_begin(int h);
int mg_api_expr_backward_step(int h);
const char *mg_api_expr_step_json(int h);

/* The full result as JSON (see mg_program_json in scalar/expr.h), or
 * "{}" when there is none. */
const char *mg_api_expr_json(int h);
/* Number of nodes, and [data0, grad0, data1, grad1, ...] for all of them
 * (2 * count doubles), refreshed by this call. */
int mg_api_expr_node_count(int h);
const double *mg_api_expr_values(int h);

const char *mg_api_expr_error(int h);
int mg_api_expr_error_line(int h);
int mg_api_expr_error_col(int h);

#endif
