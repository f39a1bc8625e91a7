/* Networks of the float32 engine: a model built from a spec string, trained
 * with a loss and an optimizer, evaluated, inspected, saved and loaded.
 *
 * Spec: layers separated by commas, each a word and its arguments:
 *     dense N [act]                 N units (implicitly flattens its input)
 *     conv K C [stride S] [pad P] [act]   K x K kernel, C output channels
 *     maxpool K | avgpool K         K x K window, stride K
 *     flatten | dropout P | batchnorm
 * act is one of linear (the default), relu, leaky_relu, tanh, sigmoid.
 * Example: "conv 5 8 relu, maxpool 2, conv 5 16 relu, maxpool 2, flatten, dense 10"
 * The input shape (C, H, W) comes from the data: (d, 1, 1) for feature
 * vectors, (1, 28, 28) for MNIST images.
 *
 * Memory (llm.c style): parameters, gradients and the optimizer's moments
 * are each one flat buffer with per-layer offsets; zero-grad is a memset.
 * Per-step activations and gradients come from an arena sized at creation
 * for max_batch samples and reset at every forward pass: nothing is
 * allocated while training. The model owns all of it; mg_model_free frees
 * it. Pointers returned by accessors stay valid until the next call that
 * runs a forward pass (train, evaluate, predict, trace). */
#ifndef MG_MODEL_H
#define MG_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "../base/act.h"
#include "../base/buf.h"
#include "../base/rng.h"
#include "../base/status.h"

/* Documented limits. */
#define MG_MODEL_MAX_LAYERS 32
#define MG_MODEL_MAX_PARAMS (4 * 1024 * 1024)
#define MG_MODEL_MAX_BATCH 4096
#define MG_MODEL_MAX_UNITS 4096    /* dense units */
#define MG_MODEL_MAX_CHANNELS 256  /* conv output channels */
#define MG_MODEL_MAX_KERNEL 15     /* conv and pool window */
#define MG_MODEL_MAX_INPUT (1 << 20) /* input values per sample (and per dimension) */
#define MG_MODEL_MAX_ACTIVATIONS (1 << 22) /* layer outputs per sample, all layers */
#define MG_MODEL_MAX_STEP_FLOATS (1 << 27) /* per-step buffers: 512 MB of floats */
#define MG_MODEL_MAX_CLASSES 32
#define MG_SPEC_MAX 2048           /* bytes of spec text */
#define MG_HIST_BINS 32

typedef enum mg_layer_kind {
    MG_LAYER_DENSE,
    MG_LAYER_CONV,
    MG_LAYER_MAXPOOL,
    MG_LAYER_AVGPOOL,
    MG_LAYER_FLATTEN,
    MG_LAYER_DROPOUT,
    MG_LAYER_BATCHNORM,
    MG_LAYER_COUNT
} mg_layer_kind;

typedef enum mg_init {
    MG_INIT_AUTO, /* He for relu / leaky_relu layers, Xavier otherwise (uniform) */
    MG_INIT_ZEROS,
    MG_INIT_XAVIER_UNIFORM,
    MG_INIT_XAVIER_NORMAL,
    MG_INIT_HE_UNIFORM,
    MG_INIT_HE_NORMAL,
    MG_INIT_COUNT
} mg_init;

typedef enum mg_loss {
    MG_LOSS_AUTO, /* ce for classification with several outputs, bce with one, mse for regression */
    MG_LOSS_MSE,
    MG_LOSS_BCE,  /* one output, a logit; labels 0 or 1 */
    MG_LOSS_CE,   /* softmax cross-entropy on logits */
    MG_LOSS_SVM,  /* micrograd's max-margin loss; one output; labels 0 or 1 (as -1, +1) */
    MG_LOSS_COUNT
} mg_loss;

typedef enum mg_opt {
    MG_OPT_SGD,
    MG_OPT_MOMENTUM,
    MG_OPT_NESTEROV,
    MG_OPT_RMSPROP,
    MG_OPT_ADAM,
    MG_OPT_ADAGRAD,
    MG_OPT_COUNT
} mg_opt;

