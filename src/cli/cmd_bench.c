/* mg bench: times the engines natively on this machine, one thread. The
 * WASM side of the same measurements is bench/wasm.mjs; bench/run.mjs
 * (npm run bench) runs both next to the peers and prints one table.
 *
 * Everything a measurement needs (buffers, data, model, graph) is built
 * before its clock starts; a warm-up runs before the timed part. Times come
 * from clock_gettime(CLOCK_MONOTONIC). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../api/api.h"
#include "../data/data.h"
#include "../nn/model.h"
#include "../nn/trainer.h"
#include "cli.h"

/* The settings of the issue; bench/config.mjs holds the same for Node. */
#define MLP_SPEC "dense 128 relu, dense 10"
#define CNN_SPEC "conv 5 8 relu, maxpool 2, conv 5 16 relu, maxpool 2, flatten, dense 10"
#define TRAIN_N 8000 /* the first 8,000 packed digits */
#define BATCH 32
#define LR 0.1
/* the MNIST page's optimizers on its MLP (its defaults: Adam, lr 0.001,
 * batch 64), next to SGD at the same batch */
#define OPT_BATCH 64
#define SEED 1
#define PLAY_SPEC "dense 8 tanh, dense 8 tanh, dense 1"
#define PLAY_POINTS 500
#define PLAY_RES 100
#define SCALAR_POINTS 100
#define MAX_SIZES 16
#if defined(__clang__)
#define COMPILER __VERSION__ /* "Clang 14.0.6 ..." */
#else
#define COMPILER "gcc " __VERSION__
#endif
#define MAX_TIMES (1 << 16)

static const char bench_usage[] =
    "usage: mg bench [--json] [--only LIST] [--sizes LIST] [--quick] [--data-dir DIR]\n"
    "       mg bench --moons-points\n"
    "\n"
    "Times the C core natively, single thread (bench/run.mjs, `npm run bench`,\n"
    "puts these next to the WASM build and TF.js, ConvNetJS and OpenBLAS):\n"
    "  matmul      mg_matmul_forward, out(N,N) = inp(N,N) . weight(N,N)^T, 2*N^3 flops;\n"
    "              GFLOP/s, best and median of repetitions over >= 0.5 s per size\n"
    "  mlp         MNIST '" MLP_SPEC "', softmax CE, SGD lr 0.1, batch 32,\n"
    "              the 8,000 packed training digits: examples/s over >= 1 epoch and >= 1 s\n"
    "  cnn         MNIST '" CNN_SPEC "',\n"
    "              same training settings: examples/s over >= 2 s\n"
    "  opt         the MLP at batch 64 with the MNIST page's optimizers: SGD lr 0.1,\n"
    "              Adam lr 0.001 (the page's default), RMSprop lr 0.001: examples/s, >= 1 s each\n"
    "  playground  2-8-8-1 tanh on 500 circles points: one training step (batch 500,\n"
    "              SGD lr 0.03, BCE) + the 100x100 boundary grid, through\n"
    "              mg_api_model_train and mg_api_model_grid; ms (median)\n"
    "  scalar      micrograd's moons demo on the Value graph: MLP 2-16-16-1, 100 points,\n"
    "              SVM loss + L2, full batch, forward+backward+update; ms/step (median)\n"
    "\n"
    "  --json        one JSON object instead of the table\n"
    "  --only LIST   some of matmul,mlp,cnn,opt,playground,scalar (default all)\n"
    "  --sizes LIST  matmul sizes (default 128,256,512,1024)\n"
    "  --quick       minimum times of ~0.05 s: checks that it runs, rough figures\n"
    "  --data-dir D  the packed MNIST digits (default $MG_DATA_DIR or web/build/data)\n"
    "  --moons-points  prints the scalar workload's 100 moons points as JSON (x: 100 x 2,\n"
    "                y: -1 or +1), for the peers to train on the same data\n";

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Seconds of the repetitions of one measurement. */
typedef struct timing {
    int reps;
    double best, median, total;
} timing;

static timing summarize(double *t, int n)
{
    timing r = {n, 0, 0, 0};
    for (int i = 0; i < n; i++)
        r.total += t[i];
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    r.best = t[0];
    r.median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    return r;
}

typedef struct bench_opts {
    int json, quick;
    int only_matmul, only_mlp, only_cnn, only_opt, only_play, only_scalar;
    int moons_points;
    int sizes[MAX_SIZES], nsizes;
    const char *data_dir;
} bench_opts;

