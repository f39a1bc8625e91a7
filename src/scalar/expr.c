/* The expression language: a hand-written lexer and recursive-descent
 * parser that builds the scalar graph as it parses (grammar below), with
 * names-free sub-expressions folded into constants.
 *
 *   program   := { stmt } separated by newlines or ';'
 *   stmt      := NAME '=' expr
 *   expr      := term { ('+' | '-') term }
 *   term      := unary { ('*' | '/') unary }
 *   unary     := ('-' | '+') unary | power
 *   power     := primary [ '**' unary ]        (exponent: no names)
 *   primary   := NUMBER | NAME | NAME '(' expr ')' | '(' expr ')'
 *
 * Left-associative chains are loops; recursion only follows nesting, which
 * MG_EXPR_MAX_DEPTH bounds, so no input can overflow the C stack. */
#include "expr.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum tok_kind {
    T_EOF, T_NEWLINE, T_SEMI, T_NAME, T_NUMBER, T_PLUS, T_MINUS, T_STAR,
    T_SLASH, T_POW, T_LPAREN, T_RPAREN, T_ASSIGN, T_BAD
} tok_kind;

typedef struct token {
    tok_kind kind;
    const char *start;
    int len;
    int line, col;
    double num;
} token;

typedef struct srcpos {
    int32_t line, col;
} srcpos;

/* One entry per distinct name: where its text is, its latest binding and
 * how many leaf statements assigned it. */
typedef struct name_entry {
    uint32_t off;
    int32_t binding; /* -1: empty slot */
    int32_t leaf_count;
} name_entry;

struct mg_program {
    mg_graph *g;
    mg_binding *bindings;
    uint32_t *binding_off;  /* name offset of each binding */
    int32_t *binding_seq;   /* 1-based count among leaf bindings of that name */
    int nb, bcap;
    char *names;
    size_t names_len, names_cap;
    name_entry *table;
    uint32_t table_cap, table_used;
    srcpos *pos; /* per graph node */
    int32_t pos_cap;
    int32_t output;
    int err_line, err_col;
    mg_buf error;
    mg_buf json;
};

typedef struct parser {
    mg_program *p;
    const char *cur, *end;
    const char *line_start;
    int line;
    token tok;
    int depth;
    mg_status st;
    /* the lexical error of a T_BAD token */
    mg_status lex_st;
    int lex_line, lex_col;
    char lex_msg[160];
} parser;

typedef struct operand {
    int is_const;
    double v;
    int32_t id;
    int line, col;
} operand;

/* The functions: these ops (constants fold through them), and every other
 * activation of base/act.h but linear (built by mg_act_apply, as the
 * scalar MLP builds them). */
static const struct {
    const char *name;
    mg_op op;
} functions[] = {
    {"relu", MG_OP_RELU}, {"tanh", MG_OP_TANH}, {"exp", MG_OP_EXP},
    {"log", MG_OP_LOG},   {"sigmoid", MG_OP_SIGMOID}, {"sin", MG_OP_SIN},
    {"cos", MG_OP_COS},
};

/* Whether the activation is one of the functions above. */
static int is_op_function(mg_act act)
{
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (strcmp(functions[i].name, mg_act_name(act)) == 0)
            return 1;
    return 0;
}

/* ---- errors ---------------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void fail(parser *P, mg_status st, int line, int col, const char *fmt, ...)
{
    if (P->st != MG_OK)
        return; /* keep the first error */
    mg_program *p = P->p;
    P->st = st;
    p->err_line = line;
    p->err_col = col;
    mg_buf_clear(&p->error);
    mg_buf_printf(&p->error, "line %d, col %d: ", line, col);
    va_list ap;
    va_start(ap, fmt);
    mg_buf_vprintf(&p->error, fmt, ap);
    va_end(ap);
}

static void describe_token(const token *t, char *out, size_t n)
{
    switch (t->kind) {
    case T_EOF: snprintf(out, n, "the end of the program"); break;
    case T_NEWLINE: snprintf(out, n, "the end of the line"); break;
    case T_NAME: snprintf(out, n, "name '%.*s'", t->len, t->start); break;
    case T_NUMBER: snprintf(out, n, "number %.*s", t->len > 40 ? 40 : t->len, t->start); break;
    default: snprintf(out, n, "'%.*s'", t->len, t->start); break;
    }
}

/* ---- lexer ------------------------------------------------------------ */

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* Records a lexical error on the token: it is reported only if the parser
 * reaches the token, so errors come in source order. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void lex_error(parser *P, mg_status st, int line, int col, const char *fmt, ...)
{
    P->tok.kind = T_BAD;
    P->lex_st = st;
    P->lex_line = line;
    P->lex_col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(P->lex_msg, sizeof P->lex_msg, fmt, ap);
    va_end(ap);
}

/* Reports the current token's lexical error, if it has one. */
static int bad_token(parser *P)
{
    if (P->tok.kind != T_BAD)
        return 0;
    fail(P, P->lex_st, P->lex_line, P->lex_col, "%s", P->lex_msg);
    return 1;
}

