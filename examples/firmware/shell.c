/* The shell: splits a received line into words and runs the command the
 * first word names, through the command table. Because the handlers are
 * called through function pointers, the notes record an indirect call in
 * command_dispatch; kstack.ann names its targets. */
#include "firmware.h"

struct command {
  const char* name;
  int (*run)(int argc, char** argv);
};

static const struct command commands[] = {
    {"status", cmd_status},
    {"echo", cmd_echo},
    {"crc", cmd_crc},
    {"calc", cmd_calc},
};

struct shell_stats shell_stats;

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Splits line in place at blanks. Returns the number of words, or -1 when
 * there are more than max_words. */
static int tokenize(char* line, char** words, int max_words) {
  int count = 0;
  for (char* c = line; *c != '\0';) {
    if (is_blank(*c)) {
      *c++ = '\0';
      continue;
    }
    if (count == max_words) return -1;
    words[count++] = c;
    while (*c != '\0' && !is_blank(*c)) c++;
  }
  return count;
}

static bool same_word(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) a++, b++;
  return *a == *b;
}

void command_dispatch(char* line) {
  char* words[SHELL_MAX_WORDS];
  int count = tokenize(line, words, SHELL_MAX_WORDS);
  if (count == 0) return;
  shell_stats.commands++;
  if (count < 0) {
    uart_print("error: too many words\n");
    shell_stats.failures++;
    return;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; ++i) {
    if (same_word(words[0], commands[i].name)) {
      if (commands[i].run(count, words) != 0) shell_stats.failures++;
      return;
    }
  }
  uart_print("error: unknown command '");
  uart_print(words[0]);
  uart_print("'; commands:");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; ++i) {
    uart_print(" ");
    uart_print(commands[i].name);
  }
  uart_print("\n");
  shell_stats.failures++;
}
