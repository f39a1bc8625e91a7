/* The expression language (src/scalar/expr.c): programs against values
 * from an independent reference (tests/ref/gen_scalar_ref.py, forward-mode
 * dual numbers in Python) and against finite differences; every error
 * with its line and column; the language's corner cases. */
#include <stdlib.h>

#include "check.h"
#include "ref_cases.h"
#include "scalar/expr.h"

static const mg_binding *find(const mg_program *p, const char *name)
{
    const mg_binding *found = NULL;
    for (int i = 0; i < mg_program_nbindings(p); i++)
        if (strcmp(mg_program_binding(p, i)->name, name) == 0)
            found = mg_program_binding(p, i);
    return found;
}

static void test_reference_cases(void)
{
    mg_program *p = mg_program_create(0);
    for (size_t c = 0; c < sizeof ref_cases / sizeof ref_cases[0]; c++) {
        const ref_case *rc = &ref_cases[c];
        if (mg_program_run(p, rc->program) != MG_OK) {
            CHECK_STR(mg_program_error(p), "");
            continue;
        }
        mg_graph *g = mg_program_graph(p);
        int32_t out = mg_program_output(p);
        CHECK_STR(mg_program_output_name(p), rc->output);
        if (!CHECK_NEAR(mg_graph_data(g, out), rc->data, 1e-12))
            fprintf(stderr, "  case %s\n", rc->name);
        /* leaves in statement order; a leaf name assigned n > 1 times is
         * NAME#1 .. NAME#(n-1), then NAME for the last (gen_scalar_ref.py) */
        int k = 0;
        for (int i = 0; i < mg_program_nbindings(p); i++) {
            const mg_binding *b = mg_program_binding(p, i);
            if (!b->is_leaf)
                continue;
            CHECK(k < rc->nleaves);
            if (k >= rc->nleaves)
                break;
            const ref_leaf *want = &rc->leaves[k++];
            int seen = 0, count = 0;
            for (int j = 0; j < mg_program_nbindings(p); j++) {
                const mg_binding *o = mg_program_binding(p, j);
                if (o->is_leaf && strcmp(o->name, b->name) == 0)
                    count++, seen += j <= i;
            }
            char name[80];
            if (seen < count)
                snprintf(name, sizeof name, "%s#%d", b->name, seen);
            else
                snprintf(name, sizeof name, "%s", b->name);
            CHECK_STR(name, want->name);
            CHECK_NEAR(mg_graph_data(g, b->node), want->data, 0);
            if (!CHECK_NEAR(mg_graph_grad(g, b->node), want->grad, 1e-12))
                fprintf(stderr, "  case %s, leaf %s\n", rc->name, want->name);
            /* and against central differences of the whole program */
            double x = mg_graph_data(g, b->node), h = 1e-6 * (fabs(x) > 1 ? fabs(x) : 1);
            mg_graph_set_data(g, b->node, x + h);
            mg_graph_forward(g);
            double fp = mg_graph_data(g, out);
            mg_graph_set_data(g, b->node, x - h);
            mg_graph_forward(g);
            double fm = mg_graph_data(g, out);
            mg_graph_set_data(g, b->node, x);
            mg_graph_forward(g);
            if (!CHECK_NEAR(mg_graph_grad(g, b->node), (fp - fm) / (2 * h), 1e-6))
                fprintf(stderr, "  finite differences, case %s, leaf %s\n", rc->name, want->name);
        }
        CHECK_INT(k, rc->nleaves);
    }
    mg_program_free(p);
}

