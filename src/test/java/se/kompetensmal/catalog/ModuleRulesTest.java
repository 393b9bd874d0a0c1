package se.kompetensmal.catalog;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Every rule of {@link ModuleRules} on an editor draft: refused with its one message, naming the editor's place. */
class ModuleRulesTest {

    static final ModuleRules.Known KNOWN = new ModuleRules.Known(Set.of("LICENSED", "NON_LICENSED"), Set.of("LIC-01", "LIC-02"));

    static ModuleDraft valid() {
        return new ModuleDraft("test-modul", "Trycksår", "Att förebygga trycksår.", "20", List.of("LICENSED"),
                List.of("LIC-01"), "80",
                List.of(new ModuleDraft.Page("Om modulen", "Se ![Ett diagram över riskfaktorer](images/diagram.png) och [källan](https://example.se)."),
                        new ModuleDraft.Page("Att vända patienten", "Vänd var [annan timme](#vanda). Fråga [oss](mailto:a@example.se).")),
                List.of(question("q1", "Vad är en vårdskada?"), question("q2", "Vem ska rapportera?")),
                List.of(new ModuleDraft.Image("diagram.png", 7, "image/png", 1000)), null, null);
    }

    static ModuleDraft.Question question(String code, String text) {
        return new ModuleDraft.Question(code, text, List.of(new ModuleDraft.Option("Ja", true, "Rätt."),
                new ModuleDraft.Option("Nej", false, "Fel.")));
    }

    @Test
    void aValidDraftBecomesTheModule() {
        ModuleRules.Result result = ModuleRules.validate(valid(), ModuleRules.EDITOR, KNOWN);

        assertEquals(List.of(), result.problems());
        CourseContent.Module m = result.module();
        assertNotNull(m);
        assertEquals(20, m.estimatedMinutes());
        assertEquals(80, m.passMark());
        assertEquals(2, m.pages().size());
        assertEquals(List.of(new ImageFile("diagram.png", "image/png", null)), m.images());
    }

    @Test
    void moduleFields() {
        refused(d -> with(d, "code", ""), "Modulens uppgifter", "Kod (id) saknas");
        refused(d -> with(d, "code", "Stora-Bokstäver"), "Modulens uppgifter", "Kod (id) «Stora-Bokstäver» är ogiltig"
                + " (tillåtet: gemener a–z, siffror och bindestreck, högst 80 tecken, börjar med bokstav eller siffra)");
        refused(d -> with(d, "title", " "), "Modulens uppgifter", "Titel (title) saknas");
        refused(d -> with(d, "title", "x".repeat(201)), "Modulens uppgifter", "Titel (title) har 201 tecken; högst 200 går");
        refused(d -> with(d, "summary", ""), "Modulens uppgifter", "Sammanfattning (summary) saknas");
        refused(d -> with(d, "summary", "x".repeat(1001)), "Modulens uppgifter", "Sammanfattning (summary) har 1001 tecken; högst 1000 går");
        for (String minutes : List.of("0", "241", "tjugo")) {
            refused(d -> with(d, "minutes", minutes), "Modulens uppgifter",
                    "Beräknad tid (estimated_minutes) ska vara ett heltal mellan 1 och 240 (minuter), inte «" + minutes + "»");
        }
        refused(d -> with(d, "minutes", ""), "Modulens uppgifter",
                "Beräknad tid (estimated_minutes) ska vara ett heltal mellan 1 och 240 (minuter)");
        refused(d -> with(d, "passMark", "101"), "Modulens uppgifter",
                "Gräns för godkänt (pass_mark) ska vara ett heltal mellan 0 och 100 (procent rätt), inte «101»");
        refused(d -> with(d, "passMark", "-1"), "Modulens uppgifter",
                "Gräns för godkänt (pass_mark) ska vara ett heltal mellan 0 och 100 (procent rätt), inte «-1»");
    }

    @Test
    void audiencesAndGoalsMustBeKnown() {
        refused(d -> withLists(d, List.of(), d.goals()), "Modulens uppgifter", "Målgrupper (audiences): välj minst en målgrupp");
        refused(d -> withLists(d, List.of("NURSES"), d.goals()), "Modulens uppgifter", "Målgrupper (audiences): okänd målgrupp «NURSES»");
        refused(d -> withLists(d, d.audiences(), List.of()), "Modulens uppgifter", "Kompetensmål (goals): välj minst ett kompetensmål");
        refused(d -> withLists(d, d.audiences(), List.of("LIC-99")), "Modulens uppgifter", "Kompetensmål (goals): okänd målkod «LIC-99»");
    }

