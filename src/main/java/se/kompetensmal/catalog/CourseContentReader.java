package se.kompetensmal.catalog;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads and validates the goal catalogue and the modules in a {@code courses/} folder (format in courses/README.md).
 * It collects every problem before giving up, so that an editor can fix them all in one go.
 */
public class CourseContentReader {

    private static final Pattern GOAL_CODE = Pattern.compile("[A-Z][A-Z0-9-]{0,39}");
    private static final Pattern MODULE_CODE = Pattern.compile("[a-z0-9][a-z0-9-]{0,79}");
    private static final Pattern QUESTION_CODE = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    private final Path coursesDir;
    private final Set<String> knownAudiences;
    private final List<String> problems = new ArrayList<>();

    private CourseContentReader(Path coursesDir, Set<String> knownAudiences) {
        this.coursesDir = coursesDir;
        this.knownAudiences = knownAudiences;
    }

    /** Reads everything, or throws {@link InvalidCourseContentException} listing each problem with its file. */
    public static CourseContent read(Path coursesDir, Set<String> knownAudiences) {
        return new CourseContentReader(coursesDir, knownAudiences).readAll();
    }

    private CourseContent readAll() {
        if (!Files.isDirectory(coursesDir)) {
            throw new InvalidCourseContentException(List.of(coursesDir.toAbsolutePath() + ": mappen med kursinnehåll finns inte"));
        }
        Path catalogueFile = coursesDir.resolve("catalogue.yml");
        String version = null;
        List<CourseContent.Goal> goals = new ArrayList<>();
        Map<String, Object> catalogue = readYaml(catalogueFile);
        if (catalogue != null) {
            Fields fields = new Fields(catalogueFile, "", catalogue);
            version = fields.text("version");
            Set<String> codes = new HashSet<>();
            for (Fields goal : fields.list("goals")) {
                CourseContent.Goal read = readGoal(goal);
                if (read != null && !codes.add(read.code())) {
                    problem(catalogueFile, "målkoden " + read.code() + " finns mer än en gång");
                }
                if (read != null) {
                    goals.add(read);
                }
            }
        }
        Set<String> goalCodes = new HashSet<>();
        goals.forEach(g -> goalCodes.add(g.code()));
        List<CourseContent.Module> modules = readModules(goalCodes);
        if (!problems.isEmpty()) {
            throw new InvalidCourseContentException(problems);
        }
        return new CourseContent(version, goals, modules);
    }

    private CourseContent.Goal readGoal(Fields goal) {
        String code = goal.code("code", GOAL_CODE, "versaler, siffror och bindestreck");
        Fields named = goal.named("mål " + (code == null ? "utan kod" : code));
        List<String> audiences = named.audiences();
        GoalArea area = named.choice("area", GoalArea.class);
        GoalKind kind = named.choice("kind", GoalKind.class);
        String textSv = named.text("text_sv");
        String textEn = named.optionalText("text_en");
        if (code == null || audiences == null || area == null || kind == null || textSv == null) {
            return null;
        }
        return new CourseContent.Goal(code, audiences, area, kind, textSv, textEn);
    }

    private List<CourseContent.Module> readModules(Set<String> goalCodes) {
        Path modulesDir = coursesDir.resolve("modules");
        if (!Files.isDirectory(modulesDir)) {
            return List.of();
        }
        List<CourseContent.Module> modules = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (Path dir : sorted(modulesDir, Files::isDirectory)) {
            CourseContent.Module module = readModule(dir, goalCodes);
            if (module == null) {
                continue;
            }
            Path earlier = seen.putIfAbsent(module.code(), dir);
            if (earlier != null) {
                problem(dir.resolve("module.yml"), "modul-id " + module.code() + " används redan i "
                        + display(earlier.resolve("module.yml")));
            } else {
                modules.add(module);
            }
        }
        return modules;
    }

