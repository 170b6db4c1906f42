// jemalloc reads its settings from this symbol when the program starts (MALLOC_CONF in the
// environment still overrides them).
//
// Why jemalloc: a connection's long-lived state (its socket registration, its Connection, the
// wait a held connection sits on: about 450 bytes) is allocated between the much larger and
// short-lived state of its session (buffers and coroutine frames, about 4 KiB). With the C
// library's malloc, once sessions end, each page still holds some connection's small objects and
// none can be given back: 10 000 idle clients that arrived in a burst kept about 1.5 KiB each.
// jemalloc keeps objects of one size class together, so the pages freed sessions leave behind
// are whole pages.
//
// background_thread, dirty_decay_ms and muzzy_decay_ms: freed pages go back to the system about
// a quarter of a second after they were last used, returned by jemalloc's own thread rather than
// by a request's (jemalloc's default is to keep them ten seconds). Busy connections reuse the
// same pages, so steady traffic returns nothing and costs nothing.
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables)
const char* malloc_conf = "background_thread:true,dirty_decay_ms:250,muzzy_decay_ms:0";
}
