/* The flat C API exported to WebAssembly (and usable natively). Thin: it
 * maps integer handles to engine objects and calls the modules.
 *
 * Every call that can fail returns an mg_status (0 = MG_OK); the message
 * of the last failure on a handle is mg_api_expr_error(handle), with the
 * place in the program as mg_api_expr_error_line/col (0 if none). Strings
 * and arrays returned are owned by the handle and stay valid until the next
 * call on it; JS copies or reads them at once. Handles are small positive
 * integers; the table holds MG_API_MAX_HANDLES live objects. */
#ifndef MG_API_H
#define MG_API_H

#include <stdint.h>

#define MG_API_MAX_HANDLES 64

/* "ok", "syntax", "name", "domain", "limit", "arg", "nomem", "state". */
const char *mg_api_status_name(int status);
/* Bytes malloc has handed out and not taken back (for leak tests), or -1
 * where the C library cannot say. */
int mg_api_heap_used(void);

/* A program of the expression language with its graph (at most max_nodes
 * nodes; 0 for the default). Returns a handle > 0, or 0 if the table is
 * full or memory is short. */
int mg_api_expr_create(int max_nodes);
void mg_api_expr_free(int h);

/* Parse and evaluate the len bytes at src (forward only), or evaluate and
 * run backward. A NUL byte inside is an error, not the end. */
int mg_api_expr_eval(int h, const char *src, int len);
int mg_api_expr_run(int h, const char *src, int len);
int mg_api_expr_backward(int h);
int mg_api_expr_zero_grad(int h);

/* Step-through of backward: begin, then step until the step JSON says
 * "done":true. mg_api_expr_step_json describes the last step:
 * {"done":false,"node":ID,"grad":G,"remaining":N,
 *  "children":[{"id":ID,"local":L,"contrib":C,"grad":G},...]} */
int mg_api_expr_backward_begin(int h);
int mg_api_expr_backward_step(int h);
const char *mg_api_expr_step_json(int h);

/* Sets leaf `node` to value and recomputes every node's data (grads are
 * zeroed: they belonged to the old values). If a value would become inf
 * or nan, the leaf keeps its old value and the error names the node. */
int mg_api_expr_set_leaf(int h, int node, double value);
/* Central difference (f(x+eps) - f(x-eps)) / 2eps of the output with
 * respect to leaf `node`, computed by the engine (data restored after);
 * NaN with an error if the node is not a leaf or a value is not finite. */
double mg_api_expr_numeric_grad(int h, int node, double eps, int kind);

/* The full result as JSON (see mg_program_json in scalar/expr.h), or
 * "{}" when there is none. */
const char *mg_api_expr_json(int h);
/* Number of nodes, and [data0, grad0, data1, grad1, ...] for all of them
 * (2 * count doubles), refreshed by this call. */
int mg_api_expr_node_count(int h);
const double *mg_api_expr_values(int h);

const char *mg_api_expr_error(int h);
int mg_api_expr_error_line(int h);
int mg_api_expr_error_col(int h);

/* ---- datasets -------------------------------------------------------------
 * A dataset handle holds a training and a test set ("which" = 0 train,
 * 1 test), owned by the handle. */
int mg_api_data_create(void);
void mg_api_data_free(int h);
/* Generates n points of the named toy dataset (see src/data/data.h) with
 * seed, and splits them by train_ratio. */
int mg_api_data_generate(int h, const char *name, int n, double noise, int k, double train_ratio,
                         int seed);
/* MNIST-style IDX images and labels (bytes on the heap); the first
 * train_count samples train, the rest test. */
int mg_api_data_load_idx(int h, const unsigned char *images, int images_len,
                         const unsigned char *labels, int labels_len, int train_count);
/* Sets the train (0) or test (1) set from arrays on the heap (copied):
 * x (n, d), and labels y (n) with nclasses >= 2, or targets t (n) with
 * nclasses 0. For the learner's own points and CSV files. */
int mg_api_data_set(int h, int which, const float *x, const int32_t *y, const float *t, int n,
                    int d, int nclasses);
/* dst := the input features of mask (src/data/features.h) computed from
 * src's raw coordinates, for both sets; labels and targets copied. */
/* The points of both sets shuffled with seed and split again: the first
 * round(n * train_ratio) (at least 1) train, the rest test (as
 * mg_api_data_generate splits). Nothing happens to an empty dataset; on an
 * error the sets are unchanged. */
