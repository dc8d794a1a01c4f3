/* A pragma that sets -Wframe-larger-than's value: GCC compares every frame
   with the value the option has once the file is parsed, 'a' too. */
extern void ext(char *);
void a(void) { char x[300]; ext(x); }
#pragma GCC diagnostic warning "-Wframe-larger-than=200"
void b(void) { char y[250]; ext(y); }
