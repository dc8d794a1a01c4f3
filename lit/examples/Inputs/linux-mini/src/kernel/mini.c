/* What kstack-linux-profile --source reads: a static call's definition and
   updates, one updated through a pasted name, a thread and a work function. */
DEFINE_STATIC_CALL(my_call, my_target);
DEFINE_STATIC_CALL_NULL(pmu_call, *pmu.call);
#define PMU_UPDATE(x) static_call_update(pmu_##x, pmu.x)

void setup(void)
{
	static_call_update(my_call,
			   &other_target);
	PMU_UPDATE(call);
	kthread_run(my_thread, NULL, "mini");
	INIT_WORK(&w, my_work_fn);
}