typedef enum mg_schedule {
    MG_SCHEDULE_CONSTANT,
    MG_SCHEDULE_STEP,   /* lr * gamma^floor(t / step_size) */
    MG_SCHEDULE_COSINE, /* lr * (1 + cos(pi * min(t, total) / total)) / 2 */
    MG_SCHEDULE_COUNT
} mg_schedule;

/* Training settings; mg_train_defaults fills the usual values. Each field
 * is a row of the settings table (mg_setting_at): its name, default and
 * range are there, and the CLI, the API and the page read them from it. */
typedef struct mg_train_config {
    mg_loss loss;
    mg_opt opt;
    float lr;
    float momentum;     /* momentum and nesterov (0.9) */
    float beta1, beta2; /* adam (0.9, 0.999) */
    float rho;          /* rmsprop decay (0.9) */
    float eps;          /* adam and rmsprop (1e-8) */
    float weight_decay; /* decoupled: w -= lr * wd * w, weights only */
    float l1, l2;       /* regularization terms added to the loss, weights only */
    float clip;         /* clip gradients to this global norm; 0 = off */
    int accum;          /* update every accum mini-batches (1) */
    mg_schedule schedule;
    int step_size;      /* step schedule: decay every step_size updates */
    float gamma;        /* step schedule factor (0.1) */
    int total_steps;    /* cosine schedule length in updates */
} mg_train_config;

/* ---- the tables: one per extension point --------------------------------
 *
 * Each is an array indexed by its enum, one row per entry with its name,
 * its help, the settings it reads and its functions. The catalog
 * (mg_catalog_json) lists them all for the CLI's help and the page; a
 * name given anywhere is looked up here. Switches over these enums have no
 * default arm: the compiler names a case that was forgotten. */

typedef enum mg_setting_type {
    MG_SETTING_REAL,
    MG_SETTING_INT,
    MG_SETTING_NAME /* one of a table's names (loss, opt, schedule) */
} mg_setting_type;

/* One field of mg_train_config: "lr", "beta1", ... as the CLI's --flag
 * (with '-' for '_'), the API's config key and the page's control. */
typedef struct mg_setting {
    const char *name;
    const char *summary;
    mg_setting_type type;
    size_t offset;          /* of the field in mg_train_config (float, int or enum) */
    double def, lo, hi;     /* default and range (lo excluded if lo_open) */
    int lo_open;
    int count;              /* MG_SETTING_NAME: the names are name_of(0 .. count-1) */
    const char *(*name_of)(int i);
} mg_setting;

int mg_setting_count(void);
const mg_setting *mg_setting_at(int i);
/* The setting called by the n bytes at name (NULL if none). */
const mg_setting *mg_setting_find(const char *name, int n);
/* Its value in c (a name's index for MG_SETTING_NAME). */
double mg_setting_get(const mg_setting *s, const struct mg_train_config *c);

/* An optimizer: its update rule on n parameters p with gradients g (scaled
 * by clip), state m1, m2 and the step's scalars; returns ||delta p||^2. */
typedef struct mg_opt_step {
    float lr, clip, wd;       /* rate, gradient factor, decoupled weight decay */
    const struct mg_train_config *cfg;
    double bc1, bc2;          /* bias corrections 1 - beta^t (Adam) */
} mg_opt_step;
typedef struct mg_opt_info {
    const char *name;
    const char *summary;
    const char *settings;     /* the settings it reads besides lr, clip, weight_decay: "beta1 beta2 eps" */
    const char *state;        /* what m1 and m2 hold, for help: "velocity", "m, v", "" */
    int squares;              /* it averages squared gradients in float (needs a bounded gradient) */
    double (*step)(const mg_opt_step *s, float *p, const float *g, float *m1, float *m2, size_t n);
} mg_opt_info;
const mg_opt_info *mg_opt_info_of(mg_opt opt);

