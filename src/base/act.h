/* The activation functions: one table, read by the tensor networks (whose
 * kernels are in tensor/ops.c), the scalar engine (value.c builds each as a
 * graph of its primitives), the expression language (its functions), the
 * spec parser, the CLI and the page (through the API's catalog).
 *
 * Adding one: its enum value and table row here, its forward and backward
 * kernels in tensor/ops.c (dispatched by mg_act_forward/backward), its
 * graph in scalar/value.c (mg_act_apply). The switches over mg_act have no
 * default arm, so the compiler names a place that was forgotten. */
#ifndef MG_ACT_H
#define MG_ACT_H

typedef enum mg_act {
    MG_ACT_LINEAR,
    MG_ACT_RELU,
    MG_ACT_LEAKY_RELU,
    MG_ACT_TANH,
    MG_ACT_SIGMOID,
    MG_ACT_GELU,
    MG_ACT_ELU,
    MG_ACT_COUNT
} mg_act;

/* Slope of leaky relu for negative inputs. */
#define MG_LEAKY_SLOPE 0.01f
/* ELU's alpha: elu(z) = alpha * (e^z - 1) for z < 0. */
#define MG_ELU_ALPHA 1.0f

typedef struct mg_act_info {
    const char *name;    /* "relu", as in specs, URLs and programs */
    const char *formula; /* "max(0, z)": help text and the catalog */
    const char *param;   /* the constant it is defined with, or NULL */
    float param_value;
    int he;              /* initialization 'auto' uses He for it (ReLU-like), else Xavier */
} mg_act_info;

/* The row of act, or NULL outside 0 .. MG_ACT_COUNT - 1. */
const mg_act_info *mg_act_info_of(mg_act act);
/* Its name ("?" outside the table). */
const char *mg_act_name(mg_act act);
/* The activation named by the n bytes at s, or MG_ACT_COUNT if none. */
mg_act mg_act_parse(const char *s, int n);

#endif
