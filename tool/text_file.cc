// Reading a whole text file (see text_file.h): open, refuse a directory,
// read in large blocks, report the first error.
#include "text_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kstack {

std::optional<std::string> read_text_file(const std::string& path, Diagnostics& diagnostics) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  int error = fd < 0 ? errno : 0;
  struct stat status;
  if (!error) error = fstat(fd, &status) < 0 ? errno : S_ISDIR(status.st_mode) ? EISDIR : 0;
  std::string text;
  if (!error) text.reserve(status.st_size);
  char buffer[1 << 16];
  while (!error) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    text.append(buffer, n);
  }
  if (fd >= 0) close(fd);
  if (error) {
    diagnostics.error(path, std::nullopt, std::string("cannot open: ") + strerror(error));
    return std::nullopt;
  }
  return text;
}

}  // namespace kstack
