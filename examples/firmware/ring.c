#include "ring.h"

int ring_put(struct ring *r, uint8_t byte) {
  size_t next = (r->head + 1) % sizeof r->data;
  if (next == r->tail) return -1;
  r->data[r->head] = byte;
  r->head = next;
  return 0;
}

int ring_get(struct ring *r, uint8_t *byte) {
  if (r->head == r->tail) return -1;
  *byte = r->data[r->tail];
  r->tail = (r->tail + 1) % sizeof r->data;
  return 0;
}

size_t ring_read_line(struct ring *r, char *line, size_t size) {
  size_t n = 0;
  uint8_t byte;
  while (n + 1 < size && ring_get(r, &byte) == 0 && byte != '\n') line[n++] = (char)byte;
  line[n] = '\0';
  return n;
}

uint16_t crc16(const uint8_t *data, size_t len) {
  uint16_t crc = 0xffff;
  for (size_t i = 0; i < len; ++i) {
    crc ^= (uint16_t)data[i] << 8;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 0x8000) ? (uint16_t)(crc << 1) ^ 0x1021 : (uint16_t)(crc << 1);
  }
  return crc;
}
