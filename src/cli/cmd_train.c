/* mg train: train a model on a toy dataset or MNIST and report progress.
 * Host code: it reads files (and .gz through the system's gzip), which the
 * library itself never does. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../data/data.h"
#include "../nn/model.h"
#include "../nn/trainer.h"
#include "cli.h"

static const char train_usage[] =
    "usage: mg train --data NAME --model SPEC [options]\n"
    "\n"
    "data:  --data NAME (below, or mnist)\n"
    "       --n N (points, 200)  --noise X  --classes K  --train-ratio R (0.8)\n"
    "       --standardize  (toy data: scale features to mean 0, std 1)\n"
    "       --mnist-dir DIR (train-images-idx3-ubyte[.gz] ... t10k-labels-idx1-ubyte[.gz];\n"
    "                        default: the packed 10k digits, 8,000 train / 2,000 test)\n"
    "model: --model SPEC, e.g. 'dense 16 relu, dense 16 relu, dense 1'\n"
    "       --init NAME (auto)  --load FILE (continue training a saved model)  --save FILE\n"
    "run:   --batch N (32)  --epochs N (10)  --steps N (stop early)  --seed N (1)\n"
    "output: --json (one JSON line at the end)  --quiet\n";

/* The usage, with the training settings and the initializers from their
 * tables. */
static void print_usage(FILE *f)
{
    fputs(train_usage, f);
    fputs("train (the settings table; --weight-decay sets weight_decay):\n", f);
    for (int i = 0; i < mg_setting_count(); i++) {
        const mg_setting *st = mg_setting_at(i);
        char flag[40];
        snprintf(flag, sizeof flag, "--%s", st->name);
        for (char *c = flag + 2; *c; c++)
            *c = *c == '_' ? '-' : *c;
        if (st->type == MG_SETTING_NAME) {
            fprintf(f, "       %s", flag);
            for (int k = 0; k < st->count; k++)
                fprintf(f, "%c%s", k ? '|' : ' ', st->name_of(k));
            fprintf(f, " (%s)\n         %s\n", st->name_of((int)st->def), st->summary);
        } else {
            fprintf(f, "       %-15s %s (%g)\n", flag, st->summary, st->def);
        }
    }
    fputs("datasets (--data):", f);
    for (int k = 0; k < mg_data_count(); k++)
        fprintf(f, " %s", mg_data_info_at(k)->name);
    fputs(" mnist\ninitializers (--init):", f);
    for (int k = 0; k < MG_INIT_COUNT; k++)
        fprintf(f, " %s", mg_init_name((mg_init)k));
    fputs("\n", f);
}

typedef struct train_args {
    const char *data, *spec, *mnist_dir, *save, *load;
    int n, classes, batch, epochs, json, quiet, standardize;
    int cfg_given; /* a training option was given */
    long long steps;
    double noise, train_ratio;
    uint64_t seed;
    mg_init init;
    mg_train_config cfg;
} train_args;