    private CourseContent.Module readModule(Path dir, Set<String> goalCodes) {
        Path file = dir.resolve("module.yml");
        Map<String, Object> yaml = readYaml(file);
        if (yaml == null) {
            return null;
        }
        Fields fields = new Fields(file, "", yaml);
        String code = fields.code("id", MODULE_CODE, "gemener, siffror och bindestreck");
        String title = fields.text("title");
        String summary = fields.text("summary");
        Integer minutes = fields.integer("estimated_minutes", 1, 240, "minuter");
        List<String> audiences = fields.audiences();
        List<String> goals = fields.textList("goals");
        if (goals != null) {
            goals.stream().filter(g -> !goalCodes.contains(g))
                    .forEach(g -> problem(file, "okänd målkod " + g + " (finns inte i catalogue.yml)"));
        }
        CourseContent.External external = external(fields);
        if (external != null) {
            if (code == null || title == null || summary == null || minutes == null || audiences == null || goals == null) {
                return null;
            }
            return new CourseContent.Module(code, title, summary, minutes, audiences, goals, 0, List.of(), List.of(), external, List.of());
        }
        Integer passMark = fields.integer("pass_mark", 0, 100, "%");
        List<CourseContent.Page> pages = readPages(dir.resolve("pages"));
        List<CourseContent.Question> questions = readAssessment(dir.resolve("assessment.yml"));
        if (code == null || title == null || summary == null || minutes == null || audiences == null || goals == null
                || passMark == null || pages == null || questions == null) {
            return null;
        }
        return new CourseContent.Module(code, title, summary, minutes, audiences, goals, passMark, pages, questions, null, List.of());
    }

    /** An external module names its xAPI activity and where learners start it; both must be absolute http(s) addresses. */
    private CourseContent.External external(Fields fields) {
        String activity = fields.optionalText("xapi_activity_id");
        String launch = fields.optionalText("launch_url");
        if (activity == null && launch == null) {
            return null;
        }
        if (activity == null || launch == null || !activity.matches("https?://\\S+") || !launch.matches("https?://\\S+")) {
            fields.problem("en extern modul behöver både xapi_activity_id och launch_url som fullständiga http(s)-adresser");
            return null;
        }
        return new CourseContent.External(activity, launch);
    }

    private List<CourseContent.Page> readPages(Path pagesDir) {
        List<Path> files = Files.isDirectory(pagesDir) ? sorted(pagesDir, p -> p.toString().endsWith(".md")) : List.of();
        if (files.isEmpty()) {
            problem(pagesDir, "modulen har inga sidor (Markdown-filer i pages/)");
            return null;
        }
        List<CourseContent.Page> pages = new ArrayList<>();
        for (Path file : files) {
            String text = readText(file).replace("\r\n", "\n").strip();
            if (!text.startsWith("# ")) {
                problem(file, "sidan måste börja med sin rubrik på formen '# Rubrik'");
                continue;
            }
            int end = text.indexOf('\n');
            String title = (end < 0 ? text : text.substring(0, end)).substring(2).strip();
            String body = end < 0 ? "" : text.substring(end + 1).strip();
            if (body.isEmpty()) {
                problem(file, "sidan har ingen text under rubriken");
                continue;
            }
            pages.add(new CourseContent.Page(title, body));
        }
        return pages.size() == files.size() ? pages : null;
    }

    private List<CourseContent.Question> readAssessment(Path file) {
        Map<String, Object> yaml = readYaml(file);
        if (yaml == null) {
            return null;
        }
        List<Fields> items = new Fields(file, "", yaml).list("questions");
        List<CourseContent.Question> questions = new ArrayList<>();
        Set<String> codes = new HashSet<>();
        for (Fields item : items) {
            String code = item.code("id", QUESTION_CODE, "bokstäver, siffror, - och _");
            Fields question = item.named("fråga " + (code == null ? "utan id" : code));
            if (code != null && !codes.add(code)) {
                problem(file, "fråge-id " + code + " finns mer än en gång");
            }
            String text = question.text("text");
            List<Fields> optionFields = question.list("options");
            if (!optionFields.isEmpty() && optionFields.size() < 2) {
                question.problem("har bara ett svarsalternativ; minst två behövs");
            }
            List<CourseContent.Option> options = new ArrayList<>();
            for (Fields option : optionFields) {
                String optionText = option.text("text");
                String feedback = option.text("feedback");
                Boolean correct = option.bool("correct");
                if (optionText != null && feedback != null && correct != null) {
                    options.add(new CourseContent.Option(optionText, correct, feedback));
                }
            }
            if (!optionFields.isEmpty() && optionFields.stream().noneMatch(o -> Boolean.TRUE.equals(o.values.get("correct")))) {
                question.problem("saknar rätt svar (inget alternativ har correct: true)");
            }
            if (code != null && text != null && options.size() == optionFields.size() && options.size() >= 2) {
                questions.add(new CourseContent.Question(code, text, options));
            }
        }
        return questions.size() == items.size() && !items.isEmpty() ? questions : null;
    }

