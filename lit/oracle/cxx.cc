// C++: methods, virtual calls, multiple and virtual inheritance (this- and
// vcall-adjusting thunks), templates and inline functions in COMDAT groups,
// lambdas, constructor/destructor aliases. Frames equal .su and call pairs
// .ci at every level; the thunks GCC prints as assembly text (no .su line)
// are recorded with a tail call to the function they adjust for.
// REQUIRES: cxx
// RUN: %oracle_cxx check %s -- -O0 | FileCheck %s --check-prefix=ORACLE
// RUN: %oracle_cxx check %s -- -O2 | FileCheck %s --check-prefix=ORACLE
// RUN: %oracle_cxx check %s -- -Os | FileCheck %s --check-prefix=ORACLE
// ORACLE: frames [[N:[1-9][0-9]*]]/[[N]] match .su, {{.*}} 0 mismatching sources, 0 crashes
// RUN: %cxx -O0 -c %s -o %t.o -fplugin=%plugin
// RUN: %kstack dump %t.o | FileCheck %s
// CHECK-DAG: {{^}}  _ZThn{{8|16}}_N3Key1gEi  global thunk artificial  {{.*}}no su line
// CHECK-DAG: {{^}}    tail call _ZN3Key1gEi
// CHECK-DAG: {{^}}  _ZN2ns6Widget6methodEi  global
// CHECK-DAG: {{^}}  _Z5twiceIiET_S0_  weak comdat
// CHECK-DAG: {{^}}  alias _ZN3KeyD1Ev -> _ZN3KeyD2Ev  global
extern "C" int sink(const void *p, int n);

struct Base1 {
  virtual ~Base1() {}
  virtual int f(int x) { return sink(this, x); }
  int a = 1;
};
struct Base2 {
  virtual ~Base2() {}
  virtual int g(int x) {
    char buf[100];
    __builtin_memset(buf, x, sizeof buf);
    return sink(buf, x);
  }
  int b = 2;
};
struct Key : Base1, Base2 {
  int g(int x) override;
  virtual void key();
  ~Key() override;
};
int Key::g(int x) { return sink(this, x) + 3; }
void Key::key() {}
Key::~Key() { sink(this, 0); }

struct VBase {
  virtual int h(int x) { return x; }
  virtual ~VBase() {}
};
struct Mid : virtual VBase {
  int h(int x) override;
};
int Mid::h(int x) { return sink(this, x) * 2; }

template <typename T> T twice(T x) {
  T buf[8] = {};
  buf[1] = x;
  return (T)sink(buf, (int)x) + x;
}

namespace ns {
struct Widget {
  int method(int x);
  static int smethod(int);
};
int Widget::method(int x) { return sink(this, x); }
int Widget::smethod(int x) {
  auto l = [x](int y) { return sink(&y, x + y); };
  return l(x) + l(x + 1);
}
}  // namespace ns

int use(Base2 *b, int x) {
  Key k;
  Mid m;
  return b->g(x) + k.g(x) + twice(x) + twice<long>(x) + m.h(x) + ns::Widget::smethod(x);
}