static void next(parser *P)
{
    const char *s = P->cur, *end = P->end;
    for (;;) {
        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
        if (s < end && *s == '#') {
            while (s < end && *s != '\n' && *s != '\r')
                s++;
            continue;
        }
        break;
    }
    token *t = &P->tok;
    t->start = s;
    t->line = P->line;
    t->col = (int)(s - P->line_start) + 1;
    t->len = 1;
    if (s == end) {
        t->kind = T_EOF;
        t->len = 0;
        P->cur = s;
        return;
    }
    switch (*s) {
    case '\n':
    case '\r': /* \n, \r\n and a lone \r all end a line */
        t->kind = T_NEWLINE;
        P->cur = s + (*s == '\r' && s + 1 < end && s[1] == '\n' ? 2 : 1);
        P->line++;
        P->line_start = P->cur;
        return;
    case ';': t->kind = T_SEMI; break;
    case '+': t->kind = T_PLUS; break;
    case '-': t->kind = T_MINUS; break;
    case '/': t->kind = T_SLASH; break;
    case '(': t->kind = T_LPAREN; break;
    case ')': t->kind = T_RPAREN; break;
    case '=': t->kind = T_ASSIGN; break;
    case '*':
        t->kind = s + 1 < end && s[1] == '*' ? T_POW : T_STAR;
        t->len = t->kind == T_POW ? 2 : 1;
        break;
    default:
        if (is_alpha((unsigned char)*s)) {
            const char *e = s;
            while (e < end && (is_alpha((unsigned char)*e) || is_digit((unsigned char)*e)))
                e++;
            t->kind = T_NAME;
            t->len = (int)(e - s);
            if (t->len > MG_EXPR_MAX_NAME)
                lex_error(P, MG_ERR_LIMIT, t->line, t->col,
                          "name '%.20s...' is longer than %d characters", s, MG_EXPR_MAX_NAME);
        } else if (is_digit((unsigned char)*s) ||
                   (*s == '.' && s + 1 < end && is_digit((unsigned char)s[1]))) {
            const char *e = s;
            while (e < end && is_digit((unsigned char)*e))
                e++;
            if (e < end && *e == '.')
                for (e++; e < end && is_digit((unsigned char)*e);)
                    e++;
            if (e < end && (*e == 'e' || *e == 'E')) {
                const char *x = e + 1;
                if (x < end && (*x == '+' || *x == '-'))
                    x++;
                if (x == end || !is_digit((unsigned char)*x)) {
                    lex_error(P, MG_ERR_SYNTAX, t->line, t->col + (int)(x - s),
                              "malformed number '%.*s': the exponent after 'e' needs digits",
                              (int)(x - s), s);
                    P->cur = x;
                    return;
                }
                while (x < end && is_digit((unsigned char)*x))
                    x++;
                e = x;
            }
            t->kind = T_NUMBER;
            t->len = (int)(e - s);
            char tmp[MG_EXPR_MAX_NUMBER + 1];
            if (t->len > MG_EXPR_MAX_NUMBER) {
                lex_error(P, MG_ERR_LIMIT, t->line, t->col,
                          "number '%.20s...' is longer than %d characters", s, MG_EXPR_MAX_NUMBER);
            } else {
                memcpy(tmp, s, (size_t)t->len);
                tmp[t->len] = '\0';
                t->num = strtod(tmp, NULL);
                if (!isfinite(t->num))
                    lex_error(P, MG_ERR_DOMAIN, t->line, t->col,
                              "number %.40s is too large (it would be inf)", tmp);
            }
            if (e < end && is_alpha((unsigned char)*e))
                lex_error(P, MG_ERR_SYNTAX, t->line, t->col + t->len,
                          "a number cannot be followed directly by '%c': write %.*s*%c for a product",
                          *e, t->len, s, *e);
            else if (e < end && *e == '.')
                lex_error(P, MG_ERR_SYNTAX, t->line, t->col + t->len,
                          "malformed number '%.*s.': a number has at most one '.'", t->len, s);
        } else {
            unsigned char c = (unsigned char)*s;
            if (c == '"' || c == '\'')
                lex_error(P, MG_ERR_SYNTAX, t->line, t->col,
                          "unexpected quote %c: numbers and names are written without quotes",
                          c);
            else if (c > 0x20 && c < 0x7f)
                lex_error(P, MG_ERR_SYNTAX, t->line, t->col, "unexpected character '%c'", c);
            else
                lex_error(P, MG_ERR_SYNTAX, t->line, t->col,
                          "unexpected byte 0x%02X (only printable ASCII is allowed in programs)", c);
        }
    }
    P->cur = s + t->len;
}

/* ---- names and bindings ----------------------------------------------- */

