/* The catalogue of bad inputs (tests/bad_inputs.json) through the flat C
 * API, natively: every entry must fail with exactly its message and
 * status, and leave the handle usable. tests/js/bad_input.test.mjs runs
 * the same table through the WASM build. Below the table, the cases only C
 * can send (NULL pointers, negative lengths, bad handles) and the library
 * calls under the API (the IDX parser's own prefix, dataset sizes). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "api/api.h"
#include "check.h"
#include "data/data.h"
#include "json_mini.h"

#ifndef MG_TESTS_DIR
#error "MG_TESTS_DIR (the tests/ folder) is set by CMakeLists.txt"
#endif

static int status_of(const char *name)
{
    for (int s = 0; s < MG_STATUS_COUNT; s++)
        if (strcmp(mg_api_status_name(s), name) == 0)
            return s;
    fprintf(stderr, "unknown status name '%s'\n", name);
    return -1;
}

/* ---- building inputs from the table's pieces ---------------------------- */

typedef struct bytes {
    uint8_t *p;
    size_t len, cap;
} bytes;

static void put(bytes *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0; /* text stays NUL-terminated */
}

static void put_byte(bytes *b, int v)
{
    uint8_t c = (uint8_t)v;
    put(b, &c, 1);
}

static void put_u32be(bytes *b, uint32_t v)
{
    for (int i = 3; i >= 0; i--)
        put_byte(b, (int)(v >> (8 * i)));
}

/* A program or spec: a string, or pieces of strings and repeats. */
static void text_of(const json *v, bytes *out)
{
    if (v->type == JSON_STRING) {
        put(out, v->str, v->len);
        return;
    }
    for (int i = 0; i < v->n; i++) {
        const json *p = v->items[i];
        if (p->type == JSON_STRING) {
            put(out, p->str, p->len);
        } else {
            const char *s = json_str(p, "repeat", "");
            for (int k = 0; k < (int)json_num(p, "times", 0); k++)
                put(out, s, strlen(s));
        }
    }
}

/* Bytes: hex text, {"u32be"}, {"text"}, {"fill"}, {"idx"}. */
static void bytes_of(const json *pieces, bytes *out)
{
    for (int i = 0; pieces && i < pieces->n; i++) {
        const json *p = pieces->items[i];
        if (p->type == JSON_STRING) {
            for (const char *s = p->str; *s; s++) {
                if (*s == ' ')
                    continue;
                put_byte(out, (int)strtol((char[]){s[0], s[1], 0}, NULL, 16));
                s++;
            }
        } else if (json_get(p, "u32be")) {
            put_u32be(out, (uint32_t)json_num(p, "u32be", 0));
        } else if (json_get(p, "text")) {
            put(out, json_str(p, "text", ""), strlen(json_str(p, "text", "")));
        } else if (json_get(p, "fill")) {
            int n = (int)json_num(p, "fill", 0);
            for (int k = 0; k < n; k++)
                put_byte(out, json_get(p, "byte") ? (int)json_num(p, "byte", 0) : k * 53 % 256);
        } else {
            const json *dims = json_get(p, "idx"), *values = json_get(p, "values");
            bytes f = {0};
            put(&f, (uint8_t[]){0, 0, 8, (uint8_t)dims->n}, 4);
            size_t count = 1;
            for (int k = 0; k < dims->n; k++) {
                put_u32be(&f, (uint32_t)dims->items[k]->num);
                count *= (size_t)dims->items[k]->num;
            }
            if (values)
                for (int k = 0; k < values->n; k++)
                    put_byte(&f, (int)values->items[k]->num);
            else
                for (size_t k = 0; k < count; k++)
                    put_byte(&f, (int)(k * 53 % 256));
            size_t keep = json_get(p, "keep") ? (size_t)json_num(p, "keep", 0) : f.len;
            put(out, f.p, keep);
            free(f.p);
        }
    }
}

static double num_or_special(const json *v)
{
    if (v->type == JSON_STRING)
        return strcmp(v->str, "nan") == 0 ? NAN : strcmp(v->str, "-inf") == 0 ? -INFINITY : INFINITY;
    return v->num;
}

