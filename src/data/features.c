#include "features.h"

#include <math.h>
#include <stddef.h>

unsigned mg_features_usable(unsigned mask, int d)
{
    mask &= MG_FEAT_ALL;
    if (d < 2)
        mask &= MG_FEAT_X1 | MG_FEAT_X1SQ | MG_FEAT_SINX1;
    return mask;
}

int mg_features_count(unsigned mask, int d)
{
    int c = 0;
    for (unsigned m = mg_features_usable(mask, d); m; m &= m - 1)
        c++;
    return c;
}

void mg_features_apply(float *out, const float *x, int n, int d, unsigned mask)
{
    mask = mg_features_usable(mask, d);
    for (int i = 0; i < n; i++) {
        float a = x[(size_t)i * (size_t)d], b = d > 1 ? x[(size_t)i * (size_t)d + 1] : 0.0f;
        /* the sines only when asked for (the playground's grid: 10,000
         * points a frame, mostly without them) */
        float all[7] = {a, b, a * a, b * b, a * b, 0.0f, 0.0f};
        if (mask & (1u << 5))
            all[5] = sinf(a);
        if (mask & (1u << 6))
            all[6] = sinf(b);
        for (int f = 0; f < 7; f++)
            if (mask & (1u << f))
                *out++ = all[f];
    }
}
