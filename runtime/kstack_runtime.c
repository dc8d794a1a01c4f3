/* kstack's run-time measurement and guard (kstack_runtime.h, docs/runtime.md).
 *
 * A measurement covers one call of an entry function on one thread: `main`,
 * a thread's start routine, or what kstack_run was given. The stack below the
 * caller is painted from LOW up to the stack pointer of the call (SP, by
 * kstack_call_painted, in assembly), the entry runs, and afterwards the
 * lowest 8-byte word that no longer holds the pattern is the deepest the
 * entry reached: its peak is SP minus that word's address. Word granularity
 * can only round the peak up, never down. A peak reaching LOW itself means
 * the entry may have gone deeper than what was painted: the record says so,
 * and the peak is then a lower bound.
 *
 * A measurement ends when the entry returns; when the thread ends through
 * pthread_exit (a thread-specific key's destructor: the unwinder's own
 * frames have then touched the stack too, so the record says "thread-exit");
 * or when the process exits first (a destructor measures every measurement
 * still running: "exit" on the thread calling exit, "running" on others).
 *
 * No FILE streams: the records are written with one write(2) per line on a
 * file opened O_APPEND, so threads and processes sharing the results file
 * never interleave within a line, and a program that closes stdout or dies
 * in the guard still gets its records and messages out. */
#define _GNU_SOURCE
#include "kstack_runtime.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "paint.h"

/* The painting is in assembly, one file per target (call_painted_*.S). */
#if !defined(__x86_64__) && !defined(__aarch64__)
#error "kstack's runtime paints the stack in assembly written for x86_64 and aarch64 only"
#endif

#define KSTACK_RESULTS_VERSION 1
/* Painted below an entry at most (KSTACK_PAINT overrides). */
#define DEFAULT_PAINT_BYTES (1024 * 1024)
/* Left unpainted above the end of a thread's stack. */
#define STACK_END_MARGIN 4096

long kstack_call_painted(const void* entry, void* a0, void* a1, void* a2, uintptr_t low,
                         uintptr_t* sp_out);

enum ending { ENDED_RETURN, ENDED_THREAD_EXIT, ENDED_EXIT, ENDED_RUNNING };

struct measurement {
  const void* entry;
  uintptr_t low; /* the lowest painted word */
  uintptr_t sp;  /* the stack pointer the entry was called with */
  uintptr_t stack_size;
  pid_t tid;
  /* The deepest peak read so far (take_peak). */
  uintptr_t peak;
  bool overflow;
  struct measurement* outer;       /* of the same thread */
  struct measurement *prev, *next; /* every running measurement */
};

static __thread struct measurement* current_measurement __attribute__((tls_model("initial-exec")));
static __thread bool guard_failing __attribute__((tls_model("initial-exec")));

static pthread_mutex_t running_lock = PTHREAD_MUTEX_INITIALIZER;
static struct measurement* running;
static pthread_key_t thread_end_key;
static pthread_once_t thread_end_once = PTHREAD_ONCE_INIT;

/* ---- small output helpers (no stdio, no allocation) ---- */

struct line {
  char text[1536];
  size_t length;
};

static void put(struct line* l, const char* s) {
  size_t n = strlen(s);
  if (n > sizeof l->text - 1 - l->length) n = sizeof l->text - 1 - l->length;
  memcpy(l->text + l->length, s, n);
  l->length += n;
}

static void put_unsigned(struct line* l, unsigned long long value, int base) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = "0123456789abcdef"[value % base];
    value /= base;
  } while (value);
  char text[26];
  int i = 0;
  if (base == 16) text[i++] = '0', text[i++] = 'x';
  while (n) text[i++] = digits[--n];
  text[i] = 0;
  put(l, text);
}

static void put_json_string(struct line* l, const char* s) {
  put(l, "\"");
  for (; *s; ++s) {
    const unsigned char c = (unsigned char)*s;
    char escaped[7] = {c, 0};
    if (c == '"' || c == '\\') {
      escaped[0] = '\\', escaped[1] = c, escaped[2] = 0;
    } else if (c < 0x20) {
      escaped[0] = '\\', escaped[1] = 'u', escaped[2] = '0', escaped[3] = '0';
      escaped[4] = "0123456789abcdef"[c >> 4], escaped[5] = "0123456789abcdef"[c & 15];
      escaped[6] = 0;
    }
    put(l, escaped);
  }
  put(l, "\"");
}

