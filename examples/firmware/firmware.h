/* The firmware's shared declarations: the board (the hardware, or on the
 * host the simulation of it), the UART driver, the shell and its commands. */
#ifndef FIRMWARE_H
#define FIRMWARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* board.c: the hardware. On the host a scripted terminal types into the
 * UART and the transmit side is standard output. */
extern volatile uint8_t board_uart_rx_data; /* the UART's receive data register */
bool board_running(void);
void board_wait_for_interrupt(void);
void uart_write(const char* bytes, size_t len);

/* uart.c: the receive interrupt, its ring buffer, and output formatting. */
struct uart_stats {
  uint32_t received; /* bytes the receive interrupt took */
  uint32_t dropped;  /* of those, bytes lost because the ring was full */
};
extern struct uart_stats uart_stats;
void uart_isr(void);
bool uart_read_line(char* line, size_t size, size_t* len);
void uart_print(const char* text);
void uart_print_uint(uint32_t value);
void uart_print_int(int32_t value);
void uart_print_hex16(uint16_t value);

/* shell.c: splits a line into words and runs the command they name. */
#define SHELL_LINE_MAX 80 /* longer lines are cut */
#define SHELL_MAX_WORDS 8
struct shell_stats {
  uint32_t commands;
  uint32_t failures;
};
extern struct shell_stats shell_stats;
void command_dispatch(char* line);

/* commands.c and calc.c: the handlers in the command table. Each gets the
 * words of its line, the command's name first, and returns 0, or -1 after
 * printing what went wrong. */
int cmd_status(int argc, char** argv);
int cmd_echo(int argc, char** argv);
int cmd_crc(int argc, char** argv);
int cmd_calc(int argc, char** argv);

#endif