static uint32_t hash_name(const char *s, int len)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* The entry for the name, or the empty slot where it would go. */
static name_entry *find_name(mg_program *p, const char *s, int len)
{
    uint32_t mask = p->table_cap - 1;
    for (uint32_t i = hash_name(s, len) & mask;; i = (i + 1) & mask) {
        name_entry *e = &p->table[i];
        if (e->binding < 0)
            return e;
        const char *n = p->names + e->off;
        if ((int)strlen(n) == len && memcmp(n, s, (size_t)len) == 0)
            return e;
    }
}

static int grow_table(mg_program *p)
{
    if ((p->table_used + 1) * 2 <= p->table_cap)
        return 1;
    uint32_t cap = p->table_cap ? p->table_cap * 2 : 64;
    name_entry *old = p->table;
    uint32_t old_cap = p->table_cap;
    p->table = malloc(cap * sizeof *p->table);
    if (!p->table) {
        p->table = old;
        return 0;
    }
    p->table_cap = cap;
    for (uint32_t i = 0; i < cap; i++)
        p->table[i].binding = -1;
    for (uint32_t i = 0; i < old_cap; i++) {
        if (old[i].binding < 0)
            continue;
        const char *n = p->names + old[i].off;
        *find_name(p, n, (int)strlen(n)) = old[i];
    }
    free(old);
    return 1;
}

static int32_t lookup(mg_program *p, const char *s, int len)
{
    if (!p->table_cap)
        return -1;
    name_entry *e = find_name(p, s, len);
    return e->binding >= 0 ? p->bindings[e->binding].node : -1;
}

static int bind(parser *P, const token *name, int32_t node, int is_leaf)
{
    mg_program *p = P->p;
    if (p->nb == p->bcap) {
        int cap = p->bcap ? p->bcap * 2 : 64;
        mg_binding *b = realloc(p->bindings, (size_t)cap * sizeof *b);
        if (b)
            p->bindings = b;
        uint32_t *o = realloc(p->binding_off, (size_t)cap * sizeof *o);
        if (o)
            p->binding_off = o;
        int32_t *q = realloc(p->binding_seq, (size_t)cap * sizeof *q);
        if (q)
            p->binding_seq = q;
        if (!b || !o || !q)
            goto nomem;
        p->bcap = cap;
    }
    if (!grow_table(p))
        goto nomem;
    name_entry *e = find_name(p, name->start, name->len);
    if (e->binding < 0) {
        size_t need = p->names_len + (size_t)name->len + 1;
        if (need > p->names_cap) {
            size_t cap = p->names_cap ? p->names_cap : 1024;
            while (cap < need)
                cap *= 2;
            char *n = realloc(p->names, cap);
            if (!n)
                goto nomem;
            p->names = n;
            p->names_cap = cap;
        }
        memcpy(p->names + p->names_len, name->start, (size_t)name->len);
        p->names[p->names_len + (size_t)name->len] = '\0';
        e->off = (uint32_t)p->names_len;
        e->leaf_count = 0;
        p->names_len = need;
        p->table_used++;
    }
    e->binding = p->nb;
    mg_binding *b = &p->bindings[p->nb];
    b->name = NULL; /* fixed up when parsing ends: names may move */
    b->node = node;
    b->line = name->line;
    b->col = name->col;
    b->is_leaf = is_leaf;
    p->binding_off[p->nb] = e->off;
    p->binding_seq[p->nb] = is_leaf ? ++e->leaf_count : 0;
    p->nb++;
    return 1;
nomem:
    fail(P, MG_ERR_NOMEM, name->line, name->col, "out of memory storing name '%.*s'", name->len,
         name->start);
    return 0;
}

/* ---- building nodes ----------------------------------------------------- */

static int set_pos(mg_program *p, int32_t id, int line, int col)
{
    if (id >= p->pos_cap) {
        int32_t cap = p->pos_cap ? p->pos_cap : 256;
        while (cap <= id)
            cap *= 2;
        srcpos *q = realloc(p->pos, (size_t)cap * sizeof *q);
        if (!q)
            return 0;
        p->pos = q;
        p->pos_cap = cap;
    }
    p->pos[id].line = line;
    p->pos[id].col = col;
    return 1;
}

static const char *inf_or_nan(double r) { return isnan(r) ? "nan" : (r > 0 ? "inf" : "-inf"); }

/* Explains why op(a, b) (or a**k) is not finite. */
static void domain_error(parser *P, mg_op op, double a, double b, double k, double r, int line,
                         int col)
{
    switch (op) {
    case MG_OP_DIV:
        if (b == 0.0) {
            fail(P, MG_ERR_DOMAIN, line, col, "division by zero: %.17g / 0 would be %s", a,
                 inf_or_nan(r));
            return;
        }
        break;
    case MG_OP_LOG:
        fail(P, MG_ERR_DOMAIN, line, col,
             "log of a non-positive number: log(%.17g) would be %s (log needs a number > 0)", a,
             inf_or_nan(r));
        return;
    case MG_OP_POW:
        fail(P, MG_ERR_DOMAIN, line, col, "%.17g ** %.17g would be %s%s", a, k, inf_or_nan(r),
             a < 0 && k != floor(k) ? " (a negative number to a fractional power)"
             : a == 0 && k < 0      ? " (zero to a negative power)"
                                    : " (overflow)");
        return;
    case MG_OP_EXP:
        fail(P, MG_ERR_DOMAIN, line, col, "exp(%.17g) overflows: it would be inf", a);
        return;
    default: break;
    }
    if (op == MG_OP_ADD || op == MG_OP_SUB || op == MG_OP_MUL || op == MG_OP_DIV)
        fail(P, MG_ERR_DOMAIN, line, col, "%.17g %s %.17g overflows: it would be %s", a,
             mg_op_name(op), b, inf_or_nan(r));
    else
        fail(P, MG_ERR_DOMAIN, line, col, "%s(%.17g) would be %s", mg_op_name(op), a,
             inf_or_nan(r));
}

