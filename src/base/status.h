/* Status codes shared by every module of the C core.
 *
 * Fallible calls return an mg_status; the human-readable message (what went
 * wrong and where) lives on the object the call was made on, never in a
 * static. MG_OK is 0 so `if (st) ...` reads as "if it failed". */
#ifndef MG_STATUS_H
#define MG_STATUS_H

typedef enum mg_status {
    MG_OK = 0,
    MG_ERR_SYNTAX,   /* malformed program text: bad token, missing ')', ... */
    MG_ERR_NAME,     /* unknown variable or function name                  */
    MG_ERR_DOMAIN,   /* a value or gradient became inf or nan              */
    MG_ERR_LIMIT,    /* a documented size limit was exceeded               */
    MG_ERR_ARG,      /* invalid argument: bad id, bad handle, NULL, ...    */
    MG_ERR_NOMEM,    /* allocation failed                                  */
    MG_ERR_STATE,    /* call made in the wrong order (e.g. step before begin) */
    MG_STATUS_COUNT
} mg_status;

/* A short constant name for a status ("syntax", "domain", ...). */
const char *mg_status_name(mg_status st);

#endif
