package se.kompetensmal.catalog;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the files of a {@code courses/} folder (format in courses/README.md), or of a module's zip in the same layout,
 * into the goal catalogue and {@link ModuleDraft}s, and lets {@link ModuleRules} judge each module: the rules are the
 * editor's, and their messages name the file and line at fault. What only files can get wrong (a missing file, broken
 * YAML, a page without its "# Title" line) is reported here. Every problem is collected before giving up, so that an
 * editor can fix them all in one go.
 */
public class CourseContentReader {

    private static final Pattern GOAL_CODE = Pattern.compile("[A-Z][A-Z0-9-]{0,39}");

    private final String prefix;
    private final SortedMap<String, byte[]> files;
    private final Set<String> knownAudiences;
    private final Set<String> knownGoals;
    private final boolean whole;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param prefix what messages put before a path ("courses/")
     * @param files  every file by its path below the folder, with /
     * @param whole  true for the shipped folder (catalogue.yml with its version required), false for one module's zip
     */
    private CourseContentReader(String prefix, SortedMap<String, byte[]> files, Set<String> knownAudiences,
                                Set<String> knownGoals, boolean whole) {
        this.prefix = prefix;
        this.files = files;
        this.knownAudiences = knownAudiences;
        this.knownGoals = knownGoals;
        this.whole = whole;
    }

    /** Reads everything, or throws {@link InvalidCourseContentException} listing each problem with its file and line. */
    public static CourseContent read(Path coursesDir, Set<String> knownAudiences) {
        if (!Files.isDirectory(coursesDir)) {
            throw new InvalidCourseContentException(List.of(coursesDir.toAbsolutePath() + ": mappen med kursinnehåll finns inte"));
        }
        return new CourseContentReader(coursesDir.getFileName() + "/", filesBelow(coursesDir), knownAudiences, Set.of(), true)
                .readAll();
    }

    /**
     * Reads files in the courses/ layout that came from elsewhere (a zip): the goals in its optional catalogue.yml are
     * known to its modules as well as {@code known.goals()}.
     */
    static CourseContent readFiles(String prefix, SortedMap<String, byte[]> files, ModuleRules.Known known) {
        return new CourseContentReader(prefix, files, known.audiences(), known.goals(), false).readAll();
    }