static int parse_list(const char *flag, const char *v, bench_opts *o)
{
    char buf[256];
    if (strlen(v) >= sizeof buf) {
        fprintf(stderr, "mg bench: %s: list too long\n", flag);
        return -1;
    }
    strcpy(buf, v);
    int sizes = strcmp(flag, "--sizes") == 0;
    if (sizes)
        o->nsizes = 0;
    else
        o->only_matmul = o->only_mlp = o->only_cnn = o->only_opt = o->only_play = o->only_scalar = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (sizes) {
            char *end;
            errno = 0;
            long n = strtol(tok, &end, 10);
            if (end == tok || *end || errno || n < 1 || n > 4096 || o->nsizes == MAX_SIZES) {
                fprintf(stderr, "mg bench: --sizes: '%s' is not a size from 1 to 4096 (at most %d sizes)\n",
                        tok, MAX_SIZES);
                return -1;
            }
            o->sizes[o->nsizes++] = (int)n;
        } else if (strcmp(tok, "matmul") == 0) o->only_matmul = 1;
        else if (strcmp(tok, "mlp") == 0) o->only_mlp = 1;
        else if (strcmp(tok, "cnn") == 0) o->only_cnn = 1;
        else if (strcmp(tok, "opt") == 0) o->only_opt = 1;
        else if (strcmp(tok, "playground") == 0) o->only_play = 1;
        else if (strcmp(tok, "scalar") == 0) o->only_scalar = 1;
        else {
            fprintf(stderr, "mg bench: --only: unknown measurement '%s' (matmul, mlp, cnn, opt, playground, scalar)\n", tok);
            return -1;
        }
    }
    if (sizes && o->nsizes == 0) {
        fprintf(stderr, "mg bench: --sizes: no size given\n");
        return -1;
    }
    return 0;
}

/* 1 ok and run, 0 ok and exit (help), -1 usage error. */
static int parse_bench_args(int argc, char **argv, bench_opts *o)
{
    memset(o, 0, sizeof *o);
    o->only_matmul = o->only_mlp = o->only_cnn = o->only_opt = o->only_play = o->only_scalar = 1;
    static const int default_sizes[] = {128, 256, 512, 1024};
    for (int i = 0; i < 4; i++)
        o->sizes[i] = default_sizes[i];
    o->nsizes = 4;
    o->data_dir = getenv("MG_DATA_DIR") ? getenv("MG_DATA_DIR") : "web/build/data";
    for (int i = 0; i < argc; i++) {
        const char *f = argv[i];
        if (strcmp(f, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(f, "--quick") == 0) {
            o->quick = 1;
        } else if (strcmp(f, "--moons-points") == 0) {
            o->moons_points = 1;
        } else if (strcmp(f, "-h") == 0 || strcmp(f, "--help") == 0) {
            fputs(bench_usage, stdout);
            return 0;
        } else if (strcmp(f, "--only") == 0 || strcmp(f, "--sizes") == 0 ||
                   strcmp(f, "--data-dir") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "mg bench: %s needs a value\n", f);
                return -1;
            }
            const char *v = argv[++i];
            if (strcmp(f, "--data-dir") == 0)
                o->data_dir = v;
            else if (parse_list(f, v, o))
                return -1;
        } else {
            fprintf(stderr, "mg bench: unknown argument '%s'\n%s", f, bench_usage);
            return -1;
        }
    }
    return 1;
}

/* ---- matmul --------------------------------------------------------------- */

typedef struct matmul_result {
    int n;
    timing t;
} matmul_result;

static int bench_matmul(const bench_opts *o, double *times, matmul_result *res)
{
    int h = mg_api_bench_create();
    if (!h) {
        fprintf(stderr, "mg bench: cannot create a benchmark handle\n");
        return -1;
    }
    int rc = 0;
    double min_time = o->quick ? 0.05 : 0.5;
    for (int s = 0; s < o->nsizes && !rc; s++) {
        int n = o->sizes[s];
        if (mg_api_bench_matmul_setup(h, n, n, n, SEED) || mg_api_bench_matmul_run(h, 1)) {
            fprintf(stderr, "mg bench: matmul %d: %s\n", n, mg_api_bench_error(h));
            rc = -1;
            break;
        }
        /* warm-up: the call above; then at least 2 timed repetitions */
        int reps = 0;
        double total = 0;
        while ((reps < 2 || total < min_time) && reps < MAX_TIMES) {
            double t0 = now_seconds();
            mg_api_bench_matmul_run(h, 1);
            times[reps] = now_seconds() - t0;
            total += times[reps++];
        }
        res[s].n = n;
        res[s].t = summarize(times, reps);
        if (!o->json)
            fprintf(stderr, "  matmul %4d: %.2f GFLOP/s (best of %d)\n", n,
                    2.0 * n * n * n / res[s].t.best * 1e-9, reps);
    }
    mg_api_bench_free(h);
    return rc;
}