static void write_all(int fd, const char* text, size_t length) {
  while (length) {
    const ssize_t n = write(fd, text, length);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text += n, length -= (size_t)n;
  }
}

static void write_stderr(const char* text) { write_all(2, text, strlen(text)); }

/* ---- configuration ---- */

/* A number of bytes, with an optional K or M suffix; 0 if malformed. */
static unsigned long long parse_bytes(const char* text) {
  char* end;
  errno = 0;
  unsigned long long value = strtoull(text, &end, 10);
  if (errno || end == text) return 0;
  if (*end == 'K' || *end == 'k')
    value <<= 10, ++end;
  else if (*end == 'M' || *end == 'm')
    value <<= 20, ++end;
  return *end ? 0 : value;
}

static uintptr_t paint_limit(void) {
  static uintptr_t limit;
  if (!limit) {
    const char* text = getenv("KSTACK_PAINT");
    limit = text ? (uintptr_t)parse_bytes(text) : 0;
    if (text && !limit)
      write_stderr("kstack: KSTACK_PAINT is not a number of bytes: painting 1M\n");
    if (!limit) limit = DEFAULT_PAINT_BYTES;
  }
  return limit;
}

static int results_fd(void) {
  static int fd = -1;
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&lock);
  if (fd < 0) {
    const char* path = getenv("KSTACK_RESULTS");
    if (!path || !*path) path = "kstack-results.jsonl";
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
      write_stderr("kstack: cannot open the results file '");
      write_stderr(path);
      write_stderr("': ");
      write_stderr(strerror(errno));
      write_stderr("\n");
      fd = -2; /* say it once */
    }
  }
  pthread_mutex_unlock(&lock);
  return fd;
}

/* ---- symbols ---- */

struct code_location {
  char module[512];
  uintptr_t address; /* as linked: the symbol table's value */
  char name[256];    /* empty: no symbol covers it */
  char source[256];  /* a local symbol's source file (its STT_FILE), else empty */
};

struct find_module {
  uintptr_t address;
  struct code_location* location;
  bool found;
};

static int find_module_of(struct dl_phdr_info* info, size_t size, void* data) {
  (void)size;
  struct find_module* find = data;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)* p = &info->dlpi_phdr[i];
    const uintptr_t start = info->dlpi_addr + p->p_vaddr;
    if (p->p_type != PT_LOAD || find->address < start || find->address - start >= p->p_memsz)
      continue;
    find->location->address = find->address - info->dlpi_addr;
    const char* name = info->dlpi_name;
    if (name && *name) {
      snprintf(find->location->module, sizeof find->location->module, "%s", name);
    } else {
      const ssize_t n =
          readlink("/proc/self/exe", find->location->module, sizeof find->location->module - 1);
      find->location->module[n > 0 ? n : 0] = 0;
    }
    find->found = true;
    return 1;
  }
  return 0;
}

/* Copies the string at OFFSET of the string table STRINGS into TEXT. */
static void copy_string(const unsigned char* bytes, const ElfW(Shdr) * strings, size_t offset,
                        char* text, size_t text_size) {
  const char* found = (const char*)bytes + strings->sh_offset + offset;
  snprintf(text, text_size, "%.*s", (int)strnlen(found, strings->sh_size - offset), found);
}

/* The function symbol of LOCATION's module covering its address, from the
 * symbol table, else the dynamic one: the static functions a thread or a
 * guarded path runs are only in the first. A local symbol's source file is
 * the STT_FILE symbol before it, so that `kstack verify` can tell two
 * static functions of one name apart. */
