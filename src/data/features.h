/* Input features for the playground: the raw coordinates (x1, x2) mapped
 * to the columns a learner ticks (x1, x2, x1^2, x2^2, x1*x2, sin x1,
 * sin x2), in that order. */
#ifndef MG_FEATURES_H
#define MG_FEATURES_H

typedef enum mg_feature {
    MG_FEAT_X1 = 1 << 0,
    MG_FEAT_X2 = 1 << 1,
    MG_FEAT_X1SQ = 1 << 2,
    MG_FEAT_X2SQ = 1 << 3,
    MG_FEAT_X1X2 = 1 << 4,
    MG_FEAT_SINX1 = 1 << 5,
    MG_FEAT_SINX2 = 1 << 6,
    MG_FEAT_ALL = (1 << 7) - 1
} mg_feature;

/* The features of mask that exist for d raw inputs (1 or 2): with d = 1
 * only those of x1. */
unsigned mg_features_usable(unsigned mask, int d);
/* Number of columns mg_features_apply writes. */
int mg_features_count(unsigned mask, int d);
/* out (n, count) from x (n, d), for the usable features of mask. */
void mg_features_apply(float *out, const float *x, int n, int d, unsigned mask);

#endif