/* ---- MNIST training ------------------------------------------------------------ */

static int load_digits(const char *dir, mg_dataset *all)
{
    char ip[4096], lp[4096];
    snprintf(ip, sizeof ip, "%s/mnist-10k-images.idx", dir);
    snprintf(lp, sizeof lp, "%s/mnist-10k-labels.idx", dir);
    if (mg_cli_load_mnist("mg bench", ip, lp, all)) {
        fprintf(stderr, "mg bench: the packed digits are made by ./build.sh wasm (or give --data-dir)\n");
        return -1;
    }
    if (all->n < TRAIN_N) {
        fprintf(stderr, "mg bench: %s holds %d digits; the benchmark trains on %d\n", dir, all->n,
                TRAIN_N);
        return -1;
    }
    return 0;
}

/* One training workload: the model, the optimizer and its rate, the batch. */
typedef struct train_setup {
    const char *spec;
    mg_opt opt;
    double lr;
    int batch;
} train_setup;

typedef struct train_result {
    train_setup set;
    int64_t steps, examples;
    double seconds;
    float warmup_loss;     /* after the fixed warm-up: the same natively and in WASM */
    float last_loss;       /* of the last timed step */
    float last_epoch_loss; /* mean step loss of the latest full epoch (0 if none) */
} train_result;

/* Trains set on the first TRAIN_N digits: `warmup` steps, then timed
 * chunks of steps until at least min_steps steps and min_time seconds. */
static int bench_train(const mg_dataset *all, train_setup set, int warmup, int64_t min_steps,
                       double min_time, train_result *res)
{
    static const int shape[3] = {1, 28, 28};
    mg_buf err = {0};
    mg_trainer tr = {0};
    int rc = -1;
    const char *spec = set.spec;
    mg_model *m = mg_model_create(spec, shape, set.batch, MG_INIT_AUTO, SEED, &err);
    if (!m) {
        fprintf(stderr, "mg bench: '%s': %s\n", spec, mg_buf_str(&err));
        goto done;
    }
    mg_train_config cfg;
    mg_train_defaults(&cfg);
    cfg.loss = MG_LOSS_CE;
    cfg.opt = set.opt;
    cfg.lr = (float)set.lr;
    if (mg_model_configure(m, &cfg, 10) || mg_trainer_init(&tr, TRAIN_N, SEED, &err) ||
        mg_trainer_run(&tr, m, all->x, all->y, NULL, set.batch, warmup)) {
        fprintf(stderr, "mg bench: '%s': %s%s\n", spec, mg_model_error(m), mg_buf_str(&err));
        goto done;
    }
    res->set = set;
    res->warmup_loss = tr.last_loss;
    int64_t start = tr.epoch * TRAIN_N + tr.cursor, steps = 0;
    const int chunk = 5;
    double t0 = now_seconds(), elapsed = 0;
    while (steps < min_steps || elapsed < min_time) {
        if (mg_trainer_run(&tr, m, all->x, all->y, NULL, set.batch, chunk)) {
            fprintf(stderr, "mg bench: '%s': %s\n", spec, mg_model_error(m));
            goto done;
        }
        steps += chunk;
        elapsed = now_seconds() - t0;
    }
    res->seconds = elapsed;
    res->steps = steps;
    res->examples = tr.epoch * TRAIN_N + tr.cursor - start;
    res->last_loss = tr.last_loss;
    res->last_epoch_loss = tr.epoch_loss;
    rc = 0;
done:
    mg_trainer_free(&tr);
    mg_model_free(m);
    mg_buf_free(&err);
    return rc;
}

/* ---- the playground ------------------------------------------------------------- */

typedef struct play_result {
    timing train, grid, total;
    double warmup_loss;
} play_result;

/* The calls the page's worker makes for one frame: data, features and
 * model set up once, then train(batch 500, 1 step) + grid(100 x 100). */