typedef struct mg_schedule_info {
    const char *name;
    const char *summary;
    const char *settings;     /* "step_size gamma", "total_steps", "" */
    double (*rate)(const struct mg_train_config *c, double t); /* lr at update t + 1 */
} mg_schedule_info;
const mg_schedule_info *mg_schedule_info_of(mg_schedule s);

typedef struct mg_loss_info {
    const char *name;
    const char *summary;
    /* 0 if it fits a model with `out` outputs on data of nclasses classes
     * (0: regression); else -1 and why in *why */
    int (*fits)(int out, int nclasses, mg_buf *why);
} mg_loss_info;
const mg_loss_info *mg_loss_info_of(mg_loss loss);

typedef struct mg_init_info {
    const char *name;
    const char *summary;
} mg_init_info;
const mg_init_info *mg_init_info_of(mg_init init);

/* Description of one layer (read-only). Shapes are per sample (C, H, W). */
typedef struct mg_layer_info {
    mg_layer_kind kind;
    mg_act act;
    int units;       /* dense units or conv output channels */
    int K, stride, pad;
    float p;         /* dropout probability */
    int in_shape[3], out_shape[3];
    size_t w_off, w_count; /* weights in the parameter buffer (gamma for batchnorm) */
    size_t b_off, b_count; /* biases (beta for batchnorm) */
} mg_layer_info;

/* Statistics of a layer with parameters, after the latest update. */
typedef struct mg_layer_stats {
    double w_norm;       /* L2 norm of the weights */
    double g_norm;       /* L2 norm of the weights' gradient (before clipping) */
    double update_ratio; /* ||delta w|| / ||w|| of the latest update */
    float hist_lo, hist_hi;          /* histogram range: [-max|g|, max|g|] */
    int32_t hist[MG_HIST_BINS];      /* counts of weight gradients per bin */
} mg_layer_stats;

/* Evaluation over a data set. */
typedef struct mg_metrics {
    int n;
    double loss;          /* mean data loss (no regularization) */
    double accuracy;      /* classification; -1 for regression */
    double rmse, r2;      /* regression (single output); 0 otherwise */
    int nclasses;
    int32_t confusion[MG_MODEL_MAX_CLASSES * MG_MODEL_MAX_CLASSES]; /* [true][pred] */
    double precision[MG_MODEL_MAX_CLASSES], recall[MG_MODEL_MAX_CLASSES], f1[MG_MODEL_MAX_CLASSES];
} mg_metrics;

/* What one layer did in a single-sample trace (mg_model_trace). Pointers
 * are NULL where the layer has no such thing. Sizes in floats. */
typedef struct mg_trace_layer {
    const float *in;    /* the layer's input */
    const float *pre;   /* pre-activation z (dense, conv) */
    const float *out;   /* activation a, the layer's output */
    const float *dout;  /* dL/da */
    const float *dpre;  /* dL/dz (dense, conv) */
    const float *dw;    /* dL/dW (also weights' gradient in mg_model_grads) */
    const float *db;    /* dL/db */
    const float *dact;  /* f'(z), the activation's local derivative (dense, conv) */
    size_t in_size, out_size, w_size, b_size;
} mg_trace_layer;

typedef struct mg_model mg_model;

void mg_train_defaults(mg_train_config *cfg);

/* Parses spec for inputs of shape in_shape (C, H, W) and creates the model
 * for batches of up to max_batch samples, initialized with init from seed.
 * On error returns NULL and writes what and where to err (which may be
 * NULL). */
mg_model *mg_model_create(const char *spec, const int in_shape[3], int max_batch, mg_init init,
                          uint64_t seed, mg_buf *err);
void mg_model_free(mg_model *m);
const char *mg_model_error(const mg_model *m);

/* Sets the loss and the optimizer. nclasses is the number of classes of
 * the data (0 for regression); the loss must fit the output size. The
 * optimizer's state (moments and step count) starts from zero when the
 * optimizer, the loss or nclasses changes, and carries on otherwise (a new
 * learning rate, clipping or regularization); the gradient computed so
 * far (a trace's, or pending accumulation) is kept either way. */