    private CourseContent readAll() {
        String version = null;
        List<CourseContent.Goal> goals = new ArrayList<>();
        String catalogueFile = "catalogue.yml";
        Map<String, Object> catalogue = whole || files.containsKey(catalogueFile) ? readYaml(catalogueFile) : null;
        if (catalogue != null) {
            Fields fields = new Fields(catalogueFile, "", catalogue);
            version = whole ? fields.text("version") : fields.optionalText("version");
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
        Set<String> goalCodes = new HashSet<>(knownGoals);
        goals.forEach(g -> goalCodes.add(g.code()));
        List<CourseContent.Module> modules = readModules(new ModuleRules.Known(knownAudiences, goalCodes));
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

    private List<CourseContent.Module> readModules(ModuleRules.Known known) {
        Set<String> dirs = new TreeSet<>();
        for (String path : files.keySet()) {
            String[] parts = path.split("/");
            if (parts.length >= 3 && parts[0].equals("modules")) {
                dirs.add(parts[1]);
            }
        }
        List<CourseContent.Module> modules = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (String dir : dirs) {
            CourseContent.Module module = new ModuleFolder("modules/" + dir + "/").read(known);
            if (module == null) {
                continue;
            }
            String earlier = seen.putIfAbsent(module.code(), dir);
            if (earlier != null) {
                problem("modules/" + dir + "/module.yml", "Kod (id) «" + module.code() + "» används redan av "
                        + prefix + "modules/" + earlier + "/module.yml");
            } else {
                modules.add(module);
            }
        }
        return modules;
    }

    /** One module's folder: its files read into a draft, with the line of every field for the rules' messages. */
    private final class ModuleFolder implements ModuleRules.Locations {
        private final String dir;
        private Node moduleYaml;
        private Node assessmentYaml;
        private final List<String> pageFiles = new ArrayList<>();
        private final List<Integer> pageBodyLines = new ArrayList<>();
        private final List<Node> questionNodes = new ArrayList<>();
        private final List<List<Node>> optionNodes = new ArrayList<>();
        private boolean assessmentUnread;
        private boolean pagesUnread;

        ModuleFolder(String dir) {
            this.dir = dir;
        }

        CourseContent.Module read(ModuleRules.Known known) {
            moduleYaml = compose(dir + "module.yml");
            if (moduleYaml == null) {
                return null;
            }
            String activity = scalar(moduleYaml, "xapi_activity_id", dir + "module.yml");
            String launch = scalar(moduleYaml, "launch_url", dir + "module.yml");
            boolean external = activity != null || launch != null;
            List<ModuleDraft.Page> pages = external ? List.of() : readPages();
            List<ModuleDraft.Question> questions = external ? List.of() : readQuestions();
            List<ImageFile> imageFiles = readImages();
            List<ModuleDraft.Image> images = imageFiles.stream()
                    .map(i -> new ModuleDraft.Image(i.fileName(), 0, i.contentType(), i.bytes().length)).toList();
            String file = dir + "module.yml";
            ModuleDraft draft = new ModuleDraft(scalar(moduleYaml, "id", file), scalar(moduleYaml, "title", file),
                    scalar(moduleYaml, "summary", file), scalar(moduleYaml, "estimated_minutes", file),
                    scalars(moduleYaml, "audiences", file), scalars(moduleYaml, "goals", file),
                    scalar(moduleYaml, "pass_mark", file), pages, questions, images, activity, launch);
            ModuleRules.Result result = ModuleRules.validate(draft, this, known);
            for (ModuleRules.Problem p : result.problems()) {
                // a missing or unreadable file is already reported; "no questions" would say the same again
                boolean same = (assessmentUnread && p.where().equals(questions()))
                        || (pagesUnread && p.where().equals(pages()));
                if (!same) {
                    problems.add(p.toString());
                }
            }
            return result.module() == null ? null : result.module().withImages(imageFiles);
        }

        private List<ModuleDraft.Page> readPages() {
            String pagesDir = dir + "pages/";
            List<String> names = children(pagesDir).stream().filter(n -> n.endsWith(".md")).toList();
            List<ModuleDraft.Page> pages = new ArrayList<>();
            if (names.isEmpty()) {
                problem(dir + "pages", "modulen har inga sidor (Markdown-filer i pages/)");
                pagesUnread = true;
                return pages;
            }
            for (String name : names) {
                String path = pagesDir + name;
                String text = text(path).replace("\r\n", "\n");
                int skipped = 0;
                while (text.startsWith("\n")) {
                    text = text.substring(1);
                    skipped++;
                }
                if (!text.startsWith("# ")) {
                    problem(path + ", rad " + (skipped + 1), "sidan måste börja med sin rubrik på formen '# Rubrik'");
                    continue;
                }
                int end = text.indexOf('\n');
                String title = (end < 0 ? text : text.substring(0, end)).substring(2).strip();
                String body = end < 0 ? "" : text.substring(end + 1);
                pageFiles.add(path);
                pageBodyLines.add(skipped + 1);
                pages.add(new ModuleDraft.Page(title, body));
            }
            pagesUnread = pageFiles.isEmpty();
            return pages;
        }

        private List<ModuleDraft.Question> readQuestions() {
            String file = dir + "assessment.yml";
            assessmentYaml = compose(file);
            List<ModuleDraft.Question> questions = new ArrayList<>();
            if (assessmentYaml == null) {
                assessmentUnread = true;
                return questions;
            }
            Node list = value(assessmentYaml, "questions");
            if (!(list instanceof SequenceNode items)) {
                return questions;
            }
            for (Node item : items.getValue()) {
                if (!(item instanceof MappingNode)) {
                    problem(at(file, item), "frågan ska ha fält på formen 'namn: värde' (id, text, options)");
                    continue;
                }
                List<ModuleDraft.Option> options = new ArrayList<>();
                List<Node> optionItems = new ArrayList<>();
                if (value(item, "options") instanceof SequenceNode optionList) {
                    for (Node option : optionList.getValue()) {
                        if (!(option instanceof MappingNode)) {
                            problem(at(file, option), "svaret ska ha fält på formen 'namn: värde' (text, correct, feedback)");
                            continue;
                        }
                        optionItems.add(option);
                        options.add(new ModuleDraft.Option(scalar(option, "text", file), bool(option, "correct", file),
                                scalar(option, "feedback", file)));
                    }
                }
                questionNodes.add(item);
                optionNodes.add(optionItems);
                questions.add(new ModuleDraft.Question(scalar(item, "id", file), scalar(item, "text", file), options));
            }
            return questions;
        }

        private List<ImageFile> readImages() {
            String imagesDir = dir + "images/";
            List<ImageFile> images = new ArrayList<>();
            for (String name : children(imagesDir)) {
                byte[] bytes = files.get(imagesDir + name);
                String problem = ImageFiles.problem(name, bytes);
                if (problem != null) {
                    problem(imagesDir + name, problem);
                } else {
                    images.add(new ImageFile(name, ImageFiles.contentType(bytes), bytes));
                }
            }
            return images;
        }

        // ---- Locations: the file and line of each place the rules name

        @Override
        public String module(String field) {
            return keyAt(dir + "module.yml", moduleYaml, field);
        }

        @Override
        public String pages() {
            return prefix + dir + "pages";
        }

        @Override
        public String page(int page, String title, int line) {
            String file = pageFiles.get(page - 1);
            return prefix + file + ", rad " + (line == 0 ? pageBodyLines.get(page - 1) : pageBodyLines.get(page - 1) + line);
        }

        @Override
        public String questions() {
            return keyAt(dir + "assessment.yml", assessmentYaml, "questions");
        }

        @Override
        public String question(int question, String text, String field) {
            Node item = questionNodes.get(question - 1);
            return field == null || keyNode(item, field) == null ? prefix + at(dir + "assessment.yml", item)
                    : keyAt(dir + "assessment.yml", item, field);
        }

        @Override
        public String option(int question, String questionText, int option, String field) {
            Node item = optionNodes.get(question - 1).get(option - 1);
            return field == null || keyNode(item, field) == null ? prefix + at(dir + "assessment.yml", item)
                    : keyAt(dir + "assessment.yml", item, field);
        }

        @Override
        public String images() {
            return prefix + dir + "images";
        }

        @Override
        public String image(String fileName) {
            return prefix + dir + "images/" + fileName;
        }

        private String keyAt(String file, Node mapping, String key) {
            Node keyNode = mapping == null ? null : keyNode(mapping, key);
            return prefix + (keyNode == null ? file : at(file, keyNode));
        }
    }

    // ---- YAML with the position of each node

    private Node compose(String file) {
        if (!files.containsKey(file)) {
            problem(file, "filen saknas");
            return null;
        }
        try {
            Node node = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text(file)));
            if (node instanceof MappingNode) {
                return node;
            }
            problem(file, "filen ska innehålla fält på formen 'namn: värde'");
        } catch (YAMLException e) {
            problem(file, "ogiltig YAML: " + e.getMessage().replace('\n', ' '));
        }
        return null;
    }

