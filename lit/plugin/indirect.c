// Indirect calls carry the called type and where the pointer came from;
// function addresses carry where they went. Each kind of origin and store
// has a case here, at -O0 and -O2: an ops table initialised statically and
// called through a field, a nested struct in an array, a global array of
// handlers, a parameter, a field of an embedded struct, a pointer cast from
// `void *`; a store through a cast, a copy between fields, a store of an
// unknown value, a function kept as `void *`, a memcpy over a struct of
// pointers, a function passed to a call.
// RUN: cd %S && %cc -O0 -c indirect.c -o %t.o -fplugin=%plugin
// RUN: %kstack dump %t.o | FileCheck %s
// RUN: cd %S && %cc -O2 -c indirect.c -o %t.o -fplugin=%plugin
// RUN: %kstack dump %t.o | FileCheck %s
// And every site is tied to its GIMPLE call.
// RUN: cd %S && %oracle check indirect.c -- -O2 | FileCheck %s --check-prefix=ORACLE
// ORACLE: oracle indirect.c: indirect calls [[N:[0-9]+]]/[[N]] tied to their GIMPLE call
struct file;
struct file_operations {
  int (*read)(struct file *, char *, unsigned long);
  int (*write)(struct file *, const char *, unsigned long);
};
struct file {
  const struct file_operations *f_op;
  int pos;
};
struct inner {
  void (*cb)(int);
};
struct outer {
  int a;
  struct inner in[2];
};
typedef void (*handler_t)(void);
struct device {
  struct file_operations ops;
  void *data;
};
struct other_layout {
  void *first, *second;
};

extern void consume(void *);
extern int plain_read(struct file *, char *, unsigned long);

static int fs_read(struct file *f, char *b, unsigned long n) { return f->pos + n; }
static int fs_write(struct file *f, const char *b, unsigned long n) { return 1; }
const struct file_operations fs_fops = {.read = fs_read, .write = fs_write};

static void tick(int x) { consume(&x); }
static void tock(int x) { consume(&x); }
struct outer clock_outer = {.in = {{tick}, {tock}}};

static void h_start(void) { consume(0); }
static void h_stop(void) { consume(0); }
static handler_t handlers[] = {h_start, h_stop};

static void untyped(long x) { consume(&x); }
static void through_void(int x) { consume(&x); }
static void passed(int x) { consume(&x); }

/* Sites. */
// CHECK-LABEL: {{^}}  vfs_read  global
// CHECK-NEXT: {{^}}    {{(tail )?}}indirect call  indirect.c:[[#@LINE+1]]:65  type 'int (struct file *, char *, long unsigned int)' i32(*{struct file},*i8,i{{32|64}})  from field struct file_operations.read
int vfs_read(struct file *f, char *b, unsigned long n) { return f->f_op->read(f, b, n); }
// CHECK-LABEL: {{^}}  run_nested  global
// CHECK-NEXT: {{^}}    {{(tail )?}}indirect call  indirect.c:[[#@LINE+1]]:36  type 'void (int)' v(i32)  from field struct inner.cb
void run_nested(struct outer *o) { o->in[1].cb(3); }
// CHECK-LABEL: {{^}}  run_handler  global
// CHECK-NEXT: {{^}}    {{(tail )?}}indirect call  indirect.c:[[#@LINE+1]]:27  type 'void (void)' v()  from global handlers
void run_handler(int i) { handlers[i](); }
// CHECK-LABEL: {{^}}  run_param  global
// CHECK-NEXT: {{^}}    {{(tail )?}}indirect call  indirect.c:[[#@LINE+1]]:70  type 'void (int)' v(i32)  from parameter 0 of run_param
__attribute__((noinline, noclone)) void run_param(void (*fn)(int)) { fn(1); }
// CHECK-LABEL: {{^}}  run_device  global
// CHECK-NEXT: {{^}}    {{(tail )?}}indirect call  indirect.c:[[#@LINE+1]]:43  type 'int (struct file *, char *, long unsigned int)' i32(*{struct file},*i8,i{{32|64}})  from field struct file_operations.read
int run_device(struct device *d) { return d->ops.read(0, 0, 0); }
// CHECK-LABEL: {{^}}  run_void  global
// CHECK-NEXT: {{^}}    {{(tail )?}}indirect call  indirect.c:[[#@LINE+1]]:27  type 'void (int)' v(i32)  from parameter 0 of run_void
void run_void(void *p) { ((void (*)(int))p)(2); }

/* Stores, after the aliases: the static initializers first. */
// CHECK-DAG: {{^}}  store h_start -> global handlers  indirect.c:54
// CHECK-DAG: {{^}}  store h_stop -> global handlers  indirect.c:54
// CHECK-DAG: {{^}}  store tick -> field struct inner.cb  indirect.c:50
// CHECK-DAG: {{^}}  store tock -> field struct inner.cb  indirect.c:50
// CHECK-DAG: {{^}}  store fs_read -> field struct file_operations.read  indirect.c:46
// CHECK-DAG: {{^}}  store fs_write -> field struct file_operations.write  indirect.c:46
// A cast keeps the type it was stored as.
// CHECK-DAG: {{^}}  store untyped as i32(*{struct file},*i8,i{{32|64}}) -> field struct file_operations.write  indirect.c:[[#@LINE+1]]
void set_write(struct file_operations *o) { o->write = (int (*)(struct file *, const char *, unsigned long))untyped; }
// CHECK-DAG: {{^}}  store as i32(*{struct file},*i8,i{{32|64}}) value of field struct file_operations.read -> field struct file_operations.read  indirect.c:[[#@LINE+1]]
void copy_read(struct device *d, const struct file *f) { d->ops.read = f->f_op->read; }
// A parameter is a slot its callers store into.
// CHECK-DAG: {{^}}  store as v(i32) value of parameter 1 of set_cb -> field struct inner.cb  indirect.c:[[#@LINE+1]]
__attribute__((noinline, noclone)) void set_cb(struct inner *i, void (*f)(int)) { i->cb = f; }
// CHECK-DAG: {{^}}  store tock -> parameter 1 of set_cb  indirect.c:[[#@LINE+1]]
void use_set_cb(struct inner *i) { set_cb(i, tock); }
// CHECK-DAG: {{^}}  store as v(i32) value of parameter 0 of pass_on -> parameter 0 of run_param  indirect.c:[[#@LINE+1]]
void pass_on(void (*fn)(int)) { run_param(fn); }
// What a parameter holds escapes when it goes where no slot is named.
// CHECK-DAG: {{^}}  escape value of parameter 0 of keep  indirect.c:[[#@LINE+1]]
void keep(void (*fn)(int)) { consume(fn); }
// Kept as `void *`, it is stored and escapes too: copied on as a plain pointer, no store would say.
// CHECK-DAG: {{^}}  store through_void -> field struct device.data  indirect.c:[[#@LINE+2]]
// CHECK-DAG: {{^}}  escape through_void  indirect.c:[[#@LINE+1]]
void set_data(struct device *d) { d->data = through_void; }
// GCC folds the memcpy into integer moves at -O2 (on x86_64 the pointer's
// type is then the whole device, which is overwritten too).
// CHECK-DAG: {{^}}  overwrite -> field struct file_operations  indirect.c:[[#@LINE+1]]
void clobber(struct device *d, const struct other_layout *src) { __builtin_memcpy(&d->ops, src, sizeof d->ops); }
// CHECK-DAG: {{^}}  escape passed  indirect.c:[[#@LINE+1]]
void give(void) { consume(passed); }
