/* Shared by the learning-target tests: train a model on a dataset with
 * the trainer and report its metrics. */
#ifndef MG_LEARN_H
#define MG_LEARN_H

#include "data/data.h"
#include "nn/model.h"
#include "nn/trainer.h"

typedef struct learn_setup {
    const char *spec;
    mg_loss loss;
    mg_opt opt;
    float lr, l2;
    int batch, epochs; /* every epoch runs: the evaluation set never picks the stopping point */
} learn_setup;

/* Called with the trained model and its metrics before it is freed. */
typedef void (*learn_inspect)(mg_model *m, const mg_dataset *eval, const mg_metrics *r);

/* Trains on train for s->epochs epochs and returns the metrics on eval
 * after the last; *epochs_run gets the count, and eval's accuracy after
 * each epoch goes to curve (or NULL; s->epochs values). inspect (or NULL)
 * sees the trained model. */
static inline mg_metrics learn_then(const learn_setup *s, const mg_dataset *train,
                                    const mg_dataset *eval, const int shape[3], int *epochs_run,
                                    double *curve, learn_inspect inspect)
{
    mg_metrics out = {0};
    out.accuracy = -2;
    mg_buf err = {0};
    mg_model *m = mg_model_create(s->spec, shape, s->batch, MG_INIT_AUTO, 1, &err);
    mg_trainer tr = {0};
    if (!m || mg_trainer_init(&tr, train->n, 1, &err)) {
        fprintf(stderr, "  learn: %s\n", mg_buf_str(&err));
        goto done;
    }
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    cfg.loss = s->loss;
    cfg.opt = s->opt;
    cfg.lr = s->lr;
    cfg.l2 = s->l2;
    if (mg_model_configure(m, &cfg, train->nclasses)) {
        fprintf(stderr, "  learn: %s\n", mg_model_error(m));
        goto done;
    }
    for (int e = 1; e <= s->epochs; e++) {
        *epochs_run = e;
        if (mg_trainer_run(&tr, m, train->x, train->y, train->t, s->batch,
                           mg_trainer_batches(&tr, s->batch)) ||
            mg_model_evaluate(m, eval->x, eval->y, eval->t, eval->n, &out)) {
            fprintf(stderr, "  learn: %s\n", mg_model_error(m));
            out.accuracy = -2;
            break;
        }
        if (curve)
            curve[e - 1] = out.accuracy;
    }
    if (inspect && out.accuracy > -2)
        inspect(m, eval, &out);
done:
    mg_trainer_free(&tr);
    mg_model_free(m);
    mg_buf_free(&err);
    return out;
}

static inline mg_metrics learn(const learn_setup *s, const mg_dataset *train,
                               const mg_dataset *eval, const int shape[3], int *epochs_run)
{
    return learn_then(s, train, eval, shape, epochs_run, NULL, NULL);
}

#endif