static void test_errors(void)
{
    static const struct {
        const char *program;
        mg_status status;
        int line, col;
        const char *message;
    } cases[] = {
        {"", MG_ERR_SYNTAX, 1, 1, "empty program: write at least one statement, such as a = 2"},
        {"# only a comment\n\n;", MG_ERR_SYNTAX, 1, 1, "empty program"},
        {"a = 2\ne = q*a", MG_ERR_NAME, 2, 5,
         "unknown name 'q' (a name must be assigned before it is used)"},
        {"a = 2\nb = foo(a)", MG_ERR_NAME, 2, 5,
         "unknown function 'foo' (the functions are relu, tanh, exp, log, sigmoid, sin, cos, leaky_relu, gelu, elu)"},
        {"a = 2\nb = a(3)", MG_ERR_NAME, 2, 5,
         "'a' is a value, not a function: write a*(...) for a product"},
        {"a = 2 $ 3", MG_ERR_SYNTAX, 1, 7, "unexpected character '$'"},
        {"a = 2\nb = (a + 1", MG_ERR_SYNTAX, 2, 11,
         "missing ')': expected ')' to close the '(' at line 2, col 5, found the end of the program"},
        {"a = 2\nb = tanh(a\nc = 1", MG_ERR_SYNTAX, 2, 11,
         "missing ')': expected ')' to close the '(' at line 2, col 9, found the end of the line"},
        {"a = 2; b = 3\nc = a ** b", MG_ERR_SYNTAX, 2, 10,
         "the exponent of '**' must be a number (an expression without names), as in x**2"},
        {"a = 2\nb = 2 ** (a + 1)", MG_ERR_SYNTAX, 2, 10, "the exponent of '**' must be a number"},
        {"a = 0\nb = 1 / a", MG_ERR_DOMAIN, 2, 7, "division by zero: 1 / 0 would be inf"},
        {"a = 0\nb = a / a", MG_ERR_DOMAIN, 2, 7, "division by zero: 0 / 0 would be nan"},
        {"b = 1/0", MG_ERR_DOMAIN, 1, 6, "division by zero: 1 / 0 would be inf"},
        {"a = -3\nb = log(a)", MG_ERR_DOMAIN, 2, 5,
         "log of a non-positive number: log(-3) would be nan (log needs a number > 0)"},
        {"a = 0\n\nb = 2*log(a)", MG_ERR_DOMAIN, 3, 7,
         "log of a non-positive number: log(0) would be -inf (log needs a number > 0)"},
        {"a = -8\nb = a**0.5", MG_ERR_DOMAIN, 2, 6,
         "-8 ** 0.5 would be nan (a negative number to a fractional power)"},
        {"a = 0\nb = a**-1", MG_ERR_DOMAIN, 2, 6, "0 ** -1 would be inf (zero to a negative power)"},
        {"a = 800\nb = exp(a)", MG_ERR_DOMAIN, 2, 5, "exp(800) overflows: it would be inf"},
        {"a = 1e308\nb = a*10", MG_ERR_DOMAIN, 2, 6, "1e+308 * 10 overflows: it would be inf"},
        {"a = 1e999", MG_ERR_DOMAIN, 1, 5, "number 1e999 is too large (it would be inf)"},
        {"a = 1e+", MG_ERR_SYNTAX, 1, 8, "malformed number '1e+': the exponent after 'e' needs digits"},
        {"x = 3\ny = 2x", MG_ERR_SYNTAX, 2, 6,
         "a number cannot be followed directly by 'x': write 2*x for a product"},
        {"a = 1.2.3", MG_ERR_SYNTAX, 1, 8, "malformed number '1.2.': a number has at most one '.'"},
        {"x = .5.5", MG_ERR_SYNTAX, 1, 7, "malformed number '.5.': a number has at most one '.'"},
        {"x = 1/0 @", MG_ERR_DOMAIN, 1, 6, "division by zero"}, /* errors in source order */
        {"a = 1\rb = a +\r\nc = 2", MG_ERR_SYNTAX, 2, 8, "found the end of the line"},
        {"x = 0\ny = x**0.5 + x**0", MG_ERR_DOMAIN, 2, 6, "local derivative inf times grad 1"},
        {"a + 1", MG_ERR_SYNTAX, 1, 3, "expected '=' after 'a', found '+'"},
        {"= 1", MG_ERR_SYNTAX, 1, 1, "expected a statement 'name = expression', found '='"},
        {"2 = a", MG_ERR_SYNTAX, 1, 1, "expected a statement 'name = expression', found number 2"},
        {"a = ", MG_ERR_SYNTAX, 1, 5, "expected a number, a name or '(', found the end of the program"},
        {"a = 1 +\nb = 2", MG_ERR_SYNTAX, 1, 8, "expected a number, a name or '(', found the end of the line"},
        {"a = 1 2", MG_ERR_SYNTAX, 1, 7, "expected an operator or the end of the statement, found number 2"},
        {"a = 1\nb = a a", MG_ERR_SYNTAX, 2, 7, "expected an operator or the end of the statement, found name 'a'"},
        {"a = 1)", MG_ERR_SYNTAX, 1, 6, "expected an operator or the end of the statement, found ')'"},
        {"a = 1 ** ** 2", MG_ERR_SYNTAX, 1, 10, "expected a number, a name or '(', found '**'"},
        {"a = relu()", MG_ERR_SYNTAX, 1, 10, "expected a number, a name or '(', found ')'"},
        {"a = 1\nb = \xc3\xa9", MG_ERR_SYNTAX, 2, 5,
         "unexpected byte 0xC3 (only printable ASCII is allowed in programs)"},
        {"x = 0\ny = x**0.5", MG_ERR_DOMAIN, 2, 6,
         "backward: the gradient of node 0 (leaf 'x') became inf at node 1 (** 'y')"},
        /* an activation built of several nodes: none of them may overflow */
        {"x = 1e103\ny = gelu(x)", MG_ERR_DOMAIN, 2, 5,
         "gelu(1e+103) overflows: its ** node would be inf"},
    };
    mg_program *p = mg_program_create(0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mg_status st = mg_program_run(p, cases[i].program);
        if (st != cases[i].status)
            fprintf(stderr, "  program: %s\n", cases[i].program);
        CHECK_INT(st, cases[i].status);
        CHECK_INT(mg_program_error_line(p), cases[i].line);
        CHECK_INT(mg_program_error_col(p), cases[i].col);
        char prefix[64];
        snprintf(prefix, sizeof prefix, "line %d, col %d: ", cases[i].line, cases[i].col);
        CHECK(strncmp(mg_program_error(p), prefix, strlen(prefix)) == 0);
        CHECK_CONTAINS(mg_program_error(p), cases[i].message);
        /* never a partial result, whether parsing, evaluating or backward failed */
        CHECK_INT(mg_program_nbindings(p), 0);
        CHECK_INT(mg_graph_size(mg_program_graph(p)), 0);
        CHECK_STR(mg_program_json(p), "{}");
    }
    /* a good program after an error works and clears the message */
    CHECK_INT(mg_program_run(p, "a = 1; b = a + 1"), MG_OK);
    CHECK_STR(mg_program_error(p), "");
    CHECK_INT(mg_program_error_line(p), 0);

    /* nesting deeper than the limit is an error, not a stack overflow */
    size_t n = 100000;
    char *deep = malloc(2 * n + 16);
    strcpy(deep, "a = ");
    memset(deep + 4, '(', n);
    strcpy(deep + 4 + n, "1");
    memset(deep + 5 + n, ')', n);
    deep[5 + 2 * n] = '\0';
    CHECK_INT(mg_program_run(p, deep), MG_ERR_LIMIT);
    CHECK_CONTAINS(mg_program_error(p), "expression nested too deeply (more than 256 levels");
    CHECK_INT(mg_program_error_col(p), 4 + 257); /* at the 257th '(' */
    memset(deep + 4, '-', n);
    CHECK_INT(mg_program_run(p, deep), MG_ERR_LIMIT);
    CHECK_INT(mg_program_error_col(p), 4 + 257);
    free(deep);

    /* a graph limit is reported, with the place */
    mg_program *small = mg_program_create(4);
    CHECK_INT(mg_program_run(small, "a = 1\nb = a*a\nc = b*b\nd = c*c\ne = d*d"), MG_ERR_LIMIT);
    CHECK_STR(mg_program_error(small), "line 5, col 6: graph is full: it holds at most 4 nodes");
    CHECK_INT(mg_program_backward(small), MG_ERR_STATE);
    CHECK_STR(mg_program_error(small), "no program has been evaluated");
    mg_program_free(small);

    /* a NUL byte is an error at its place, not the end of the program */
    CHECK_INT(mg_program_run_len(p, "x=1\ny=x*2\0\ny=y*1000", 20), MG_ERR_SYNTAX);
    CHECK_STR(mg_program_error(p), "line 2, col 6: unexpected byte 0x00 (only printable ASCII is allowed in programs)");

    /* numbers up to MG_EXPR_MAX_NUMBER characters */
    char num[MG_EXPR_MAX_NUMBER + 16];
    strcpy(num, "x = 0.");
    memset(num + 6, '0', 300);
    strcpy(num + 306, "1");
    CHECK_INT(mg_program_run(p, num), MG_OK);
    CHECK_NEAR(mg_graph_data(mg_program_graph(p), 0), 1e-301, 1e-310);
    memset(num + 4, '1', MG_EXPR_MAX_NUMBER + 1);
    num[5 + MG_EXPR_MAX_NUMBER] = '\0';
    CHECK_INT(mg_program_run(p, num), MG_ERR_LIMIT);
    CHECK_CONTAINS(mg_program_error(p), "is longer than 500 characters");

    char name[80];
    memset(name, 'n', 70);
    strcpy(name + 70, " = 1");
    CHECK_INT(mg_program_run(p, name), MG_ERR_LIMIT);
    CHECK_CONTAINS(mg_program_error(p), "is longer than 63 characters");
    mg_program_free(p);
}