static int32_t materialize(parser *P, operand x)
{
    if (!x.is_const)
        return x.id;
    int32_t id = mg_leaf(P->p->g, x.v, NULL);
    if (id < 0 || !set_pos(P->p, id, x.line, x.col)) {
        fail(P, MG_ERR_LIMIT, x.line, x.col, "%s",
             id < 0 ? mg_graph_error(P->p->g) : "out of memory");
        return -1;
    }
    return id;
}

/* op applied to x (and y for binary ops, k for **), at the operator's
 * place line:col. Folds constants; rejects results that are not finite.
 * The result starts where x starts. */
static operand apply(parser *P, mg_op op, operand x, operand y, double k, int line, int col)
{
    operand r = {1, 0.0, -1, x.line, x.col};
    if (P->st)
        return r;
    int binary = op == MG_OP_ADD || op == MG_OP_SUB || op == MG_OP_MUL || op == MG_OP_DIV;
    if (x.is_const && (!binary || y.is_const)) {
        r.v = mg_op_apply(op, x.v, binary ? y.v : 0.0, k);
        if (!isfinite(r.v))
            domain_error(P, op, x.v, binary ? y.v : 0.0, k, r.v, line, col);
        return r;
    }
    int32_t a = materialize(P, x);
    int32_t b = binary ? materialize(P, y) : -1;
    if (P->st)
        return r;
    mg_graph *g = P->p->g;
    int32_t id = mg_node(g, op, a, b, k);
    if (id < 0 || !set_pos(P->p, id, line, col)) {
        fail(P, MG_ERR_LIMIT, line, col, "%s", id < 0 ? mg_graph_error(g) : "out of memory");
        return r;
    }
    double v = mg_graph_data(g, id);
    if (!isfinite(v))
        domain_error(P, op, mg_graph_data(g, a), binary ? mg_graph_data(g, b) : 0.0, k, v, line, col);
    r.is_const = 0;
    r.id = id;
    r.v = v;
    return r;
}

/* An activation (other than those that are one op) applied to x: its graph
 * from mg_act_apply, every node of it placed at the call. */
static operand apply_act(parser *P, mg_act act, operand x, int line, int col)
{
    operand r = {1, 0.0, -1, x.line, x.col};
    int32_t a = materialize(P, x);
    if (P->st)
        return r;
    mg_graph *g = P->p->g;
    int32_t first = mg_graph_size(g);
    int32_t id = mg_act_apply(g, act, a);
    for (int32_t k = first; id >= 0 && k < mg_graph_size(g); k++)
        if (!set_pos(P->p, k, line, col)) {
            fail(P, MG_ERR_LIMIT, line, col, "out of memory");
            return r;
        }
    if (id < 0) {
        fail(P, MG_ERR_LIMIT, line, col, "%s", mg_graph_error(g));
        return r;
    }
    /* every node of its graph finite (gelu's a^3 overflows for |a| > 5e102) */
    for (int32_t k = first; k < id; k++)
        if (!isfinite(mg_graph_data(g, k))) {
            fail(P, MG_ERR_DOMAIN, line, col, "%s(%.17g) overflows: its %s node would be %s",
                 mg_act_name(act), mg_graph_data(g, a), mg_op_name(mg_graph_op(g, k)),
                 isnan(mg_graph_data(g, k)) ? "nan" : "inf");
            return r;
        }
    double v = mg_graph_data(g, id);
    if (!isfinite(v)) {
        fail(P, MG_ERR_DOMAIN, line, col, "%s(%.17g) is %s", mg_act_name(act), mg_graph_data(g, a),
             isnan(v) ? "nan" : "inf");
        return r;
    }
    r.is_const = 0;
    r.id = id;
    r.v = v;
    return r;
}

/* "unknown function 'f' (the functions are exp, log, relu, ...)" */
static void unknown_function(parser *P, const token *t)
{
    if (P->st)
        return; /* the first error stays */
    fail(P, MG_ERR_NAME, t->line, t->col, "unknown function '%.*s' (the functions are", t->len, t->start);
    mg_buf *b = &P->p->error;
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        mg_buf_printf(b, "%s %s", i ? "," : "", functions[i].name);
    for (int a = MG_ACT_LINEAR + 1; a < MG_ACT_COUNT; a++)
        if (!is_op_function((mg_act)a))
            mg_buf_printf(b, ", %s", mg_act_name((mg_act)a));
    mg_buf_puts(b, ")");
}

