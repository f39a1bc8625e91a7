#include "status.h"

const char *mg_status_name(mg_status st)
{
    static const char *const names[MG_STATUS_COUNT] = {
        "ok", "syntax", "name", "domain", "limit", "arg", "nomem", "state",
    };
    return (unsigned)st < MG_STATUS_COUNT ? names[st] : "unknown";
}
