#include <stdio.h>
#include <string.h>

#include "ring.h"

struct command {
  const char *name;
  int (*run)(int argc, char **argv);
};

static int cmd_status(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return printf("status: ok\n");
}

static int cmd_echo(int argc, char **argv) {
  char out[128];
  size_t used = 0;
  for (int i = 1; i < argc && used < sizeof out - 1; ++i)
    used += (size_t)snprintf(out + used, sizeof out - used, "%s%s", i > 1 ? " " : "", argv[i]);
  return puts(out);
}

static int cmd_crc(int argc, char **argv) {
  if (argc < 2) return -1;
  return printf("crc %04x\n", crc16((const unsigned char *)argv[1], strlen(argv[1])));
}

static const struct command commands[] = {
    {"status", cmd_status},
    {"echo", cmd_echo},
    {"crc", cmd_crc},
};

int command_dispatch(const char *line) {
  char copy[96];
  char *argv[8];
  int argc = 0;
  strncpy(copy, line, sizeof copy - 1);
  copy[sizeof copy - 1] = '\0';
  for (char *tok = strtok(copy, " "); tok && argc < 8; tok = strtok(NULL, " ")) argv[argc++] = tok;
  if (argc == 0) return 0;
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; ++i)
    if (strcmp(commands[i].name, argv[0]) == 0) return commands[i].run(argc, argv);
  return printf("unknown command %s\n", argv[0]);
}
