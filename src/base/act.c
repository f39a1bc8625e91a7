#include "act.h"

#include <string.h>

static const char *const names[MG_ACT_COUNT] = {"linear", "relu", "leaky_relu", "tanh", "sigmoid"};

const char *mg_act_name(mg_act act) { return (unsigned)act < MG_ACT_COUNT ? names[act] : "?"; }

mg_act mg_act_parse(const char *s, int n)
{
    for (int a = 0; a < MG_ACT_COUNT; a++)
        if ((int)strlen(names[a]) == n && memcmp(names[a], s, (size_t)n) == 0)
            return (mg_act)a;
    return MG_ACT_COUNT;
}
