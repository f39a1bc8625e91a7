/* The expression language: small programs such as
 *
 *     a = 2; b = -3; c = 10
 *     e = a*b
 *     d = e + c     # comments start with '#'
 *     L = d * -2
 *
 * evaluated into a scalar graph (value.h), with backward from the last
 * assigned name. Statements are `name = expr`, separated by newlines or ';'.
 * Expressions: numbers (2, -4.0, 1e-3), names, + - * /, ** (right
 * associative, binds tighter than unary minus, exponent must be a number or
 * an expression without names), unary minus, parentheses, and the calls
 * relu() tanh() exp() log() sigmoid(). A statement whose right side has no
 * names defines a leaf; any names-free sub-expression is folded into one
 * constant. A name may be assigned again: later uses see the new node,
 * earlier uses keep the old one, like Python variables.
 *
 * Lines end with \n, \r\n or \r. Errors (syntax, unknown names, a value or
 * gradient that would be inf or nan) leave an empty result and a message
 * "line L, col C: what". */
#ifndef MG_EXPR_H
#define MG_EXPR_H

#include <stdint.h>

#include "../base/buf.h"
#include "../base/status.h"
#include "value.h"

/* Documented limits of one program. */
#define MG_EXPR_MAX_SOURCE (8 * 1024 * 1024) /* bytes of program text */
#define MG_EXPR_MAX_DEPTH 256                 /* nesting of ( ), calls, unary - and ** */
#define MG_EXPR_MAX_NAME 63                   /* bytes in one name */
#define MG_EXPR_MAX_NUMBER 500                /* characters in one number */
#define MG_EXPR_DEFAULT_NODES (4 * 1024 * 1024)

typedef struct mg_program mg_program;

/* One `name = expr` statement after evaluation. */
typedef struct mg_binding {
    const char *name; /* owned by the program */
    int32_t node;     /* graph node the name refers to */
    int line, col;    /* where the statement starts */
    int is_leaf;      /* the right side had no names: this statement made a leaf */
} mg_binding;

/* Creates a program whose graph holds at most max_nodes nodes (0 means
 * MG_EXPR_DEFAULT_NODES). Free with mg_program_free. NULL if out of memory
 * or max_nodes is out of range. */
mg_program *mg_program_create(int32_t max_nodes);
void mg_program_free(mg_program *p);

/* Parses and evaluates src (forward pass only; grads are all 0). Replaces
 * whatever the program held before. */
mg_status mg_program_eval(mg_program *p, const char *src);
/* The same for len bytes at src, which may hold NUL bytes (an error). */
mg_status mg_program_eval_len(mg_program *p, const char *src, size_t len);
/* Backward from the output (see mg_graph_backward). */
mg_status mg_program_backward(mg_program *p);
/* mg_program_eval, then mg_program_backward. */
mg_status mg_program_run(mg_program *p, const char *src);
mg_status mg_program_run_len(mg_program *p, const char *src, size_t len);

/* Step-through of the backward pass from the output (see value.h). An
 * inf/nan gradient gives MG_ERR_DOMAIN with line and column; as with
 * mg_program_backward, the result is then dropped (nothing partial). */
mg_status mg_program_backward_begin(mg_program *p);
mg_status mg_program_backward_step(mg_program *p, mg_step *step, int *done);

/* The last error: message ("" if none), and its 1-based line and column
 * (0 when the error has no place in the source). */
const char *mg_program_error(const mg_program *p);
int mg_program_error_line(const mg_program *p);
int mg_program_error_col(const mg_program *p);

/* The graph (owned by the program), the output node and its name, and the
 * bindings in statement order. Valid after a successful eval. */
mg_graph *mg_program_graph(mg_program *p);
int32_t mg_program_output(const mg_program *p);
const char *mg_program_output_name(const mg_program *p);
int mg_program_nbindings(const mg_program *p);
const mg_binding *mg_program_binding(const mg_program *p, int i);
/* Where in the source node id was made (line, col), or 0, 0. */
void mg_program_node_pos(const mg_program *p, int32_t id, int *line, int *col);

/* Sets a leaf's value and recomputes all data; zeroes the grads. On a
 * non-finite result the old value is restored and MG_ERR_DOMAIN names the
 * node (with its place). */
mg_status mg_program_set_leaf(mg_program *p, int32_t node, double value);
/* The difference quotients of the output f with respect to leaf node x:
 * central (f(x+h) - f(x-h)) / 2h, error O(h^2); forward (f(x+h) - f(x)) / h
 * and backward (f(x) - f(x-h)) / h, error O(h). */
typedef enum mg_diff { MG_DIFF_CENTRAL, MG_DIFF_FORWARD, MG_DIFF_BACKWARD, MG_DIFF_COUNT } mg_diff;
/* The difference quotient of kind with step eps, in *out; the leaf keeps
 * its value. */
mg_status mg_program_numeric_grad(mg_program *p, int32_t node, double eps, mg_diff kind, double *out);

/* The result as one JSON object (owned by p, valid until the next call):
 * {"output":NAME,"data":D,"leaves":{NAME:{"data":D,"grad":G},...},
 *  "values":[{"name":N,"line":L,"col":C,"node":ID,"leaf":B,"data":D,"grad":G},...],
 *  "nodes":[...graph export...]}
 * A leaf name assigned more than once appears as NAME#1, NAME#2, ... for
 * the earlier leaves and as NAME for the last. NULL if out of memory. */
const char *mg_program_json(mg_program *p);

#endif
