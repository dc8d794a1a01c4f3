/* kstack's run-time side: measured stack high-water marks and a stack-limit
 * guard, for user-space programs on glibc (x86_64, aarch64).
 *
 * Measuring (docs/runtime.md): before a thread's entry function runs, the
 * stack below it is painted with a pattern; when the entry returns (or the
 * thread or process ends), the deepest byte no longer holding the pattern
 * gives the peak. `main` and every thread started with pthread_create are
 * measured without any change to the program: link libkstack-runtime.a into
 * it (`-Wl,--whole-archive`) or run it with LD_PRELOAD=libkstack-runtime.so.
 * One JSON line per measured entry goes to the file $KSTACK_RESULTS
 * (default kstack-results.jsonl), which `kstack verify` reads.
 *
 * Guarding: a program compiled with -fplugin-arg-kstack-guard=BYTES calls
 * __kstack_guard first thing in each function whose stack can go deeper than
 * BYTES; when the thread's stack is deeper than that, it prints the call
 * path and aborts. */
#ifndef KSTACK_RUNTIME_H
#define KSTACK_RUNTIME_H

#ifdef __cplusplus
extern "C" {
#endif

/* Runs ENTRY(ARG) on the calling thread, measured as an entry of its own:
 * for tasks not started by pthread_create (an RTOS-style scheduler, a test
 * harness) or for a program that cannot be interposed. An enclosing
 * measurement of the same thread keeps what it had measured before. */
void* kstack_run(void* (*entry)(void*), void* arg);

/* Called by code compiled with -fplugin-arg-kstack-guard=LIMIT, on entry to
 * FUNCTION (its symbol): aborts with the call path when the calling thread's
 * stack, counted from the entry the runtime started, is deeper than LIMIT
 * bytes. Does nothing on a thread the runtime did not start. */
void __kstack_guard(const char* function, unsigned long limit);

#ifdef __cplusplus
}
#endif

#endif /* KSTACK_RUNTIME_H */
