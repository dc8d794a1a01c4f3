// Seed source for the reader's fuzzer: C++ thunks, COMDAT functions, and
// calls through a virtual table.
struct Left {
  virtual int left(int n) { return n; }
  virtual ~Left() = default;
};
struct Right {
  virtual int right(int n) { return n + 1; }
  virtual ~Right() = default;
};
struct Both : Left, Right {
  int right(int n) override { return n * 2; }
};

template <typename T>
int call_right(T& object, int n) {
  return object.right(n);
}

int run(int n) {
  Both both;
  Right& right = both;
  return call_right(right, n) + both.left(n);
}
