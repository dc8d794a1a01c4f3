// Writes the encoder-made part of the fuzzer's seed corpus into a directory:
// every ELF class, byte order and type the reader accepts, the note layouts a
// newer writer of the same version may produce (longer header and records, an
// unknown table), several notes in one section, and the three archive
// flavours. Real objects from the plugin complete the corpus (run.sh).
//
//   kstack_fuzz_seeds DIRECTORY
#include <cstdio>
#include <fstream>
#include <string>

#include "note_builder.h"

namespace kstack::test {
namespace {

void write_seed(const std::string& directory, const std::string& name, const Bytes& bytes) {
  std::ofstream(directory + "/" + name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

int write_seeds(const std::string& directory) {
  Unit unit = sample_unit();
  for (bool is_64 : {false, true}) {
    for (Endian endian : {Endian::kLittle, Endian::kBig}) {
      std::string name =
          std::string(is_64 ? "elf64" : "elf32") + (endian == Endian::kLittle ? "le" : "be");
      Bytes descriptor = encode_descriptor(unit, endian).bytes;
      write_seed(directory, name + ".o", build_kstack_elf({is_64, endian}, {descriptor}));
      std::uint16_t linked = is_64 ? ET_DYN : ET_EXEC;  // an executable or a shared object
      write_seed(directory, name + "-linked",
                 build_kstack_elf({is_64, endian, linked}, {descriptor}));
      write_seed(directory, name + "-extended.o",
                 build_kstack_elf({is_64, endian, ET_REL, true}, {descriptor}));
    }
  }

  DescriptorOptions newer;
  newer.header_padding = 8;
  newer.entsize_padding = 4;
  newer.unknown_table = true;
  Bytes plain = encode_descriptor(unit, Endian::kLittle).bytes;
  Bytes padded = encode_descriptor(unit, Endian::kLittle, newer).bytes;
  write_seed(directory, "newer-layout.o", build_kstack_elf({}, {padded}));
  // What `ld -r` makes: one section, one note per unit, and a foreign note.
  Section notes{note::kNoteSection, SHT_NOTE, note::kNoteAlign, {}};
  append_kstack_note(notes.bytes, Endian::kLittle, plain);
  append_note(notes.bytes, Endian::kLittle, "GNU", NT_GNU_BUILD_ID, Bytes(20, 0xab));
  append_kstack_note(notes.bytes, Endian::kLittle, padded);
  write_seed(directory, "relocatable-link.o", build_elf({}, {notes}));

  Bytes object = build_kstack_elf({}, {plain});
  std::vector<Member> members = {{"a.o", object}, {"a_very_long_member_name.o", object}};
  write_seed(directory, "gnu.a", build_archive(ArchiveFlavor::kGnu, members));
  write_seed(directory, "bsd.a", build_archive(ArchiveFlavor::kBsd, members));
  write_seed(directory, "thin.a", build_archive(ArchiveFlavor::kThin, members));
  return 0;
}

}  // namespace
}  // namespace kstack::test

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: kstack_fuzz_seeds DIRECTORY\n");
    return 2;
  }
  return kstack::test::write_seeds(argv[1]);
}
