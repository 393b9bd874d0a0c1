package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;

import java.util.Arrays;
import java.util.Objects;

/**
 * An image of a module: its file name (as pages name it, {@code images/<fileName>}), its type as read from its bytes by
 * {@link ImageFiles#check}, and the bytes. Bytes are null where only the name and type are known (a module validated
 * from an editor draft, whose bytes stay in {@code module_image}). Equal by content, so that modules compare by value.
 */
public record ImageFile(String fileName, String contentType, @Nullable byte[] bytes) {

    @Override
    public boolean equals(Object other) {
        return other instanceof ImageFile o && fileName.equals(o.fileName) && contentType.equals(o.contentType)
                && Arrays.equals(bytes, o.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fileName, contentType) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ImageFile[" + fileName + ", " + contentType + ", " + (bytes == null ? "-" : bytes.length + " bytes") + "]";
    }
}
