/* The shell's commands other than calc (calc.c). */
#include "firmware.h"

#ifndef ECHO_BUFFER
#define ECHO_BUFFER 128 /* echo's reply buffer: a whole line and then some */
#endif

int cmd_status(int argc, char** argv) {
  (void)argv;
  if (argc != 1) {
    uart_print("usage: status\n");
    return -1;
  }
  uart_print("uart: received ");
  uart_print_uint(uart_stats.received);
  uart_print(", dropped ");
  uart_print_uint(uart_stats.dropped);
  uart_print("\nshell: commands ");
  uart_print_uint(shell_stats.commands);
  uart_print(", failed ");
  uart_print_uint(shell_stats.failures);
  uart_print("\n");
  return 0;
}

/* Joins the words into one reply, so that the UART sends it in one go. */
int cmd_echo(int argc, char** argv) {
  char reply[ECHO_BUFFER];
  size_t len = 0;
  for (int i = 1; i < argc; ++i) {
    if (i > 1 && len < sizeof reply - 1) reply[len++] = ' ';
    for (const char* c = argv[i]; *c != '\0' && len < sizeof reply - 1; c++) reply[len++] = *c;
  }
  reply[len++] = '\n';
  uart_write(reply, len);
  return 0;
}

/* CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xffff), bit by bit:
 * the check value of "123456789" is 29b1. */
static uint16_t crc16_ccitt(const char* bytes) {
  uint16_t crc = 0xffff;
  for (; *bytes != '\0'; bytes++) {
    crc ^= (uint16_t)((uint8_t)*bytes << 8);
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
  }
  return crc;
}

int cmd_crc(int argc, char** argv) {
  if (argc != 2) {
    uart_print("usage: crc WORD\n");
    return -1;
  }
  uart_print("crc16 ");
  uart_print_hex16(crc16_ccitt(argv[1]));
  uart_print("\n");
  return 0;
}