static void symbol_in_file(struct code_location* location) {
  const int fd = open(location->module, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st;
  void* map = MAP_FAILED;
  if (fstat(fd, &st) == 0 && (size_t)st.st_size >= sizeof(ElfW(Ehdr)))
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return;
  const size_t size = (size_t)st.st_size;
  const unsigned char* bytes = map;
  const ElfW(Ehdr)* eh = map;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_shentsize != sizeof(ElfW(Shdr)) ||
      eh->e_shoff > size || (size - eh->e_shoff) / sizeof(ElfW(Shdr)) < eh->e_shnum)
    goto done;
  const ElfW(Shdr)* sections = (const void*)(bytes + eh->e_shoff);
  for (unsigned kind = SHT_SYMTAB;; kind = SHT_DYNSYM) {
    for (unsigned i = 0; i < eh->e_shnum; ++i) {
      const ElfW(Shdr)* s = &sections[i];
      if (s->sh_type != kind || s->sh_link >= eh->e_shnum) continue;
      const ElfW(Shdr)* strings = &sections[s->sh_link];
      if (s->sh_offset > size || s->sh_size > size - s->sh_offset || strings->sh_offset > size ||
          strings->sh_size > size - strings->sh_offset)
        continue;
      const ElfW(Sym)* symbols = (const void*)(bytes + s->sh_offset);
      size_t source = 0; /* the last STT_FILE's name; 0: none */
      for (size_t j = 0; j < s->sh_size / sizeof(ElfW(Sym)); ++j) {
        const ElfW(Sym)* sym = &symbols[j];
        if (sym->st_name >= strings->sh_size) continue;
        if (ELF64_ST_TYPE(sym->st_info) == STT_FILE) source = sym->st_name;
        if (ELF64_ST_TYPE(sym->st_info) != STT_FUNC || location->address < sym->st_value ||
            location->address - sym->st_value >= (sym->st_size ? sym->st_size : 1))
          continue;
        copy_string(bytes, strings, sym->st_name, location->name, sizeof location->name);
        if (source && ELF64_ST_BIND(sym->st_info) == STB_LOCAL)
          copy_string(bytes, strings, source, location->source, sizeof location->source);
        goto done;
      }
    }
    if (kind == SHT_DYNSYM) break;
  }
done:
  munmap(map, size);
}

static void locate_code(const void* code, struct code_location* location) {
  memset(location, 0, sizeof *location);
  struct find_module find = {(uintptr_t)code, location, false};
  dl_iterate_phdr(find_module_of, &find);
  if (!find.found) {
    location->address = (uintptr_t)code;
    return;
  }
  symbol_in_file(location);
}

/* locate_code for an entry function. Every thread of a pool has the same
 * start routine: its symbol is looked up once, not once per thread. */
static void locate_entry(const void* entry, struct code_location* location) {
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  static const void* last_entry;
  static struct code_location last_location;
  pthread_mutex_lock(&lock);
  if (!last_entry || last_entry != entry) {
    locate_code(entry, &last_location);
    last_entry = entry;
  }
  *location = last_location;
  pthread_mutex_unlock(&lock);
}

/* ---- measuring ---- */

/* Reads the painting into M's peak. Called before anything deep runs below
 * the entry's stack pointer: an inner kstack_run painting again, or the
 * runtime's own code once the entry has returned (locking, write_record's
 * frame; on AArch64 a frame's lowest word, its frame record, is written
 * first thing). A leaf, so that it writes no stack itself. */
static void take_peak(struct measurement* m) {
  const uint64_t* word = (const uint64_t*)m->low;
  const uint64_t* end = (const uint64_t*)m->sp;
  while (word < end && *word == (uint64_t)KSTACK_PAINT_WORD) ++word;
  const uintptr_t peak = m->sp - (uintptr_t)word;
  if (peak > m->peak) m->peak = peak, m->overflow = word == (const uint64_t*)m->low && word < end;
}

static const char* ending_name(enum ending ending) {
  switch (ending) {
    case ENDED_RETURN:
      return "return";
    case ENDED_THREAD_EXIT:
      return "thread-exit";
    case ENDED_EXIT:
      return "exit";
    case ENDED_RUNNING:
      return "running";
  }
  return "?";
}

/* Writes M's record, with the peak take_peak read last. */
static void write_record(const struct measurement* m, enum ending ending) {
  struct code_location entry;
  locate_entry(m->entry, &entry);

  struct line l = {.length = 0};
  put(&l, "{\"kstack_runtime\":");
  put_unsigned(&l, KSTACK_RESULTS_VERSION, 10);
  put(&l, ",\"pid\":");
  put_unsigned(&l, (unsigned long long)getpid(), 10);
  put(&l, ",\"thread\":");
  put_unsigned(&l, (unsigned long long)m->tid, 10);
  put(&l, ",\"entry\":");
  if (entry.name[0])
    put_json_string(&l, entry.name);
  else
    put(&l, "null");
  put(&l, ",\"file\":");
  if (entry.source[0])
    put_json_string(&l, entry.source);
  else
    put(&l, "null");
  put(&l, ",\"module\":");
  put_json_string(&l, entry.module);
  put(&l, ",\"address\":\"");
  put_unsigned(&l, entry.address, 16);
  put(&l, "\",\"peak\":");
  put_unsigned(&l, m->peak, 10);
  put(&l, ",\"painted\":");
  put_unsigned(&l, m->sp - m->low, 10);
  put(&l, ",\"stack\":");
  put_unsigned(&l, m->stack_size, 10);
  put(&l, ",\"overflowed\":");
  put(&l, m->overflow ? "true" : "false");
  put(&l, ",\"ended\":\"");
  put(&l, ending_name(ending));
  put(&l, "\"}\n");
  const int fd = results_fd();
  if (fd >= 0) write_all(fd, l.text, l.length);
}

