#include <stdio.h>

#include "ring.h"

static struct ring uart_rx;

/* Stands in for the UART interrupt: feeds received bytes to the ring. */
static void uart_isr(const char *bytes) {
  while (*bytes) ring_put(&uart_rx, (unsigned char)*bytes++);
}

static void poll_once(void) {
  char line[80];
  if (ring_read_line(&uart_rx, line, sizeof line) > 0) command_dispatch(line);
}

int main(void) {
  static const char *const input[] = {"status\n", "echo hello firmware\n", "crc 123456789\n"};
  for (unsigned i = 0; i < sizeof input / sizeof input[0]; ++i) {
    uart_isr(input[i]);
    poll_once();
  }
  return 0;
}