int mg_api_data_resplit(int h, double train_ratio, int seed);
int mg_api_data_features(int dst, int src, unsigned mask);
int mg_api_data_n(int h, int which);
int mg_api_data_d(int h);
int mg_api_data_nclasses(int h);
const float *mg_api_data_x(int h, int which);   /* (n, d) */
const int32_t *mg_api_data_y(int h, int which); /* (n) labels, or NULL */
const float *mg_api_data_t(int h, int which);   /* (n) targets, or NULL */
const char *mg_api_data_error(int h);

/* ---- models ---------------------------------------------------------------- */
/* Every table of names the engine has, as JSON: {"settings":[{"name",
 * "summary","type":"real"|"int"|"name","default","min","max","minOpen"} or
 * {...,"values":[...]}], "losses", "optimizers", "schedules",
 * "activations", "layers", "inits", "datasets": [{"name","summary",...}]}
 * (a dataset's "features", "minClasses", "maxClasses", "classes" (its
 * default), "noise", "regression").
 * Static; NULL only if memory ran out. */
const char *mg_api_catalog(void);

int mg_api_model_create(void);
void mg_api_model_free(int h);
/* Builds the model from spec for inputs of shape (c, hgt, w) and batches
 * of up to max_batch; init is an mg_init; replaces any model the handle
 * held. */
int mg_api_model_build(int h, const char *spec, int c, int hgt, int w, int max_batch, int init,
                       int seed);
/* The training settings by name, from the settings table (see
 * mg_api_catalog): "opt=adam lr=0.01 beta2=0.99", each name=value
 * separated by spaces; the settings not named take their defaults.
 * nclasses of the data (0 = regression). The optimizer's state carries on
 * unless the optimizer or the loss changes (mg_model_configure); the
 * trainer (its epoch, its place in the shuffled order) always does. On an
 * error (the message names the setting) nothing changes. */
int mg_api_model_configure(int h, const char *settings, int nclasses);
/* Runs nsteps mini-batches of `batch` samples of the dataset's training
 * set (shuffled per epoch with the model's seed). */
int mg_api_model_train(int h, int data, int batch, int nsteps);
double mg_api_model_last_loss(int h);   /* loss of the latest step */
double mg_api_model_epoch_loss(int h);  /* mean loss of the latest epoch */
double mg_api_model_epochs(int h);      /* epochs done, with the fraction */
double mg_api_model_steps(int h);       /* updates made */
double mg_api_model_grad_norm(int h);
/* Evaluates on the dataset's train (0) or test (1) set; then
 * mg_api_model_metrics_json describes it:
 * {"n","loss","accuracy","rmse","r2","confusion":[[...]],"precision":[...],
 *  "recall":[...],"f1":[...]} */
int mg_api_model_evaluate(int h, int data, int which);
const char *mg_api_model_metrics_json(int h);
/* Outputs (n, out) for n inputs x (n, in) at x; the result stays at the
 * returned pointer until the next call on h (NULL on error). */
const float *mg_api_model_predict(int h, const float *x, int n);
/* The model over a grid of the input plane: res x res points (d = 2; row
 * 0 at y1, the last at y0; column 0 at x0, the last at x1) or res points
 * from x0 to x1 (d =
 * 1), mapped to the features of mask, through the model; returns what the
 * page draws (mg_model_probs): res*res*out floats (or res*out). */
const float *mg_api_model_grid(int h, unsigned mask, int d, int res, double x0, double x1,
                               double y0, double y1);
/* The same grid through every layer (mg_model_activations layout:
 * per layer, per unit, res*res values) for neuron thumbnails; res <= 64. */
const float *mg_api_model_neurons(int h, unsigned mask, int d, int res, double x0, double x1,
                                  double y0, double y1);
/* Applies the optimizer to the gradient of the latest trace (step-through
 * "Update"). */
int mg_api_model_update(int h);
/* Per-layer description, statistics of the latest update and the spec:
 * {"spec","nparams","in","out","layers":[{"kind","act","units","K","stride","pad","p",
 *  "in_shape","out_shape","w_off","w_count","b_off","b_count",
 *  "w_norm","g_norm","update_ratio","hist_lo","hist_hi","hist":[...]}]} */