    private static String at(String file, Node node) {
        return file + ", rad " + (node.getStartMark().getLine() + 1);
    }

    private static Node keyNode(Node mapping, String key) {
        if (mapping instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return k;
                }
            }
        }
        return null;
    }

    private static Node value(Node mapping, String key) {
        if (mapping instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    Node value = tuple.getValueNode();
                    return value.getTag().equals(Tag.NULL) ? null : value;
                }
            }
        }
        return null;
    }

    /** A field's text as written; a list or mapping where text belongs is reported and read as absent. */
    private String scalar(Node mapping, String key, String file) {
        Node value = value(mapping, key);
        if (value == null) {
            return null;
        }
        if (value instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(at(file, value), "fältet '" + key + "' ska vara en text eller ett tal, inte en lista");
        return null;
    }

    /** A list of codes; one code alone is read as a list of one. */
    private List<String> scalars(Node mapping, String key, String file) {
        Node value = value(mapping, key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof ScalarNode s) {
            return List.of(s.getValue());
        }
        List<String> values = new ArrayList<>();
        if (value instanceof SequenceNode list) {
            for (Node item : list.getValue()) {
                if (item instanceof ScalarNode s) {
                    values.add(s.getValue());
                } else {
                    problem(at(file, item), "fältet '" + key + "' ska vara en lista med koder");
                }
            }
        }
        return values;
    }

    private boolean bool(Node mapping, String key, String file) {
        String text = scalar(mapping, key, file);
        if (text == null || text.strip().equals("false")) {
            return false;
        }
        if (text.strip().equals("true")) {
            return true;
        }
        problem(at(file, value(mapping, key)), "fältet '" + key + "' ska vara true eller false, inte '" + text + "'");
        return false;
    }

    // ---- plain YAML for the goal catalogue

    private Map<String, Object> readYaml(String file) {
        if (!files.containsKey(file)) {
            problem(file, "filen saknas");
            return null;
        }
        try {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text(file));
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

    private String text(String file) {
        return new String(files.get(file), StandardCharsets.UTF_8);
    }

    /** The names of the files directly in a folder (with / at its end), sorted. */
    private List<String> children(String folder) {
        List<String> names = new ArrayList<>();
        for (String path : files.subMap(folder, folder + Character.MAX_VALUE).keySet()) {
            String rest = path.substring(folder.length());
            if (!rest.isEmpty() && !rest.contains("/")) {
                names.add(rest);
            }
        }
        return names;
    }

    /** Every file below the folder by its relative path; hidden files (.gitkeep, .DS_Store) are not content. */
    private static SortedMap<String, byte[]> filesBelow(Path dir) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                Path relative = dir.relativize(file);
                boolean hidden = false;
                for (Path part : relative) {
                    hidden |= part.toString().startsWith(".");
                }
                if (!hidden) {
                    files.put(relative.toString().replace('\\', '/'), Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private void problem(String file, String message) {
        problems.add(prefix + file + ": " + message);
    }

    /** The fields of one YAML mapping of the goal catalogue, with the item they belong to for messages. */
    private final class Fields {
        private final String file;
        private final String owner;
        private final Map<String, Object> values;

        Fields(String file, String owner, Map<String, Object> values) {
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

        List<String> audiences() {
            Object value = values.get("audiences");
            if (!(value instanceof List<?> list) || list.isEmpty()) {
                problem("fältet 'audiences' ska vara en lista med minst ett värde");
                return null;
            }
            List<String> codes = list.stream().map(v -> String.valueOf(v).strip()).toList();
            List<String> unknown = codes.stream().filter(c -> !knownAudiences.contains(c)).toList();
            unknown.forEach(c -> problem("har okänd målgrupp '" + c + "'"));
            return unknown.isEmpty() ? codes : null;
        }

        List<Fields> list(String key) {
            Object value = values.get(key);
            if (!(value instanceof List<?> list) || list.isEmpty()) {
                if (whole) {
                    problem("fältet '" + key + "' ska vara en lista med minst ett element");
                }
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
