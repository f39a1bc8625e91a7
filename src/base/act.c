#include "act.h"

#include <string.h>

static const mg_act_info acts[MG_ACT_COUNT] = {
    [MG_ACT_LINEAR] = {"linear", "z", NULL, 0, 0},
    [MG_ACT_RELU] = {"relu", "max(0, z)", NULL, 0, 1},
    [MG_ACT_LEAKY_RELU] = {"leaky_relu", "z if z > 0, else slope * z", "slope", MG_LEAKY_SLOPE, 1},
    [MG_ACT_TANH] = {"tanh", "(e^z - e^-z) / (e^z + e^-z)", NULL, 0, 0},
    [MG_ACT_SIGMOID] = {"sigmoid", "1 / (1 + e^-z)", NULL, 0, 0},
    [MG_ACT_GELU] = {"gelu", "z/2 * (1 + tanh(sqrt(2/pi) * (z + 0.044715 z^3)))", NULL, 0, 1},
    [MG_ACT_ELU] = {"elu", "z if z > 0, else alpha * (e^z - 1)", "alpha", MG_ELU_ALPHA, 1},
};

const mg_act_info *mg_act_info_of(mg_act act) { return (unsigned)act < MG_ACT_COUNT ? &acts[act] : NULL; }

const char *mg_act_name(mg_act act) { return (unsigned)act < MG_ACT_COUNT ? acts[act].name : "?"; }

mg_act mg_act_parse(const char *s, int n)
{
    for (int a = 0; a < MG_ACT_COUNT; a++)
        if ((int)strlen(acts[a].name) == n && memcmp(acts[a].name, s, (size_t)n) == 0)
            return (mg_act)a;
    return MG_ACT_COUNT;
}
