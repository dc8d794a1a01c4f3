/* As linux 6.1's: without CONFIG_POSIX_TIMERS these syscalls are aliases. */
SYS_NI(timer_create);
COMPAT_SYS_NI(timer_create);
