/* Learning targets on the toy datasets: tests that fail on a broken engine
 * even when every gradient check passes (a wrong update, a wrong shuffle,
 * a loss that does not fit its output). */
#include "check.h"
#include "learn.h"

static void toy(const char *name, int n, double noise, int k, mg_dataset *train, mg_dataset *test,
                double ratio)
{
    mg_rng rng;
    mg_rng_seed(&rng, 42, 1);
    mg_dataset all = {0};
    mg_buf err = {0};
    if (mg_data_generate(&all, name, n, noise, k, &rng, &err) ||
        mg_data_split(&all, ratio, &rng, train, test, &err))
        fprintf(stderr, "  %s: %s\n", name, mg_buf_str(&err));
    mg_dataset_free(&all);
    mg_buf_free(&err);
}

int main(void)
{
    mg_dataset train = {0}, test = {0};
    int epochs, shape[3] = {2, 1, 1};

    /* micrograd's demo: moons, 100 points, noise 0.1, MLP 2-16-16-1 reaches
     * 100% training accuracy; once with its SVM loss + L2, once with BCE */
    toy("moons", 100, 0.1, 0, &train, &test, 1.0);
    learn_setup svm = {"dense 16 relu, dense 16 relu, dense 1", MG_LOSS_SVM, MG_OPT_SGD, 0.3f, 1e-4f, 100, 1000};
    mg_metrics r = learn(&svm, &train, &train, shape, &epochs);
    printf("moons, svm + L2, SGD: train accuracy %.3f\n", r.accuracy);
    CHECK_NEAR(r.accuracy, 1.0, 0);
    learn_setup bce = {"dense 16 relu, dense 16 relu, dense 1", MG_LOSS_BCE, MG_OPT_ADAM, 0.01f, 0, 100, 300};
    r = learn(&bce, &train, &train, shape, &epochs);
    printf("moons, bce, Adam: train accuracy %.3f\n", r.accuracy);
    CHECK_NEAR(r.accuracy, 1.0, 0);
    mg_dataset_free(&train);
    mg_dataset_free(&test);

    /* a two-arm spiral needs a non-linear model: >= 95% on held-out points */
    toy("spiral", 400, 0.1, 2, &train, &test, 0.8);
    learn_setup sp = {"dense 32 tanh, dense 32 tanh, dense 2", MG_LOSS_CE, MG_OPT_ADAM, 0.01f, 0, 32, 150};
    r = learn(&sp, &train, &test, shape, &epochs);
    printf("spiral: test accuracy %.3f\n", r.accuracy);
    CHECK(r.accuracy >= 0.95);
    mg_dataset_free(&train);
    mg_dataset_free(&test);

    /* XOR: a linear model stays near chance, one hidden layer solves it */
    toy("xor", 400, 0.05, 0, &train, &test, 0.8);
    learn_setup lin = {"dense 1", MG_LOSS_BCE, MG_OPT_ADAM, 0.05f, 0, 32, 60};
    r = learn(&lin, &train, &test, shape, &epochs);
    printf("xor, linear: test accuracy %.3f\n", r.accuracy);
    CHECK(r.accuracy >= 0 && r.accuracy <= 0.7);
    learn_setup hid = {"dense 8 tanh, dense 1", MG_LOSS_BCE, MG_OPT_ADAM, 0.05f, 0, 32, 100};
    r = learn(&hid, &train, &test, shape, &epochs);
    printf("xor, one hidden layer: test accuracy %.3f\n", r.accuracy);
    CHECK(r.accuracy >= 0.95);
    mg_dataset_free(&train);
    mg_dataset_free(&test);

    /* three blobs with softmax cross-entropy */
    toy("blobs", 300, 0.1, 3, &train, &test, 0.8);
    learn_setup bl = {"dense 8 relu, dense 3", MG_LOSS_CE, MG_OPT_ADAM, 0.01f, 0, 32, 60};
    r = learn(&bl, &train, &test, shape, &epochs);
    printf("blobs: test accuracy %.3f\n", r.accuracy);
    CHECK(r.accuracy >= 0.95);
    mg_dataset_free(&train);
    mg_dataset_free(&test);

    /* regression: the line (house prices) with plain SGD, and the sine */
    int shape1[3] = {1, 1, 1};
    toy("line", 200, 0.1, 0, &train, &test, 0.8);
    learn_setup ln = {"dense 1", MG_LOSS_MSE, MG_OPT_SGD, 0.1f, 0, 16, 30};
    r = learn(&ln, &train, &test, shape1, &epochs);
    printf("line: test r2 %.4f rmse %.4f\n", r.r2, r.rmse);
    CHECK(r.r2 >= 0.95 && r.rmse < 0.15);
    mg_dataset_free(&train);
    mg_dataset_free(&test);
    toy("sine", 300, 0.05, 0, &train, &test, 0.8);
    learn_setup sn = {"dense 16 tanh, dense 16 tanh, dense 1", MG_LOSS_MSE, MG_OPT_ADAM, 0.01f, 0, 16, 200};
    r = learn(&sn, &train, &test, shape1, &epochs);
    printf("sine: test r2 %.4f\n", r.r2);
    CHECK(r.r2 >= 0.97);
    mg_dataset_free(&train);
    mg_dataset_free(&test);
    return check_done("test_learn");
}
