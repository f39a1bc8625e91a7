#include "trainer.h"

#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

mg_status mg_trainer_init(mg_trainer *t, int n, uint64_t seed, mg_buf *err)
{
    memset(t, 0, sizeof *t);
    if (n < 1) {
        mg_buf_printf(err, "no training samples");
        return MG_ERR_ARG;
    }
    t->perm = malloc((size_t)n * sizeof *t->perm);
    if (!t->perm) {
        mg_buf_printf(err, "out of memory for %d training samples", n);
        return MG_ERR_NOMEM;
    }
    t->n = n;
    mg_rng_seed(&t->rng, seed, 2);
    return MG_OK;
}

void mg_trainer_free(mg_trainer *t)
{
    free(t->perm);
    memset(t, 0, sizeof *t);
}

int mg_trainer_batches(const mg_trainer *t, int batch) { return (t->n + batch - 1) / batch; }

mg_status mg_trainer_run(mg_trainer *t, mg_model *m, const float *x, const int32_t *labels,
                         const float *targets, int batch, int64_t nsteps)
{
    if (batch < 1 || batch > m->max_batch) {
        mg_buf_clear(&m->error);
        mg_buf_printf(&m->error, "batch size %d: allowed 1 to %d", batch, m->max_batch);
        return MG_ERR_ARG;
    }
    size_t in = (size_t)mg_model_in_size(m), O = (size_t)mg_model_out_size(m);
    for (int64_t s = 0; s < nsteps; s++) {
        if (t->cursor == 0) { /* a new epoch: Fisher-Yates */
            for (int i = 0; i < t->n; i++)
                t->perm[i] = i;
            for (int i = t->n - 1; i > 0; i--) {
                int j = (int)mg_rng_below(&t->rng, (uint32_t)(i + 1));
                int32_t tmp = t->perm[i];
                t->perm[i] = t->perm[j];
                t->perm[j] = tmp;
            }
        }
        int nb = t->n - t->cursor < batch ? t->n - t->cursor : batch;
        for (int k = 0; k < nb; k++) {
            size_t src = (size_t)t->perm[t->cursor + k];
            memcpy(m->xbuf + (size_t)k * in, x + src * in, in * sizeof *x);
            if (labels)
                m->lbuf[k] = labels[src];
            if (targets)
                memcpy(m->tbuf + (size_t)k * O, targets + src * O, O * sizeof *targets);
        }
        mg_status st = mg_model_train_step(m, m->xbuf, labels ? m->lbuf : NULL,
                                           targets ? m->tbuf : NULL, nb, &t->last_loss);
        if (st)
            return st;
        t->loss_sum += t->last_loss;
        t->loss_steps++;
        t->cursor += nb;
        if (t->cursor == t->n) {
            t->cursor = 0;
            t->epoch++;
            t->epoch_loss = (float)(t->loss_sum / t->loss_steps);
            t->loss_sum = 0;
            t->loss_steps = 0;
        }
    }
    return MG_OK;
}
