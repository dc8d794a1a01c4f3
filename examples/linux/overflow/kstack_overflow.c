// SPDX-License-Identifier: GPL-2.0
/*
 * A planted stack overflow for kstack's kernel test: the init path of this
 * module is twenty calls deep, each frame a little under 1 KiB (below the
 * CONFIG_FRAME_WARN of every arch, so the compiler says nothing), about
 * 20 KiB in all: more than a task stack holds. Built with kstack-kbuild, the
 * build must fail and print this path. Never load it.
 */
#include <linux/init.h>
#include <linux/module.h>

static noinline int overflow_last(int seed)
{
	return seed;
}

/* One level: a buffer the compiler must keep, used after the call so that
 * the call cannot become a tail call. */
#define OVERFLOW_LEVEL(n, next)						\
	static noinline int overflow_level_##n(int seed)		\
	{								\
		volatile char buffer[960];				\
		buffer[seed & 511] = (char)seed;			\
		return next(seed + 1) + buffer[(seed * 7) & 511];	\
	}

OVERFLOW_LEVEL(19, overflow_last)
OVERFLOW_LEVEL(18, overflow_level_19)
OVERFLOW_LEVEL(17, overflow_level_18)
OVERFLOW_LEVEL(16, overflow_level_17)
OVERFLOW_LEVEL(15, overflow_level_16)
OVERFLOW_LEVEL(14, overflow_level_15)
OVERFLOW_LEVEL(13, overflow_level_14)
OVERFLOW_LEVEL(12, overflow_level_13)
OVERFLOW_LEVEL(11, overflow_level_12)
OVERFLOW_LEVEL(10, overflow_level_11)
OVERFLOW_LEVEL(9, overflow_level_10)
OVERFLOW_LEVEL(8, overflow_level_9)
OVERFLOW_LEVEL(7, overflow_level_8)
OVERFLOW_LEVEL(6, overflow_level_7)
OVERFLOW_LEVEL(5, overflow_level_6)
OVERFLOW_LEVEL(4, overflow_level_5)
OVERFLOW_LEVEL(3, overflow_level_4)
OVERFLOW_LEVEL(2, overflow_level_3)
OVERFLOW_LEVEL(1, overflow_level_2)
OVERFLOW_LEVEL(0, overflow_level_1)

static int __init kstack_overflow_init(void)
{
	return overflow_level_0(0) == 42 ? 0 : -EINVAL;
}
module_init(kstack_overflow_init);

MODULE_DESCRIPTION("kstack test: a path deeper than the task stack");
MODULE_LICENSE("GPL");
