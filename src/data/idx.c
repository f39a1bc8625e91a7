/* The IDX parser and MNIST from a pair of IDX files (see data.h).
 *
 * Layout: bytes 0-1 zero, byte 2 the type, byte 3 ndim, then ndim
 * big-endian uint32 dims, then the values. The parser reads nothing past
 * len and copies nothing: out->data points into the caller's bytes. */
#include "data.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>


/* The IDX element types, for the "unsupported" message. */
static const char *dtype_name(int t)
{
    switch (t) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0b: return "int16";
    case 0x0c: return "int32";
    case 0x0d: return "float32";
    case 0x0e: return "float64";
    default: return "not an IDX type";
    }
}

/* "(a, b, c)" into buf: 4 dims of at most 10 digits fit in 64 bytes. */
static const char *dims_text(char buf[64], const uint32_t *dims, int ndim)
{
    size_t len = 0;
    for (int i = 0; i < ndim; i++)
        len += (size_t)snprintf(buf + len, 64 - len, "%s%lu", i ? ", " : "(",
                                (unsigned long)dims[i]);
    snprintf(buf + len, 64 - len, ")");
    return buf;
}

/* mg_idx_parse with the messages starting with `pre` ("IDX: ", "images: "). */
static mg_status parse(const uint8_t *b, size_t len, mg_idx *out, mg_buf *err, const char *pre)
{
    memset(out, 0, sizeof *out);
    if (!b && len > 0)
        return mg_buf_fail(err, MG_ERR_ARG, "%sthe bytes are NULL but len is %zu", pre, len);
    if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b)
        return mg_buf_fail(err, MG_ERR_SYNTAX,
                    "%sthis file is gzip-compressed: decompress it first (gunzip FILE)", pre);
    if (len < 4)
        return mg_buf_fail(err, MG_ERR_SYNTAX,
                    "%struncated: expected at least 4 header bytes, got %zu", pre, len);
    if (b[0] != 0 || b[1] != 0)
        return mg_buf_fail(err, MG_ERR_SYNTAX,
                    "%sbad magic: bytes 0-1 are 0x%02x 0x%02x, an IDX file starts with 0x00 "
                    "0x00",
                    pre, b[0], b[1]);
    int dtype = b[2];
    if (dtype != MG_IDX_UBYTE)
        return mg_buf_fail(err, MG_ERR_SYNTAX,
                    "%sunsupported dtype 0x%02x (%s) at byte 2: only 0x08 (unsigned byte) is "
                    "supported",
                    pre, dtype, dtype_name(dtype));
    int ndim = b[3];
    if (ndim < 1 || ndim > MG_IDX_MAX_DIMS)
        return mg_buf_fail(err, MG_ERR_SYNTAX, "%sndim = %d at byte 3 is out of range 1..%d", pre, ndim,
                    MG_IDX_MAX_DIMS);
    size_t header = 4 + 4 * (size_t)ndim;
    if (len < header)
        return mg_buf_fail(err, MG_ERR_SYNTAX,
                    "%struncated: expected at least %zu header bytes for %d dims, got %zu", pre,
                    header, ndim, len);
    uint32_t dims[MG_IDX_MAX_DIMS] = {0};
    int has_zero = 0;
    for (int i = 0; i < ndim; i++) {
        const uint8_t *p = b + 4 + 4 * i;
        dims[i] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        has_zero |= dims[i] == 0;
    }
    /* count * 1 byte must fit in size_t together with the header */
    size_t count = has_zero ? 0 : 1;
    size_t limit = SIZE_MAX - header;
    for (int i = 0; i < ndim && count; i++) {
        if (count > limit / dims[i]) {
            char text[64];
            return mg_buf_fail(err, MG_ERR_LIMIT, "%sdims %s: their product overflows", pre,
                        dims_text(text, dims, ndim));
        }
        count *= dims[i];
    }
    size_t want = header + count;
    if (len < want)
        return mg_buf_fail(err, MG_ERR_SYNTAX, "%struncated: expected %zu bytes, got %zu", pre, want,
                    len);
    if (len > want)
        return mg_buf_fail(err, MG_ERR_SYNTAX, "%s%zu trailing bytes: expected %zu bytes, got %zu", pre,
                    len - want, want, len);
    out->dtype = dtype;
    out->ndim = ndim;
    memcpy(out->dims, dims, sizeof dims);
    out->count = count;
    out->data = b + header;
    return MG_OK;
}

mg_status mg_idx_parse(const uint8_t *bytes, size_t len, mg_idx *out, mg_buf *err)
{
    if (err)
        mg_buf_clear(err);
    return parse(bytes, len, out, err, "IDX: ");
}

mg_status mg_mnist_from_idx(const uint8_t *images, size_t images_len, const uint8_t *labels,
                            size_t labels_len, mg_dataset *out, mg_buf *err)
{
    memset(out, 0, sizeof *out);
    if (err)
        mg_buf_clear(err);
    mg_idx im, lb;
    mg_status st = parse(images, images_len, &im, err, "images: ");
    if (st)
        return st;
    st = parse(labels, labels_len, &lb, err, "labels: ");
    if (st)
        return st;
    char text[64];
    if (im.ndim != 3)
        return mg_buf_fail(err, MG_ERR_ARG, "images: expected 3 dims (n, rows, cols), got %d: %s",
                    im.ndim, dims_text(text, im.dims, im.ndim));
    if (lb.ndim != 1)
        return mg_buf_fail(err, MG_ERR_ARG, "labels: expected 1 dim (n), got %d: %s", lb.ndim,
                    dims_text(text, lb.dims, lb.ndim));
    if (im.count == 0)
        return mg_buf_fail(err, MG_ERR_ARG, "images: dims %s contain a 0: no pixels",
                    dims_text(text, im.dims, im.ndim));
    unsigned long long n = im.dims[0], rows = im.dims[1], cols = im.dims[2];
    if (lb.dims[0] != n)
        return mg_buf_fail(err, MG_ERR_ARG, "count mismatch: %llu images but %lu labels", n,
                    (unsigned long)lb.dims[0]);
    if (n * rows * cols > MG_DATA_MAX_VALUES)
        return mg_buf_fail(err, MG_ERR_LIMIT,
                    "images: %llu x %llu x %llu = %llu pixels exceed the limit of %d", n, rows,
                    cols, n * rows * cols, MG_DATA_MAX_VALUES);
    for (size_t i = 0; i < lb.count; i++)
        if (lb.data[i] > 9)
            return mg_buf_fail(err, MG_ERR_ARG, "labels: label %d at index %zu is out of range 0..9",
                        lb.data[i], i);
    int d = (int)(rows * cols);
    st = mg_dataset_alloc(out, (int)n, d, 10, err);
    if (st)
        return st;
    for (size_t i = 0; i < im.count; i++)
        out->x[i] = (float)im.data[i] / 255.0f;
    for (size_t i = 0; i < lb.count; i++)
        out->y[i] = lb.data[i];
    return MG_OK;
}