const char *mg_api_model_json(int h);
int mg_api_model_nparams(int h);
float *mg_api_model_params(int h);
const float *mg_api_model_grads(int h);
const float *mg_api_model_last_grads(int h); /* of the latest update */
/* Single-sample trace of sample `index` of the dataset's train/test set;
 * then mg_api_model_trace_array(h, layer, field) points at field 0 in,
 * 1 pre, 2 out, 3 dout, 4 dpre, 5 dw, 6 db, 7 dact (f'(z)) of that layer (NULL if the
 * layer has none; sizes from mg_api_model_json). */
int mg_api_model_trace(int h, int data, int which, int index);
double mg_api_model_trace_loss(int h);
/* The traced sample's loss without regularization, and its output
 * probabilities (out floats: sigmoid for bce, softmax for ce; NULL for mse
 * and svm). */
double mg_api_model_trace_data_loss(int h);
const float *mg_api_model_trace_probs(int h);
/* The optimizer's state per parameter: which 0 the first moment (velocity,
 * Adam's m), 1 the second (average of squared gradients). */
const float *mg_api_model_opt_state(int h, int which);
const float *mg_api_model_trace_array(int h, int layer, int field);
/* Saves into a buffer owned by h (pointer and length), or loads a model
 * from bytes on the heap, replacing the handle's model. */
int mg_api_model_save(int h);
const unsigned char *mg_api_model_file(int h);
int mg_api_model_file_len(int h);
int mg_api_model_load(int h, const unsigned char *bytes, int len, int max_batch, int seed);
const char *mg_api_model_error(int h);

/* ---- MNIST view ------------------------------------------------------------
 * Class probabilities for n inputs x (n, in) on the heap: the model's
 * outputs through mg_model_probs (softmax for cross-entropy), (n, out)
 * floats; they stay at the returned pointer until the next call on h
 * (NULL on error). */
const float *mg_api_model_probs(int h, const float *x, int n);

/* ---- int8 quantization (lesson 15) -------------------------------------------
 * dst := a copy of src's model whose dense and conv weights are rounded to
 * int8 with one scale per output channel (mg_model_quantize_int8 in
 * nn/model.h); it keeps src's loss and classes, so it evaluates and
 * predicts like any model. src is unchanged; dst's previous model is
 * freed. Then mg_api_model_quant_json(dst) reports the sizes:
 * {"layers","weights","scales","float_bytes","int8_bytes","max_abs_err"}
 * ("{}" once dst holds another model). */
int mg_api_model_quantize(int dst, int src);
const char *mg_api_model_quant_json(int h);

/* ---- benchmarks --------------------------------------------------------------
 * Workloads of `npm run bench` and `mg bench` (src/api/api_bench.c): a
 * _setup call builds everything outside the timed region, a _run call does
 * only the measured work, and the caller holds the clock, so the native
 * CLI and the WASM bench time the same C code. A bench handle owns its
 * buffers and graph; arrays stay valid until the next setup or free. */
int mg_api_bench_create(void);
void mg_api_bench_free(int h);
const char *mg_api_bench_error(int h);
/* out (N,OC) = inp (N,C) @ weight (OC,C)^T through mg_matmul_forward; inp
 * and weight uniform in [-1, 1) from seed; sizes 1..4096. */
int mg_api_bench_matmul_setup(int h, int N, int C, int OC, int seed);
int mg_api_bench_matmul_run(int h, int reps);
const float *mg_api_bench_matmul_inp(int h);    /* (N,C) */
const float *mg_api_bench_matmul_weight(int h); /* (OC,C) */
const float *mg_api_bench_matmul_out(int h);    /* (N,OC) */
/* micrograd's moons demo on the scalar engine: MLP 2-16-16-1 (relu),
 * npoints (1..1000) moons points with noise 0.1 from seed, SVM max-margin
 * loss + 1e-4 * sum(p*p), full batch; each step builds the batch's graph,
 * runs backward and updates with lr = max(0.1, 1 - 0.9 k / 100). */
int mg_api_bench_scalar_setup(int h, int npoints, int seed);
int mg_api_bench_scalar_run(int h, int steps);
int mg_api_bench_scalar_nodes(int h);         /* graph nodes of the latest step */
double mg_api_bench_scalar_loss(int h);       /* its loss (before its update) */
double mg_api_bench_scalar_accuracy(int h);   /* its share of correct signs */

#endif
