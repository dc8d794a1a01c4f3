/* A miniature x86_64 kernel for lit/examples/linux-profile.test: the entry
   functions, handlers and dispatchers kstack-linux-profile looks for, with
   frames the test reads back from the .su file. Calls are followed by a
   volatile store so that none becomes a tail call. */
struct pt_regs { unsigned long r[21]; };
struct work_struct { void (*func)(struct work_struct *); };

volatile unsigned long sink;
#define FRAME(n) volatile char buf[n]; buf[0] = 1; sink = buf[0]
#define KEEP() sink = 0
#define NOINLINE __attribute__((noinline))

long sys_ni_posix_timers(void) { return -38; }
long __x64_sys_timer_create(const struct pt_regs *regs);   /* an alias in posix-stubs.c */
NOINLINE long __x64_sys_read(const struct pt_regs *regs) { FRAME(96); return 0; }
NOINLINE long x64_sys_call(const struct pt_regs *regs, unsigned int nr)
{
	long r = nr ? __x64_sys_read(regs) : __x64_sys_timer_create(regs);
	KEEP();
	return r;
}
void do_syscall_64(struct pt_regs *regs, int nr) { x64_sys_call(regs, nr); KEEP(); }

/* Reached only from user mode: its depth must not count in kernel mode. */
NOINLINE void irqentry_exit_to_user_mode(struct pt_regs *regs) { FRAME(2000); }
NOINLINE void irqentry_exit(struct pt_regs *regs)
{
	if (regs->r[18] & 3)
		irqentry_exit_to_user_mode(regs);
	KEEP();
}
NOINLINE void handle_mm_fault(void) { FRAME(300); }
void exc_page_fault(struct pt_regs *regs, unsigned long error)
{
	FRAME(40);
	handle_mm_fault();
	KEEP();
	irqentry_exit(regs);
	KEEP();
}
void exc_nmi(struct pt_regs *regs) { FRAME(24); }

NOINLINE void __do_softirq(void) { FRAME(200); }
NOINLINE void irq_enter_rcu(void) { KEEP(); }
NOINLINE void irq_exit_rcu(void) { __do_softirq(); KEEP(); }
NOINLINE void __common_interrupt(struct pt_regs *regs, unsigned int vector) { FRAME(100); }
/* As call_on_irqstack_cond(): from user mode the handler runs here, from
   kernel mode the inline asm calls it on the IRQ stack. */
void common_interrupt(struct pt_regs *regs, unsigned long vector)
{
	FRAME(16);
	if (regs->r[18] & 3) {
		irq_enter_rcu();
		__common_interrupt(regs, vector);
		irq_exit_rcu();
	} else {
		asm volatile("call irq_enter_rcu\n\tcall __common_interrupt\n\tcall irq_exit_rcu"
			     ::: "memory");
	}
	KEEP();
	irqentry_exit(regs);
	KEEP();
}

/* Assembly helpers: one the profile describes, one it does not. */
void copy_to_user(void) { asm volatile("call copy_user_generic_string" ::: "memory"); }
void mystery(void) { asm volatile("call mystery_asm" ::: "memory"); }
/* A static call whose targets the source spells out. */
NOINLINE int my_target(void) { FRAME(48); return 0; }
NOINLINE int other_target(void) { FRAME(64); return 0; }
void use_static_call(void) { asm volatile("call __SCT__my_call" ::: "memory"); }
void use_pmu(void) { asm volatile("call __SCT__pmu_call" ::: "memory"); }
void use_clock(void) { asm volatile("call __SCT__my_clock" ::: "memory"); }

/* Kernel threads and work. */
NOINLINE int kthread(void *data)
{
	int (*threadfn)(void *) = *(int (**)(void *))data;
	int r = threadfn(data);
	KEEP();
	return r;
}
NOINLINE void process_one_work(struct work_struct *work) { FRAME(56); work->func(work); KEEP(); }
NOINLINE int worker_thread(void *data) { FRAME(40); process_one_work(data); KEEP(); return 0; }
NOINLINE int my_thread(void *data) { FRAME(80); return 0; }
NOINLINE void my_work_fn(struct work_struct *work) { FRAME(72); }

/* Recursion bounded by mm/vmalloc.c's argument, and one holding more. */
void *__vmalloc_node(unsigned long size);
NOINLINE void *__vmalloc_node_range(unsigned long size)
{
	FRAME(32);
	void *p = size > 4096 ? __vmalloc_node(size / 512) : 0;
	KEEP();
	return p;
}
NOINLINE void *__vmalloc_node(unsigned long size) { void *p = __vmalloc_node_range(size); KEEP(); return p; }
void handle_irq_event(int n);
NOINLINE void stranger(int n) { if (n) handle_irq_event(n - 1); KEEP(); }
NOINLINE void handle_irq_event_percpu(int n) { stranger(n); KEEP(); }
NOINLINE void handle_irq_event(int n) { handle_irq_event_percpu(n); KEEP(); }

/* PREEMPT_DYNAMIC: preempt_schedule() is a static call whose target is an
   assembly thunk (arch/x86/entry/thunk_64.S) that pushes registers and then
   calls the C function. */
NOINLINE void preempt_schedule(void) { FRAME(120); }
void use_preempt(void) { asm volatile("call __SCT__preempt_schedule" ::: "memory"); }
asm(".pushsection .text\n"
    ".globl preempt_schedule_thunk\n"
    "preempt_schedule_thunk:\n"
    "\tpushq %rbp\n"
    "\tcall preempt_schedule\n"
    "\tpopq %rbp\n"
    "\tret\n"
    ".popsection");
