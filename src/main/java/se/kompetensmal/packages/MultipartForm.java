package se.kompetensmal.packages;

import io.micronaut.core.annotation.Nullable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A multipart form read from the raw request body, as it streams in: every field with all its values (Micronaut binds
 * only the first of several parts with one name, and a form with checkboxes sends one part per box), and the file
 * written to disk in the package store's temporary folder as it arrives, never held in memory. Closing it deletes the
 * file. Public for the other form with a file, a registered completion's evidence; its refusals are {@link PackageRefused}
 * with the Swedish message.
 */
public final class MultipartForm implements AutoCloseable {

    private final DefaultHttpDataFactory factory;
    private final HttpPostMultipartRequestDecoder decoder;

    private MultipartForm(DefaultHttpDataFactory factory, HttpPostMultipartRequestDecoder decoder) {
        this.factory = factory;
        this.decoder = decoder;
    }

    /**
     * Reads the whole body. More than {@code maxBytes} is refused with {@code tooLarge} as it arrives (the rest is not
     * read). {@code onField} is told each field as soon as it has arrived, so that the CSRF token, which comes before the
     * file, is checked before the file is read; what it throws ends the reading.
     */
    public static MultipartForm read(String contentType, InputStream body, Path tempDir, long maxBytes, String tooLarge,
                              java.util.function.BiConsumer<String, String> onField) {
        DefaultHttpDataFactory factory = new DefaultHttpDataFactory(16 * 1024);
        try {
            Files.createDirectories(tempDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        factory.setBaseDir(tempDir.toString());
        factory.setDeleteOnExit(false);
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/", headers);
        HttpPostMultipartRequestDecoder decoder;
        try {
            decoder = new HttpPostMultipartRequestDecoder(factory, request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            factory.cleanAllHttpData();
            throw new PackageRefused("Formuläret kom inte fram som ett formulär med en fil. Ladda om sidan och försök igen.");
        }
        MultipartForm form = new MultipartForm(factory, decoder);
        try {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = body.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new PackageRefused(tooLarge);
                }
                ByteBuf chunk = Unpooled.copiedBuffer(buffer, 0, n);
                try {
                    decoder.offer(new DefaultHttpContent(chunk));
                } finally {
                    chunk.release();
                }
                form.arrived(onField);
            }
            decoder.offer(LastHttpContent.EMPTY_LAST_CONTENT);
            form.arrived(onField);
            return form;
        } catch (IOException e) {
            form.close();
            throw new UncheckedIOException(e);
        } catch (io.netty.handler.codec.DecoderException | IllegalArgumentException | IllegalStateException e) {
            form.close();
            throw new PackageRefused("Formuläret kunde inte läsas (" + e.getMessage() + "). Ladda om sidan och försök igen.");
        } catch (RuntimeException e) {
            form.close();
            throw e;
        }
    }

    /** Tells {@code onField} the fields decoded since the last call. */
    private void arrived(java.util.function.BiConsumer<String, String> onField) throws IOException {
        try {
            while (decoder.hasNext()) {
                InterfaceHttpData data = decoder.next();
                if (data instanceof Attribute attribute) {
                    onField.accept(attribute.getName(), attribute.getValue());
                }
            }
        } catch (HttpPostRequestDecoder.EndOfDataDecoderException e) {
            // every part has been seen
        }
    }

    /** Every value of the field, in the order sent. */
    public List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (InterfaceHttpData data : parts(name)) {
            if (data instanceof Attribute attribute) {
                try {
                    values.add(attribute.getValue());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return values;
    }

    /** The field's first value, or null. */
    public @Nullable String value(String name) {
        List<String> values = values(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The file sent in the field, if one with a name and content was sent. */
    public @Nullable FileUpload file(String name) {
        for (InterfaceHttpData data : parts(name)) {
            if (data instanceof FileUpload upload && upload.getFilename() != null && !upload.getFilename().isBlank()
                    && upload.length() > 0) {
                return upload;
            }
        }
        return null;
    }

    private List<InterfaceHttpData> parts(String name) {
        List<InterfaceHttpData> parts = decoder.getBodyHttpDatas(name);
        return parts == null ? List.of() : parts;
    }

    /** The file's content, read from disk (or memory when it is small). */
    public static InputStream content(FileUpload upload) throws IOException {
        return upload.isInMemory() ? new ByteArrayInputStream(upload.get()) : Files.newInputStream(upload.getFile().toPath());
    }

    @Override
    public void close() {
        try {
            decoder.destroy();
        } catch (RuntimeException e) {
            // already destroyed
        }
        factory.cleanAllHttpData();
    }
}