/* ---- parser ------------------------------------------------------------ */

static operand parse_expr(parser *P);
static operand parse_unary(parser *P);

static int enter(parser *P)
{
    if (++P->depth > MG_EXPR_MAX_DEPTH) {
        fail(P, MG_ERR_LIMIT, P->tok.line, P->tok.col,
             "expression nested too deeply (more than %d levels of parentheses, calls, "
             "unary minus or **)",
             MG_EXPR_MAX_DEPTH);
        return 0;
    }
    return 1;
}

static void expect_rparen(parser *P, const token *open)
{
    if (P->tok.kind == T_RPAREN) {
        next(P);
        return;
    }
    char what[96];
    if (bad_token(P))
        return;
    describe_token(&P->tok, what, sizeof what);
    fail(P, MG_ERR_SYNTAX, P->tok.line, P->tok.col,
         "missing ')': expected ')' to close the '(' at line %d, col %d, found %s", open->line,
         open->col, what);
}

static operand parse_primary(parser *P)
{
    operand r = {1, 0.0, -1, P->tok.line, P->tok.col};
    token t = P->tok;
    char what[96];
    if (P->st)
        return r;
    switch (t.kind) {
    case T_NUMBER:
        r.v = t.num;
        next(P);
        return r;
    case T_LPAREN:
        if (!enter(P))
            return r;
        next(P);
        r = parse_expr(P);
        P->depth--;
        expect_rparen(P, &t);
        r.line = t.line;
        r.col = t.col;
        return r;
    case T_NAME:
        next(P);
        if (P->tok.kind == T_LPAREN) {
            token open = P->tok;
            size_t nf = sizeof functions / sizeof functions[0], i;
            for (i = 0; i < nf; i++)
                if ((int)strlen(functions[i].name) == t.len &&
                    memcmp(functions[i].name, t.start, (size_t)t.len) == 0)
                    break;
            mg_act act = mg_act_parse(t.start, t.len);
            if (act == MG_ACT_LINEAR)
                act = MG_ACT_COUNT; /* not a function */
            if (i == nf && act == MG_ACT_COUNT) {
                if (lookup(P->p, t.start, t.len) >= 0)
                    fail(P, MG_ERR_NAME, t.line, t.col,
                         "'%.*s' is a value, not a function: write %.*s*(...) for a product",
                         t.len, t.start, t.len, t.start);
                else
                    unknown_function(P, &t);
                return r;
            }
            if (!enter(P))
                return r;
            next(P);
            operand arg = parse_expr(P);
            P->depth--;
            expect_rparen(P, &open);
            operand none = {1, 0.0, -1, 0, 0};
            r = i < nf ? apply(P, functions[i].op, arg, none, 0.0, t.line, t.col)
                       : apply_act(P, act, arg, t.line, t.col);
            r.line = t.line;
            r.col = t.col;
            return r;
        }
        r.id = lookup(P->p, t.start, t.len);
        if (r.id < 0) {
            fail(P, MG_ERR_NAME, t.line, t.col,
                 "unknown name '%.*s' (a name must be assigned before it is used)", t.len, t.start);
            return r;
        }
        r.is_const = 0;
        r.v = mg_graph_data(P->p->g, r.id);
        return r;
    default:
        if (bad_token(P))
            return r;
        describe_token(&t, what, sizeof what);
        fail(P, MG_ERR_SYNTAX, t.line, t.col, "expected a number, a name or '(', found %s", what);
        return r;
    }
}

static operand parse_power(parser *P)
{
    operand base = parse_primary(P);
    if (P->st || P->tok.kind != T_POW)
        return base;
    token op = P->tok;
    if (!enter(P))
        return base;
    next(P);
    operand ex = parse_unary(P);
    P->depth--;
    if (P->st)
        return base;
    if (!ex.is_const) {
        fail(P, MG_ERR_SYNTAX, ex.line, ex.col,
             "the exponent of '**' must be a number (an expression without names), as in x**2");
        return base;
    }
    operand none = {1, 0.0, -1, 0, 0};
    operand r = apply(P, MG_OP_POW, base, none, ex.v, op.line, op.col);
    r.line = base.line;
    r.col = base.col;
    return r;
}

static operand parse_unary(parser *P)
{
    token t = P->tok;
    if (t.kind != T_MINUS && t.kind != T_PLUS)
        return parse_power(P);
    operand r = {1, 0.0, -1, t.line, t.col};
    if (!enter(P))
        return r;
    next(P);
    operand x = parse_unary(P);
    P->depth--;
    if (t.kind == T_PLUS || P->st)
        return x;
    operand none = {1, 0.0, -1, 0, 0};
    r = apply(P, MG_OP_NEG, x, none, 0.0, t.line, t.col);
    r.line = t.line;
    r.col = t.col;
    return r;
}