    @Test
    void pages() {
        refused(d -> withPages(d, List.of()), "Sidor", "Modulen har inga sidor; lägg till minst en sida");
        refused(d -> withPages(d, Collections.nCopies(101, new ModuleDraft.Page("Sida", "Text."))), "Sidor",
                "Modulen har 101 sidor; högst 100 går");
        refused(d -> withPage(d, new ModuleDraft.Page(" ", "Text.")), "Sida 2", "Sidans rubrik saknas");
        refused(d -> withPage(d, new ModuleDraft.Page("x".repeat(201), "Text.")), "Sida 2 «" + "x".repeat(40) + "…»",
                "Sidans rubrik har 201 tecken; högst 200 går");
        refused(d -> withPage(d, new ModuleDraft.Page("Tom sida", "  \n")), "Sida 2 «Tom sida»", "Sidan har ingen text under rubriken");
        refused(d -> withPage(d, new ModuleDraft.Page("Lång", "x".repeat(100_001))), "Sida 2 «Lång»",
                "Sidans text har 100001 tecken; högst 100000 går");
    }

    @Test
    void unsafeMarkdownIsRefusedNamingThePage() {
        String notAllowed = " är inte tillåten: använd en webbadress (https://…), mailto:, en länk inom sidan (#…) eller en av modulens bilder (images/<fil>)";
        refused(d -> withPage(d, new ModuleDraft.Page("Farlig", "Text\n\n<script>alert(1)</script>\n")), "Sida 2 «Farlig»",
                "Sidan innehåller HTML-kod («<script>alert(1)</script>»); skriv med Markdown i stället (HTML visas inte för deltagarna)");
        refused(d -> withPage(d, new ModuleDraft.Page("Farlig", "Klicka <img src=x onerror=alert(1)> här.")), "Sida 2 «Farlig»",
                "Sidan innehåller HTML-kod («<img src=x onerror=alert(1)>»); skriv med Markdown i stället (HTML visas inte för deltagarna)");
        refused(d -> withPage(d, new ModuleDraft.Page("Farlig", "[x](javascript:alert(1))")), "Sida 2 «Farlig»",
                "Länkens adress «javascript:alert(1)»" + notAllowed);
        refused(d -> withPage(d, new ModuleDraft.Page("Farlig", "[x](VBScript:msgbox)")), "Sida 2 «Farlig»",
                "Länkens adress «VBScript:msgbox»" + notAllowed);
        refused(d -> withPage(d, new ModuleDraft.Page("Farlig", "![x](data:image/png;base64,AAAA)")), "Sida 2 «Farlig»",
                "Bildens adress «data:image/png;base64,AAAA»" + notAllowed);
        refused(d -> withPage(d, new ModuleDraft.Page("Bild", "![Ett foto](images/saknas.png)")), "Sida 2 «Bild»",
                "Bilden visar «images/saknas.png», men den bilden finns inte bland modulens bilder");
        refused(d -> withPage(d, new ModuleDraft.Page("Bild", "![ ](images/diagram.png)")), "Sida 2 «Bild»",
                "Bilden «images/diagram.png» saknar alternativtext: skriv vad bilden visar mellan hakparenteserna,"
                        + " ![vad bilden visar](images/diagram.png)");
    }

    @Test
    void questions() {
        refused(d -> withQuestions(d, List.of()), "Frågor", "Modulen har inga frågor; lägg till minst en fråga");
        List<ModuleDraft.Question> many = new ArrayList<>();
        for (int i = 1; i <= 101; i++) {
            many.add(question("q" + i, "Fråga " + i));
        }
        refused(d -> withQuestions(d, many), "Frågor", "Modulen har 101 frågor; högst 100 går");
        refused(d -> withQuestion(d, question("", "Vad gäller?")), "Fråga 2 «Vad gäller?»", "Frågans id (id) saknas");
        refused(d -> withQuestion(d, question("q 2", "Vad gäller?")), "Fråga 2 «Vad gäller?»",
                "Frågans id (id) «q 2» är ogiltigt (tillåtet: bokstäver a–z, siffror, - och _, högst 40 tecken)");
        refused(d -> withQuestion(d, question("q1", "Vad gäller?")), "Fråga 2 «Vad gäller?»",
                "Frågans id (id) «q1» används redan av fråga 1");
        refused(d -> withQuestion(d, question("q2", "")), "Fråga 2", "Frågans text (text) saknas");
        String longText = "Lång fråga om att vända patienten i sängen " + "x".repeat(4000);
        refused(d -> withQuestion(d, question("q2", longText)), "Fråga 2 «Lång fråga om att vända patienten i säng…»",
                "Frågans text (text) har " + longText.length() + " tecken; högst 4000 går");
    }

