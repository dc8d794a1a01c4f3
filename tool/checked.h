// Bounds-checked access to untrusted bytes: the one place where kstack checks
// offsets, sizes and overflow. Every parser reads its input through a
// ByteSpan, so it can index freely: an access outside the span, or a size
// computation that overflows, throws InputError carrying the file offset where
// the bad data sits, and the caller turns that into one diagnostic. Integers
// are loaded byte-wise in the span's byte order, so no alignment is assumed
// (kstack note descriptors are only 4-byte aligned, ELF64 fields are u64).
#ifndef KSTACK_TOOL_CHECKED_H
#define KSTACK_TOOL_CHECKED_H

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kstack {

// Malformed input: `offset` is the byte offset in the file (or archive
// member) being read; `message` is lowercase with no final period.
class InputError : public std::runtime_error {
 public:
  InputError(std::uint64_t offset, const std::string& message)
      : std::runtime_error(message), offset(offset) {}
  std::uint64_t offset;
};

enum class Endian { kLittle, kBig };

// a * b, or an InputError at `offset` if it does not fit in 64 bits.
inline std::uint64_t checked_mul(std::uint64_t a, std::uint64_t b, std::uint64_t offset) {
  std::uint64_t product;
  if (__builtin_mul_overflow(a, b, &product)) throw InputError(offset, "size overflows");
  return product;
}

inline std::uint64_t checked_add(std::uint64_t a, std::uint64_t b, std::uint64_t offset) {
  std::uint64_t sum;
  if (__builtin_add_overflow(a, b, &sum)) throw InputError(offset, "size overflows");
  return sum;
}

// A view of `size` bytes that sit at `file_offset` in the input. `what` names
// the structure for the "is truncated" error (a string literal: it is not
// copied). Sub-spans keep the byte order and the name unless renamed.
class ByteSpan {
 public:
  ByteSpan() = default;
  ByteSpan(const std::uint8_t* data, std::uint64_t size, std::uint64_t file_offset, Endian endian,
           const char* what)
      : data_(data), size_(size), file_offset_(file_offset), endian_(endian), what_(what) {}

  const std::uint8_t* data() const { return data_; }
  std::uint64_t size() const { return size_; }
  Endian endian() const { return endian_; }
  // The file offset of byte `offset` of this span, for diagnostics.
  std::uint64_t file_offset(std::uint64_t offset = 0) const { return file_offset_ + offset; }

  ByteSpan renamed(const char* what) const {
    return ByteSpan(data_, size_, file_offset_, endian_, what);
  }
  ByteSpan with_endian(Endian endian) const {
    return ByteSpan(data_, size_, file_offset_, endian, what_);
  }

  bool contains(std::uint64_t offset, std::uint64_t size) const {
    return offset <= size_ && size <= size_ - offset;
  }

  // Bytes [offset, offset + size), which must lie inside this span.
  ByteSpan sub(std::uint64_t offset, std::uint64_t size) const {
    if (!contains(offset, size)) fail_truncated(offset);
    return ByteSpan(data_ + offset, size, file_offset_ + offset, endian_, what_);
  }
  ByteSpan sub(std::uint64_t offset) const { return sub(offset, size_ - std::min(offset, size_)); }

  // `count` records of `entsize` bytes each, starting at `offset`.
  ByteSpan table(std::uint64_t offset, std::uint64_t count, std::uint64_t entsize) const {
    return sub(offset, checked_mul(count, entsize, file_offset(std::min(offset, size_))));
  }

  std::uint8_t u8(std::uint64_t offset) const { return load(offset, 1); }
  std::uint16_t u16(std::uint64_t offset) const { return load(offset, 2); }
  std::uint32_t u32(std::uint64_t offset) const { return load(offset, 4); }
  std::uint64_t u64(std::uint64_t offset) const { return load(offset, 8); }

  std::string_view chars(std::uint64_t offset, std::uint64_t size) const {
    ByteSpan bytes = sub(offset, size);
    return std::string_view(reinterpret_cast<const char*>(bytes.data_), size);
  }

  [[noreturn]] void fail(std::uint64_t offset, const std::string& message) const {
    throw InputError(file_offset(offset), message);
  }

 private:
  [[noreturn]] void fail_truncated(std::uint64_t offset) const {
    fail(std::min(offset, size_), std::string(what_) + " is truncated");
  }

  std::uint64_t load(std::uint64_t offset, unsigned width) const {
    if (!contains(offset, width)) fail_truncated(offset);
    std::uint64_t value = 0;
    for (unsigned i = 0; i < width; ++i) {
      unsigned byte = endian_ == Endian::kLittle ? width - 1 - i : i;
      value = value << 8 | data_[offset + byte];
    }
    return value;
  }

  const std::uint8_t* data_ = nullptr;
  std::uint64_t size_ = 0;
  std::uint64_t file_offset_ = 0;
  Endian endian_ = Endian::kLittle;
  const char* what_ = "input";
};

}  // namespace kstack

#endif  // KSTACK_TOOL_CHECKED_H
