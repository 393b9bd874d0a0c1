package se.kompetensmal.packages;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.inject.Singleton;

/**
 * How large a package may be: the uploaded zip, the number of files in it and their size once unpacked. The unpacked
 * size is counted while unpacking, never taken from the zip's headers, so a zip bomb is stopped at the limit.
 */
@Singleton
public class PackageLimits {

    private final int maxFiles;
    private final long maxUnpackedBytes;
    private final long maxUploadBytes;

    public PackageLimits(@Value("${kompetensmal.packages.max-files:10000}") int maxFiles,
                         @Value("${kompetensmal.packages.max-unpacked-bytes:2GB}") @ReadableBytes long maxUnpackedBytes,
                         @Value("${kompetensmal.packages.max-upload-bytes:1GB}") @ReadableBytes long maxUploadBytes) {
        this.maxFiles = maxFiles;
        this.maxUnpackedBytes = maxUnpackedBytes;
        this.maxUploadBytes = maxUploadBytes;
    }

    public int maxFiles() {
        return maxFiles;
    }

    public long maxUnpackedBytes() {
        return maxUnpackedBytes;
    }

    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    /** A size as a coordinator reads it: "1 GB", "250 MB", "12 kB". */
    public static String readable(long bytes) {
        long mb = 1024L * 1024;
        if (bytes >= 1024 * mb && bytes % (1024 * mb) == 0) {
            return bytes / (1024 * mb) + " GB";
        }
        if (bytes >= mb) {
            return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (double) mb).replace(".0 ", " ").replace('.', ',');
        }
        return Math.max(1, (bytes + 1023) / 1024) + " kB";
    }
}