static int parse_double(const char *flag, const char *value, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    if (end == value || *end || errno || !(v >= lo && v <= hi)) {
        fprintf(stderr, "mg train: %s: '%s' is not a number from %g to %g\n", flag, value, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_int(const char *flag, const char *value, long long lo, long long hi,
                     long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (end == value || *end || errno || v < lo || v > hi) {
        fprintf(stderr, "mg train: %s: '%s' is not a whole number from %lld to %lld\n", flag,
                value, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, train_args *a)
{
    memset(a, 0, sizeof *a);
    mg_train_defaults(&a->cfg);
    a->n = 200;
    a->noise = -1;
    a->train_ratio = 0.8;
    a->batch = 32;
    a->epochs = 10;
    a->seed = 1;
    for (int i = 0; i < argc; i++) {
        const char *f = argv[i];
        if (strcmp(f, "--json") == 0) {
            a->json = 1;
            continue;
        }
        if (strcmp(f, "--quiet") == 0) {
            a->quiet = 1;
            continue;
        }
        if (strcmp(f, "--standardize") == 0) {
            a->standardize = 1;
            continue;
        }
        if (strcmp(f, "-h") == 0 || strcmp(f, "--help") == 0) {
            print_usage(stdout);
            exit(0);
        }
        if (strncmp(f, "--", 2) != 0) {
            fprintf(stderr, "mg train: unexpected argument '%s'\n", f);
            print_usage(stderr);
            return -1;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "mg train: %s needs a value\n", f);
            return -1;
        }
        const char *v = argv[++i];
        long long n;
        int bad = 0;
        if (strcmp(f, "--data") == 0) a->data = v;
        else if (strcmp(f, "--model") == 0) a->spec = v;
        else if (strcmp(f, "--mnist-dir") == 0) a->mnist_dir = v;
        else if (strcmp(f, "--save") == 0) a->save = v;
        else if (strcmp(f, "--load") == 0) a->load = v;
        else if (strcmp(f, "--n") == 0) { bad = parse_int(f, v, 1, MG_DATA_MAX_POINTS, &n); a->n = (int)n; }
        else if (strcmp(f, "--classes") == 0) { bad = parse_int(f, v, 2, MG_MODEL_MAX_CLASSES, &n); a->classes = (int)n; }
        else if (strcmp(f, "--batch") == 0) { bad = parse_int(f, v, 1, MG_MODEL_MAX_BATCH, &n); a->batch = (int)n; }
        else if (strcmp(f, "--epochs") == 0) { bad = parse_int(f, v, 1, 100000, &n); a->epochs = (int)n; }
        else if (strcmp(f, "--steps") == 0) { bad = parse_int(f, v, 1, 1000000000, &n); a->steps = n; }
        else if (strcmp(f, "--seed") == 0) { bad = parse_int(f, v, 0, 2147483647, &n); a->seed = (uint64_t)n; }
        else if (strcmp(f, "--noise") == 0) bad = parse_double(f, v, 0, MG_DATA_MAX_NOISE, &a->noise);
        else if (strcmp(f, "--train-ratio") == 0) bad = parse_double(f, v, 0.01, 1, &a->train_ratio);
        else if (strcmp(f, "--init") == 0) {
            int k = 0;
            while (k < MG_INIT_COUNT && strcmp(v, mg_init_name((mg_init)k)) != 0)
                k++;
            if (k == MG_INIT_COUNT) {
                fprintf(stderr, "mg train: --init: unknown value '%s' (one of:", v);
                for (k = 0; k < MG_INIT_COUNT; k++)
                    fprintf(stderr, " %s", mg_init_name((mg_init)k));
                fprintf(stderr, ")\n");
                return -1;
            }
            a->init = (mg_init)k;
        } else {
            /* a training setting: --weight-decay is the setting weight_decay */
            char name[40];
            size_t len = strlen(f + 2);
            snprintf(name, sizeof name, "%s", f + 2);
            for (char *c = name; *c; c++)
                *c = *c == '-' ? '_' : *c;
            if (len >= sizeof name || !mg_setting_find(name, (int)len)) {
                fprintf(stderr, "mg train: unknown option '%s'\n", f);
                print_usage(stderr);
                return -1;
            }
            mg_buf err = {0};
            if (mg_train_config_set(&a->cfg, name, (int)len, v, &err)) {
                fprintf(stderr, "mg train: %s: %s\n", f, mg_buf_str(&err));
                bad = 1;
            }
            mg_buf_free(&err);
            a->cfg_given = 1;
        }
        if (bad)
            return -1;
    }
    if (!a->data) {
        fprintf(stderr, "mg train: missing --data\n");
        print_usage(stderr);
        return -1;
    }
    if (!a->spec && !a->load) {
        fprintf(stderr, "mg train: missing --model SPEC (or --load FILE)\n");
        print_usage(stderr);
        return -1;
    }
    return 0;
}

/* ---- files ------------------------------------------------------------- */

static int file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* dir/name or dir/name.gz, whichever exists, into out. */
static int find_idx(const char *dir, const char *const *names, char *out, size_t size)
{
    for (int i = 0; names[i]; i++) {
        snprintf(out, size, "%s/%s", dir, names[i]);
        if (file_exists(out))
            return 0;
        snprintf(out, size, "%s/%s.gz", dir, names[i]);
        if (file_exists(out))
            return 0;
    }
    return -1;
}

/* MNIST: the standard four files from dir, or the packed 10k digits split
 * 8,000 / 2,000. */
static int load_mnist(const char *dir, mg_dataset *train, mg_dataset *test)
{
    char ti[4200], tl[4200], vi[4200], vl[4200];
    if (dir) {
        static const char *const train_images[] = {"train-images-idx3-ubyte", "train-images.idx3-ubyte", NULL};
        static const char *const train_labels[] = {"train-labels-idx1-ubyte", "train-labels.idx1-ubyte", NULL};
        static const char *const test_images[] = {"t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte", NULL};
        static const char *const test_labels[] = {"t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte", NULL};
        if (find_idx(dir, train_images, ti, sizeof ti) || find_idx(dir, train_labels, tl, sizeof tl) ||
            find_idx(dir, test_images, vi, sizeof vi) || find_idx(dir, test_labels, vl, sizeof vl)) {
            fprintf(stderr,
                    "mg train: --mnist-dir %s: expected train-images-idx3-ubyte, "
                    "train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte "
                    "(each may end in .gz)\n",
                    dir);
            return -1;
        }
        return mg_cli_load_mnist("mg train", ti, tl, train) || mg_cli_load_mnist("mg train", vi, vl, test) ? -1 : 0;
    }
    const char *packed = getenv("MG_DATA_DIR") ? getenv("MG_DATA_DIR") : "web/build/data";
    snprintf(ti, sizeof ti, "%s/mnist-10k-images.idx", packed);
    snprintf(tl, sizeof tl, "%s/mnist-10k-labels.idx", packed);
    if (!file_exists(ti) || !file_exists(tl)) {
        fprintf(stderr,
                "mg train: the packed MNIST digits are not at %s (run ./build.sh wasm, set "
                "MG_DATA_DIR, or give --mnist-dir)\n",
                packed);
        return -1;
    }
    mg_dataset all = {0};
    if (mg_cli_load_mnist("mg train", ti, tl, &all))
        return -1;
    /* the fixed split: the first 8,000 digits train, the last 2,000 test */
    int ntrain = all.n * 4 / 5;
    mg_buf err = {0};
    int rc = mg_dataset_alloc(train, ntrain, all.d, all.nclasses, &err) ||
             mg_dataset_alloc(test, all.n - ntrain, all.d, all.nclasses, &err);
    if (!rc) {
        size_t d = (size_t)all.d;
        memcpy(train->x, all.x, (size_t)ntrain * d * sizeof *all.x);
        memcpy(train->y, all.y, (size_t)ntrain * sizeof *all.y);
        memcpy(test->x, all.x + (size_t)ntrain * d, (size_t)(all.n - ntrain) * d * sizeof *all.x);
        memcpy(test->y, all.y + ntrain, (size_t)(all.n - ntrain) * sizeof *all.y);
    } else {
        fprintf(stderr, "mg train: %s\n", mg_buf_str(&err));
    }
    mg_buf_free(&err);
    mg_dataset_free(&all);
    return rc ? -1 : 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- the command ---------------------------------------------------------- */

static void print_metrics(const char *what, const mg_metrics *m)
{
    if (m->accuracy >= 0)
        printf("  %s acc %6.2f%%", what, 100 * m->accuracy);
    else
        printf("  %s rmse %.4g r2 %.4f", what, m->rmse, m->r2);
}

int mg_cmd_train(int argc, char **argv)
{
    train_args a;
    if (parse_args(argc, argv, &a))
        return 2;
    mg_dataset train = {0}, test = {0};
    mg_model *m = NULL;
    mg_buf err = {0};
    mg_trainer trainer = {0};
    int rc = 1;
    int shape[3];
    if (strcmp(a.data, "mnist") == 0) {
        if (load_mnist(a.mnist_dir, &train, &test))
            goto done;
        shape[0] = 1;
        shape[1] = shape[2] = 28;
        if (train.d != 28 * 28) {
            shape[1] = 1;
            shape[2] = train.d;
        }
    } else {
        const mg_data_info *info = mg_data_find(a.data);
        mg_rng rng;
        mg_rng_seed(&rng, a.seed, 1);
        mg_dataset all = {0};
        if (!info || mg_data_generate(&all, a.data, a.n, a.noise >= 0 ? a.noise : info->noise,
                                      a.classes, &rng, &err) != MG_OK) {
            if (!info)
                mg_data_generate(&all, a.data, a.n, 0, 0, &rng, &err); /* for its message */
            fprintf(stderr, "mg train: --data: %s\n", mg_buf_str(&err));
            goto done;
        }
        mg_status st = mg_data_split(&all, a.train_ratio, &rng, &train, &test, &err);
        mg_dataset_free(&all);
        if (st) {
            fprintf(stderr, "mg train: %s\n", mg_buf_str(&err));
            goto done;
        }
        if (a.standardize) {
            float mean[8], sd[8];
            mg_data_standardize_fit(&train, mean, sd);
            mg_data_standardize_apply(&train, mean, sd);
            mg_data_standardize_apply(&test, mean, sd);
        }
        shape[0] = train.d;
        shape[1] = shape[2] = 1;
    }
    if (a.load) {
        uint8_t *bytes;
        size_t len;
        if (mg_cli_read_file("mg train", a.load, &bytes, &len))
            goto done;
        m = mg_model_load(bytes, len, a.batch, &err);
        free(bytes);
        if (!m) {
            fprintf(stderr, "mg train: --load %s: %s\n", a.load, mg_buf_str(&err));
            goto done;
        }
        if (a.spec && strcmp(a.spec, mg_model_spec(m)) != 0) {
            fprintf(stderr, "mg train: --load %s holds a model '%s', but --model says '%s'\n",
                    a.load, mg_model_spec(m), a.spec);
            goto done;
        }
        if (mg_model_in_size(m) != train.d) {
            fprintf(stderr, "mg train: --load %s: the model takes %d inputs, the data has %d\n",
                    a.load, mg_model_in_size(m), train.d);
            goto done;
        }
    } else {
        m = mg_model_create(a.spec, shape, a.batch, a.init, a.seed, &err);
        if (!m) {
            fprintf(stderr, "mg train: --model: %s\n", mg_buf_str(&err));
            goto done;
        }
    }
    /* a loaded model keeps its optimizer state unless training options are given */
    if (!a.load || a.cfg_given || mg_model_loss(m) == MG_LOSS_AUTO) {
        if (mg_model_configure(m, &a.cfg, train.nclasses) != MG_OK) {
            fprintf(stderr, "mg train: %s\n", mg_model_error(m));
            goto done;
        }
    }
    if (mg_trainer_init(&trainer, train.n, a.seed, &err) != MG_OK) {
        fprintf(stderr, "mg train: %s\n", mg_buf_str(&err));
        goto done;
    }
    if (!a.quiet)
        printf("%s: %d train / %d test samples; model '%s' (%zu parameters); loss %s, %s, lr %g\n",
               a.data, train.n, test.n, mg_model_spec(m), mg_model_nparams(m),
               mg_loss_name(mg_model_loss(m)), mg_opt_name(mg_model_config(m)->opt),
               (double)mg_model_config(m)->lr);
    double train_seconds = 0;
    long long samples = 0, steps = 0;
    mg_metrics tr = {0}, te = {0};
    int epoch;
    int per_epoch = mg_trainer_batches(&trainer, a.batch);
    for (epoch = 1; epoch <= a.epochs && (!a.steps || steps < a.steps); epoch++) {
        double t0 = now_seconds();
        long long nsteps = per_epoch;
        if (a.steps && a.steps - steps < nsteps)
            nsteps = a.steps - steps; /* --steps ends inside this epoch */
        mg_status st = mg_trainer_run(&trainer, m, train.x, train.y, train.t, a.batch, nsteps);
        train_seconds += now_seconds() - t0;
        samples += nsteps == per_epoch ? train.n : nsteps * a.batch;
        steps += nsteps;
        if (st) {
            fprintf(stderr, "mg train: epoch %d: %s\n", epoch, mg_model_error(m));
            goto done;
        }
        if (mg_model_evaluate(m, train.x, train.y, train.t, train.n, &tr) ||
            (test.n && mg_model_evaluate(m, test.x, test.y, test.t, test.n, &te))) {
            fprintf(stderr, "mg train: evaluation: %s\n", mg_model_error(m));
            goto done;
        }
        if (!a.quiet) {
            printf("epoch %3d  loss %.5f", epoch,
                   (double)(nsteps == per_epoch ? trainer.epoch_loss : trainer.last_loss));
            print_metrics("train", &tr);
            if (test.n)
                print_metrics("test", &te);
            printf("  (%.2f s)\n", now_seconds() - t0);
            fflush(stdout);
        }
    }
    if (a.save) {
        mg_buf out = {0};
        FILE *f = NULL;
        int ok = mg_model_save(m, &out) == MG_OK && (f = fopen(a.save, "wb")) &&
                 fwrite(out.data, 1, out.len, f) == out.len;
        if (f && fclose(f) != 0)
            ok = 0;
        mg_buf_free(&out);
        if (!ok) {
            fprintf(stderr, "mg train: --save %s: cannot write the file\n", a.save);
            goto done;
        }
    }
    if (a.json) {
        printf("{\"data\":\"%s\",\"epochs\":%d,\"steps\":%lld,\"final_loss\":%.9g,"
               "\"last_loss\":%.9g,",
               a.data, epoch - 1, steps, (double)(trainer.epoch ? trainer.epoch_loss : trainer.last_loss),
               (double)trainer.last_loss);
        if (tr.accuracy >= 0)
            printf("\"train_acc\":%.6f,\"test_acc\":", tr.accuracy), test.n ? printf("%.6f,", te.accuracy) : printf("null,");
        else
            test.n ? printf("\"train_rmse\":%.6g,\"test_rmse\":%.6g,\"train_r2\":%.6f,\"test_r2\":%.6f,",
                            tr.rmse, te.rmse, tr.r2, te.r2)
                   : printf("\"train_rmse\":%.6g,\"test_rmse\":null,\"train_r2\":%.6f,\"test_r2\":null,",
                            tr.rmse, tr.r2);
        printf("\"seconds\":%.4f,\"samples_per_sec\":%.1f}\n", train_seconds,
               train_seconds > 0 ? (double)samples / train_seconds : 0.0);
    }
    rc = 0;
done:
    mg_trainer_free(&trainer);
    mg_model_free(m);
    mg_dataset_free(&train);
    mg_dataset_free(&test);
    mg_buf_free(&err);
    return rc;
}
