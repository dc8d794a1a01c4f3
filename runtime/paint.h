/* What the runtime's C code and its assembly share: the pattern the unused
 * stack is painted with. Eight distinct bytes, none 0x00 or 0xff, so that a
 * stored zero, a small integer, a pointer or -1 never leaves a word looking
 * unpainted. */
#ifndef KSTACK_RUNTIME_PAINT_H
#define KSTACK_RUNTIME_PAINT_H

#define KSTACK_PAINT_WORD 0x6b7374616b5f5041

#endif /* KSTACK_RUNTIME_PAINT_H */
