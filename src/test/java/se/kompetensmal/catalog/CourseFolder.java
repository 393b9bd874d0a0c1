package se.kompetensmal.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A copy of the shipped {@code courses/} folder that a test may change without touching the real one. */
final class CourseFolder {

    final Path root;

    private CourseFolder(Path root) {
        this.root = root;
    }

    static CourseFolder copyOfShipped() {
        try {
            Path source = Path.of("courses");
            Path target = Files.createTempDirectory("courses-test").resolve("courses");
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                    Files.copy(file, target.resolve(source.relativize(file).toString()));
                }
            }
            return new CourseFolder(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(String file) {
        try {
            return Files.readString(root.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(String file, String content) {
        try {
            Files.createDirectories(root.resolve(file).getParent());
            Files.writeString(root.resolve(file), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void replace(String file, String from, String to) {
        String text = read(file);
        if (!text.contains(from)) {
            throw new IllegalArgumentException(file + " does not contain " + from);
        }
        write(file, text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    }

    void delete(String file) {
        try {
            Files.delete(root.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a module to a new folder under a new id, so that a test has a module of its own. */
    String copyModule(String folder, String newId) {
        try {
            Path source = root.resolve("modules").resolve(folder);
            Path target = root.resolve("modules").resolve(newId);
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.sorted().toList()) {
                    Files.copy(file, target.resolve(source.relativize(file).toString()));
                }
            }
            String moduleFile = "modules/" + newId + "/module.yml";
            write(moduleFile, read(moduleFile).replaceFirst("(?m)^id:.*$", "id: " + newId));
            return newId;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
