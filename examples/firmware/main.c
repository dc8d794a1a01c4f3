/* The main loop: sleep until an interrupt, then run every line the UART
 * has received. On the target main never returns; on the host the board
 * stops running when its scripted session is over. */
#include "firmware.h"

int main(void) {
  char line[SHELL_LINE_MAX];
  size_t len = 0;
  uart_print("kstack firmware example\n");
  while (board_running()) {
    board_wait_for_interrupt();
    while (uart_read_line(line, sizeof line, &len)) {
      uart_print("> ");
      uart_print(line);
      uart_print("\n");
      command_dispatch(line);
    }
  }
  return 0;
}
