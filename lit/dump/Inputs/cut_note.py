# Cuts the .discard.kstack section of a real object short, to see how kstack
# reports the damage, and prints where things are so that FileCheck can
# capture the offsets (they depend on the target and the compiler):
#   cut_note.py IN OUT file DELTA     OUT is IN's first (section offset + DELTA) bytes
#   cut_note.py IN OUT section SIZE   OUT is IN with the section's sh_size set to
#                                     SIZE, or to its size minus -SIZE if negative
# Prints "section INDEX at OFFSET size SIZE", then "note at OFFSET" for each
# note in the section, then "cut at OFFSET" (the new end of the file or the
# section), offsets in hex.
import struct
import sys

source, target, mode, amount = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4], 0)
data = bytearray(open(source, "rb").read())
is_64 = data[4] == 2
endian = "<" if data[5] == 1 else ">"
word = "Q" if is_64 else "I"

# e_shoff, then e_shentsize, e_shnum, e_shstrndx at the end of the header.
shoff = struct.unpack_from(endian + word, data, 0x28 if is_64 else 0x20)[0]
shentsize, shnum, shstrndx = struct.unpack_from(endian + "HHH", data, 0x3a if is_64 else 0x2e)
# sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size.
header = endian + ("IIQQQQ" if is_64 else "IIIIII")
size_field = 0x20 if is_64 else 0x14


def section(index):
    return struct.unpack_from(header, data, shoff + index * shentsize)


names_offset = section(shstrndx)[4]
for index in range(shnum):
    name, _, _, _, offset, size = section(index)
    end = data.index(b"\0", names_offset + name)
    if data[names_offset + name:end] == b".discard.kstack":
        break
else:
    sys.exit("cut_note.py: no .discard.kstack section in " + source)

print("section %d at 0x%x size 0x%x" % (index, offset, size))
note = offset
while note < offset + size:
    print("note at 0x%x" % note)
    namesz, descsz = struct.unpack_from(endian + "II", data, note)
    note += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4

if mode == "file":
    cut = offset + amount
    data = data[:cut]
else:
    new_size = amount if amount >= 0 else size + amount
    struct.pack_into(endian + word, data, shoff + index * shentsize + size_field, new_size)
    cut = offset + new_size
print("cut at 0x%x" % cut)
open(target, "wb").write(data)
