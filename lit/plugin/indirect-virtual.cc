// A C++ virtual call is described by the class and the vtable slot it
// loads; the vtables' entries are stores into their _ZTV variables, with
// no signature of their own (the entry type `int (*)()` says nothing).
// REQUIRES: cxx
// RUN: cd %S && %cxx -O2 -c indirect-virtual.cc -o %t.o -fplugin=%plugin
// RUN: %kstack dump %t.o | FileCheck %s
// CHECK-LABEL: {{^}}  _Z5totalRKN6shapes5ShapeE  global
// CHECK-NEXT: {{^}}    indirect call  indirect-virtual.cc:[[#LINE:]]:{{[0-9]+}}  type 'void (shapes::Shape *)' v(*{shapes::Shape})  from virtual shapes::Shape slot [[#DRAW:]]
// CHECK-NEXT: {{^}}    tail indirect call  indirect-virtual.cc:[[#LINE]]:{{[0-9]+}}  type 'int (shapes::Shape *, int)' i32(*{shapes::Shape},i32)  from virtual shapes::Shape slot [[#DRAW-1]]
// CHECK-DAG: {{^}}  store _ZNK6shapes6Square4areaEi -> global _ZTVN6shapes6SquareE  indirect-virtual.cc:[[#SQUARE:]]
// CHECK-DAG: {{^}}  store _ZNK6shapes5Shape4drawEv -> global _ZTVN6shapes6SquareE  indirect-virtual.cc:[[#SQUARE]]
// CHECK-DAG: {{^}}  store _ZNK6shapes6Circle4areaEi -> global _ZTVN6shapes6CircleE  indirect-virtual.cc:[[#CIRCLE:]]
// CHECK-DAG: {{^}}  store _ZNK6shapes6Circle4drawEv -> global _ZTVN6shapes6CircleE  indirect-virtual.cc:[[#CIRCLE]]
extern "C" void consume(const void *);
namespace shapes {
struct Shape {
  virtual ~Shape() {}
  virtual int area(int scale) const = 0;
  virtual void draw() const { consume(this); }
};
struct Square : Shape {
  int side = 2;
  int area(int scale) const override { return side * side * scale; }
};
struct Circle : Shape {
  int r = 1;
  int area(int scale) const override { char buf[64]; consume(buf); return 3 * r * r * scale; }
  void draw() const override { char buf[128]; consume(buf); }
};
}  // namespace shapes
int total(const shapes::Shape &s) { s.draw(); return s.area(2); }
shapes::Shape *make(int k) { if (k) return new shapes::Square; return new shapes::Circle; }
