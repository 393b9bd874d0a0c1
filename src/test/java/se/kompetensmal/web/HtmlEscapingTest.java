package se.kompetensmal.web;

import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.organization.OrgNodeKind;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages' escaping written in one pass (for speed, see {@link HtmlEscaping}) escapes exactly as Handlebars' own
 * default did, and is the one the pages use: a name with markup in it is shown as text.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HtmlEscapingTest extends ServiceTest {

    @Inject
    Handlebars handlebars;

    final HtmlEscaping escaping = new HtmlEscaping();

    @Test
    void escapesEveryTextExactlyAsHandlebarsDefault() {
        List<String> chosen = List.of("", "Karin Lindqvist-Åberg", "<script>alert('x')</script>", "a=b&c=d", "\"citat\" `tick`",
                "&amp; redan", "&", "<", "=", "ÅÄÖ åäö é ü ß", "Hemtjänst Norr\nrad två\ttabb", "😀 <😀> 😀", "\u0000\u00a0\u2028");
        for (String text : chosen) {
            assertEquals(EscapingStrategy.HTML_ENTITY.escape(text).toString(), escaping.escape(text).toString(), text);
        }
        // Random text over an alphabet of everything either might treat differently: each character escaped, the
        // characters around them, surrogate pairs and control characters.
        char[] alphabet = "&<>\"'`=;#/x a1ÅäÖé\n\t\u0000\u00a0\ud83d\ude00".toCharArray();
        Random random = new Random(20261203);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(40); n > 0; n--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            assertEquals(EscapingStrategy.HTML_ENTITY.escape(text).toString(), escaping.escape(text).toString(), text.toString());
        }
    }

    @Test
    void safeTextNullAndNothingAreAsBefore() {
        Handlebars.SafeString safe = new Handlebars.SafeString("<b>redan säker</b>");
        assertSame(safe.content, escaping.escape(safe));
        assertEquals(EscapingStrategy.HTML_ENTITY.escape(safe).toString(), escaping.escape(safe).toString());
        assertEquals("", escaping.escape(null).toString());
        assertEquals("", escaping.escape("").toString());
    }

    @Test
    void thePagesUseItAndAUnitNamedWithMarkupIsShownAsText() {
        assertTrue(handlebars.getEscapingStrategy() instanceof HtmlEscaping, handlebars.getEscapingStrategy().getClass().getName());
        String name = "Avd <b>7</b> \"Öst\" & 'Väst'";
        long node = tree.add("ESC" + System.nanoTime(), name, OrgNodeKind.MUNICIPALITY, null).id();
        String page = http.toBlocking().retrieve(HttpRequest.GET("/organisationer/" + node + "/uppfoljning")
                .accept(MediaType.TEXT_HTML).cookie(Cookie.of("JWT", users.admin())));
        assertTrue(page.contains("Avd &lt;b&gt;7&lt;/b&gt; &quot;Öst&quot; &amp; &#x27;Väst&#x27;"), page);
        assertFalse(page.contains("<b>7</b>"), "the markup is not the page's");
    }
}