static int bench_playground(const bench_opts *o, double *times, play_result *res)
{
    int raw = mg_api_data_create(), feat = mg_api_data_create(), model = mg_api_model_create();
    int rc = -1;
    double *t_train = times, *t_grid = times + MAX_TIMES / 3, *t_total = times + 2 * (MAX_TIMES / 3);
    const int warmup = 20;
    if (!raw || !feat || !model) {
        fprintf(stderr, "mg bench: playground: cannot create handles\n");
        goto done;
    }
    if (mg_api_data_generate(raw, "circles", PLAY_POINTS, 0.1, 0, 1.0, SEED) ||
        mg_api_data_features(feat, raw, 3u /* x1, x2 */)) {
        fprintf(stderr, "mg bench: playground: %s%s\n", mg_api_data_error(raw), mg_api_data_error(feat));
        goto done;
    }
    /* the page's defaults: xavier init, bce, sgd, lr 0.03, max batch 1024 */
    if (mg_api_model_build(model, PLAY_SPEC, 2, 1, 1, 1024, MG_INIT_XAVIER_UNIFORM, SEED) ||
        mg_api_model_configure(model, "loss=bce opt=sgd lr=0.03", 2)) {
        fprintf(stderr, "mg bench: playground: %s\n", mg_api_model_error(model));
        goto done;
    }
    double min_time = o->quick ? 0.05 : 1.0, total = 0;
    int reps = 0;
    for (int i = -warmup; i < 0 || ((reps < 10 || total < min_time) && reps < MAX_TIMES / 3); i++) {
        double t0 = now_seconds();
        int st = mg_api_model_train(model, feat, PLAY_POINTS, 1);
        double t1 = now_seconds();
        const float *grid = mg_api_model_grid(model, 3u, 2, PLAY_RES, -1.6, 1.6, -1.6, 1.6);
        double t2 = now_seconds();
        if (st || !grid) {
            fprintf(stderr, "mg bench: playground: %s\n", mg_api_model_error(model));
            goto done;
        }
        if (i == -1)
            res->warmup_loss = mg_api_model_last_loss(model);
        if (i >= 0) {
            t_train[reps] = t1 - t0;
            t_grid[reps] = t2 - t1;
            t_total[reps] = t2 - t0;
            total += t2 - t0;
            reps++;
        }
    }
    res->train = summarize(t_train, reps);
    res->grid = summarize(t_grid, reps);
    res->total = summarize(t_total, reps);
    rc = 0;
done:
    mg_api_model_free(model);
    mg_api_data_free(feat);
    mg_api_data_free(raw);
    return rc;
}

/* ---- the scalar engine ------------------------------------------------------------ */

typedef struct scalar_result {
    timing t;
    int nodes;
    double warmup_loss, loss, accuracy;
} scalar_result;

static int bench_scalar(const bench_opts *o, double *times, scalar_result *res)
{
    int h = mg_api_bench_create();
    int rc = -1;
    const int warmup = 3;
    if (!h || mg_api_bench_scalar_setup(h, SCALAR_POINTS, SEED) ||
        mg_api_bench_scalar_run(h, warmup)) {
        fprintf(stderr, "mg bench: scalar: %s\n", h ? mg_api_bench_error(h) : "cannot create a handle");
        goto done;
    }
    res->warmup_loss = mg_api_bench_scalar_loss(h);
    double min_time = o->quick ? 0.05 : 1.0, total = 0;
    int reps = 0;
    while ((reps < 5 || total < min_time) && reps < MAX_TIMES) {
        double t0 = now_seconds();
        int st = mg_api_bench_scalar_run(h, 1);
        times[reps] = now_seconds() - t0;
        if (st) {
            fprintf(stderr, "mg bench: scalar: %s\n", mg_api_bench_error(h));
            goto done;
        }
        total += times[reps++];
    }
    res->t = summarize(times, reps);
    res->nodes = mg_api_bench_scalar_nodes(h);
    res->loss = mg_api_bench_scalar_loss(h);
    res->accuracy = mg_api_bench_scalar_accuracy(h);
    rc = 0;
done:
    mg_api_bench_free(h);
    return rc;
}

/* ---- output ------------------------------------------------------------------------ */

static void json_timing(const char *name, timing t, double scale)
{
    printf("\"%s\":{\"reps\":%d,\"best\":%.6g,\"median\":%.6g}", name, t.reps, t.best * scale,
           t.median * scale);
}