/* The calling thread's stack: [*low, *high). */
static bool thread_stack(uintptr_t* low, uintptr_t* high) {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return false;
  void* address;
  size_t size, guard = 0;
  const bool ok = pthread_attr_getstack(&attr, &address, &size) == 0;
  pthread_attr_getguardsize(&attr, &guard);
  pthread_attr_destroy(&attr);
  if (!ok) return false;
  *low = (uintptr_t)address + guard;
  *high = (uintptr_t)address + size;
  return true;
}

static void start_measurement(struct measurement* m, const void* entry) {
  memset(m, 0, sizeof *m);
  m->entry = entry;
  m->tid = (pid_t)syscall(SYS_gettid);
  /* Everything below this frame is free: the painting starts below it. */
  const uintptr_t here = (uintptr_t)__builtin_frame_address(0) - 512;
  uintptr_t low = here - paint_limit(), high = here;
  uintptr_t stack_low, stack_high;
  if (thread_stack(&stack_low, &stack_high)) {
    if (low < stack_low + STACK_END_MARGIN) low = stack_low + STACK_END_MARGIN;
    m->stack_size = stack_high - stack_low;
  }
  if (low > high) low = high;
  m->low = (low + 7) & ~(uintptr_t)7;

  struct measurement* outer = current_measurement;
  /* The painting below will wipe what the outer entry reached so far. */
  if (outer) take_peak(outer);
  m->outer = outer;
  current_measurement = m;
  pthread_mutex_lock(&running_lock);
  m->next = running;
  if (running) running->prev = m;
  running = m;
  pthread_mutex_unlock(&running_lock);
}

/* Takes M off the running list; false if the exit destructor took it first. */
static bool stop_measurement(struct measurement* m) {
  bool listed = false;
  pthread_mutex_lock(&running_lock);
  for (struct measurement* r = running; r; r = r->next) listed |= r == m;
  if (listed) {
    if (m->prev)
      m->prev->next = m->next;
    else
      running = m->next;
    if (m->next) m->next->prev = m->prev;
  }
  pthread_mutex_unlock(&running_lock);
  current_measurement = m->outer;
  return listed;
}

static long run_measured(struct measurement* m, const void* entry, void* a0, void* a1, void* a2) {
  start_measurement(m, entry);
  const long result = kstack_call_painted(entry, a0, a1, a2, m->low, &m->sp);
  take_peak(m);
  if (stop_measurement(m)) write_record(m, ENDED_RETURN);
  return result;
}

void* kstack_run(void* (*entry)(void*), void* arg) {
  struct measurement m;
  return (void*)run_measured(&m, (const void*)entry, arg, NULL, NULL);
}

/* At exit: every measurement still running, on this thread (exit was called
 * inside its entry) or on another. The lock is held throughout: a thread
 * whose entry returns meanwhile waits in stop_measurement until its record
 * is written, so no measurement is freed, or its stack reused, while it is
 * being read. */
__attribute__((destructor)) static void measure_at_exit(void) {
  const pid_t self = (pid_t)syscall(SYS_gettid);
  pthread_mutex_lock(&running_lock);
  for (struct measurement* m = running; m; m = m->next) take_peak(m);
  for (struct measurement* m = running; m; m = m->next)
    write_record(m, m->tid == self ? ENDED_EXIT : ENDED_RUNNING);
  running = NULL;
  pthread_mutex_unlock(&running_lock);
}

/* ---- interposition: main and pthread_create ---- */

static void* next_symbol(const char* name) {
  void* symbol = dlsym(RTLD_NEXT, name);
  if (!symbol) {
    write_stderr("kstack: cannot find the C library's ");
    write_stderr(name);
    write_stderr("\n");
    abort();
  }
  return symbol;
}

typedef int main_function(int, char**, char**);
static main_function* program_main;
static struct measurement main_measurement;

static int measured_main(int argc, char** argv, char** envp) {
  return (int)run_measured(&main_measurement, (const void*)program_main, (void*)(intptr_t)argc,
                           argv, envp);
}

