/* The rest of the program of frame-warnings.c, for a whole-program table. */
int (*hook)(int);
static int deep_hook(int x)
{
	volatile char pad[1500];
	pad[0] = x;
	return pad[0];
}
void ext(char *p)
{
	volatile char z[32];
	z[0] = *p;
}
extern void top(char *p);
extern void big(char *p);
extern int count(int n);
int main(int argc, char **argv)
{
	hook = deep_hook;
	top(argv[0]);
	big(argv[0]);
	return count(argc);
}