static void json_train(const char *name, const train_result *r)
{
    printf("\"%s\":{\"spec\":\"%s\",\"opt\":\"%s\",\"batch\":%d,\"lr\":%g,\"train_samples\":%d,"
           "\"steps\":%lld,\"examples\":%lld,\"seconds\":%.6g,\"examples_per_sec\":%.6g,"
           "\"warmup_loss\":%.9g,\"last_loss\":%.9g,\"last_epoch_loss\":%.9g}",
           name, r->set.spec, mg_opt_name(r->set.opt), r->set.batch, r->set.lr, TRAIN_N,
           (long long)r->steps, (long long)r->examples, r->seconds,
           (double)r->examples / r->seconds, (double)r->warmup_loss, (double)r->last_loss,
           (double)r->last_epoch_loss);
}

/* The scalar workload's moons points (api_bench.c draws them the same
 * way), for the peers. */
static int print_moons(void)
{
    mg_rng rng;
    mg_rng_seed(&rng, SEED, 1);
    mg_dataset moons = {0};
    mg_buf err = {0};
    if (mg_data_generate(&moons, "moons", SCALAR_POINTS, 0.1, 0, &rng, &err)) {
        fprintf(stderr, "mg bench: moons: %s\n", mg_buf_str(&err));
        mg_buf_free(&err);
        return 1;
    }
    printf("{\"points\":%d,\"noise\":0.1,\"seed\":%d,\"x\":[", SCALAR_POINTS, SEED);
    for (int i = 0; i < moons.n; i++)
        printf("%s[%.17g,%.17g]", i ? "," : "", (double)moons.x[2 * i], (double)moons.x[2 * i + 1]);
    printf("],\"y\":[");
    for (int i = 0; i < moons.n; i++)
        printf("%s%d", i ? "," : "", moons.y[i] ? 1 : -1);
    printf("]}\n");
    mg_dataset_free(&moons);
    return fflush(stdout) == 0 ? 0 : 1;
}

