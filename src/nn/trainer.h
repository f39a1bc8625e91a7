/* A trainer walks a training set in mini-batches, epoch after epoch, in an
 * order shuffled by its own seeded RNG at the start of each epoch. It can
 * run any number of steps at a time (the page trains in chunks), and the
 * same seed gives the same batches natively and in WebAssembly. The
 * trainer owns its permutation; free it with mg_trainer_free. */
#ifndef MG_TRAINER_H
#define MG_TRAINER_H

#include <stdint.h>

#include "../base/buf.h"
#include "../base/rng.h"
#include "model.h"

typedef struct mg_trainer {
    int32_t *perm;       /* order of the current epoch */
    int n;               /* training samples */
    int cursor;          /* next position in perm; 0 = a new epoch starts */
    int64_t epoch;       /* epochs completed */
    mg_rng rng;
    double loss_sum;     /* of the current epoch's steps */
    int loss_steps;
    float last_loss;     /* of the latest step */
    float epoch_loss;    /* mean step loss of the latest completed epoch */
} mg_trainer;

/* For a training set of n samples, shuffling with seed. */
mg_status mg_trainer_init(mg_trainer *t, int n, uint64_t seed, mg_buf *err);
void mg_trainer_free(mg_trainer *t);

/* Runs nsteps mini-batches of up to `batch` samples (the last batch of an
 * epoch may be smaller) on x (n, in_size) with labels or targets (n,
 * out_size). Stops at the first failing step (message in
 * mg_model_error). */
mg_status mg_trainer_run(mg_trainer *t, mg_model *m, const float *x, const int32_t *labels,
                         const float *targets, int batch, int64_t nsteps);

/* Mini-batches in one epoch. */
int mg_trainer_batches(const mg_trainer *t, int batch);

#endif
