/* Fuzzes the IDX parser and MNIST from a pair of IDX files
 * (src/data/idx.c), through the WASM API (mg_api_data_load_idx, what the
 * MNIST page calls).
 *
 * Input: bytes 0-1 (little-endian) say how many of the remaining bytes
 * are the images file (at most all of them), the rest is the labels file;
 * byte 2 is the train count (255: all samples). The whole remainder is also
 * parsed alone as one IDX file.
 *
 * Promises checked: an error has a message that starts with "IDX: ",
 * "images: ", "labels: " or names the count, and leaves an empty dataset;
 * a parsed file's dims multiply to its count and the data lies inside the
 * bytes; a dataset has n = train + test samples of rows*cols pixels in
 * [0, 1] with labels 0..9. */
#include <string.h>

#include "api/api.h"
#include "data/data.h"
#include "fuzz.h"

static int starts(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

static void check_idx(const uint8_t *bytes, size_t len)
{
    mg_idx idx;
    mg_buf err = {0};
    mg_status st = mg_idx_parse(bytes, len, &idx, &err);
    if (st) {
        FUZZ_CHECK(starts(mg_buf_str(&err), "IDX: "), "message '%s'", mg_buf_str(&err));
        FUZZ_CHECK(idx.count == 0 && idx.data == NULL && idx.ndim == 0, "out not zeroed");
    } else {
        FUZZ_CHECK(idx.ndim >= 1 && idx.ndim <= MG_IDX_MAX_DIMS, "ndim %d", idx.ndim);
        size_t count = 1;
        for (int i = 0; i < idx.ndim; i++)
            count *= idx.dims[i];
        FUZZ_CHECK(count == idx.count, "dims multiply to %zu, count %zu", count, idx.count);
        FUZZ_CHECK(idx.data == bytes + 4 + 4 * idx.ndim && idx.data + idx.count == bytes + len,
                   "data outside the bytes");
        FUZZ_CHECK(!*mg_buf_str(&err), "success with a message");
    }
    mg_buf_free(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    size_t split = (size_t)data[0] | (size_t)data[1] << 8;
    int train = data[2];
    data += 3;
    size -= 3;
    if (split > size)
        split = size;
    check_idx(data, size);

    /* copies, so that ASan sees a read past either file */
    uint8_t *images = malloc(split ? split : 1), *labels = malloc(size - split ? size - split : 1);
    FUZZ_CHECK(images && labels, "out of memory");
    memcpy(images, data, split);
    memcpy(labels, data + split, size - split);
    int h = mg_api_data_create();
    FUZZ_CHECK(h > 0, "no handle");
    int st;
    if (train == 255) { /* all samples train: first learn n */
        mg_dataset ds;
        mg_buf err = {0};
        train = mg_mnist_from_idx(images, split, labels, size - split, &ds, &err) ? 1 : ds.n;
        mg_dataset_free(&ds);
        mg_buf_free(&err);
    }
    st = mg_api_data_load_idx(h, images, (int)split, labels, (int)(size - split), train);
    const char *msg = mg_api_data_error(h);
    if (st) {
        FUZZ_CHECK(*msg && (starts(msg, "images: ") || starts(msg, "labels: ") ||
                            starts(msg, "count mismatch: ") || starts(msg, "train count ")),
                   "status %d, message '%s'", st, msg);
        FUZZ_CHECK(mg_api_data_n(h, 0) == 0 && mg_api_data_n(h, 1) == 0, "a partial dataset");
    } else {
        FUZZ_CHECK(!*msg, "success with '%s'", msg);
        int n0 = mg_api_data_n(h, 0), n1 = mg_api_data_n(h, 1), d = mg_api_data_d(h);
        FUZZ_CHECK(n0 == train && n1 >= 0 && d >= 1 && mg_api_data_nclasses(h) == 10,
                   "n %d + %d (train %d), d %d", n0, n1, train, d);
        FUZZ_CHECK((size_t)(n0 + n1) * (size_t)d + 16 == split, "%d x %d pixels in %zu bytes",
                   n0 + n1, d, split);
        for (int w = 0; w < 2; w++) {
            int n = w ? n1 : n0;
            const float *x = mg_api_data_x(h, w);
            const int32_t *y = mg_api_data_y(h, w);
            for (size_t i = 0; i < (size_t)n * (size_t)d; i++)
                FUZZ_CHECK(x[i] >= 0 && x[i] <= 1, "pixel %zu = %g", i, (double)x[i]);
            for (int i = 0; i < n; i++)
                FUZZ_CHECK(y[i] >= 0 && y[i] <= 9, "label %d = %d", i, (int)y[i]);
        }
    }
    mg_api_data_free(h);
    free(images);
    free(labels);
    return 0;
}
