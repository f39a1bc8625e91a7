/* Post-training quantization of a model's weights to int8, one scale per
 * output channel (see model.h). */
#include <math.h>
#include <string.h>

#include "model_internal.h"

mg_model *mg_model_quantize_int8(const mg_model *m, mg_quant_report *rep, mg_buf *err)
{
    memset(rep, 0, sizeof *rep);
    mg_buf file = {0};
    mg_model *q = NULL;
    if (mg_model_save(m, &file)) {
        mg_buf_fail(err, MG_ERR_NOMEM, "out of memory copying the model");
        goto done;
    }
    mg_buf why = {0};
    q = mg_model_load((const uint8_t *)file.data, file.len, m->max_batch, &why);
    if (!q) {
        mg_buf_fail(err, MG_ERR_STATE, "cannot copy the model to quantize it: %s", mg_buf_str(&why));
        mg_buf_free(&why);
        goto done;
    }
    size_t qweights = 0;
    for (int l = 0; l < q->nlayers; l++) {
        const mg_layer_info *L = &q->layers[l];
        if (!mg_layer_kind_info_of(L->kind)->quantized || L->w_count == 0)
            continue;
        /* weight (OC, rest): one row of `row` weights per output channel */
        size_t row = L->w_count / (size_t)L->units;
        for (int o = 0; o < L->units; o++) {
            float *w = q->params + L->w_off + (size_t)o * row;
            float mx = 0;
            for (size_t i = 0; i < row; i++)
                mx = fabsf(w[i]) > mx ? fabsf(w[i]) : mx;
            float scale = mx / 127.0f;
            for (size_t i = 0; i < row; i++) {
                float v = scale > 0 ? roundf(w[i] / scale) : 0.0f;
                v = v > 127 ? 127 : v < -127 ? -127 : v; /* int8, symmetric */
                float deq = v * scale;
                double e = fabs((double)deq - w[i]);
                rep->max_abs_err = e > rep->max_abs_err ? e : rep->max_abs_err;
                w[i] = deq;
            }
        }
        rep->layers++;
        rep->scales += (size_t)L->units;
        qweights += L->w_count;
    }
    rep->weights = qweights;
    rep->float_bytes = q->nparams * sizeof(float);
    rep->int8_bytes = qweights + rep->scales * sizeof(float) + (q->nparams - qweights) * sizeof(float);
done:
    mg_buf_free(&file);
    return q;
}