static void test_language(void)
{
    mg_program *p = mg_program_create(0);
    mg_graph *g = mg_program_graph(p);

    /* ** binds tighter than unary minus and is right-associative */
    CHECK_INT(mg_program_run(p, "a = 3\nb = -a**2\nc = 2**3**2\nd = 2**-1\ny = b + c + d"), MG_OK);
    CHECK_NEAR(mg_graph_data(g, find(p, "b")->node), -9, 0);
    CHECK_NEAR(mg_graph_data(g, find(p, "c")->node), 512, 0);
    CHECK_NEAR(mg_graph_data(g, find(p, "d")->node), 0.5, 0);
    CHECK(find(p, "c")->is_leaf && find(p, "d")->is_leaf && !find(p, "b")->is_leaf);
    CHECK_NEAR(mg_graph_grad(g, find(p, "a")->node), -6, 0);

    /* names-free sub-expressions fold into one constant: a, 12, a*12 */
    CHECK_INT(mg_program_run(p, "a = 2\ny = a * (3*4)"), MG_OK);
    CHECK_INT(mg_graph_size(g), 3);
    CHECK_NEAR(mg_graph_data(g, mg_program_output(p)), 24, 0);

    /* reassignment: earlier uses keep the old node, like Python */
    CHECK_INT(mg_program_run(p, "c = 1\nd = c*2\nc = 5\ne = d*c + c"), MG_OK);
    CHECK_NEAR(mg_graph_data(g, mg_program_output(p)), 15, 0);
    CHECK_CONTAINS(mg_program_json(p), "\"leaves\":{\"c#1\":{\"data\":1,\"grad\":10},"
                                       "\"c\":{\"data\":5,\"grad\":3}}");
    CHECK_INT(mg_program_run(p, "c = 1\nc = c + c + 1\nc = c * c"), MG_OK);
    CHECK_NEAR(mg_graph_data(g, mg_program_output(p)), 9, 0);
    CHECK_NEAR(mg_graph_grad(g, 0), 12, 0); /* d(c1^2)/dc0 = 2*c1*2 */

    /* an alias binds the same node; the output is the last assigned name */
    CHECK_INT(mg_program_run(p, "a = 4\nb = a"), MG_OK);
    CHECK_STR(mg_program_output_name(p), "b");
    CHECK_INT(mg_program_output(p), find(p, "a")->node);
    CHECK_NEAR(mg_graph_grad(g, find(p, "a")->node), 1, 0);

    /* statements separated by ';' and newlines, empty ones and comments */
    CHECK_INT(mg_program_run(p, ";;a = 1;;\r\n\n  # c\n\tb = +a - -a ;"), MG_OK);
    CHECK_NEAR(mg_graph_data(g, mg_program_output(p)), 2, 0);
    CHECK_INT(mg_program_binding(p, 1)->line, 4);
    CHECK_INT(mg_program_binding(p, 1)->col, 2);

    /* lines may end with \r\n or a lone \r */
    CHECK_INT(mg_program_run(p, "a = 1\r\nb = 2\rc = a*b"), MG_OK);
    CHECK_INT(mg_program_binding(p, 2)->line, 3);

    /* gradients that naive formulas get wrong */
    CHECK_INT(mg_program_run(p, "a = 0; b = 1e-170\ny = a/b"), MG_OK); /* b*b underflows */
    CHECK_NEAR(mg_graph_grad(mg_program_graph(p), 1), 0, 0);
    CHECK_INT(mg_program_run(p, "a = 1e-300; b = 1e-170\ny = a/b"), MG_OK);
    CHECK_NEAR(mg_graph_grad(mg_program_graph(p), 1), -1e40, 1e-14 * 1e40);
    CHECK_INT(mg_program_run(p, "x = 0\ny = x**0"), MG_OK); /* 0 * 0**-1 would be nan */
    CHECK_NEAR(mg_graph_grad(mg_program_graph(p), 0), 0, 0);

    /* every node knows where it came from */
    CHECK_INT(mg_program_run(p, "a = 2\ny = tanh(a) * a"), MG_OK);
    int line, col;
    mg_program_node_pos(p, mg_program_output(p), &line, &col);
    CHECK(line == 2 && col == 13);
    mg_program_node_pos(p, 1, &line, &col);
    CHECK(line == 2 && col == 5);

    /* edit a leaf: everything recomputes; numerical vs analytic derivative */
    CHECK_INT(mg_program_run(p, "a = 2\nb = -3\nc = a*b + tanh(a)\nd = c*c"), MG_OK);
    double analytic = mg_graph_grad(g, 0), numeric;
    CHECK_INT(mg_program_numeric_grad(p, 0, 1e-5, MG_DIFF_CENTRAL, &numeric), MG_OK);
    CHECK_NEAR(numeric, analytic, 1e-6);
    CHECK_NEAR(mg_graph_data(g, mg_program_output(p)), pow(-6 + tanh(2), 2), 1e-12); /* restored */
    CHECK_INT(mg_program_set_leaf(p, 1, 4), MG_OK);
    CHECK_NEAR(mg_graph_data(g, mg_program_output(p)), pow(8 + tanh(2), 2), 1e-12);
    CHECK_NEAR(mg_graph_grad(g, 0), 0, 0); /* stale grads are cleared */
    CHECK_INT(mg_program_set_leaf(p, 2, 1), MG_ERR_ARG);
    CHECK_STR(mg_program_error(p), "node 2 is not a leaf");
    CHECK_INT(mg_program_run(p, "a = 2\nb = 1/a"), MG_OK);
    CHECK_INT(mg_program_set_leaf(p, 0, 0), MG_ERR_DOMAIN);
    CHECK_STR(mg_program_error(p), "line 2, col 6: with that value, node 2 (/ b) would be inf");
    CHECK_NEAR(mg_graph_data(g, 2), 0.5, 0); /* the old value is kept */
    CHECK_INT(mg_program_numeric_grad(p, 0, -1, MG_DIFF_CENTRAL, &numeric), MG_ERR_ARG);
    CHECK_INT(mg_program_numeric_grad(p, 0, 1e-3, MG_DIFF_COUNT, &numeric), MG_ERR_ARG);
    CHECK_STR(mg_program_error(p), "difference 3: allowed 0 (central), 1 (forward), 2 (backward)");

    /* the book's autodiff example: d/dx sin(x^2) at x = 1 is 2 cos(1). The
     * forward and backward differences err by f2 h / 2 (f2, the second
     * derivative, 2 cos 1 - 4 sin 1), opposite in sign; the central one by
     * f3 h^2 / 6 (f3, the third, -12 sin 1 - 8 cos 1) */
    CHECK_INT(mg_program_run(p, "x = 1\ny = sin(x**2)"), MG_OK);
    CHECK_NEAR(mg_graph_grad(g, 0), 2 * cos(1.0), 1e-15);
    double f2 = 2 * cos(1.0) - 4 * sin(1.0), f3 = -12 * sin(1.0) - 8 * cos(1.0);
    for (double h = 1e-2; h >= 1e-4; h /= 10) {
        double fwd, bwd, ctr;
        CHECK_INT(mg_program_numeric_grad(p, 0, h, MG_DIFF_FORWARD, &fwd), MG_OK);
        CHECK_INT(mg_program_numeric_grad(p, 0, h, MG_DIFF_BACKWARD, &bwd), MG_OK);
        CHECK_INT(mg_program_numeric_grad(p, 0, h, MG_DIFF_CENTRAL, &ctr), MG_OK);
        /* with the next term of Taylor's series, f3 h^2 / 6, the same for both */
        CHECK_NEAR((fwd - 2 * cos(1.0)) / h, f2 / 2 + f3 * h / 6, 0.005);
        CHECK_NEAR((bwd - 2 * cos(1.0)) / h, -f2 / 2 + f3 * h / 6, 0.005);
        CHECK_NEAR((ctr - 2 * cos(1.0)) / (h * h), f3 / 6, 0.02);
    }
    CHECK_NEAR(mg_graph_data(g, 0), 1, 0); /* x keeps its value */

    /* the JSON result */
    CHECK_INT(mg_program_run(p, "a = 2; b = -3\nL = a*b"), MG_OK);
    CHECK_STR(mg_program_json(p),
              "{\"output\":\"L\",\"data\":-6,\"leaves\":{\"a\":{\"data\":2,\"grad\":-3},"
              "\"b\":{\"data\":-3,\"grad\":2}},\"values\":["
              "{\"name\":\"a\",\"line\":1,\"col\":1,\"node\":0,\"leaf\":true,\"data\":2,\"grad\":-3},"
              "{\"name\":\"b\",\"line\":1,\"col\":8,\"node\":1,\"leaf\":true,\"data\":-3,\"grad\":2},"
              "{\"name\":\"L\",\"line\":2,\"col\":1,\"node\":2,\"leaf\":false,\"data\":-6,\"grad\":1}],"
              "\"nodes\":[{\"id\":0,\"op\":\"leaf\",\"label\":\"a\",\"data\":2,\"grad\":-3,\"children\":[]},"
              "{\"id\":1,\"op\":\"leaf\",\"label\":\"b\",\"data\":-3,\"grad\":2,\"children\":[]},"
              "{\"id\":2,\"op\":\"*\",\"label\":\"L\",\"data\":-6,\"grad\":1,\"children\":[0,1]}]}");

    /* full double precision */
    CHECK_INT(mg_program_run(p, "a = 0.1; b = 0.2\nc = a + b"), MG_OK);
    CHECK_CONTAINS(mg_program_json(p), "\"data\":0.30000000000000004");
    mg_program_free(p);
}