    @Test
    void options() {
        ModuleDraft.Option right = new ModuleDraft.Option("Ja", true, "Rätt.");
        ModuleDraft.Option wrong = new ModuleDraft.Option("Nej", false, "Fel.");
        refused(d -> withQuestion(d, new ModuleDraft.Question("q2", "Vad?", List.of(right))), "Fråga 2 «Vad?»",
                "Frågan har 1 svarsalternativ (options); minst två behövs");
        refused(d -> withQuestion(d, new ModuleDraft.Question("q2", "Vad?", Collections.nCopies(11, right))), "Fråga 2 «Vad?»",
                "Frågan har 11 svarsalternativ (options); högst 10 går");
        refused(d -> withQuestion(d, new ModuleDraft.Question("q2", "Vad?", List.of(wrong, wrong))), "Fråga 2 «Vad?»",
                "Frågan saknar rätt svar: markera minst ett svarsalternativ som rätt (correct: true)");
        refused(d -> withQuestion(d, new ModuleDraft.Question("q2", "Vad?", List.of(right, new ModuleDraft.Option("", false, "Fel.")))),
                "Fråga 2, svar 2", "Svarets text (text) saknas");
        refused(d -> withQuestion(d, new ModuleDraft.Question("q2", "Vad?", List.of(right, new ModuleDraft.Option("Nej", false, " ")))),
                "Fråga 2, svar 2", "Återkopplingen till svaret (feedback) saknas");
        refused(d -> withQuestion(d, new ModuleDraft.Question("q2", "Vad?", List.of(right, new ModuleDraft.Option("x".repeat(2001), false, "Fel.")))),
                "Fråga 2, svar 2", "Svarets text (text) har 2001 tecken; högst 2000 går");
        refused(d -> withQuestion(d, new ModuleDraft.Question("q2", "Vad?", List.of(right, new ModuleDraft.Option("Nej", false, "x".repeat(2001))))),
                "Fråga 2, svar 2", "Återkopplingen till svaret (feedback) har 2001 tecken; högst 2000 går");
    }

    @Test
    void images() {
        refused(d -> withImages(d, List.of(new ModuleDraft.Image("diagram.png", 7, "image/png", 1000),
                new ModuleDraft.Image("Bild 1.PNG", 8, "image/png", 1000))), "Bild «Bild 1.PNG»",
                "Bildens filnamn «Bild 1.PNG» är ogiltigt (tillåtet: gemener a–z, siffror, punkt, - och _, högst 100 tecken,"
                        + " börjar med bokstav eller siffra)");
        refused(d -> withImages(d, List.of(new ModuleDraft.Image("diagram.png", 7, "image/svg+xml", 1000))), "Bild «diagram.png»",
                "Bilden «diagram.png» är inte en PNG-, JPEG- eller WebP-bild");
        refused(d -> withImages(d, List.of(new ModuleDraft.Image("diagram.png", 7, "image/png", 2 * 1024 * 1024 + 1))),
                "Bild «diagram.png»", "Bilden «diagram.png» är 2049 kB; högst 2 MB (2048 kB) går");
        List<ModuleDraft.Image> many = new ArrayList<>();
        for (int i = 0; i <= 50; i++) {
            many.add(new ModuleDraft.Image(i == 0 ? "diagram.png" : "bild-" + i + ".png", i, "image/png", 100));
        }
        refused(d -> withImages(d, many), "Bilder", "Modulen har 51 bilder; högst 50 går");
    }

    @Test
    void externalModules() {
        ModuleDraft external = new ModuleDraft("extern", "Extern kurs", "Tas på annan plats.", "60", List.of("LICENSED"),
                List.of("LIC-01"), "", List.of(), List.of(), List.of(), "https://example.se/kurs", "https://example.se/start");
        ModuleRules.Result result = ModuleRules.validate(external, ModuleRules.EDITOR, KNOWN);
        assertEquals(List.of(), result.problems());
        assertEquals(new CourseContent.External("https://example.se/kurs", "https://example.se/start"), result.module().external());

        refused(d -> external("javascript:alert(1)", "https://example.se/start"), "Modulens uppgifter",
                "En extern modul behöver både xAPI-aktivitet (xapi_activity_id) och startadress (launch_url) som fullständiga http(s)-adresser");
        refused(d -> external("https://example.se/kurs", null), "Modulens uppgifter",
                "En extern modul behöver både xAPI-aktivitet (xapi_activity_id) och startadress (launch_url) som fullständiga http(s)-adresser");
    }