static operand parse_term(parser *P)
{
    operand x = parse_unary(P);
    while (!P->st && (P->tok.kind == T_STAR || P->tok.kind == T_SLASH)) {
        token op = P->tok;
        next(P);
        operand y = parse_unary(P);
        x = apply(P, op.kind == T_STAR ? MG_OP_MUL : MG_OP_DIV, x, y, 0.0, op.line, op.col);
    }
    return x;
}

static operand parse_expr(parser *P)
{
    operand x = parse_term(P);
    while (!P->st && (P->tok.kind == T_PLUS || P->tok.kind == T_MINUS)) {
        token op = P->tok;
        next(P);
        operand y = parse_term(P);
        x = apply(P, op.kind == T_PLUS ? MG_OP_ADD : MG_OP_SUB, x, y, 0.0, op.line, op.col);
    }
    return x;
}

static void parse_statement(parser *P)
{
    char what[96];
    token name = P->tok;
    if (bad_token(P))
        return;
    if (name.kind != T_NAME) {
        describe_token(&name, what, sizeof what);
        fail(P, MG_ERR_SYNTAX, name.line, name.col,
             "expected a statement 'name = expression', found %s", what);
        return;
    }
    next(P);
    if (bad_token(P))
        return;
    if (P->tok.kind != T_ASSIGN) {
        describe_token(&P->tok, what, sizeof what);
        fail(P, MG_ERR_SYNTAX, P->tok.line, P->tok.col, "expected '=' after '%.*s', found %s",
             name.len, name.start, what);
        return;
    }
    next(P);
    operand x = parse_expr(P);
    if (P->st)
        return;
    if (bad_token(P))
        return;
    if (P->tok.kind != T_NEWLINE && P->tok.kind != T_SEMI && P->tok.kind != T_EOF) {
        describe_token(&P->tok, what, sizeof what);
        fail(P, MG_ERR_SYNTAX, P->tok.line, P->tok.col,
             "expected an operator or the end of the statement, found %s", what);
        return;
    }
    int32_t id;
    if (x.is_const) {
        char label[MG_EXPR_MAX_NAME + 1];
        memcpy(label, name.start, (size_t)name.len);
        label[name.len] = '\0';
        id = mg_leaf(P->p->g, x.v, label);
        if (id < 0 || !set_pos(P->p, id, name.line, name.col)) {
            fail(P, MG_ERR_LIMIT, name.line, name.col, "%s",
                 id < 0 ? mg_graph_error(P->p->g) : "out of memory");
            return;
        }
    } else {
        id = x.id;
        if (!*mg_graph_label(P->p->g, id)) {
            char label[MG_EXPR_MAX_NAME + 1];
            memcpy(label, name.start, (size_t)name.len);
            label[name.len] = '\0';
            if (mg_graph_set_label(P->p->g, id, label) != MG_OK) {
                fail(P, MG_ERR_NOMEM, name.line, name.col, "%s", mg_graph_error(P->p->g));
                return;
            }
        }
    }
    bind(P, &name, id, x.is_const);
}

/* ---- program ------------------------------------------------------------ */

mg_program *mg_program_create(int32_t max_nodes)
{
    if (max_nodes == 0)
        max_nodes = MG_EXPR_DEFAULT_NODES;
    mg_program *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->g = mg_graph_create(max_nodes);
    if (!p->g) {
        free(p);
        return NULL;
    }
    p->output = -1;
    return p;
}

void mg_program_free(mg_program *p)
{
    if (!p)
        return;
    mg_graph_free(p->g);
    free(p->bindings);
    free(p->binding_off);
    free(p->binding_seq);
    free(p->names);
    free(p->table);
    free(p->pos);
    mg_buf_free(&p->error);
    mg_buf_free(&p->json);
    free(p);
}

/* Drops the result of the last eval (not the error message). */
static void reset(mg_program *p)
{
    mg_graph_truncate(p->g, 0);
    p->nb = 0;
    p->names_len = 0;
    p->table_used = 0;
    for (uint32_t i = 0; i < p->table_cap; i++)
        p->table[i].binding = -1;
    p->output = -1;
    mg_buf_clear(&p->json);
}

mg_status mg_program_eval(mg_program *p, const char *src)
{
    return mg_program_eval_len(p, src, strlen(src));
}

mg_status mg_program_eval_len(mg_program *p, const char *src, size_t len)
{
    reset(p);
    p->err_line = p->err_col = 0;
    mg_buf_clear(&p->error);
    parser P;
    memset(&P, 0, sizeof P);
    P.p = p;
    P.cur = P.line_start = src;
    P.end = src + len;
    P.line = 1;
    if (len > MG_EXPR_MAX_SOURCE) {
        fail(&P, MG_ERR_LIMIT, 1, 1, "the program is %zu bytes; the limit is %d", len,
             MG_EXPR_MAX_SOURCE);
        return P.st;
    }
    next(&P);
    while (!P.st) {
        while (P.tok.kind == T_NEWLINE || P.tok.kind == T_SEMI)
            next(&P);
        if (P.tok.kind == T_EOF || P.st)
            break;
        parse_statement(&P);
    }
    if (!P.st && p->nb == 0)
        fail(&P, MG_ERR_SYNTAX, 1, 1, "empty program: write at least one statement, such as a = 2");
    if (P.st) {
        reset(p);
        return P.st;
    }
    for (int i = 0; i < p->nb; i++)
        p->bindings[i].name = p->names + p->binding_off[i];
    p->output = p->bindings[p->nb - 1].node;
    return MG_OK;
}