mg_status mg_model_configure(mg_model *m, const mg_train_config *cfg, int nclasses);
const mg_train_config *mg_model_config(const mg_model *m);
mg_loss mg_model_loss(const mg_model *m); /* resolved (never AUTO) */

const char *mg_model_spec(const mg_model *m);
int mg_model_nlayers(const mg_model *m);
const mg_layer_info *mg_model_layer(const mg_model *m, int i);
size_t mg_model_nparams(const mg_model *m);
int mg_model_in_size(const mg_model *m);
int mg_model_out_size(const mg_model *m);
float *mg_model_params(mg_model *m);
float *mg_model_grads(mg_model *m);
/* The gradient the latest update applied (before clipping), kept after
 * the update clears mg_model_grads: what the page draws while training. */
const float *mg_model_last_grads(const mg_model *m);
/* Updates made since build or load (another optimizer restarts its own
 * clock t, not this count), and the learning rate in force. */
int64_t mg_model_steps(const mg_model *m);
/* The optimizer's own clock: its updates since it was configured (Adam's
 * bias correction and the schedules read it). */
int64_t mg_model_opt_t(const mg_model *m);
float mg_model_lr(const mg_model *m);

/* One training step on a mini-batch of n samples x (n, in_size): forward,
 * loss, backward and, every cfg.accum calls, the optimizer update. labels
 * (n) for classification, targets (n, out_size) for regression (the other
 * NULL). *loss receives the mean loss including regularization. A loss or
 * gradient that is inf or nan stops the step before the update with
 * MG_ERR_DOMAIN naming the step and the layer. */
mg_status mg_model_train_step(mg_model *m, const float *x, const int32_t *labels,
                              const float *targets, int n, float *loss);

/* Forward and backward of a mini-batch in training mode, leaving the
 * gradient of the mean loss in mg_model_grads (zeroed first; pending
 * accumulation is discarded) without updating: what a training step
 * computes before its update. */
mg_status mg_model_grad(mg_model *m, const float *x, const int32_t *labels, const float *targets,
                        int n, float *loss);

/* Outputs (n, out_size) for n inputs in eval mode (dropout off, batchnorm
 * with running statistics), in batches of max_batch. */
mg_status mg_model_predict(mg_model *m, const float *x, int n, float *out);

/* What the page draws for raw outputs y (n, out_size): class
 * probabilities for classification (sigmoid for bce, softmax for ce,
 * (tanh(s) + 1) / 2 for svm scores, mse outputs clamped to [0, 1]), the
 * values themselves for regression. out has the same shape as y. */
void mg_model_probs(const mg_model *m, const float *y, int n, float *out);

/* Every layer's output for n inputs in eval mode, feature-major: layer l
 * writes out_size_l * n floats, [unit][sample], after layer l-1's block.
 * The caller sizes out as n times the sum of the layers' output sizes. */
mg_status mg_model_activations(mg_model *m, const float *x, int n, float *out);

/* Applies the optimizer to the gradient in mg_model_grads (as left by
 * mg_model_trace or mg_model_grad), like the update of a training step. */
mg_status mg_model_apply_update(mg_model *m);

/* Loss, accuracy, confusion matrix, per-class precision/recall/F1 (or
 * RMSE and R^2 for regression) over n samples, in eval mode. */
mg_status mg_model_evaluate(mg_model *m, const float *x, const int32_t *labels,
                            const float *targets, int n, mg_metrics *out);

/* Statistics of layer i after the latest update (zeros before the first
 * and for layers without parameters). */
/* (Computed when asked, from the latest update's gradient and the weights
 * now, so training steps do not pay for them.) */
const mg_layer_stats *mg_model_stats(mg_model *m, int i);
/* Global gradient norm of the latest step (before clipping). */
double mg_model_grad_norm(const mg_model *m);

/* Single-sample trace: forward and backward of one sample in training mode
 * (as a training step computes it, without the update; pending gradient
 * accumulation is discarded). It changes nothing else: batchnorm running
 * statistics and the dropout RNG are restored. (Batchnorm over a batch of
 * one sample normalizes everything to beta, as a training step of one
 * sample would.) Then mg_model_trace_layer describes layer i.
 * *loss gets the sample's loss (with regularization). */
