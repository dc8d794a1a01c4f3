// Reading a whole text file (see text_file.h): open, refuse a directory,
// read in large blocks (or map), report the first error.
#include "text_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kstack {

namespace {

// PATH opened for reading, refusing a directory: the descriptor (and its
// STATUS), or -1 after reporting why to DIAGNOSTICS.
int open_file(const std::string& path, struct stat& status, Diagnostics& diagnostics) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  int error = fd < 0 ? errno : 0;
  if (!error) error = fstat(fd, &status) < 0 ? errno : S_ISDIR(status.st_mode) ? EISDIR : 0;
  if (!error) return fd;
  if (fd >= 0) close(fd);
  diagnostics.error(path, std::nullopt, std::string("cannot open: ") + strerror(error));
  return -1;
}

}  // namespace

std::optional<std::string> read_text_file(const std::string& path, Diagnostics& diagnostics) {
  struct stat status;
  const int fd = open_file(path, status, diagnostics);
  if (fd < 0) return std::nullopt;
  std::string text;
  text.reserve(status.st_size);
  char buffer[1 << 16];
  int error = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    text.append(buffer, n);
  }
  close(fd);
  if (error) {
    diagnostics.error(path, std::nullopt, std::string("cannot open: ") + strerror(error));
    return std::nullopt;
  }
  return text;
}

std::optional<MappedTextFile> MappedTextFile::map(const std::string& path,
                                                  Diagnostics& diagnostics) {
  struct stat status;
  const int fd = open_file(path, status, diagnostics);
  if (fd < 0) return std::nullopt;
  void* data = nullptr;
  if (status.st_size > 0) {
    data = mmap(nullptr, status.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data == MAP_FAILED) {
      const int error = errno;
      close(fd);
      diagnostics.error(path, std::nullopt, std::string("cannot open: ") + strerror(error));
      return std::nullopt;
    }
  }
  close(fd);
  return MappedTextFile(data, static_cast<std::size_t>(status.st_size));
}

MappedTextFile::~MappedTextFile() {
  if (data_) munmap(data_, size_);
}

}  // namespace kstack
