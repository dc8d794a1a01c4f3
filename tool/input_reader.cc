// Files are mapped read-only rather than read: vmlinux.o is hundreds of
// megabytes and kstack looks at a small part of it. Offsets in diagnostics
// are relative to the file that is named, so for an archive member
// `lib.a(m.o)` they count from the start of the member, as in the extracted
// m.o.
#include "input_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "archive.h"
#include "checked.h"
#include "elf_file.h"
#include "note_reader.h"

namespace kstack {
namespace {

// A read-only mapping of a whole file; empty if the file is empty.
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (data_) munmap(data_, size_);
  }

  // Maps `path`; on failure returns the errno value, else 0.
  int open(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    struct stat status;
    int error = fstat(fd, &status) < 0 ? errno : S_ISDIR(status.st_mode) ? EISDIR : 0;
    if (!error && status.st_size > 0) {
      void* data = mmap(nullptr, status.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (data == MAP_FAILED) {
        error = errno;
      } else {
        data_ = data;
        size_ = status.st_size;
      }
    }
    close(fd);
    return error;
  }

  const std::uint8_t* data() const { return static_cast<const std::uint8_t*>(data_); }
  std::uint64_t size() const { return size_; }

 private:
  void* data_ = nullptr;
  std::uint64_t size_ = 0;
};

// Maps `path`, reporting a failure as an error of `input`.
bool map_file(const std::string& path, const std::string& input, Diagnostics& diagnostics,
              MappedFile& file) {
  int error = file.open(path);
  if (error) diagnostics.error(input, std::nullopt, std::string("cannot open: ") + strerror(error));
  return !error;
}

void read_elf_units(ByteSpan file, const std::string& input, Diagnostics& diagnostics,
                    std::vector<Unit>& units) {
  NoteScan scan;
  try {
    scan = read_kstack_notes(read_elf(file), input, diagnostics, units);
  } catch (const InputError& error) {
    diagnostics.error(input, error.offset, error.what());
    return;
  }
  if (scan.kstack_notes == 0 && scan.errors == 0)
    diagnostics.warning(input, "no kstack notes (not compiled with -fplugin=kstack.so?)");
}

ByteSpan whole_file(const std::uint8_t* data, std::uint64_t size) {
  return ByteSpan(data, size, 0, Endian::kLittle, "file");
}

void read_member(const std::string& input, ByteSpan member, Diagnostics& diagnostics,
                 std::vector<Unit>& units) {
  if (is_elf(member))
    read_elf_units(member, input, diagnostics, units);
  else
    diagnostics.error(input, std::nullopt, "archive member is not an ELF file");
}

void read_archive_units(ByteSpan file, const std::string& path, Diagnostics& diagnostics,
                        std::vector<Unit>& units) {
  Archive archive = read_archive(file);
  std::string directory = path.substr(0, path.find_last_of('/') + 1);
  for (const ArchiveMember& member : archive.members) {
    std::string input = path + "(" + member.name + ")";
    if (!archive.thin) {
      // Rebase the member so that offsets count from its first byte.
      read_member(input, whole_file(member.data.data(), member.data.size()), diagnostics, units);
      continue;
    }
    std::string member_path =
        !member.name.empty() && member.name[0] == '/' ? member.name : directory + member.name;
    MappedFile contents;
    if (map_file(member_path, input, diagnostics, contents))
      read_member(input, whole_file(contents.data(), contents.size()), diagnostics, units);
  }
  if (archive.error) diagnostics.error(path, archive.error->offset, archive.error->what());
}

}  // namespace

void read_input_bytes(const std::string& path, const std::uint8_t* data, std::uint64_t size,
                      Diagnostics& diagnostics, std::vector<Unit>& units) {
  ByteSpan file = whole_file(data, size);
  if (is_elf(file))
    read_elf_units(file, path, diagnostics, units);
  else if (is_archive(file))
    read_archive_units(file, path, diagnostics, units);
  else
    diagnostics.error(path, std::nullopt, "not an ELF file or archive");
}

void read_input_file(const std::string& path, Diagnostics& diagnostics, std::vector<Unit>& units) {
  MappedFile file;
  if (map_file(path, path, diagnostics, file))
    read_input_bytes(path, file.data(), file.size(), diagnostics, units);
}

namespace {

void strip_prefix(std::string& path, const std::vector<std::string>& prefixes) {
  for (std::string_view prefix : prefixes) {
    while (prefix.size() > 1 && prefix.back() == '/') prefix.remove_suffix(1);
    if (prefix.empty() || path.compare(0, prefix.size(), prefix) != 0) continue;
    if (path.size() > prefix.size() && path[prefix.size()] == '/') {
      path.erase(0, prefix.size() + 1);
      return;
    }
  }
}

}  // namespace

void strip_source_prefixes(std::vector<Unit>& units, const std::vector<std::string>& prefixes) {
  if (prefixes.empty()) return;
  for (Unit& unit : units) {
    strip_prefix(unit.main_input, prefixes);
    for (Function& f : unit.functions) {
      strip_prefix(f.file, prefixes);
      for (Call& call : f.calls) strip_prefix(call.file, prefixes);
      for (FramePart& part : f.frame_parts) strip_prefix(part.file, prefixes);
    }
  }
}

}  // namespace kstack
