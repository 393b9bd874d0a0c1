package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * THE rules for a module's content: one validator for the {@code courses/} files, a zip import and the browser editor,
 * so that each rule lives here once and says the same Swedish message everywhere. {@link Locations} names the place
 * at fault: the editor's sections ({@link #EDITOR}) or a file and line (built by {@link CourseContentReader}).
 */
public final class ModuleRules {

    public static final Pattern MODULE_CODE = Pattern.compile("[a-z0-9][a-z0-9-]{0,79}");
    public static final Pattern QUESTION_CODE = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    public static final int MAX_TITLE = 200;
    public static final int MAX_SUMMARY = 1000;
    public static final int MAX_PAGE_TITLE = 200;
    public static final int MAX_PAGE_MARKDOWN = 100_000;
    public static final int MAX_PAGES = 100;
    public static final int MAX_QUESTIONS = 100;
    public static final int MAX_OPTIONS = 10;
    public static final int MAX_OPTION_TEXT = 2000;
    public static final int MAX_QUESTION_TEXT = 4000;

    private static final Parser MARKDOWN = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES).build();
    private static final Pattern SCHEME = Pattern.compile("^([a-z][a-z0-9+.-]*):.*", Pattern.DOTALL);

    private ModuleRules() {
    }

    /** One thing to fix: where (as the person reading it knows the place) and what. */
    @Serdeable
    public record Problem(String where, String message) {
        @Override
        public String toString() {
            return where + ": " + message;
        }
    }

    /** What a module may name: the audiences and goal codes usable where it is owned. */
    public record Known(Set<String> audiences, Set<String> goals) {
    }

    /** The valid module, or null with every problem found (never both empty). */
    public record Result(@Nullable CourseContent.Module module, List<Problem> problems) {
        public boolean valid() {
            return module != null;
        }
    }

    /**
     * Names the places of a module's content in messages. Field keys are the file format's names (id, title, summary,
     * estimated_minutes, audiences, goals, pass_mark, xapi_activity_id, launch_url); numbers count from 1.
     */
    public interface Locations {
        String module(String field);

        String pages();

        /** A page; {@code line} is the line of the Markdown body at fault (1 = first line) or 0 for the page itself. */
        String page(int page, String title, int line);

        String questions();

        /** A question; {@code field} is id, text or options, or null for the question itself. */
        String question(int question, String text, @Nullable String field);

        /** An option of a question; {@code field} is text, feedback or correct, or null for the option itself. */
        String option(int question, String questionText, int option, @Nullable String field);

        String images();

        String image(String fileName);
    }

    /** The browser editor's places, as its sections are headed. */
    public static final Locations EDITOR = new Locations() {
        @Override
        public String module(String field) {
            return "Modulens uppgifter";
        }

        @Override
        public String pages() {
            return "Sidor";
        }

        @Override
        public String page(int page, String title, int line) {
            return "Sida " + page + (title == null || title.isBlank() ? "" : " «" + shortened(title) + "»");
        }

        @Override
        public String questions() {
            return "Frågor";
        }

        @Override
        public String question(int question, String text, @Nullable String field) {
            return "Fråga " + question + (text == null || text.isBlank() ? "" : " «" + shortened(text) + "»");
        }

        @Override
        public String option(int question, String questionText, int option, @Nullable String field) {
            return "Fråga " + question + ", svar " + option;
        }

        @Override
        public String images() {
            return "Bilder";
        }

        @Override
        public String image(String fileName) {
            return "Bild «" + fileName + "»";
        }
    };

    /** The beginning of a text, for naming a page or question: at most 40 characters, with … when cut. */
    public static String shortened(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40).strip() + "…";
    }

    public static Result validate(ModuleDraft draft, Locations where, Known known) {
        return new Check(where, known).module(draft);
    }

    /** One run of the rules, collecting every problem so that all can be fixed in one go. */
    private static final class Check {
        private final Locations where;
        private final Known known;
        private final List<Problem> problems = new ArrayList<>();

        Check(Locations where, Known known) {
            this.where = where;
            this.known = known;
        }

        private void problem(String place, String message) {
            problems.add(new Problem(place, message));
        }

        Result module(ModuleDraft d) {
            String code = blankToNull(d.code());
            String m = where.module("id");
            if (code == null) {
                problem(m, "Kod (id) saknas");
            } else if (!MODULE_CODE.matcher(code).matches()) {
                problem(m, "Kod (id) «" + code + "» är ogiltig (tillåtet: gemener a–z, siffror och bindestreck,"
                        + " högst 80 tecken, börjar med bokstav eller siffra)");
            }
            String title = required(d.title(), where.module("title"), "Titel (title)", MAX_TITLE);
            String summary = required(d.summary(), where.module("summary"), "Sammanfattning (summary)", MAX_SUMMARY);
            Integer minutes = integer(d.estimatedMinutes(), where.module("estimated_minutes"),
                    "Beräknad tid (estimated_minutes) ska vara ett heltal mellan 1 och 240 (minuter)", 1, 240);
            List<String> audiences = codes(d.audiences(), where.module("audiences"), "Målgrupper (audiences)",
                    "välj minst en målgrupp", "okänd målgrupp", known.audiences());
            List<String> goals = codes(d.goals(), where.module("goals"), "Kompetensmål (goals)",
                    "välj minst ett kompetensmål", "okänd målkod", known.goals());
            List<ImageFile> images = images(d.images());

            String activity = blankToNull(d.xapiActivityId());
            String launch = blankToNull(d.launchUrl());
            if (activity != null || launch != null) {
                CourseContent.External external = null;
                if (activity == null || launch == null || !activity.matches("https?://\\S+") || !launch.matches("https?://\\S+")) {
                    problem(where.module(activity == null || !activity.matches("https?://\\S+") ? "xapi_activity_id" : "launch_url"),
                            "En extern modul behöver både xAPI-aktivitet (xapi_activity_id) och startadress (launch_url)"
                                    + " som fullständiga http(s)-adresser");
                } else {
                    external = new CourseContent.External(activity, launch);
                }
                if (!problems.isEmpty()) {
                    return new Result(null, List.copyOf(problems));
                }
                return new Result(new CourseContent.Module(code, title, summary, minutes, audiences, goals, 0,
                        List.of(), List.of(), external, images), List.of());
            }
            Integer passMark = integer(d.passMark(), where.module("pass_mark"),
                    "Gräns för godkänt (pass_mark) ska vara ett heltal mellan 0 och 100 (procent rätt)", 0, 100);
            Set<String> imageNames = new HashSet<>();
            images.forEach(i -> imageNames.add(i.fileName()));
            List<CourseContent.Page> pages = pages(d.pages(), imageNames);
            List<CourseContent.Question> questions = questions(d.questions());
            if (!problems.isEmpty()) {
                return new Result(null, List.copyOf(problems));
            }
            return new Result(new CourseContent.Module(code, title, summary, minutes, audiences, goals, passMark,
                    pages, questions, null, images), List.of());
        }

        private String required(String value, String place, String field, int max) {
            String text = blankToNull(value);
            if (text == null) {
                problem(place, field + " saknas");
                return null;
            }
            if (text.length() > max) {
                problem(place, field + " har " + text.length() + " tecken; högst " + max + " går");
            }
            return text;
        }

        private Integer integer(String value, String place, String message, int min, int max) {
            String text = value == null ? "" : value.strip();
            try {
                int number = Integer.parseInt(text);
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below with the value as typed
            }
            problem(place, message + (text.isEmpty() ? "" : ", inte «" + text + "»"));
            return null;
        }

        private List<String> codes(List<String> values, String place, String field, String none, String unknown,
                                   Set<String> allowed) {
            List<String> codes = values == null ? List.of()
                    : values.stream().map(v -> v == null ? "" : v.strip()).filter(v -> !v.isEmpty()).toList();
            if (codes.isEmpty()) {
                problem(place, field + ": " + none);
            }
            for (String code : new LinkedHashSet<>(codes)) {
                if (!allowed.contains(code)) {
                    problem(place, field + ": " + unknown + " «" + code + "»");
                }
            }
            return List.copyOf(new LinkedHashSet<>(codes));
        }

        private List<ImageFile> images(List<ModuleDraft.Image> images) {
            List<ImageFile> files = new ArrayList<>();
            if (images == null) {
                return files;
            }
            if (images.size() > ImageFiles.MAX_PER_MODULE) {
                problem(where.images(), "Modulen har " + images.size() + " bilder; högst " + ImageFiles.MAX_PER_MODULE + " går");
            }
            Set<String> names = new HashSet<>();
            for (ModuleDraft.Image image : images) {
                String name = image.fileName() == null ? "" : image.fileName();
                String place = where.image(name);
                String nameProblem = ImageFiles.fileNameProblem(name);
                if (nameProblem != null) {
                    problem(place, nameProblem);
                } else if (!names.add(name)) {
                    problem(place, "Bildens filnamn «" + name + "» finns mer än en gång");
                }
                if (image.contentType() == null || !ImageFiles.TYPES.contains(image.contentType())) {
                    problem(place, "Bilden «" + name + "» är inte en PNG-, JPEG- eller WebP-bild");
                }
                if (image.size() > ImageFiles.MAX_BYTES) {
                    problem(place, "Bilden «" + name + "» är " + (image.size() + 1023) / 1024 + " kB; högst 2 MB (2048 kB) går");
                }
                files.add(new ImageFile(name, image.contentType(), null));
            }
            // one order whatever the editor's, so that a module compares equal however it was put together
            files.sort(java.util.Comparator.comparing(ImageFile::fileName));
            return files;
        }

        private List<CourseContent.Page> pages(List<ModuleDraft.Page> drafts, Set<String> imageNames) {
            List<CourseContent.Page> pages = new ArrayList<>();
            if (drafts == null || drafts.isEmpty()) {
                problem(where.pages(), "Modulen har inga sidor; lägg till minst en sida");
                return pages;
            }
            if (drafts.size() > MAX_PAGES) {
                problem(where.pages(), "Modulen har " + drafts.size() + " sidor; högst " + MAX_PAGES + " går");
            }
            for (int i = 0; i < drafts.size(); i++) {
                ModuleDraft.Page draft = drafts.get(i);
                String title = blankToNull(draft.title());
                String place = where.page(i + 1, title, 0);
                if (title == null) {
                    problem(place, "Sidans rubrik saknas");
                } else if (title.length() > MAX_PAGE_TITLE) {
                    problem(place, "Sidans rubrik har " + title.length() + " tecken; högst " + MAX_PAGE_TITLE + " går");
                } else if (title.contains("\n") || title.contains("\r")) {
                    problem(place, "Sidans rubrik ska vara en enda rad");
                }
                String markdown = draft.markdown() == null ? "" : draft.markdown().replace("\r\n", "\n").strip();
                if (markdown.isEmpty()) {
                    problem(place, "Sidan har ingen text under rubriken");
                } else if (markdown.length() > MAX_PAGE_MARKDOWN) {
                    problem(place, "Sidans text har " + markdown.length() + " tecken; högst " + MAX_PAGE_MARKDOWN + " går");
                } else {
                    markdown(i + 1, title, draft.markdown().replace("\r\n", "\n"), imageNames);
                }
                pages.add(new CourseContent.Page(title, markdown));
            }
            return pages;
        }

        /** Safe Markdown: no raw HTML, and links and images only to places a learner's browser can safely open. */
        private void markdown(int page, String title, String markdown, Set<String> imageNames) {
            Node document = MARKDOWN.parse(markdown);
            // the stripped text starts where the first non-blank line is; lines are counted in the text as written
            document.accept(new AbstractVisitor() {
                @Override
                public void visit(HtmlBlock html) {
                    problem(at(html), "Sidan innehåller HTML-kod («" + shortened(html.getLiteral()) + "»); skriv med"
                            + " Markdown i stället (HTML visas inte för deltagarna)");
                }

                @Override
                public void visit(HtmlInline html) {
                    problem(at(html), "Sidan innehåller HTML-kod («" + shortened(html.getLiteral()) + "»); skriv med"
                            + " Markdown i stället (HTML visas inte för deltagarna)");
                }

                @Override
                public void visit(Link link) {
                    String problem = destinationProblem(link.getDestination(), imageNames, false);
                    if (problem != null) {
                        problem(at(link), problem);
                    }
                    visitChildren(link);
                }

                @Override
                public void visit(Image image) {
                    String destination = image.getDestination();
                    String problem = destinationProblem(destination, imageNames, true);
                    if (problem != null) {
                        problem(at(image), problem);
                    } else if (altText(image).isBlank()) {
                        problem(at(image), "Bilden «" + destination + "» saknar alternativtext: skriv vad bilden visar"
                                + " mellan hakparenteserna, ![vad bilden visar](" + destination + ")");
                    }
                }

                private String at(Node node) {
                    List<SourceSpan> spans = node.getSourceSpans();
                    int line = spans.isEmpty() ? 0 : spans.get(0).getLineIndex() + 1;
                    return where.page(page, title, line);
                }
            });
        }

        private List<CourseContent.Question> questions(List<ModuleDraft.Question> drafts) {
            List<CourseContent.Question> questions = new ArrayList<>();
            if (drafts == null || drafts.isEmpty()) {
                problem(where.questions(), "Modulen har inga frågor; lägg till minst en fråga");
                return questions;
            }
            if (drafts.size() > MAX_QUESTIONS) {
                problem(where.questions(), "Modulen har " + drafts.size() + " frågor; högst " + MAX_QUESTIONS + " går");
            }
            Map<String, Integer> codes = new HashMap<>();
            for (int q = 1; q <= drafts.size(); q++) {
                ModuleDraft.Question draft = drafts.get(q - 1);
                String text = blankToNull(draft.text());
                String code = blankToNull(draft.code());
                if (code == null) {
                    problem(where.question(q, text, "id"), "Frågans id (id) saknas");
                } else if (!QUESTION_CODE.matcher(code).matches()) {
                    problem(where.question(q, text, "id"), "Frågans id (id) «" + code + "» är ogiltigt (tillåtet:"
                            + " bokstäver a–z, siffror, - och _, högst 40 tecken)");
                } else {
                    Integer earlier = codes.putIfAbsent(code, q);
                    if (earlier != null) {
                        problem(where.question(q, text, "id"), "Frågans id (id) «" + code + "» används redan av fråga " + earlier);
                    }
                }
                if (text == null) {
                    problem(where.question(q, null, "text"), "Frågans text (text) saknas");
                } else if (text.length() > MAX_QUESTION_TEXT) {
                    problem(where.question(q, text, "text"), "Frågans text (text) har " + text.length() + " tecken; högst "
                            + MAX_QUESTION_TEXT + " går");
                }
                List<ModuleDraft.Option> optionDrafts = draft.options() == null ? List.of() : draft.options();
                if (optionDrafts.size() < 2) {
                    problem(where.question(q, text, "options"), "Frågan har " + optionDrafts.size()
                            + " svarsalternativ (options); minst två behövs");
                } else if (optionDrafts.size() > MAX_OPTIONS) {
                    problem(where.question(q, text, "options"), "Frågan har " + optionDrafts.size()
                            + " svarsalternativ (options); högst " + MAX_OPTIONS + " går");
                }
                if (!optionDrafts.isEmpty() && optionDrafts.stream().noneMatch(ModuleDraft.Option::correct)) {
                    problem(where.question(q, text, "options"), "Frågan saknar rätt svar: markera minst ett"
                            + " svarsalternativ som rätt (correct: true)");
                }
                List<CourseContent.Option> options = new ArrayList<>();
                for (int o = 1; o <= optionDrafts.size(); o++) {
                    ModuleDraft.Option option = optionDrafts.get(o - 1);
                    String optionText = required(option.text(), where.option(q, text, o, "text"),
                            "Svarets text (text)", MAX_OPTION_TEXT);
                    String feedback = required(option.feedback(), where.option(q, text, o, "feedback"),
                            "Återkopplingen till svaret (feedback)", MAX_OPTION_TEXT);
                    options.add(new CourseContent.Option(optionText, option.correct(), feedback));
                }
                questions.add(new CourseContent.Question(code, text, options));
            }
            return questions;
        }
    }

    /**
     * Why a link's or image's destination is not allowed, or null: http(s), mailto, an anchor in the page (#...) or one
     * of the module's images (images/<file>). Everything else (javascript:, data:, vbscript:, other sites' paths) could
     * run script or leave the learner somewhere unexpected. With {@code imageNames} null, any well-formed image name passes.
     */
    public static @Nullable String destinationProblem(String destination, Set<String> imageNames, boolean image) {
        String raw = destination == null ? "" : destination.strip();
        String what = image ? "Bilden" : "Länken";
        if (raw.isEmpty()) {
            return what + " saknar adress";
        }
        if (raw.startsWith("images/")) {
            String file = raw.substring("images/".length());
            if (imageNames == null ? ImageFiles.fileNameProblem(file) != null : !imageNames.contains(file)) {
                return what + " visar «" + raw + "», men den bilden finns inte bland modulens bilder";
            }
            return null;
        }
        // browsers ignore control characters and spaces inside a scheme ("java\tscript:"), so the check does too
        String compact = raw.replaceAll("[\\x00-\\x20\\x7f]", "").toLowerCase(Locale.ROOT);
        var scheme = SCHEME.matcher(compact);
        if (scheme.matches() && Set.of("http", "https", "mailto").contains(scheme.group(1))
                && !compact.contains("\\")) {
            return null;
        }
        if (!scheme.matches() && raw.startsWith("#")) {
            return null;
        }
        return what + "s adress «" + shortened(raw) + "» är inte tillåten: använd en webbadress (https://…), mailto:,"
                + " en länk inom sidan (#…) eller en av modulens bilder (images/<fil>)";
    }

    private static String altText(Node image) {
        StringBuilder text = new StringBuilder();
        image.accept(new AbstractVisitor() {
            @Override
            public void visit(Text t) {
                text.append(t.getLiteral());
            }
        });
        return text.toString();
    }

    private static String blankToNull(String value) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        return text.isEmpty() ? null : text;
    }
}
