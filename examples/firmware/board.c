/* The board on the host: the hardware the firmware expects, simulated so
 * that it runs as an ordinary program. A scripted terminal types the session
 * below into the UART, one receive interrupt per byte, and the UART's
 * transmit side is standard output. uart_write's write(2) is the program's
 * only call into the C library. */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "firmware.h"

volatile uint8_t board_uart_rx_data;

static const char session[] =
    "status\n"
    "echo hello  from the UART\n"
    "crc 123456789\n"
    "calc 1 + 2*(3 - 10)/2\n"
    "calc -(((((((42)))))))\n" /* CALC_MAX_DEPTH levels: the deepest calc accepts */
    "calc ((((((((42))))))))\n"
    "calc 7 % (2 - 2)\n"
    "reboot\n"
    "status\n";
static size_t session_pos;

bool board_running(void) { return session_pos < sizeof session - 1; }

/* On the target this sleeps until an interrupt. Here the terminal sends its
 * next line, and each byte raises the receive interrupt. */
void board_wait_for_interrupt(void) {
  while (board_running()) {
    char byte = session[session_pos++];
    board_uart_rx_data = (uint8_t)byte;
    uart_isr();
    if (byte == '\n') break;
  }
}

void uart_write(const char* bytes, size_t len) {
  while (len > 0) {
    ssize_t sent = write(STDOUT_FILENO, bytes, len);
    if (sent <= 0) return; /* nobody listens: drop the rest, as a UART would */
    bytes += sent;
    len -= (size_t)sent;
  }
}