/* glibc's start-up calls this with the program's main: the runtime puts
 * itself in between. */
int __libc_start_main(main_function* main, int argc, char** argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void* stack_end) {
  typedef int start_main(main_function*, int, char**, void (*)(void), void (*)(void),
                         void (*)(void), void*);
  start_main* next = (start_main*)next_symbol("__libc_start_main");
  program_main = main;
  return next(measured_main, argc, argv, init, fini, rtld_fini, stack_end);
}

struct thread_start {
  void* (*routine)(void*);
  void* arg;
};

static void thread_ended(void* value) {
  struct measurement* m = value;
  take_peak(m);
  if (stop_measurement(m)) write_record(m, ENDED_THREAD_EXIT);
  free(m);
}

static void make_thread_end_key(void) { pthread_key_create(&thread_end_key, thread_ended); }

static void* measured_thread(void* start_arg) {
  const struct thread_start start = *(struct thread_start*)start_arg;
  free(start_arg);
  struct measurement* m = malloc(sizeof *m);
  if (!m) return start.routine(start.arg);
  pthread_setspecific(thread_end_key, m);
  void* const result = (void*)run_measured(m, (const void*)start.routine, start.arg, NULL, NULL);
  pthread_setspecific(thread_end_key, NULL);
  free(m);
  return result;
}

int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*routine)(void*),
                   void* arg) {
  typedef int create_function(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
  static create_function* next;
  if (!next) next = (create_function*)next_symbol("pthread_create");
  pthread_once(&thread_end_once, make_thread_end_key);
  struct thread_start* start = malloc(sizeof *start);
  if (!start) return next(thread, attr, routine, arg);
  start->routine = routine;
  start->arg = arg;
  const int error = next(thread, attr, measured_thread, start);
  if (error) free(start);
  return error;
}

/* ---- the guard ---- */

/* Prints frame INDEX of the path, at CODE; true if it is ENTRY's. */
static bool print_frame(int index, const void* code, const struct code_location* entry) {
  struct code_location where;
  locate_code(code, &where);
  struct line l = {.length = 0};
  put(&l, "  #");
  put_unsigned(&l, (unsigned)index, 10);
  put(&l, " ");
  put(&l, where.name[0] ? where.name : "??");
  put(&l, " (");
  put(&l, where.module[0] ? where.module : "?");
  put(&l, "+");
  put_unsigned(&l, where.address, 16);
  put(&l, ")\n");
  write_all(2, l.text, l.length);
  return where.name[0] && strcmp(where.name, entry->name) == 0 &&
         strcmp(where.module, entry->module) == 0;
}

__attribute__((noinline, noreturn)) static void guard_failed(const char* function,
                                                             unsigned long limit, uintptr_t depth,
                                                             const void* return_address) {
  guard_failing = true;
  struct code_location entry;
  locate_entry(current_measurement->entry, &entry);
  struct line l = {.length = 0};
  put(&l, "kstack: stack limit of ");
  put_unsigned(&l, limit, 10);
  put(&l, " bytes crossed: '");
  put(&l, function);
  put(&l, "' entered with ");
  put_unsigned(&l, depth, 10);
  put(&l, " bytes in use, counted from the thread's entry '");
  put(&l, entry.name[0] ? entry.name : "?");
  put(&l, "'\nkstack: call path, innermost first:\n");
  write_all(2, l.text, l.length);
  void* frames[128];
  const int count = backtrace(frames, 128);
  /* The path starts at FUNCTION, where __kstack_guard returns to; the frames
   * above it are the runtime's own, and it ends at the thread's entry.
   * Return addresses point after their call: each is looked up one byte
   * back, in the call itself. */
  int first = 0;
  while (first < count && frames[first] != return_address) ++first;
  if (first == count) first = 0;
  for (int i = first; i < count; ++i)
    if (print_frame(i - first, (const char*)frames[i] - 1, &entry)) break;
  abort();
}

void __kstack_guard(const char* function, unsigned long limit) {
  const struct measurement* m = current_measurement;
  if (!m || guard_failing) return;
  /* The caller's stack pointer when it called here: its frame is complete. */
  const uintptr_t caller_sp = (uintptr_t)__builtin_dwarf_cfa();
  if (caller_sp < m->sp && m->sp - caller_sp > limit)
    guard_failed(function, limit, m->sp - caller_sp, __builtin_return_address(0));
}
