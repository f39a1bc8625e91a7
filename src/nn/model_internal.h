/* The model's insides, shared by model.c, train.c and io.c only. */
#ifndef MG_MODEL_INTERNAL_H
#define MG_MODEL_INTERNAL_H

#include "../tensor/arena.h"
#include "model.h"

/* What a forward pass left for backward, per layer (in the arena). */
typedef struct layer_rec {
    float *in, *pre, *out;  /* pre == out when the activation is linear */
    float *saved;           /* dropout mask, batchnorm mean then rstd */
    int32_t *argmax;        /* maxpool */
    float *dout, *dpre;     /* filled by backward */
    float *dact;            /* f'(z), filled by mg_model_trace */
} layer_rec;

struct mg_model {
    char spec[MG_SPEC_MAX];
    int in_shape[3];
    int max_batch;
    int nlayers;
    mg_layer_info layers[MG_MODEL_MAX_LAYERS];
    size_t nparams;
    float *params, *grads, *m1, *m2; /* optimizer moments */
    float *last_grads;               /* the gradient the latest update applied */
    size_t nstate;                   /* batchnorm running statistics */
    float *state, *state_copy;       /* state_copy: kept across a trace */
    size_t rm_off[MG_MODEL_MAX_LAYERS]; /* running mean, running var at +C */
    mg_arena arena;
    layer_rec rec[MG_MODEL_MAX_LAYERS];
    int rec_n;          /* batch size of the last forward */
    int rec_training;
    int traced;         /* the last pass was mg_model_trace */
    float trace_data_loss;     /* the traced sample's loss without regularization */
    const float *trace_probs;  /* and its output probabilities (arena; NULL for mse, svm) */
    float *xbuf, *tbuf; /* gather buffers for epochs (max_batch samples) */
    int32_t *lbuf;
    float *loss_tmp;    /* per-batch loss scratch (targets, probs) */
    mg_train_config cfg;
    mg_loss loss;       /* resolved */
    int nclasses;
    int configured;
    int64_t t;          /* updates made */
    int pending;        /* mini-batches accumulated since the last update */
    double grad_norm;
    float last_lr;      /* the rate the latest update applied */
    float last_clip;    /* and the factor clipping scaled its gradient by (1: none) */
    mg_layer_stats stats[MG_MODEL_MAX_LAYERS]; /* filled when asked (mg_model_stats) */
    double update_sq[MG_MODEL_MAX_LAYERS];     /* ||delta w||^2 of the latest update */
    mg_rng rng;         /* dropout */
    mg_buf error;
};

/* Builds the model's structure and buffers from its spec (model.c). */
mg_model *mg_model_build(const char *spec, const int in_shape[3], int max_batch, mg_buf *err);
void mg_model_init_params(mg_model *m, mg_init init, uint64_t seed);
/* The passes over the layers (model.c): forward returns the output (n,
 * out_size) in the arena; both fail (NULL, -1) only if the arena is short. */
float *mg_model_forward_pass(mg_model *m, const float *x, int n, int training);
int mg_model_backward_pass(mg_model *m, float *dlogits);

#endif
