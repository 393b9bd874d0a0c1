package se.kompetensmal.packages;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Finds link entries in a zip. {@link java.util.zip.ZipFile} does not tell them apart from files (a link is an entry whose
 * Unix mode, in the central directory's external attributes, says "symbolic link", its content being the target), so
 * the central directory is read here for that one fact. A link would let a package's files point anywhere on the
 * server, so a zip with one is refused.
 */
final class ZipLinks {

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int UNIX = 3;
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;

    private ZipLinks() {
    }

    /**
     * What the central directory says: how many entries it lists and the name of the first link entry, if any. With
     * {@code found} false it could not be read (ZipFile then says why). A directory larger than {@code maxBytes} is not
     * read (its entry count is enough to refuse the zip).
     */
    record Directory(boolean found, long entries, Optional<String> firstLink) {
        static final Directory NONE = new Directory(false, 0, Optional.empty());
    }

    static Directory read(Path zip, Charset names, long maxBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = channel.size();
            int tail = (int) Math.min(size, 22 + 65535 + 20);
            ByteBuffer end = read(channel, size - tail, tail);
            int eocd = -1;
            for (int i = tail - 22; i >= 0; i--) {
                if (end.getInt(i) == EOCD) {
                    eocd = i;
                    break;
                }
            }
            if (eocd < 0) {
                return Directory.NONE;
            }
            long entries = Short.toUnsignedLong(end.getShort(eocd + 10));
            long directorySize = Integer.toUnsignedLong(end.getInt(eocd + 12));
            long offset = Integer.toUnsignedLong(end.getInt(eocd + 16));
            if ((entries == 0xFFFF || offset == 0xFFFFFFFFL || directorySize == 0xFFFFFFFFL) && eocd >= 20
                    && end.getInt(eocd - 20) == ZIP64_LOCATOR) {
                long zip64 = end.getLong(eocd - 20 + 8);
                ByteBuffer record = read(channel, zip64, 56);
                if (record.getInt(0) != ZIP64_EOCD) {
                    return Directory.NONE;
                }
                entries = record.getLong(32);
                directorySize = record.getLong(40);
                offset = record.getLong(48);
            }
            if (offset + directorySize > size) {
                return Directory.NONE;
            }
            if (directorySize > maxBytes) {
                return new Directory(true, entries, Optional.empty());
            }
            ByteBuffer directory = read(channel, offset, (int) directorySize);
            int at = 0;
            for (long n = 0; n < entries && at + 46 <= directorySize; n++) {
                if (directory.getInt(at) != CENTRAL) {
                    return Directory.NONE;
                }
                int madeBy = Short.toUnsignedInt(directory.getShort(at + 4)) >> 8;
                int flags = Short.toUnsignedInt(directory.getShort(at + 8));
                int nameLength = Short.toUnsignedInt(directory.getShort(at + 28));
                int extraLength = Short.toUnsignedInt(directory.getShort(at + 30));
                int commentLength = Short.toUnsignedInt(directory.getShort(at + 32));
                int mode = directory.getInt(at + 38) >>> 16;
                if (madeBy == UNIX && (mode & S_IFMT) == S_IFLNK) {
                    byte[] name = new byte[Math.min(nameLength, (int) directorySize - at - 46)];
                    directory.get(at + 46, name);
                    return new Directory(true, entries,
                            Optional.of(new String(name, (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : names)));
                }
                at += 46 + nameLength + extraLength + commentLength;
            }
            return new Directory(true, entries, Optional.empty());
        }
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.flip().order(ByteOrder.LITTLE_ENDIAN);
    }
}