/* Turns the graph's backward error into one with the node's place and
 * drops the result: no partial gradients are ever shown. */
static mg_status backward_error(mg_program *p, mg_status st)
{
    int32_t node = mg_graph_error_node(p->g);
    int line = 0, col = 0;
    if (node >= 0)
        mg_program_node_pos(p, node, &line, &col);
    p->err_line = line;
    p->err_col = col;
    mg_buf_clear(&p->error);
    if (line)
        mg_buf_printf(&p->error, "line %d, col %d: ", line, col);
    mg_buf_puts(&p->error, mg_graph_error(p->g));
    reset(p);
    return st;
}

static mg_status need_output(mg_program *p)
{
    if (p->output >= 0)
        return MG_OK;
    p->err_line = p->err_col = 0;
    mg_buf_clear(&p->error);
    mg_buf_puts(&p->error, "no program has been evaluated");
    return MG_ERR_STATE;
}

mg_status mg_program_backward(mg_program *p)
{
    mg_status st = need_output(p);
    if (st)
        return st;
    st = mg_graph_backward(p->g, p->output);
    return st ? backward_error(p, st) : MG_OK;
}

mg_status mg_program_run(mg_program *p, const char *src)
{
    return mg_program_run_len(p, src, strlen(src));
}

mg_status mg_program_run_len(mg_program *p, const char *src, size_t len)
{
    mg_status st = mg_program_eval_len(p, src, len);
    return st ? st : mg_program_backward(p);
}

mg_status mg_program_backward_begin(mg_program *p)
{
    mg_status st = need_output(p);
    if (st)
        return st;
    st = mg_graph_backward_begin(p->g, p->output);
    return st ? backward_error(p, st) : MG_OK;
}

mg_status mg_program_backward_step(mg_program *p, mg_step *step, int *done)
{
    mg_status st = mg_graph_backward_step(p->g, step, done);
    return st ? backward_error(p, st) : MG_OK;
}

/* Recomputes all data; 0, or -1 with an error naming the first node that
 * is not finite. */
static int recompute(mg_program *p)
{
    mg_graph *g = p->g;
    mg_graph_forward(g);
    for (int32_t i = 0; i < mg_graph_size(g); i++) {
        double v = mg_graph_data(g, i);
        if (isfinite(v))
            continue;
        int line, col;
        mg_program_node_pos(p, i, &line, &col);
        p->err_line = line;
        p->err_col = col;
        mg_buf_clear(&p->error);
        if (line)
            mg_buf_printf(&p->error, "line %d, col %d: ", line, col);
        const char *label = mg_graph_label(g, i);
        mg_buf_printf(&p->error, "with that value, node %ld (%s%s%s) would be %s", (long)i,
                      mg_op_name(mg_graph_op(g, i)), *label ? " " : "", label, inf_or_nan(v));
        return -1;
    }
    return 0;
}

static mg_status check_leaf(mg_program *p, int32_t node)
{
    if (p->output < 0)
        return need_output(p);
    if (node < 0 || node >= mg_graph_size(p->g) || mg_graph_op(p->g, node) != MG_OP_LEAF) {
        p->err_line = p->err_col = 0;
        mg_buf_clear(&p->error);
        mg_buf_printf(&p->error, "node %ld is not a leaf", (long)node);
        return MG_ERR_ARG;
    }
    return MG_OK;
}

mg_status mg_program_set_leaf(mg_program *p, int32_t node, double value)
{
    mg_status st = check_leaf(p, node);
    if (st)
        return st;
    if (!isfinite(value)) {
        mg_buf_clear(&p->error);
        mg_buf_printf(&p->error, "a leaf's value must be a finite number");
        return MG_ERR_DOMAIN;
    }
    double old = mg_graph_data(p->g, node);
    mg_graph_set_data(p->g, node, value);
    if (recompute(p)) {
        mg_graph_set_data(p->g, node, old);
        mg_graph_forward(p->g);
        return MG_ERR_DOMAIN;
    }
    mg_graph_zero_grad(p->g);
    mg_buf_clear(&p->json);
    return MG_OK;
}

/* The output with leaf node at value v (0, or 1 with the message, if it
 * is not finite). */
static int output_at(mg_program *p, int32_t node, double v, double *f)
{
    mg_graph_set_data(p->g, node, v);
    int bad = recompute(p);
    *f = mg_graph_data(p->g, p->output);
    return bad;
}

