/* kstack_call_painted(entry, a0, a1, a2, low, sp_out) paints the stack from
 * LOW up to its own stack pointer at the call of ENTRY, stores that stack
 * pointer in *SP_OUT, and returns ENTRY(a0, a1, a2).
 *
 * The AArch64 twin of call_painted_x86_64.S, for the same reasons in
 * assembly. ENTRY runs exactly as if its caller had called it: the stack
 * pointer is 16-byte aligned at the call, and `blr` pushes nothing, so
 * ENTRY's frame starts at that stack pointer and the measured depth counts
 * from there, as GCC's frame sizes do.
 *
 * LOW is 8-byte aligned; nothing is painted if it is not below the stack
 * pointer. AArch64 Linux has no red zone: every word below the stack pointer
 * is free to paint. The unwind information lets pthread_exit, backtrace()
 * and debuggers walk through this frame. */
#include "paint.h"

	.text
	.p2align 4
	.globl	kstack_call_painted
	.hidden	kstack_call_painted
	.type	kstack_call_painted, %function
kstack_call_painted:
	.cfi_startproc
	hint	34	/* bti c: a valid target of an indirect call */
	/* A frame record (x29, x30) and the four callee-saved registers that
	 * keep ENTRY and its arguments across the painting: 48 bytes, so the
	 * stack pointer stays 16-byte aligned. */
	stp	x29, x30, [sp, #-48]!
	.cfi_def_cfa_offset 48
	.cfi_offset x29, -48
	.cfi_offset x30, -40
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	.cfi_offset x19, -32
	.cfi_offset x20, -24
	.cfi_offset x21, -16
	.cfi_offset x22, -8
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mov	x9, sp
	str	x9, [x5]
	movz	x10, #(KSTACK_PAINT_WORD & 0xffff)
	movk	x10, #((KSTACK_PAINT_WORD >> 16) & 0xffff), lsl #16
	movk	x10, #((KSTACK_PAINT_WORD >> 32) & 0xffff), lsl #32
	movk	x10, #((KSTACK_PAINT_WORD >> 48) & 0xffff), lsl #48
	cmp	x4, x9
	b.hs	2f
1:	str	x10, [x4], #8
	cmp	x4, x9
	b.lo	1b
2:	mov	x0, x20
	mov	x1, x21
	mov	x2, x22
	blr	x19
	ldp	x21, x22, [sp, #32]
	ldp	x19, x20, [sp, #16]
	ldp	x29, x30, [sp], #48
	.cfi_restore x30
	.cfi_restore x29
	.cfi_restore x22
	.cfi_restore x21
	.cfi_restore x20
	.cfi_restore x19
	.cfi_def_cfa_offset 0
	ret
	.cfi_endproc
	.size	kstack_call_painted, .-kstack_call_painted

	.section .note.GNU-stack,"",%progbits
