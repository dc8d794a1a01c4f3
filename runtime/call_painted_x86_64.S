/* kstack_call_painted(entry, a0, a1, a2, low, sp_out) paints the stack from
 * LOW up to its own stack pointer at the call of ENTRY, stores that stack
 * pointer in *SP_OUT, and returns ENTRY(a0, a1, a2).
 *
 * Assembly, because the painting has to reach the very stack pointer ENTRY
 * is called with: a C function painting below itself would leave its own
 * frame unpainted, and a C function calling ENTRY would add its frame to
 * what is measured. ENTRY then runs exactly as if its caller had called it:
 * the stack pointer is 16-byte aligned at the call, and the measured depth
 * counts from there, as GCC's frame sizes do (the return address the call
 * pushes is the first 8 bytes of ENTRY's frame).
 *
 * LOW is 8-byte aligned and below the stack pointer. The unwind information
 * lets pthread_exit, backtrace() and debuggers walk through this frame. */
#include "paint.h"

	.text
	.p2align 4
	.globl	kstack_call_painted
	.hidden	kstack_call_painted
	.type	kstack_call_painted, @function
kstack_call_painted:
	.cfi_startproc
	endbr64
	pushq	%rbp
	.cfi_def_cfa_offset 16
	.cfi_offset %rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register %rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	.cfi_offset %rbx, -24
	.cfi_offset %r12, -32
	.cfi_offset %r13, -40
	.cfi_offset %r14, -48
	/* Five pushes after the call's return address: %rsp is 16-byte aligned. */
	movq	%rdi, %rbx
	movq	%rsi, %r12
	movq	%rdx, %r13
	movq	%rcx, %r14
	movq	%rsp, (%r9)
	movq	%r8, %rdi
	movq	%rsp, %rcx
	subq	%r8, %rcx
	shrq	$3, %rcx
	movabsq	$KSTACK_PAINT_WORD, %rax
	cld
	rep stosq
	movq	%r12, %rdi
	movq	%r13, %rsi
	movq	%r14, %rdx
	call	*%rbx
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	.cfi_def_cfa %rsp, 8
	ret
	.cfi_endproc
	.size	kstack_call_painted, .-kstack_call_painted

	.section .note.GNU-stack,"",@progbits
