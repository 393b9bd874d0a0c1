package se.kompetensmal.galera;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** How long each phase of the Galera run took, and the figures it counted, for the summary at the end. */
final class Timings {

    private static final List<String> LINES = java.util.Collections.synchronizedList(new ArrayList<>());
    private static final Map<String, Object> FIGURES = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private static final Instant START = Instant.now();

    private Timings() {
    }

    static void log(String phase, Instant started) {
        Duration took = Duration.between(started, Instant.now());
        String line = String.format("[%6.1f s] %s: %.1f s", Duration.between(START, Instant.now()).toMillis() / 1000.0, phase,
                took.toMillis() / 1000.0);
        LINES.add(line);
        System.out.println(line);
    }

    static void note(String what) {
        String line = String.format("[%6.1f s] %s", Duration.between(START, Instant.now()).toMillis() / 1000.0, what);
        LINES.add(line);
        System.out.println(line);
    }

    static void figure(String name, Object value) {
        FIGURES.put(name, value);
    }

    static String summary() {
        StringBuilder text = new StringBuilder("==== Galera run: phases ====\n");
        synchronized (LINES) {
            LINES.forEach(l -> text.append(l).append('\n'));
        }
        text.append("==== Galera run: figures ====\n");
        synchronized (FIGURES) {
            FIGURES.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        }
        return text.toString();
    }
}
