/* The primitive itself, which the scan must not take for an update. */
#define static_call_update(name, func) __static_call_update(&STATIC_CALL_KEY(name), func)
