/* The catalog: every table of names (settings, losses, optimizers,
 * schedules, activations, layer kinds, initializers, datasets) as one JSON
 * object, for the page (web/build/catalog.js is written from it at build
 * time) and for `mg catalog`. Nothing here names an entry: a row added to a
 * table appears everywhere that reads the catalog. */
#include <stddef.h>

#include "../base/act.h"
#include "../base/buf.h"
#include "../data/data.h"
#include "../nn/model.h"
#include "api.h"

static void key(mg_buf *b, const char *k)
{
    mg_buf_json_string(b, k);
    mg_buf_puts(b, ":");
}

/* "name":..,"summary":.. of one row */
static void row(mg_buf *b, int first, const char *name, const char *summary)
{
    mg_buf_puts(b, first ? "{" : ",{");
    key(b, "name");
    mg_buf_json_string(b, name);
    mg_buf_puts(b, ",");
    key(b, "summary");
    mg_buf_json_string(b, summary);
}

static void str_field(mg_buf *b, const char *k, const char *v)
{
    mg_buf_puts(b, ",");
    key(b, k);
    mg_buf_json_string(b, v);
}

static void num_field(mg_buf *b, const char *k, double v)
{
    mg_buf_puts(b, ",");
    key(b, k);
    mg_buf_json_number(b, v);
}

static void settings(mg_buf *b)
{
    static const char *const types[] = {[MG_SETTING_REAL] = "real", [MG_SETTING_INT] = "int",
                                        [MG_SETTING_NAME] = "name"};
    key(b, "settings");
    mg_buf_puts(b, "[");
    for (int i = 0; i < mg_setting_count(); i++) {
        const mg_setting *s = mg_setting_at(i);
        row(b, i == 0, s->name, s->summary);
        str_field(b, "type", types[s->type]);
        if (s->type == MG_SETTING_NAME) {
            str_field(b, "default", s->name_of((int)s->def));
            mg_buf_puts(b, ",\"values\":[");
            for (int k = 0; k < s->count; k++) {
                mg_buf_puts(b, k ? "," : "");
                mg_buf_json_string(b, s->name_of(k));
            }
            mg_buf_puts(b, "]}");
            continue;
        }
        num_field(b, "default", s->def);
        num_field(b, "min", s->lo);
        num_field(b, "max", s->hi);
        mg_buf_puts(b, s->lo_open ? ",\"minOpen\":true}" : ",\"minOpen\":false}");
    }
    mg_buf_puts(b, "]");
}

static void build(mg_buf *b)
{
    mg_buf_puts(b, "{");
    settings(b);
    mg_buf_puts(b, ",\"losses\":[");
    for (int i = 0; i < MG_LOSS_COUNT; i++) {
        const mg_loss_info *l = mg_loss_info_of((mg_loss)i);
        row(b, i == 0, l->name, l->summary);
        mg_buf_puts(b, "}");
    }
    mg_buf_puts(b, "],\"optimizers\":[");
    for (int i = 0; i < MG_OPT_COUNT; i++) {
        const mg_opt_info *o = mg_opt_info_of((mg_opt)i);
        row(b, i == 0, o->name, o->summary);
        str_field(b, "settings", o->settings);
        str_field(b, "state", o->state);
        mg_buf_puts(b, "}");
    }
    mg_buf_puts(b, "],\"schedules\":[");
    for (int i = 0; i < MG_SCHEDULE_COUNT; i++) {
        const mg_schedule_info *s = mg_schedule_info_of((mg_schedule)i);
        row(b, i == 0, s->name, s->summary);
        str_field(b, "settings", s->settings);
        mg_buf_puts(b, "}");
    }
    mg_buf_puts(b, "],\"activations\":[");
    for (int i = 0; i < MG_ACT_COUNT; i++) {
        const mg_act_info *a = mg_act_info_of((mg_act)i);
        row(b, i == 0, a->name, a->formula);
        mg_buf_puts(b, a->he ? ",\"he\":true}" : ",\"he\":false}");
    }
    mg_buf_puts(b, "],\"layers\":[");
    for (int i = 0; i < MG_LAYER_COUNT; i++) {
        row(b, i == 0, mg_layer_kind_name((mg_layer_kind)i), mg_layer_kind_summary((mg_layer_kind)i));
        str_field(b, "syntax", mg_layer_kind_syntax((mg_layer_kind)i));
        mg_buf_puts(b, "}");
    }
    mg_buf_puts(b, "],\"inits\":[");
    for (int i = 0; i < MG_INIT_COUNT; i++) {
        const mg_init_info *n = mg_init_info_of((mg_init)i);
        row(b, i == 0, n->name, n->summary);
        mg_buf_puts(b, "}");
    }
    mg_buf_puts(b, "],\"datasets\":[");
    for (int i = 0; i < mg_data_count(); i++) {
        const mg_data_info *d = mg_data_info_at(i);
        row(b, i == 0, d->name, d->summary);
        num_field(b, "features", d->d);
        num_field(b, "minClasses", d->kmin);
        num_field(b, "maxClasses", d->kmax);
        num_field(b, "classes", d->kdefault);
        mg_buf_puts(b, d->kmax == 0 ? ",\"regression\":true" : ",\"regression\":false");
        num_field(b, "noise", d->noise);
        mg_buf_puts(b, "}");
    }
    mg_buf_puts(b, "]}");
}

const char *mg_api_catalog(void)
{
    static mg_buf b; /* built once; it never changes */
    if (!b.len && !b.failed)
        build(&b);
    return b.failed ? NULL : mg_buf_str(&b);
}
