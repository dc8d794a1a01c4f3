/* calc: an integer expression evaluator, by recursive descent.
 *
 *   expr    := product (('+' | '-') product)*
 *   product := operand (('*' | '/' | '%') operand)*
 *   operand := '-'* (number | '(' expr ')')
 *
 * Only a parenthesis recurses, and only within calc_expr, so calc_expr is
 * the whole recursive cycle: it calls itself once per '(' it meets, and it
 * refuses to go deeper than CALC_MAX_DEPTH live activations. kstack.ann's
 * `recursion calc_expr 8` states that limit for the stack analysis. */
#include "firmware.h"

#define CALC_MAX_DEPTH 8

/* The words of the expression, read as one string. */
struct calc {
  char** words;
  int count;
  int word;
  const char* pos;
  const char* error; /* the first error, or NULL */
};

static bool fail(struct calc* c, const char* error) {
  if (c->error == NULL) c->error = error;
  return false;
}

static char peek(struct calc* c) {
  while (*c->pos == '\0' && c->word + 1 < c->count) c->pos = c->words[++c->word];
  return *c->pos;
}

static bool accept(struct calc* c, char token) {
  if (peek(c) != token) return false;
  c->pos++;
  return true;
}

static bool number(struct calc* c, int32_t* value) {
  char digit = peek(c);
  if (digit < '0' || digit > '9') return fail(c, "a number or '(' expected");
  *value = 0;
  for (; digit >= '0' && digit <= '9'; digit = *++c->pos) {
    if (__builtin_mul_overflow(*value, 10, value) ||
        __builtin_add_overflow(*value, digit - '0', value))
      return fail(c, "number too large");
  }
  return true;
}

static bool apply(struct calc* c, char op, int32_t* left, int32_t right) {
  bool overflow;
  switch (op) {
    case '+':
      overflow = __builtin_add_overflow(*left, right, left);
      break;
    case '-':
      overflow = __builtin_sub_overflow(*left, right, left);
      break;
    case '*':
      overflow = __builtin_mul_overflow(*left, right, left);
      break;
    default: /* '/' and '%' */
      if (right == 0) return fail(c, "division by zero");
      overflow = *left == INT32_MIN && right == -1;
      if (!overflow) *left = op == '/' ? *left / right : *left % right;
  }
  return overflow ? fail(c, "overflow") : true;
}

/* Evaluates an expr at nesting level depth (1 for the whole expression). */
static bool calc_expr(struct calc* c, int depth, int32_t* result) {
  int32_t sum = 0;
  char sum_op = '+';
  for (;;) {
    int32_t product = 0;
    char product_op = '+'; /* the first operand is added to 0 */
    for (;;) {
      bool negate = false;
      while (accept(c, '-')) negate = !negate;
      int32_t operand;
      if (accept(c, '(')) {
        if (depth == CALC_MAX_DEPTH) return fail(c, "nested too deep");
        if (!calc_expr(c, depth + 1, &operand)) return false;
        if (!accept(c, ')')) return fail(c, "')' expected");
      } else if (!number(c, &operand)) {
        return false;
      }
      if (negate) {
        if (operand == INT32_MIN) return fail(c, "overflow");
        operand = -operand;
      }
      if (!apply(c, product_op, &product, operand)) return false;
      product_op = peek(c);
      if (product_op != '*' && product_op != '/' && product_op != '%') break;
      c->pos++;
    }
    if (!apply(c, sum_op, &sum, product)) return false;
    sum_op = peek(c);
    if (sum_op != '+' && sum_op != '-') break;
    c->pos++;
  }
  *result = sum;
  return true;
}

int cmd_calc(int argc, char** argv) {
  if (argc < 2) {
    uart_print("usage: calc EXPRESSION\n");
    return -1;
  }
  struct calc c = {.words = argv + 1, .count = argc - 1, .word = 0, .pos = argv[1]};
  int32_t result;
  if (calc_expr(&c, 1, &result) && peek(&c) != '\0') fail(&c, "unexpected character");
  if (c.error != NULL) {
    uart_print("error: ");
    uart_print(c.error);
    uart_print("\n");
    return -1;
  }
  uart_print_int(result);
  uart_print("\n");
  return 0;
}
