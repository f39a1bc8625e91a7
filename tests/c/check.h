/* A tiny test harness: each check prints what it expected and what it got
 * when it fails, and check_done() makes the executable exit non-zero if
 * any check failed, so ctest sees every wrong value. */
#ifndef MG_CHECK_H
#define MG_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_count, check_failed;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        check_count++;                                                                 \
        if (!(cond)) {                                                                 \
            check_failed++;                                                            \
            fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond);        \
        }                                                                              \
    } while (0)

#define CHECK_INT(got, want)                                                           \
    do {                                                                               \
        long long g_ = (long long)(got), w_ = (long long)(want);                       \
        check_count++;                                                                 \
        if (g_ != w_) {                                                                \
            check_failed++;                                                            \
            fprintf(stderr, "%s:%d: FAILED: %s\n  got  %lld\n  want %lld\n", __FILE__, \
                    __LINE__, #got, g_, w_);                                           \
        }                                                                              \
    } while (0)

/* |got - want| <= tol * max(1, |want|): relative for large values,
 * absolute near zero. */
#define CHECK_NEAR(got, want, tol) check_near_at(__FILE__, __LINE__, #got, (got), (want), (tol))

static inline int check_near_at(const char *file, int line, const char *what, double got,
                                double want, double tol)
{
    check_count++;
    double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;
    if (!(fabs(got - want) <= tol * scale)) {
        check_failed++;
        fprintf(stderr, "%s:%d: FAILED: %s\n  got  %.17g\n  want %.17g (tolerance %g)\n", file,
                line, what, got, want, tol);
        return 0;
    }
    return 1;
}

#define CHECK_STR(got, want)                                                           \
    do {                                                                               \
        const char *g_ = (got), *w_ = (want);                                          \
        check_count++;                                                                 \
        if (strcmp(g_, w_) != 0) {                                                     \
            check_failed++;                                                            \
            fprintf(stderr, "%s:%d: FAILED: %s\n  got  \"%s\"\n  want \"%s\"\n",       \
                    __FILE__, __LINE__, #got, g_, w_);                                 \
        }                                                                              \
    } while (0)

#define CHECK_CONTAINS(got, part)                                                      \
    do {                                                                               \
        const char *g_ = (got), *p_ = (part);                                          \
        check_count++;                                                                 \
        if (!strstr(g_, p_)) {                                                         \
            check_failed++;                                                            \
            fprintf(stderr, "%s:%d: FAILED: %s\n  got  \"%s\"\n  want it to contain \"%s\"\n", \
                    __FILE__, __LINE__, #got, g_, p_);                                 \
        }                                                                              \
    } while (0)

static inline int check_done(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failed);
    return check_failed ? 1 : 0;
}

#endif