static void write_u32le(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

/* A model file: a saved model, then the edits of the entry. */
static void model_file_of(const json *e, bytes *out)
{
    const json *from = json_get(e, "from");
    if (!from) {
        bytes_of(json_get(e, "bytes"), out);
        return;
    }
    const json *shape = json_get(from, "shape");
    int h = mg_api_model_create();
    CHECK_INT(mg_api_model_build(h, json_str(from, "spec", ""), (int)shape->items[0]->num,
                                 (int)shape->items[1]->num, (int)shape->items[2]->num, 4, 0, 1),
              MG_OK);
    CHECK_INT(mg_api_model_configure(h, "", (int)json_num(from, "nclasses", 0)),
              MG_OK);
    CHECK_INT(mg_api_model_save(h), MG_OK);
    bytes f = {0};
    put(&f, mg_api_model_file(h), (size_t)mg_api_model_file_len(h));
    mg_api_model_free(h);
    size_t spec_len = strlen(json_str(from, "spec", ""));
    const json *edits = json_get(e, "edits");
    for (int i = 0; edits && i < edits->n; i++) {
        const json *ed = edits->items[i];
        if (json_get(ed, "spec")) {
            const char *spec = json_str(ed, "spec", "");
            bytes g = {0};
            put(&g, f.p, 12);
            uint8_t l[4];
            write_u32le(l, (uint32_t)strlen(spec));
            put(&g, l, 4);
            put(&g, spec, strlen(spec));
            put(&g, f.p + 16 + spec_len, f.len - 16 - spec_len);
            free(f.p);
            f = g;
            spec_len = strlen(spec);
        } else if (json_get(ed, "truncate")) {
            f.len -= (size_t)json_num(ed, "truncate", 0);
        } else if (json_get(ed, "append")) {
            bytes_of(&(json){.type = JSON_ARRAY, .n = 1, .items = (json *[]){json_get(ed, "append")}},
                     &f);
        } else if (json_get(ed, "checksum")) {
            write_u32le(f.p + f.len - 4, fnv1a(f.p, f.len - 4));
        } else {
            const char *base = json_str(ed, "from", "start");
            long off = (long)json_num(ed, "at", 0) +
                       (strcmp(base, "spec_end") == 0 ? (long)(16 + spec_len)
                        : strcmp(base, "end") == 0    ? (long)f.len
                                                      : 0);
            if (json_get(ed, "u32")) {
                write_u32le(f.p + off, (uint32_t)json_num(ed, "u32", 0));
            } else if (json_get(ed, "f32")) {
                float v = (float)num_or_special(json_get(ed, "f32"));
                uint32_t u;
                memcpy(&u, &v, 4);
                write_u32le(f.p + off, u);
            } else {
                f.p[off] ^= (uint8_t)json_num(ed, "xor", 0);
            }
        }
    }
    *out = f;
}

/* ---- the sections --------------------------------------------------------- */

/* Reports which entry failed when a check in it fails. */
static void where(const char *section, int i, int before)
{
    if (check_failed > before)
        fprintf(stderr, "  ^ in %s[%d] of tests/bad_inputs.json\n", section, i);
}

static void run_expr(const json *list)
{
    for (int i = 0; i < list->n; i++) {
        const json *e = list->items[i];
        int before = check_failed;
        bytes src = {0};
        text_of(json_get(e, "program"), &src);
        int h = mg_api_expr_create((int)json_num(e, "max_nodes", 0));
        CHECK_INT(mg_api_expr_run(h, src.p ? (const char *)src.p : "", (int)src.len),
                  status_of(json_str(e, "status", "")));
        CHECK_STR(mg_api_expr_error(h), json_str(e, "message", ""));
        CHECK_INT(mg_api_expr_error_line(h), json_num(e, "line", -1));
        CHECK_INT(mg_api_expr_error_col(h), json_num(e, "col", -1));
        CHECK_STR(mg_api_expr_json(h), "{}");
        /* the handle still works */
        CHECK_INT(mg_api_expr_run(h, "a = 1", 5), MG_OK);
        CHECK_STR(mg_api_expr_error(h), "");
        mg_api_expr_free(h);
        free(src.p);
        where("expr", i, before);
    }
}

static void run_spec(const json *list)
{
    int h = mg_api_model_create();
    for (int i = 0; i < list->n; i++) {
        const json *e = list->items[i];
        int before = check_failed;
        bytes spec = {0};
        text_of(json_get(e, "spec"), &spec);
        const json *s = json_get(e, "shape");
        CHECK_INT(mg_api_model_build(h, spec.p ? (const char *)spec.p : "", (int)s->items[0]->num,
                                     (int)s->items[1]->num, (int)s->items[2]->num,
                                     (int)json_num(e, "batch", 8), 0, 1),
                  MG_ERR_ARG);
        CHECK_STR(mg_api_model_error(h), json_str(e, "message", ""));
        CHECK_INT(mg_api_model_nparams(h), 0); /* no half-built model */
        free(spec.p);
        where("spec", i, before);
    }
    mg_api_model_free(h);
}

static void run_generate(const json *list)
{
    int h = mg_api_data_create();
    for (int i = 0; i < list->n; i++) {
        const json *e = list->items[i];
        int before = check_failed;
        CHECK_INT(mg_api_data_generate(h, json_str(e, "name", ""), (int)json_num(e, "n", 0),
                                       json_num(e, "noise", 0), (int)json_num(e, "k", 0),
                                       json_num(e, "ratio", 0), 1),
                  status_of(json_str(e, "status", "")));
        CHECK_STR(mg_api_data_error(h), json_str(e, "message", ""));
        CHECK_INT(mg_api_data_n(h, 0), 0);
        where("generate", i, before);
    }
    mg_api_data_free(h);
}

static void run_points(const json *list)
{
    int h = mg_api_data_create();
    for (int i = 0; i < list->n; i++) {
        const json *e = list->items[i];
        int before = check_failed;
        const json *xs = json_get(e, "x"), *ys = json_get(e, "y"), *ts = json_get(e, "t");
        float x[16] = {0}, t[16] = {0};
        int32_t y[16] = {0};
        for (int k = 0; xs && k < xs->n && k < 16; k++)
            x[k] = (float)num_or_special(xs->items[k]);
        for (int k = 0; ys && k < ys->n && k < 16; k++)
            y[k] = (int32_t)ys->items[k]->num;
        for (int k = 0; ts && k < ts->n && k < 16; k++)
            t[k] = (float)num_or_special(ts->items[k]);
        CHECK_INT(mg_api_data_set(h, 0, x, ys ? y : NULL, ts ? t : NULL, (int)json_num(e, "n", 0),
                                  (int)json_num(e, "d", 0), (int)json_num(e, "nclasses", 0)),
                  status_of(json_str(e, "status", "")));
        CHECK_STR(mg_api_data_error(h), json_str(e, "message", ""));
        CHECK_INT(mg_api_data_n(h, 0), 0);
        where("points", i, before);
    }
    mg_api_data_free(h);
}

static void run_idx(const json *list)
{
    int h = mg_api_data_create();
    for (int i = 0; i < list->n; i++) {
        const json *e = list->items[i];
        int before = check_failed;
        bytes im = {0}, lb = {0};
        bytes_of(json_get(e, "images"), &im);
        bytes_of(json_get(e, "labels"), &lb);
        /* exact-size copies: ASan sees any read past a file */
        uint8_t *imc = malloc(im.len ? im.len : 1), *lbc = malloc(lb.len ? lb.len : 1);
        if (im.len)
            memcpy(imc, im.p, im.len);
        if (lb.len)
            memcpy(lbc, lb.p, lb.len);
        CHECK_INT(mg_api_data_load_idx(h, imc, (int)im.len, lbc, (int)lb.len,
                                       (int)json_num(e, "train", 0)),
                  status_of(json_str(e, "status", "")));
        CHECK_STR(mg_api_data_error(h), json_str(e, "message", ""));
        CHECK_INT(mg_api_data_n(h, 0) + mg_api_data_n(h, 1), 0);
        free(imc);
        free(lbc);
        free(im.p);
        free(lb.p);
        where("idx", i, before);
    }
    mg_api_data_free(h);
}

static void run_model_file(const json *list)
{
    int h = mg_api_model_create();
    /* the handle holds a model: a refused file must leave it in place */
    CHECK_INT(mg_api_model_build(h, "dense 3", 2, 1, 1, 8, 0, 1), MG_OK);
    for (int i = 0; i < list->n; i++) {
        const json *e = list->items[i];
        int before = check_failed;
        bytes f = {0};
        model_file_of(e, &f);
        uint8_t *copy = malloc(f.len ? f.len : 1);
        if (f.len)
            memcpy(copy, f.p, f.len);
        CHECK_INT(mg_api_model_load(h, copy, (int)f.len, (int)json_num(e, "max_batch", 64), 1),
                  MG_ERR_ARG);
        CHECK_STR(mg_api_model_error(h), json_str(e, "message", ""));
        CHECK_INT(mg_api_model_nparams(h), 9);
        free(copy);
        free(f.p);
        where("model_file", i, before);
    }
    mg_api_model_free(h);
}

/* A "configure" object of bad_inputs.json (the page's camelCase keys, as
 * engine.js takes them) as the API's "name=value ..." settings. */
static const char *settings_of(const json *c)
{
    static char out[1024];
    size_t len = 0;
    out[0] = 0;
    for (int i = 0; i < c->n && len < sizeof out - 64; i++) {
        if (strcmp(c->keys[i], "nclasses") == 0)
            continue;
        for (const char *k = c->keys[i]; *k && len < sizeof out - 64; k++) {
            if (*k >= 'A' && *k <= 'Z') {
                out[len++] = '_';
                out[len++] = (char)(*k - 'A' + 'a');
            } else {
                out[len++] = *k;
            }
        }
        const json *v = c->items[i];
        if (v->type == JSON_STRING)
            len += (size_t)snprintf(out + len, sizeof out - len, "=%s ", v->str);
        else
            len += (size_t)snprintf(out + len, sizeof out - len, "=%.17g ", v->num);
    }
    return out;
}

static void run_model_calls(const json *list)
{
    for (int i = 0; i < list->n; i++) {
        const json *e = list->items[i];
        int before = check_failed;
        int m = mg_api_model_create(), d = mg_api_data_create(), st = -1;
        const json *s = json_get(e, "shape");
        if (json_str(e, "spec", NULL))
            CHECK_INT(mg_api_model_build(m, json_str(e, "spec", ""), (int)s->items[0]->num,
                                         (int)s->items[1]->num, (int)s->items[2]->num, 64, 0, 1),
                      MG_OK);
        const json *c = json_get(e, "configure");
        if (c)
            st = mg_api_model_configure(m, settings_of(c), (int)json_num(c, "nclasses", 0));
        const char *data = json_str(e, "data", NULL);
        if (data) {
            int spiral = strcmp(data, "spiral3") == 0;
            CHECK_INT(mg_api_data_generate(d, spiral ? "spiral" : "moons", 20, 0.1, spiral ? 3 : 0,
                                           strcmp(data, "moons_all") == 0 ? 1.0 : 0.8, 1),
                      MG_OK);
        }
        const char *call = json_str(e, "call", NULL);
        if (call) {
            if (c)
                CHECK_INT(st, MG_OK);
            if (strcmp(call, "train") == 0)
                st = mg_api_model_train(m, d, (int)json_num(e, "batch", 32),
                                        (int)json_num(e, "steps", 1));
            else if (strcmp(call, "trace") == 0)
                st = mg_api_model_trace(m, d, 0, (int)json_num(e, "index", 0));
            else
                st = mg_api_model_evaluate(m, d, 1);
        }
        CHECK_INT(st, status_of(json_str(e, "status", "arg")));
        CHECK_STR(mg_api_model_error(m), json_str(e, "message", ""));
        mg_api_model_free(m);
        mg_api_data_free(d);
        where("model_calls", i, before);
    }
}

static void run_table(void)
{
    const char *path = MG_TESTS_DIR "/bad_inputs.json";
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    bytes text = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        put(&text, buf, n);
    fclose(f);
    json *table = json_parse((const char *)text.p, text.len);
    CHECK(table != NULL);
    static const struct {
        const char *name;
        void (*run)(const json *);
    } sections[] = {
        {"expr", run_expr},   {"spec", run_spec},             {"generate", run_generate},
        {"points", run_points}, {"idx", run_idx},             {"model_file", run_model_file},
        {"model_calls", run_model_calls},
    };
    int total = 0;
    for (size_t i = 0; table && i < sizeof sections / sizeof sections[0]; i++) {
        const json *list = json_get(table, sections[i].name);
        CHECK(list && list->type == JSON_ARRAY && list->n > 0);
        if (!list)
            continue;
        sections[i].run(list);
        total += list->n;
    }
    CHECK_INT(table ? table->n : 0, (int)(sizeof sections / sizeof sections[0]) + 1); /* + about */
    printf("bad_inputs.json: %d entries\n", total);
    json_free(table);
    free(text.p);
}

/* ---- what only C can send -------------------------------------------------- */

static void test_c_only(void)
{
    /* bad handles */
    CHECK_INT(mg_api_expr_run(0, "a = 1", 5), MG_ERR_ARG);
    CHECK_STR(mg_api_expr_error(0), "invalid handle: the program was freed or never created");
    CHECK_INT(mg_api_model_build(65, "dense 1", 2, 1, 1, 8, 0, 1), MG_ERR_ARG);
    CHECK_STR(mg_api_model_error(-3), "invalid handle: the object was freed or never created");
    CHECK_STR(mg_api_data_error(99), "invalid handle: the object was freed or never created");

    /* NULL and negative lengths */
    int e = mg_api_expr_create(0);
    CHECK_INT(mg_api_expr_run(e, NULL, 12), MG_ERR_SYNTAX);
    CHECK_STR(mg_api_expr_error(e), "line 1, col 1: empty program: write at least one statement, such as a = 2");
    CHECK_INT(mg_api_expr_run(e, "a = 1", -5), MG_ERR_SYNTAX);
    CHECK_STR(mg_api_expr_error(e), "line 1, col 1: empty program: write at least one statement, such as a = 2");
    CHECK_INT(mg_api_expr_backward_step(e), MG_ERR_STATE);
    mg_api_expr_free(e);
    int d = mg_api_data_create();
    CHECK_INT(mg_api_data_load_idx(d, NULL, -1, NULL, 5, 1), MG_ERR_SYNTAX);
    CHECK_STR(mg_api_data_error(d), "images: truncated: expected at least 4 header bytes, got 0");
    static const uint8_t img[] = {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 9};
    CHECK_INT(mg_api_data_load_idx(d, img, sizeof img, NULL, 9, 1), MG_ERR_ARG);
    CHECK_STR(mg_api_data_error(d), "labels: the bytes are NULL but len is 9");
    CHECK_INT(mg_api_data_set(d, 2, NULL, NULL, NULL, 0, 1, 0), MG_ERR_ARG);
    CHECK_STR(mg_api_data_error(d), "which set: 2 (0 train, 1 test)");
    CHECK_INT(mg_api_data_set(d, 0, NULL, NULL, NULL, 3, 1, 2), MG_ERR_ARG);
    CHECK_STR(mg_api_data_error(d), "missing points");
    float x[3] = {0};
    CHECK_INT(mg_api_data_set(d, 0, x, NULL, NULL, 3, 1, 2), MG_ERR_ARG);
    CHECK_STR(mg_api_data_error(d), "missing labels");
    CHECK_INT(mg_api_data_set(d, 0, x, NULL, NULL, 3, 1, 0), MG_ERR_ARG);
    CHECK_STR(mg_api_data_error(d), "missing targets");
    CHECK_INT(mg_api_data_generate(d, NULL, 10, 0.1, 0, 0.8, 1), MG_ERR_NAME);
    CHECK_STR(mg_api_data_error(d), "unknown dataset \"\" (known: moons, circles, xor, spiral, twospirals, blobs, line, sine, plane)");
    mg_api_data_free(d);
    int m = mg_api_model_create();
    CHECK_INT(mg_api_model_load(m, NULL, 100, 8, 1), MG_ERR_ARG);
    CHECK_STR(mg_api_model_error(m), "model file: the bytes are NULL but len is 100");
    CHECK_INT(mg_api_model_build(m, NULL, 2, 1, 1, 8, 0, 1), MG_ERR_ARG);
    CHECK_STR(mg_api_model_error(m), "empty model spec: list layers such as 'dense 16 relu, dense 1'");
    CHECK_INT(mg_api_model_build(m, "dense 1", 2, 1, 1, 8, 99, 1), MG_ERR_ARG);
    CHECK_STR(mg_api_model_error(m), "unknown initialization 99");
    CHECK_INT(mg_api_model_build(m, "dense 1", 2, 1, 1, 8, 0, 1), MG_OK);
    CHECK(mg_api_model_predict(m, x, 0) == NULL);
    CHECK_STR(mg_api_model_error(m), "predict: 0 inputs: allowed 1 or more");
    CHECK_INT(mg_api_model_configure(m, "loss=hinge", 2), MG_ERR_NAME);
    CHECK_STR(mg_api_model_error(m), "loss 'hinge' is unknown (one of auto, mse, bce, ce, svm)");
    CHECK_INT(mg_api_model_configure(m, "lr=0.1 opt=adamw", 2), MG_ERR_NAME);
    CHECK_STR(mg_api_model_error(m), "opt 'adamw' is unknown (one of sgd, momentum, nesterov, rmsprop, adam, adagrad)");
    CHECK_INT(mg_api_model_configure(m, "schedule=-1", 2), MG_ERR_NAME);
    CHECK_STR(mg_api_model_error(m), "schedule '-1' is unknown (one of constant, step, cosine)");
    CHECK_INT(mg_api_model_configure(m, "schedule=step step_size=0", 2), MG_ERR_ARG);
    CHECK_STR(mg_api_model_error(m), "step_size 0: allowed whole numbers from 1 to 1e+09");
    CHECK_INT(mg_api_model_configure(m, "step_size=2.5", 2), MG_ERR_ARG);
    CHECK_STR(mg_api_model_error(m), "step_size 2.5: allowed whole numbers from 1 to 1e+09");
    CHECK_INT(mg_api_model_configure(m, "weight_decay=2", 2), MG_ERR_ARG);
    CHECK_STR(mg_api_model_error(m), "weight_decay 2: allowed from 0 to 1");
    CHECK_INT(mg_api_model_configure(m, "beta2=1", 2), MG_ERR_ARG);
    CHECK_STR(mg_api_model_error(m), "beta2 1: allowed from 0 to 0.99999");
    CHECK_INT(mg_api_model_configure(m, "lr=1e-3x", 2), MG_ERR_ARG);
    CHECK_STR(mg_api_model_error(m), "lr '1e-3x' is not a number");
    CHECK_INT(mg_api_model_configure(m, "learning_rate=0.1", 2), MG_ERR_NAME);
    CHECK_CONTAINS(mg_api_model_error(m), "unknown setting 'learning_rate' (the settings are loss, opt, lr,");
    CHECK_INT(mg_api_model_configure(m, "lr", 2), MG_ERR_ARG);
    CHECK_STR(mg_api_model_error(m), "settings: 'lr' is not name=value");
    CHECK_INT(mg_api_model_configure(m, "=3", 2), MG_ERR_ARG);
    CHECK_STR(mg_api_model_error(m), "settings: '=3' is not name=value");
    CHECK_INT(mg_api_model_configure(m, NULL, 2), MG_OK); /* every default */
    CHECK_INT(mg_api_model_train(m, 42, 8, 1), MG_ERR_ARG);
    CHECK_STR(mg_api_model_error(m), "the dataset has no training samples (it was freed or never created)");
    mg_api_model_free(m);

    /* the library under the API: the IDX parser's own prefix, dataset sizes */
    mg_idx idx;
    mg_buf err = {0};
    static const uint8_t zip[] = {'P', 'K', 3, 4};
    CHECK_INT(mg_idx_parse(zip, sizeof zip, &idx, &err), MG_ERR_SYNTAX);
    CHECK_STR(mg_buf_str(&err), "IDX: bad magic: bytes 0-1 are 0x50 0x4b, an IDX file starts with 0x00 0x00");
    CHECK_INT(mg_idx_parse(NULL, 4, &idx, &err), MG_ERR_ARG);
    CHECK_STR(mg_buf_str(&err), "IDX: the bytes are NULL but len is 4");
    mg_dataset ds;
    CHECK_INT(mg_dataset_alloc(&ds, 1 << 20, 1 << 10, 2, &err), MG_ERR_LIMIT);
    CHECK_STR(mg_buf_str(&err), "dataset: 1048576 points x 1024 features = 1073741824 values exceed the limit of 134217728");
    CHECK(ds.x == NULL && ds.n == 0);
    mg_buf_free(&err);
}

int main(void)
{
    run_table();
    test_c_only();
    return check_done("test_bad_input");
}
