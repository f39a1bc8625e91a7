/* Tolerances of the finite-difference checks of test_ops.c: for each check,
 * 4 times the largest |analytic - numeric| measured on it, rounded up to one
 * digit (MG_TEST_MEASURE=1 ./build/native/test_ops prints these lines). */
    {"matmul dinp", 2e-05}, /* measured 3.81e-06 */
    {"matmul dweight", 2e-05}, /* measured 3.52e-06 */
    {"matmul dbias", 4e-06}, /* measured 8.69e-07 */
    {"matmul without bias dinp", 3e-05}, /* measured 6.07e-06 */
    {"matmul without bias dweight", 3e-05}, /* measured 6.80e-06 */
    {"bias dinp", 3e-06}, /* measured 7.45e-07 */
    {"bias dbias", 4e-07}, /* measured 8.94e-08 */
    {"add da", 4e-06}, /* measured 8.63e-07 */
    {"add db", 5e-06}, /* measured 1.00e-06 */
    {"mul da", 2e-05}, /* measured 2.83e-06 */
    {"mul db", 3e-05}, /* measured 7.44e-06 */
    {"relu dinp", 0e+00}, /* measured 0.00e+00 */
    {"leaky_relu dinp", 2e-06}, /* measured 2.92e-07 */
    {"tanh dinp", 7e-05}, /* measured 1.56e-05 */
    {"sigmoid dinp", 9e-06}, /* measured 2.17e-06 */
    {"gelu dinp", 5e-05}, /* measured 1.19e-05 */
    {"elu dinp", 4e-05}, /* measured 7.73e-06 */
    {"softmax dinp", 6e-06}, /* measured 1.43e-06 */
    {"conv2d 2x2x5x6 K3 s1 p0 dinp", 9e-05}, /* measured 2.08e-05 */
    {"conv2d 2x2x5x6 K3 s1 p0 dweight", 2e-04}, /* measured 2.75e-05 */
    {"conv2d 2x2x5x6 K3 s1 p0 dbias", 3e-05}, /* measured 5.33e-06 */
    {"conv2d 2x2x5x6 K3 s2 p1 dinp", 7e-05}, /* measured 1.58e-05 */
    {"conv2d 2x2x5x6 K3 s2 p1 dweight", 2e-04}, /* measured 2.79e-05 */
    {"conv2d 2x2x5x6 K3 s2 p1 dbias", 2e-05}, /* measured 4.23e-06 */
    {"conv2d 1x3x7x5 K3 s1 p1 dinp", 2e-04}, /* measured 4.14e-05 */
    {"conv2d 1x3x7x5 K3 s1 p1 dweight", 3e-04}, /* measured 5.07e-05 */
    {"conv2d 1x3x7x5 K3 s1 p1 dbias", 6e-05}, /* measured 1.31e-05 */
    {"conv2d 2x2x6x5 K2 s2 p0 dinp", 4e-05}, /* measured 7.80e-06 */
    {"conv2d 2x2x6x5 K2 s2 p0 dweight", 3e-05}, /* measured 6.44e-06 */
    {"conv2d 2x2x6x5 K2 s2 p0 dbias", 2e-05}, /* measured 2.53e-06 */
    {"conv2d 1x2x4x7 K3 s2 p0 dinp", 9e-05}, /* measured 2.14e-05 */
    {"conv2d 1x2x4x7 K3 s2 p0 dweight", 7e-05}, /* measured 1.69e-05 */
    {"conv2d 1x2x4x7 K3 s2 p0 dbias", 2e-05}, /* measured 2.62e-06 */
    {"conv2d 1x1x7x6 K2 s3 p1 dinp", 4e-05}, /* measured 7.92e-06 */
    {"conv2d 1x1x7x6 K2 s3 p1 dweight", 4e-05}, /* measured 9.21e-06 */
    {"conv2d 1x1x7x6 K2 s3 p1 dbias", 2e-05}, /* measured 3.18e-06 */
    {"conv2d 2x3x4x4 K1 s1 p0 dinp", 2e-05}, /* measured 4.27e-06 */
    {"conv2d 2x3x4x4 K1 s1 p0 dweight", 3e-05}, /* measured 5.23e-06 */
    {"conv2d 2x3x4x4 K1 s1 p0 dbias", 2e-05}, /* measured 3.07e-06 */
    {"maxpool 2x2x5x7 K2 dinp", 3e-13}, /* measured 5.55e-14 */
    {"avgpool 2x2x5x7 K2 dinp", 8e-06}, /* measured 1.94e-06 */
    {"maxpool 1x3x7x8 K3 dinp", 0e+00}, /* measured 0.00e+00 */
    {"avgpool 1x3x7x8 K3 dinp", 4e-06}, /* measured 8.35e-07 */
    {"maxpool 2x1x4x6 K2 dinp", 0e+00}, /* measured 0.00e+00 */
    {"avgpool 2x1x4x6 K2 dinp", 3e-06}, /* measured 7.31e-07 */
    {"dropout eval dinp", 8e-14}, /* measured 1.77e-14 */
    {"dropout training dinp", 3e-07}, /* measured 5.96e-08 */
    {"batchnorm training N6 C3 S1 dinp", 3e-04}, /* measured 6.54e-05 */
    {"batchnorm training N6 C3 S1 dgamma", 2e-05}, /* measured 2.97e-06 */
    {"batchnorm training N6 C3 S1 dbeta", 2e-05}, /* measured 3.79e-06 */
    {"batchnorm training N3 C2 S4 dinp", 2e-04}, /* measured 3.88e-05 */
    {"batchnorm training N3 C2 S4 dgamma", 3e-05}, /* measured 6.67e-06 */
    {"batchnorm training N3 C2 S4 dbeta", 6e-08}, /* measured 1.49e-08 */
    {"batchnorm eval N2 C3 S1 dinp", 4e-06}, /* measured 7.93e-07 */
    {"batchnorm eval N2 C3 S1 dgamma", 7e-06}, /* measured 1.67e-06 */
    {"batchnorm eval N2 C3 S1 dbeta", 3e-06}, /* measured 5.76e-07 */
    {"batchnorm eval N3 C2 S4 dinp", 2e-05}, /* measured 4.04e-06 */
    {"batchnorm eval N3 C2 S4 dgamma", 5e-06}, /* measured 1.02e-06 */
    {"batchnorm eval N3 C2 S4 dbeta", 7e-06}, /* measured 1.66e-06 */
    {"mse dpred", 2e-05}, /* measured 4.80e-06 */
    {"bce_logits dlogits", 2e-06}, /* measured 4.06e-07 */
    {"softmax_ce dlogits", 2e-05}, /* measured 3.08e-06 */
    {"svm dscores", 4e-06}, /* measured 8.36e-07 */
    {"l1 dw", 3e-05}, /* measured 7.15e-06 */
    {"l2 dw", 3e-05}, /* measured 5.25e-06 */
