/* As linux 6.1's arch/x86/include/asm/preempt.h with PREEMPT_DYNAMIC. */
#define preempt_schedule_dynamic_enabled	preempt_schedule_thunk
