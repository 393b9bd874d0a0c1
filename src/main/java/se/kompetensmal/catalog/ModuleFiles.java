package se.kompetensmal.catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * One module as a zip in exactly the {@code courses/} layout: what a coordinator exports from the browser editor, keeps
 * or hands on, and imports again; and what could be copied into {@code courses/} as it is. Read through the same reader
 * and {@link ModuleRules} as the shipped folder, so a zip is judged by the same rules with problems naming file and line.
 */
public final class ModuleFiles {

    public static final int MAX_ENTRIES = 500;
    public static final long MAX_UNCOMPRESSED = 20L * 1024 * 1024;

    private ModuleFiles() {
    }

    /** A module read from a zip: the module (its images with bytes), the images, and the goals its catalogue.yml brings. */
    public record Read(CourseContent.Module module, List<ImageFile> images, List<CourseContent.Goal> ownGoals) {
    }

    /**
     * Reads a zip holding exactly one module folder under {@code modules/} and optionally a {@code catalogue.yml} with
     * goals the module brings; throws {@link InvalidCourseContentException} with every problem otherwise.
     */
    public static Read readZip(byte[] zip, ModuleRules.Known known) {
        SortedMap<String, byte[]> files = entries(zip);
        Set<String> folders = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (String path : files.keySet()) {
            String[] parts = path.split("/");
            if (parts.length >= 3 && parts[0].equals("modules")) {
                folders.add(parts[1]);
            } else if (!path.equals("catalogue.yml")) {
                problems.add(path + ": filen hör inte till formatet (bara catalogue.yml och modules/<modul>/… får finnas)");
            }
        }
        if (folders.size() != 1) {
            problems.add("zip-filen: ska innehålla exakt en modulmapp under modules/, men har " + folders.size()
                    + (folders.isEmpty() ? "" : " (" + String.join(", ", folders) + ")"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidCourseContentException(problems);
        }
        CourseContent content = CourseContentReader.readFiles("", files, known);
        if (content.modules().size() != 1) {
            throw new InvalidCourseContentException(List.of("zip-filen: modulen kunde inte läsas"));
        }
        CourseContent.Module module = content.modules().get(0);
        return new Read(module, module.images(), content.goals());
    }

    private static SortedMap<String, byte[]> entries(byte[] zip) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        long total = 0;
        int count = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (++count > MAX_ENTRIES) {
                    throw new InvalidCourseContentException(List.of("zip-filen: har fler än " + MAX_ENTRIES + " filer"));
                }
                String name = entry.getName();
                String unsafe = pathProblem(name);
                if (unsafe != null) {
                    problems.add(name + ": " + unsafe);
                    continue;
                }
                if (entry.isDirectory()) {
                    continue;
                }
                byte[] bytes = readAtMost(in, MAX_UNCOMPRESSED - total);
                if (bytes == null) {
                    throw new InvalidCourseContentException(List.of("zip-filen: packar upp till mer än 20 MB"));
                }
                total += bytes.length;
                if (hidden(name)) {
                    continue;
                }
                if (files.put(name, bytes) != null) {
                    problems.add(name + ": filen finns mer än en gång i zip-filen");
                }
            }
        } catch (ZipException e) {
            throw new InvalidCourseContentException(List.of("zip-filen: kan inte läsas som zip (" + e.getMessage() + ")"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (count == 0) {
            problems.add("zip-filen: är tom eller inte en zip-fil");
        }
        if (!problems.isEmpty()) {
            throw new InvalidCourseContentException(problems);
        }
        return files;
    }

    /** Why an entry's name may not be unpacked: absolute, or leading out of the folder (zip slip). */
    static String pathProblem(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.matches("^[A-Za-z]:.*")
                || name.indexOf('\0') >= 0) {
            return "ogiltig eller absolut sökväg i zip-filen";
        }
        for (String part : name.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                return "sökvägen pekar ut ur mappen (..) och packas inte upp";
            }
        }
        return null;
    }

    private static boolean hidden(String name) {
        for (String part : name.split("/")) {
            if (part.startsWith(".") || part.equals("__MACOSX")) {
                return true;
            }
        }
        return false;
    }

