#ifndef RING_H
#define RING_H
#include <stddef.h>
#include <stdint.h>

struct ring {
  uint8_t data[64];
  size_t head, tail;
};

int ring_put(struct ring *r, uint8_t byte);
int ring_get(struct ring *r, uint8_t *byte);
size_t ring_read_line(struct ring *r, char *line, size_t size);
uint16_t crc16(const uint8_t *data, size_t len);
int command_dispatch(const char *line);
#endif
