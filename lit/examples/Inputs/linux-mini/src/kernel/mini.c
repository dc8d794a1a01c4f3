/* What kstack-linux-profile --source reads: a static call's definition and
   updates, one updated through a pasted name, one to a parameter, a thread
   and a work function. */
DEFINE_STATIC_CALL(my_call, my_target);
DEFINE_STATIC_CALL_NULL(pmu_call, *pmu.call);
DEFINE_STATIC_CALL(my_clock, my_target);
#define PMU_UPDATE(x) static_call_update(pmu_##x, pmu.x)

void set_clock(int (*other_target)(void))
{
	static_call_update(my_clock, other_target);
}

void setup(void)
{
	static_call_update(my_call,
			   &other_target);
	PMU_UPDATE(call);
	kthread_run(my_thread, NULL, "mini");
	INIT_WORK(&w, my_work_fn);
}
/* As kernel/sched/core.c: the target is a macro of the arch's preempt.h. */
DEFINE_STATIC_CALL(preempt_schedule, preempt_schedule_dynamic_enabled);
