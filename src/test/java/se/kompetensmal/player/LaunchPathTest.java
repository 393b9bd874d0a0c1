package se.kompetensmal.player;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The SCO's launch location from the manifest as the runtime frame puts it in its inner frame's address. */
class LaunchPathTest {

    @Test
    void whatManifestsHoldUnescapedIsEscapedAndTheRestKeptAsWritten() {
        assertEquals("sco1/index.html", RuntimeFramePages.launchPath("sco1/index.html"));
        assertEquals("Kurs%20ett/start%20sida.html", RuntimeFramePages.launchPath("Kurs ett/start sida.html"));
        assertEquals("v%C3%A5rd/%C3%B6versikt.html", RuntimeFramePages.launchPath("vård/översikt.html"));
        assertEquals("already%20escaped.html", RuntimeFramePages.launchPath("already%20escaped.html"));
        assertEquals("index.html?lang=sv&del=1 2", RuntimeFramePages.launchPath("index.html?lang=sv&del=1 2"));
        assertEquals("a%20b.html#start", RuntimeFramePages.launchPath("a b.html#start"));
        assertEquals("story_html5.html", RuntimeFramePages.launchPath("story_html5.html"));
    }
}