/* elu of a large number: its graph takes e^a only where a < 0 (the fuzzer
 * found e^3339 = inf inside an elu whose value was finite) */
static void test_elu_large(void)
{
    mg_program *p = mg_program_create(0);
    CHECK_INT(mg_program_run(p, "x = 3339\ny = elu(x) * 2"), MG_OK);
    mg_graph *g = mg_program_graph(p);
    CHECK_NEAR(mg_graph_data(g, mg_program_output(p)), 6678, 0);
    CHECK_NEAR(mg_graph_grad(g, 0), 2, 0);
    for (int32_t i = 0; i < mg_graph_size(g); i++)
        CHECK(isfinite(mg_graph_data(g, i)) && isfinite(mg_graph_grad(g, i)));
    CHECK_INT(mg_program_run(p, "x = -0.5\ny = elu(x)"), MG_OK);
    CHECK_NEAR(mg_graph_data(g, mg_program_output(p)), exp(-0.5) - 1, 1e-16);
    CHECK_NEAR(mg_graph_grad(g, 0), exp(-0.5), 1e-16);
    mg_program_free(p);
}

static void test_long_programs(void)
{
    /* a chain 100,000 nodes deep, written as one long sum */
    size_t terms = 100000;
    char *src = malloc(terms * 4 + 32);
    char *s = src + sprintf(src, "x = 0.5\ny = x");
    for (size_t i = 1; i < terms; i++)
        s += sprintf(s, "+x");
    mg_program *p = mg_program_create(0);
    CHECK_INT(mg_program_run(p, src), MG_OK);
    CHECK_NEAR(mg_graph_data(mg_program_graph(p), mg_program_output(p)), 0.5 * (double)terms, 0);
    CHECK_NEAR(mg_graph_grad(mg_program_graph(p), 0), (double)terms, 0);

    /* 20,000 statements that each rebind the same name */
    s = src + sprintf(src, "x = 1.0001");
    for (size_t i = 1; i < 20000; i++)
        s += sprintf(s, "\nx = x*1.0001");
    CHECK_INT(mg_program_run(p, src), MG_OK);
    CHECK_NEAR(mg_graph_data(mg_program_graph(p), mg_program_output(p)), pow(1.0001, 20000), 1e-10);
    CHECK_INT(mg_program_nbindings(p), 20000);

    /* step-through from a program equals the full backward pass */
    const char *prog = "a = -4\nb = 2\nc = a*b + b**3\nd = relu(c) * tanh(a/b) - exp(b/4)*log(c+10)";
    mg_program *q = mg_program_create(0);
    CHECK_INT(mg_program_run(q, prog), MG_OK);
    CHECK_INT(mg_program_eval(p, prog), MG_OK);
    CHECK_NEAR(mg_graph_grad(mg_program_graph(p), 0), 0, 0);
    CHECK_INT(mg_program_backward_begin(p), MG_OK);
    mg_step st;
    int done = 0, steps = 0;
    while (!done) {
        CHECK_INT(mg_program_backward_step(p, &st, &done), MG_OK);
        steps += !done;
    }
    CHECK_INT(steps, mg_graph_size(mg_program_graph(q)));
    for (int32_t i = 0; i < mg_graph_size(mg_program_graph(q)); i++)
        CHECK_NEAR(mg_graph_grad(mg_program_graph(p), i), mg_graph_grad(mg_program_graph(q), i), 0);
    mg_program_free(q);
    mg_program_free(p);
    free(src);
}

int main(void)
{
    test_reference_cases();
    test_errors();
    test_language();
    test_long_programs();
    test_elu_large();
    return check_done("test_expr");
}