    /** The entry's bytes, or null when it holds more than {@code limit}: sizes in the zip's header may lie. */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long read = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            read += n;
            if (read > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** The module in exactly the courses/ layout; {@code catalogue.yml} only when it carries goals. */
    public static byte[] writeZip(CourseContent.Module m, List<ImageFile> images, List<CourseContent.Goal> ownGoals) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            if (!ownGoals.isEmpty()) {
                put(zip, "catalogue.yml", catalogueYml(ownGoals));
            }
            String dir = "modules/" + m.code() + "/";
            put(zip, dir + "module.yml", moduleYml(m));
            if (m.external() == null) {
                int width = Math.max(2, String.valueOf(m.pages().size()).length());
                for (int i = 0; i < m.pages().size(); i++) {
                    CourseContent.Page page = m.pages().get(i);
                    String name = String.format(Locale.ROOT, "%0" + width + "d-%s.md", i + 1, slug(page.title()));
                    put(zip, dir + "pages/" + name, "# " + page.title() + "\n\n" + page.markdown() + "\n");
                }
                put(zip, dir + "assessment.yml", assessmentYml(m));
            }
            for (ImageFile image : images) {
                zip.putNextEntry(new ZipEntry(dir + "images/" + image.fileName()));
                zip.write(image.bytes());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static String moduleYml(CourseContent.Module m) {
        StringBuilder y = new StringBuilder();
        y.append("id: ").append(m.code()).append('\n');
        y.append("title: ").append(quoted(m.title())).append('\n');
        y.append("summary: ").append(quoted(m.summary())).append('\n');
        y.append("estimated_minutes: ").append(m.estimatedMinutes()).append('\n');
        y.append("audiences: ").append(list(m.audiences())).append('\n');
        y.append("goals: ").append(list(m.goals())).append('\n');
        if (m.external() != null) {
            y.append("xapi_activity_id: ").append(quoted(m.external().activityId())).append('\n');
            y.append("launch_url: ").append(quoted(m.external().launchUrl())).append('\n');
        } else {
            y.append("pass_mark: ").append(m.passMark()).append('\n');
        }
        return y.toString();
    }

    private static String assessmentYml(CourseContent.Module m) {
        StringBuilder y = new StringBuilder("questions:\n");
        for (CourseContent.Question q : m.questions()) {
            y.append("  - id: ").append(quoted(q.code())).append('\n');
            y.append("    text: ").append(quoted(q.text())).append('\n');
            y.append("    options:\n");
            for (CourseContent.Option o : q.options()) {
                y.append("      - text: ").append(quoted(o.text())).append('\n');
                y.append("        correct: ").append(o.correct()).append('\n');
                y.append("        feedback: ").append(quoted(o.feedback())).append('\n');
            }
            y.append('\n');
        }
        return y.toString();
    }

    private static String catalogueYml(List<CourseContent.Goal> goals) {
        StringBuilder y = new StringBuilder("# Competence goals this module brings with it (an organisation's own goals).\ngoals:\n");
        for (CourseContent.Goal g : goals) {
            y.append("  - code: ").append(g.code()).append('\n');
            y.append("    audiences: ").append(list(g.audiences())).append('\n');
            y.append("    area: ").append(g.area().name()).append('\n');
            y.append("    kind: ").append(g.kind().name()).append('\n');
            y.append("    text_sv: ").append(quoted(g.textSv())).append('\n');
            if (g.textEn() != null && !g.textEn().isBlank()) {
                y.append("    text_en: ").append(quoted(g.textEn())).append('\n');
            }
            y.append('\n');
        }
        return y.toString();
    }

    private static String list(List<String> codes) {
        return "[" + String.join(", ", codes.stream().map(ModuleFiles::quoted).toList()) + "]";
    }

    /** A YAML double-quoted scalar: every text reads back exactly as written, whatever characters it holds. */
    static String quoted(String text) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
                        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    /** A page's file name from its title: lower case a–z and digits, å ä ö as a a o. */
    static String slug(String title) {
        String plain = Normalizer.normalize(title.toLowerCase(Locale.ROOT), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String slug = plain.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 50) {
            slug = slug.substring(0, 50).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "sida" : slug;
    }
}
