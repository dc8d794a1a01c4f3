/* The UART driver. The receive interrupt moves each byte into a ring buffer
 * that the main loop drains into lines; the ring is single-producer,
 * single-consumer, so neither side needs to mask interrupts. The transmit
 * side formats numbers itself: no printf, and no printf-sized stack. */
#include "firmware.h"

#define RX_RING_SIZE 64 /* a power of two, so the indices wrap cheaply */

static struct {
  volatile uint8_t data[RX_RING_SIZE];
  volatile uint8_t head; /* written only by uart_isr */
  volatile uint8_t tail; /* written only by the main loop */
} rx;

struct uart_stats uart_stats;

void uart_isr(void) {
  uint8_t byte = board_uart_rx_data; /* reading the register acknowledges the interrupt */
  uint8_t next = (uint8_t)((rx.head + 1) % RX_RING_SIZE);
  uart_stats.received++;
  if (next == rx.tail) {
    uart_stats.dropped++;
    return;
  }
  rx.data[rx.head] = byte;
  rx.head = next;
}

static bool rx_get(uint8_t* byte) {
  if (rx.tail == rx.head) return false;
  *byte = rx.data[rx.tail];
  rx.tail = (uint8_t)((rx.tail + 1) % RX_RING_SIZE);
  return true;
}

/* Appends the received bytes to line (*len of them are there from earlier
 * calls) and returns true once a whole line is in it, NUL-terminated. */
bool uart_read_line(char* line, size_t size, size_t* len) {
  uint8_t byte;
  while (rx_get(&byte)) {
    if (byte == '\n') {
      line[*len] = '\0';
      *len = 0;
      return true;
    }
    if (byte != '\r' && *len + 1 < size) line[(*len)++] = (char)byte;
  }
  return false;
}

void uart_print(const char* text) {
  size_t len = 0;
  while (text[len] != '\0') len++;
  uart_write(text, len);
}

void uart_print_uint(uint32_t value) {
  char digits[10]; /* 4294967295 */
  size_t first = sizeof digits;
  do {
    digits[--first] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  uart_write(digits + first, sizeof digits - first);
}

void uart_print_int(int32_t value) {
  if (value < 0) uart_write("-", 1);
  /* In unsigned arithmetic, so that INT32_MIN negates too. */
  uart_print_uint(value < 0 ? 0u - (uint32_t)value : (uint32_t)value);
}

void uart_print_hex16(uint16_t value) {
  static const char hex[] = "0123456789abcdef";
  char digits[4];
  for (int i = 3; i >= 0; --i, value >>= 4) digits[i] = hex[value & 0xf];
  uart_write(digits, sizeof digits);
}
