/* The model's insides, shared by model.c, train.c and io.c only. */
#ifndef MG_MODEL_INTERNAL_H
#define MG_MODEL_INTERNAL_H

#include "../tensor/arena.h"
#include "model.h"

/* What a forward pass left for backward, per layer (in the arena). */
typedef struct layer_rec {
    const float *in;        /* the layer's input (the previous output, or x) */
    float *pre, *out;       /* pre == out when the activation is linear */
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
    int64_t t;          /* the optimizer's updates (its clock: Adam, schedules) */
    int64_t updates;    /* every update since build or load, whatever the optimizer */
    int pending;        /* mini-batches accumulated since the last update */
    double grad_norm;
    float last_lr;      /* the rate the latest update applied */
    float last_clip;    /* and the factor clipping scaled its gradient by (1: none) */
    mg_layer_stats stats[MG_MODEL_MAX_LAYERS]; /* filled when asked (mg_model_stats) */
    double update_sq[MG_MODEL_MAX_LAYERS];     /* ||delta w||^2 of the latest update */
    mg_rng rng;         /* dropout */
    mg_buf error;
};

/* ---- layers.c: the layer kinds ----------------------------------------- */
typedef struct mg_spec_words mg_spec_words; /* a layer's words, for its parser */
typedef struct mg_layer_pass mg_layer_pass; /* the model, layer, batch and mode of a pass */
typedef struct mg_layer_kind_info {
    const char *name;    /* "dense" */
    const char *syntax;  /* "dense N [act]" */
    const char *summary;
    int has_act;         /* an activation may follow its arguments */
    int decays;          /* weight decay, L1 and L2 apply to its weights */
    int quantized;       /* int8 quantization rounds its weights (one scale per output channel) */
    /* the words after its name, from *next on: L (in_shape set) gets its
     * arguments and out_shape; 0, or -1 with the message */
    int (*parse)(mg_layer_info *L, const mg_spec_words *sw, int *next);
    /* w_count, b_count, and *nstate floats of state (running statistics) */
    void (*params)(mg_layer_info *L, size_t *nstate);
    /* its weights w and state from init (biases start at 0) */
    void (*init)(const mg_layer_info *L, float *w, float *state, mg_init init, mg_rng *rng);
    /* floats it takes from the arena for a forward and backward pass of n
     * samples (besides the input gradient, which model.c takes) */
    size_t (*arena)(const mg_layer_info *L, int n);
    /* r->in is set: fills r->out and what backward needs; -1 if the arena is short */
    int (*forward)(const mg_layer_pass *p, const mg_layer_info *L, layer_rec *r, const float *w,
                   const float *b);
    /* r->dout is set: adds into din (NULL for the first layer) and dw, db */
    int (*backward)(const mg_layer_pass *p, const mg_layer_info *L, layer_rec *r, float *din,
                    const float *w, float *dw, float *db);
} mg_layer_kind_info;
const mg_layer_kind_info *mg_layer_kind_info_of(mg_layer_kind kind);
/* Parses one layer of a spec (the text from start to end, layer li) for
 * inputs of shape in; 0, or -1 with the message in err (may be NULL). */
int mg_layer_parse(mg_layer_info *L, int li, const char *start, const char *end, const int in[3],
                   mg_buf *err);
/* "layer N 'text': ", the start of a layer's messages */
void mg_layer_prefix(mg_buf *err, int li, const char *start, const char *end);
void mg_layer_params(mg_layer_info *L, size_t *nstate);
size_t mg_layer_arena(const mg_layer_info *L, int n);
int mg_layer_decays(const mg_layer_info *L);
void mg_layer_init(mg_model *m, int l, mg_init init, mg_rng *rng);
int mg_layer_forward(mg_model *m, int l, int n, int training);
int mg_layer_backward(mg_model *m, int l, float *din);

/* ---- loss.c ---------------------------------------------------------------- */
/* The mean data loss of outputs out (n, O); if dout is not NULL, adds its
 * gradient times scale. Leaves the softmax in m->loss_tmp for ce. */
float mg_data_loss(mg_model *m, const float *out, const int32_t *labels, const float *targets, int n,
                   float *dout, float scale);
/* The L1/L2 terms of the weights, their gradient times scale added. */
float mg_regularize(mg_model *m, float scale);
int mg_predicted_class(const mg_model *m, const float *y, int O);
mg_loss mg_loss_resolve(mg_loss loss, int out, int nclasses);

/* ---- optim.c, train.c, metrics.c ------------------------------------------- */
mg_status mg_model_update(mg_model *m);
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
mg_status mg_model_fail(mg_model *m, mg_status st, const char *fmt, ...);
/* A step that went non-finite: its gradient dropped (nothing of it is
 * applied, pending accumulation included), the message says where. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
mg_status mg_model_diverged(mg_model *m, const char *fmt, ...);
/* Labels or targets of n samples fit the configured model; else a message. */
mg_status mg_model_check_data(mg_model *m, const int32_t *labels, const float *targets, int n);
/* Sum of squares in double, eight running sums combined pairwise (a fixed
 * order: the same bits in every build). */
double mg_sumsq(const float *v, size_t n);
/* The arena a model needs: the largest of a training pass of max_batch
 * samples and a trace (one sample and its explanations). */
size_t mg_model_arena_floats(const mg_model *m);

/* Builds the model's structure and buffers from its spec (model.c). */
mg_model *mg_model_build(const char *spec, const int in_shape[3], int max_batch, mg_buf *err);
void mg_model_init_params(mg_model *m, mg_init init, uint64_t seed);
/* The passes over the layers (model.c): forward returns the output (n,
 * out_size) in the arena; both fail (NULL, -1) only if the arena is short. */
float *mg_model_forward_pass(mg_model *m, const float *x, int n, int training);
int mg_model_backward_pass(mg_model *m, float *dlogits);

#endif
