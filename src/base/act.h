/* Activation functions by name, shared by the scalar MLP and the tensor
 * networks (the scalar engine has no leaky relu). */
#ifndef MG_ACT_H
#define MG_ACT_H

typedef enum mg_act {
    MG_ACT_LINEAR,
    MG_ACT_RELU,
    MG_ACT_LEAKY_RELU,
    MG_ACT_TANH,
    MG_ACT_SIGMOID,
    MG_ACT_COUNT
} mg_act;

/* Slope of leaky relu for negative inputs. */
#define MG_LEAKY_SLOPE 0.01f

/* "linear", "relu", "leaky_relu", "tanh", "sigmoid". */
const char *mg_act_name(mg_act act);
/* The activation named by the n bytes at s, or MG_ACT_COUNT if none. */
mg_act mg_act_parse(const char *s, int n);

#endif