mg_status mg_model_trace(mg_model *m, const float *x, const int32_t *label, const float *target,
                         float *loss);
mg_status mg_model_trace_layer(const mg_model *m, int i, mg_trace_layer *out);
/* The traced sample's loss without regularization, and its output
 * probabilities (sigmoid of the logit for bce, softmax for ce; NULL for
 * mse and svm), valid until the next pass. MG_ERR_STATE without a trace. */
mg_status mg_model_trace_output(const mg_model *m, float *data_loss, const float **probs);

/* The optimizer's state, one float per parameter: which 0 is the first
 * moment (momentum's and Nesterov's velocity, Adam's m), 1 the second
 * (RMSprop's and Adam's average of squared gradients); zeros where the
 * optimizer keeps none. */
const float *mg_model_opt_state(const mg_model *m, int which);
/* The optimizer's rule on one parameter p with gradient g, in double and
 * as the papers write it (Adam's bias corrections divide m1 and m2): the
 * reference the fast float loops are tested against. t is the update's
 * number (1 for the first), clip the factor the gradient is scaled by, wd
 * the decoupled weight decay; m1, m2 the parameter's state. */
void mg_opt_step_ref(const mg_train_config *c, int64_t t, double lr, double clip, double wd,
                     double *p, double g, double *m1, double *m2);

/* The learning rate the latest update applied, and the factor gradient
 * clipping scaled its gradient by (1 when it did not clip). */
float mg_model_last_lr(const mg_model *m);
float mg_model_last_clip(const mg_model *m);

/* Save: a versioned binary image (spec, input shape, parameters, running
 * statistics, training config and optimizer state) appended to out.
 * Load: a new model from such an image, ready to continue training; a
 * corrupt, truncated or foreign file gives NULL and a message in err
 * (required). */
mg_status mg_model_save(const mg_model *m, mg_buf *out);
mg_model *mg_model_load(const uint8_t *bytes, size_t len, int max_batch, mg_buf *err);

/* Post-training quantization: a copy of m whose dense and conv weights are
 * rounded to int8 with one scale per output channel (scale = max |w| / 127
 * over the channel, q = round(w / scale) in -127..127) and computes with
 * q * scale; biases, batchnorm and the rest stay float32. rep says how
 * much smaller the weights would be stored that way. NULL and a message in
 * err if memory runs out. The caller frees the copy. */
typedef struct mg_quant_report {
    int layers;          /* layers quantized */
    size_t weights;      /* weights stored as int8 */
    size_t scales;       /* float32 scales, one per output channel */
    size_t float_bytes;  /* all parameters as float32 */
    size_t int8_bytes;   /* int8 weights + their scales + the float32 rest */
    double max_abs_err;  /* largest |w - q * scale| */
} mg_quant_report;
mg_model *mg_model_quantize_int8(const mg_model *m, mg_quant_report *rep, mg_buf *err);

const char *mg_loss_name(mg_loss loss);
const char *mg_opt_name(mg_opt opt);
const char *mg_init_name(mg_init init);
const char *mg_schedule_name(mg_schedule s);
const char *mg_layer_kind_name(mg_layer_kind kind);
const char *mg_layer_kind_syntax(mg_layer_kind kind);  /* "conv K C [stride S] [pad P] [act]" */
const char *mg_layer_kind_summary(mg_layer_kind kind);

/* Settings by name (the settings table): sets the one called by the n
 * bytes at name from its text value (a number, or a name for loss, opt and
 * schedule), checking its range; MG_ERR_NAME or MG_ERR_ARG with what and
 * where in err, c unchanged. mg_train_config_check checks every field. */
mg_status mg_train_config_set(mg_train_config *c, const char *name, int n, const char *value,
                              mg_buf *err);
mg_status mg_train_config_check(const mg_train_config *c, mg_buf *err);

#endif