    @Test
    void everyProblemAtOnceEachOnce() {
        ModuleDraft d = valid();
        ModuleDraft broken = new ModuleDraft(d.code(), "", d.summary(), "0", d.audiences(), d.goals(), "200", d.pages(),
                List.of(new ModuleDraft.Question("q1", "", List.of(new ModuleDraft.Option("A", false, "")))), d.images(), null, null);
        ModuleRules.Result result = ModuleRules.validate(broken, ModuleRules.EDITOR, KNOWN);
        assertNull(result.module());
        assertEquals(List.of(
                new ModuleRules.Problem("Modulens uppgifter", "Titel (title) saknas"),
                new ModuleRules.Problem("Modulens uppgifter", "Beräknad tid (estimated_minutes) ska vara ett heltal mellan 1 och 240 (minuter), inte «0»"),
                new ModuleRules.Problem("Modulens uppgifter", "Gräns för godkänt (pass_mark) ska vara ett heltal mellan 0 och 100 (procent rätt), inte «200»"),
                new ModuleRules.Problem("Fråga 1", "Frågans text (text) saknas"),
                new ModuleRules.Problem("Fråga 1", "Frågan har 1 svarsalternativ (options); minst två behövs"),
                new ModuleRules.Problem("Fråga 1", "Frågan saknar rätt svar: markera minst ett svarsalternativ som rätt (correct: true)"),
                new ModuleRules.Problem("Fråga 1, svar 1", "Återkopplingen till svaret (feedback) saknas")), result.problems());
        assertEquals("Fråga 1, svar 1: Återkopplingen till svaret (feedback) saknas", result.problems().get(6).toString());
    }

    private static ModuleDraft external(String activity, String launch) {
        return new ModuleDraft("extern", "Extern kurs", "Tas på annan plats.", "60", List.of("LICENSED"),
                List.of("LIC-01"), "", List.of(), List.of(), List.of(), activity, launch);
    }

    /** The draft changed by {@code change} is refused with exactly this one problem. */
    static void refused(UnaryOperator<ModuleDraft> change, String where, String message) {
        ModuleRules.Result result = ModuleRules.validate(change.apply(valid()), ModuleRules.EDITOR, KNOWN);
        assertEquals(List.of(new ModuleRules.Problem(where, message)), result.problems());
        assertNull(result.module());
    }

    static ModuleDraft with(ModuleDraft d, String field, String value) {
        return new ModuleDraft(field.equals("code") ? value : d.code(), field.equals("title") ? value : d.title(),
                field.equals("summary") ? value : d.summary(), field.equals("minutes") ? value : d.estimatedMinutes(),
                d.audiences(), d.goals(), field.equals("passMark") ? value : d.passMark(), d.pages(), d.questions(),
                d.images(), d.xapiActivityId(), d.launchUrl());
    }

    static ModuleDraft withLists(ModuleDraft d, List<String> audiences, List<String> goals) {
        return new ModuleDraft(d.code(), d.title(), d.summary(), d.estimatedMinutes(), audiences, goals, d.passMark(),
                d.pages(), d.questions(), d.images(), d.xapiActivityId(), d.launchUrl());
    }

    static ModuleDraft withPages(ModuleDraft d, List<ModuleDraft.Page> pages) {
        // the diagram is shown on the first page; keep it referenced only when that page is there
        return new ModuleDraft(d.code(), d.title(), d.summary(), d.estimatedMinutes(), d.audiences(), d.goals(), d.passMark(),
                pages, d.questions(), d.images(), d.xapiActivityId(), d.launchUrl());
    }

    static ModuleDraft withPage(ModuleDraft d, ModuleDraft.Page second) {
        return withPages(d, List.of(d.pages().get(0), second));
    }

    static ModuleDraft withQuestions(ModuleDraft d, List<ModuleDraft.Question> questions) {
        return new ModuleDraft(d.code(), d.title(), d.summary(), d.estimatedMinutes(), d.audiences(), d.goals(), d.passMark(),
                d.pages(), questions, d.images(), d.xapiActivityId(), d.launchUrl());
    }

    static ModuleDraft withQuestion(ModuleDraft d, ModuleDraft.Question second) {
        return withQuestions(d, List.of(d.questions().get(0), second));
    }

    static ModuleDraft withImages(ModuleDraft d, List<ModuleDraft.Image> images) {
        return new ModuleDraft(d.code(), d.title(), d.summary(), d.estimatedMinutes(), d.audiences(), d.goals(), d.passMark(),
                d.pages(), d.questions(), images, d.xapiActivityId(), d.launchUrl());
    }
}