    private Map<String, Object> readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            problem(file, "filen saknas");
            return null;
        }
        try {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(readText(file));
            if (loaded instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked") Map<String, Object> typed = (Map<String, Object>) map;
                return typed;
            }
            problem(file, "filen ska innehålla fält på formen 'namn: värde'");
        } catch (YAMLException e) {
            problem(file, "ogiltig YAML: " + e.getMessage().replace('\n', ' '));
        }
        return null;
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> sorted(Path dir, java.util.function.Predicate<Path> filter) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(filter).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String display(Path file) {
        return coursesDir.getFileName().resolve(coursesDir.relativize(file)).toString();
    }

    private void problem(Path file, String message) {
        problems.add(display(file) + ": " + message);
    }

    /** The fields of one YAML mapping, with the file and the item they belong to for messages. */
    private final class Fields {
        private final Path file;
        private final String owner;
        private final Map<String, Object> values;

        Fields(Path file, String owner, Map<String, Object> values) {
            this.file = file;
            this.owner = owner;
            this.values = values;
        }

        Fields named(String newOwner) {
            return new Fields(file, newOwner, values);
        }

        void problem(String message) {
            CourseContentReader.this.problem(file, (owner.isEmpty() ? "" : owner + " ") + message);
        }

        String text(String key) {
            String text = optionalText(key);
            if (text == null) {
                problem("saknar fältet '" + key + "'");
            }
            return text;
        }

        String optionalText(String key) {
            Object value = values.get(key);
            if (value == null || value instanceof Map || value instanceof List) {
                return null;
            }
            String text = value.toString().strip();
            return text.isEmpty() ? null : text;
        }

        String code(String key, Pattern pattern, String allowed) {
            String code = text(key);
            if (code != null && !pattern.matcher(code).matches()) {
                problem("har ett ogiltigt " + key + " '" + code + "' (tillåtet: " + allowed + ")");
                return null;
            }
            return code;
        }

        Integer integer(String key, int min, int max, String unit) {
            Object value = values.get(key);
            if (value == null) {
                problem("saknar fältet '" + key + "'");
                return null;
            }
            if (!(value instanceof Integer number)) {
                problem("fältet '" + key + "' ska vara ett heltal, inte '" + value + "'");
                return null;
            }
            if (number < min || number > max) {
                problem("fältet '" + key + "' är " + number + " men ska ligga mellan " + min + " och " + max + " " + unit);
                return null;
            }
            return number;
        }

        Boolean bool(String key) {
            Object value = values.getOrDefault(key, Boolean.FALSE);
            if (value instanceof Boolean b) {
                return b;
            }
            problem("fältet '" + key + "' ska vara true eller false, inte '" + value + "'");
            return null;
        }

        <E extends Enum<E>> E choice(String key, Class<E> type) {
            String text = text(key);
            if (text == null) {
                return null;
            }
            try {
                return Enum.valueOf(type, text);
            } catch (IllegalArgumentException e) {
                problem("har okänt värde '" + text + "' i fältet '" + key + "' (tillåtna: "
                        + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()) + ")");
                return null;
            }
        }

        List<String> textList(String key) {
            Object value = values.get(key);
            if (!(value instanceof List<?> list) || list.isEmpty()) {
                problem("fältet '" + key + "' ska vara en lista med minst ett värde");
                return null;
            }
            return list.stream().map(v -> String.valueOf(v).strip()).toList();
        }

        List<String> audiences() {
            List<String> codes = textList("audiences");
            if (codes == null) {
                return null;
            }
            List<String> unknown = codes.stream().filter(c -> !knownAudiences.contains(c)).toList();
            unknown.forEach(c -> problem("har okänd målgrupp '" + c + "'"));
            return unknown.isEmpty() ? codes : null;
        }

        List<Fields> list(String key) {
            Object value = values.get(key);
            if (!(value instanceof List<?> list) || list.isEmpty()) {
                problem("fältet '" + key + "' ska vara en lista med minst ett element");
                return List.of();
            }
            List<Fields> items = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof Map<?, ?> map) {
                    @SuppressWarnings("unchecked") Map<String, Object> typed = (Map<String, Object>) map;
                    items.add(new Fields(file, owner, typed));
                } else {
                    problem("element " + (i + 1) + " i '" + key + "' ska ha fält på formen 'namn: värde'");
                }
            }
            return items;
        }
    }
}