mg_status mg_program_numeric_grad(mg_program *p, int32_t node, double eps, mg_diff kind, double *out)
{
    *out = NAN;
    mg_status st = check_leaf(p, node);
    if (st)
        return st;
    if (!(eps > 0) || !isfinite(eps)) {
        mg_buf_clear(&p->error);
        mg_buf_printf(&p->error, "the step h must be a positive number");
        return MG_ERR_ARG;
    }
    if ((unsigned)kind >= MG_DIFF_COUNT) {
        mg_buf_clear(&p->error);
        mg_buf_printf(&p->error, "difference %d: allowed 0 (central), 1 (forward), 2 (backward)", (int)kind);
        return MG_ERR_ARG;
    }
    double x = mg_graph_data(p->g, node), hi = x, lo = x, fhi = 0, flo = 0;
    switch (kind) {
    case MG_DIFF_CENTRAL: hi = x + eps, lo = x - eps; break;
    case MG_DIFF_FORWARD: hi = x + eps; break;
    case MG_DIFF_BACKWARD: lo = x - eps; break;
    case MG_DIFF_COUNT: break;
    }
    int bad = output_at(p, node, hi, &fhi);
    bad = bad || output_at(p, node, lo, &flo);
    mg_graph_set_data(p->g, node, x);
    mg_graph_forward(p->g);
    if (bad)
        return MG_ERR_DOMAIN;
    *out = (fhi - flo) / (kind == MG_DIFF_CENTRAL ? 2 * eps : eps);
    return MG_OK;
}

const char *mg_program_error(const mg_program *p) { return mg_buf_str(&p->error); }
int mg_program_error_line(const mg_program *p) { return p->err_line; }
int mg_program_error_col(const mg_program *p) { return p->err_col; }
mg_graph *mg_program_graph(mg_program *p) { return p->g; }
int32_t mg_program_output(const mg_program *p) { return p->output; }
int mg_program_nbindings(const mg_program *p) { return p->nb; }

const char *mg_program_output_name(const mg_program *p)
{
    return p->nb ? p->bindings[p->nb - 1].name : "";
}

const mg_binding *mg_program_binding(const mg_program *p, int i)
{
    return i >= 0 && i < p->nb ? &p->bindings[i] : NULL;
}

void mg_program_node_pos(const mg_program *p, int32_t id, int *line, int *col)
{
    *line = *col = 0;
    if (id >= 0 && id < mg_graph_size(p->g) && id < p->pos_cap) {
        *line = p->pos[id].line;
        *col = p->pos[id].col;
    }
}

const char *mg_program_json(mg_program *p)
{
    mg_buf *o = &p->json;
    mg_graph *g = p->g;
    mg_buf_clear(o);
    if (p->output < 0)
        return "{}";
    mg_buf_puts(o, "{\"output\":");
    mg_buf_json_string(o, mg_program_output_name(p));
    mg_buf_puts(o, ",\"data\":");
    mg_buf_json_number(o, mg_graph_data(g, p->output));
    mg_buf_puts(o, ",\"leaves\":{");
    int first = 1;
    for (int i = 0; i < p->nb; i++) {
        const mg_binding *b = &p->bindings[i];
        if (!b->is_leaf)
            continue;
        name_entry *e = find_name(p, b->name, (int)strlen(b->name));
        mg_buf_puts(o, first ? "" : ",");
        first = 0;
        if (p->binding_seq[i] == e->leaf_count) {
            mg_buf_json_string(o, b->name);
        } else {
            char key[MG_EXPR_MAX_NAME + 16];
            snprintf(key, sizeof key, "%s#%d", b->name, (int)p->binding_seq[i]);
            mg_buf_json_string(o, key);
        }
        mg_buf_puts(o, ":{\"data\":");
        mg_buf_json_number(o, mg_graph_data(g, b->node));
        mg_buf_puts(o, ",\"grad\":");
        mg_buf_json_number(o, mg_graph_grad(g, b->node));
        mg_buf_puts(o, "}");
    }
    mg_buf_puts(o, "},\"values\":[");
    for (int i = 0; i < p->nb; i++) {
        const mg_binding *b = &p->bindings[i];
        mg_buf_puts(o, i ? ",{\"name\":" : "{\"name\":");
        mg_buf_json_string(o, b->name);
        mg_buf_printf(o, ",\"line\":%d,\"col\":%d,\"node\":%ld,\"leaf\":%s,\"data\":", b->line,
                      b->col, (long)b->node, b->is_leaf ? "true" : "false");
        mg_buf_json_number(o, mg_graph_data(g, b->node));
        mg_buf_puts(o, ",\"grad\":");
        mg_buf_json_number(o, mg_graph_grad(g, b->node));
        mg_buf_puts(o, "}");
    }
    mg_buf_puts(o, "],\"nodes\":");
    mg_graph_json(g, o);
    mg_buf_puts(o, "}");
    if (o->failed)
        return NULL;
    return mg_buf_str(o);
}
