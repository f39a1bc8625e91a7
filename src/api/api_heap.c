/* How much of the heap malloc has handed out, for the tests that check a
 * long session does not grow (tests/js/memory.test.mjs). */
#include "api.h"

#include <malloc.h>

int mg_api_heap_used(void)
{
#if defined(__EMSCRIPTEN__)
    return (int)mallinfo().uordblks;
#elif defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
    return (int)mallinfo2().uordblks;
#else
    return -1;
#endif
}