int mg_cmd_bench(int argc, char **argv)
{
    bench_opts o;
    int p = parse_bench_args(argc, argv, &o);
    if (p <= 0)
        return p < 0 ? 2 : 0;
    if (o.moons_points)
        return print_moons();
    double *times = malloc(MAX_TIMES * sizeof *times);
    matmul_result mm[MAX_SIZES];
    train_result mlp, cnn, opt[3];
    memset(&mlp, 0, sizeof mlp);
    memset(&cnn, 0, sizeof cnn);
    memset(opt, 0, sizeof opt);
    static const char *const opt_names[3] = {"mlp_sgd_b64", "mlp_adam_b64", "mlp_rmsprop_b64"};
    static const train_setup opt_setups[3] = {
        {MLP_SPEC, MG_OPT_SGD, 0.1, OPT_BATCH},
        {MLP_SPEC, MG_OPT_ADAM, 0.001, OPT_BATCH},
        {MLP_SPEC, MG_OPT_RMSPROP, 0.001, OPT_BATCH},
    };
    play_result play = {0};
    scalar_result sc = {0};
    mg_dataset digits = {0};
    int rc = 1;
    if (!times) {
        fprintf(stderr, "mg bench: out of memory\n");
        return 1;
    }
    if (!o.json)
        fprintf(stderr, "mg bench: native, one thread\n");
    if (o.only_matmul && bench_matmul(&o, times, mm))
        goto done;
    if ((o.only_mlp || o.only_cnn || o.only_opt) && load_digits(o.data_dir, &digits))
        goto done;
    if (o.only_mlp &&
        bench_train(&digits, (train_setup){MLP_SPEC, MG_OPT_SGD, LR, BATCH}, o.quick ? 2 : 20,
                    o.quick ? 5 : TRAIN_N / BATCH, o.quick ? 0.05 : 1.0, &mlp))
        goto done;
    if (o.only_cnn &&
        bench_train(&digits, (train_setup){CNN_SPEC, MG_OPT_SGD, LR, BATCH}, o.quick ? 1 : 5,
                    o.quick ? 5 : 20, o.quick ? 0.05 : 2.0, &cnn))
        goto done;
    for (int i = 0; o.only_opt && i < 3; i++)
        if (bench_train(&digits, opt_setups[i], o.quick ? 2 : 20, o.quick ? 5 : TRAIN_N / OPT_BATCH,
                        o.quick ? 0.05 : 1.0, &opt[i]))
            goto done;
    if (o.only_play && bench_playground(&o, times, &play))
        goto done;
    if (o.only_scalar && bench_scalar(&o, times, &sc))
        goto done;

    if (o.json) {
        printf("{\"engine\":\"native\",\"compiler\":\"%s\",\"quick\":%s,"
               "\"timer\":\"clock_gettime(CLOCK_MONOTONIC)\"",
               COMPILER, o.quick ? "true" : "false");
        if (o.only_matmul) {
            printf(",\"matmul\":[");
            for (int s = 0; s < o.nsizes; s++) {
                double flops = 2.0 * mm[s].n * mm[s].n * mm[s].n;
                printf("%s{\"n\":%d,\"reps\":%d,\"best_gflops\":%.6g,\"median_gflops\":%.6g}",
                       s ? "," : "", mm[s].n, mm[s].t.reps, flops / mm[s].t.best * 1e-9,
                       flops / mm[s].t.median * 1e-9);
            }
            printf("]");
        }
        if (o.only_mlp) {
            printf(",");
            json_train("mlp", &mlp);
        }
        if (o.only_cnn) {
            printf(",");
            json_train("cnn", &cnn);
        }
        for (int i = 0; o.only_opt && i < 3; i++) {
            printf(",");
            json_train(opt_names[i], &opt[i]);
        }
        if (o.only_play) {
            printf(",\"playground\":{\"spec\":\"%s\",\"points\":%d,\"batch\":%d,\"grid\":%d,"
                   "\"warmup_loss\":%.9g,",
                   PLAY_SPEC, PLAY_POINTS, PLAY_POINTS, PLAY_RES, play.warmup_loss);
            json_timing("train_ms", play.train, 1e3);
            printf(",");
            json_timing("grid_ms", play.grid, 1e3);
            printf(",");
            json_timing("total_ms", play.total, 1e3);
            printf("}");
        }
        if (o.only_scalar) {
            printf(",\"scalar\":{\"points\":%d,\"nodes_per_step\":%d,\"warmup_loss\":%.17g,"
                   "\"loss\":%.17g,\"accuracy\":%.6g,",
                   SCALAR_POINTS, sc.nodes, sc.warmup_loss, sc.loss, sc.accuracy);
            json_timing("step_ms", sc.t, 1e3);
            printf("}");
        }
        printf("}\n");
    } else {
        printf("native, one thread (%s)\n", COMPILER);
        if (o.only_matmul)
            for (int s = 0; s < o.nsizes; s++) {
                double flops = 2.0 * mm[s].n * mm[s].n * mm[s].n;
                printf("  matmul %4d^3        %9.2f GFLOP/s  best of %d (median %.2f)\n", mm[s].n,
                       flops / mm[s].t.best * 1e-9, mm[s].t.reps, flops / mm[s].t.median * 1e-9);
            }
        if (o.only_mlp)
            printf("  MLP  784-128-10     %9.0f examples/s  (%lld steps of %d in %.2f s)\n",
                   (double)mlp.examples / mlp.seconds, (long long)mlp.steps, BATCH, mlp.seconds);
        if (o.only_cnn)
            printf("  CNN                 %9.0f examples/s  (%lld steps of %d in %.2f s)\n",
                   (double)cnn.examples / cnn.seconds, (long long)cnn.steps, BATCH, cnn.seconds);
        for (int i = 0; o.only_opt && i < 3; i++)
            printf("  MLP %-8s b%d     %9.0f examples/s  (%lld steps of %d in %.2f s)\n",
                   mg_opt_name(opt[i].set.opt), OPT_BATCH,
                   (double)opt[i].examples / opt[i].seconds, (long long)opt[i].steps, OPT_BATCH,
                   opt[i].seconds);
        if (o.only_play)
            printf("  playground step     %9.3f ms  median of %d: train %.3f + grid %.3f\n",
                   play.total.median * 1e3, play.total.reps, play.train.median * 1e3,
                   play.grid.median * 1e3);
        if (o.only_scalar)
            printf("  scalar moons step   %9.3f ms  median of %d, %d nodes a step\n",
                   sc.t.median * 1e3, sc.t.reps, sc.nodes);
    }
    rc = fflush(stdout) == 0 ? 0 : 1;
done:
    mg_dataset_free(&digits);
    free(times);
    return rc;
}
