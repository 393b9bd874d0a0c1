package se.kompetensmal.web;

import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The words of the pages in each language the service speaks: Swedish, and English for those who choose it. Templates
 * read them as {@code {{t.key}}}; a key missing from English falls back to Swedish.
 */
@Singleton
public class Texts {

    public static final String SWEDISH = "sv";
    public static final String ENGLISH = "en";

    private final Map<String, Map<String, String>> byLanguage;

    public Texts() {
        Map<String, String> swedish = load(SWEDISH);
        Map<String, String> english = new TreeMap<>(swedish);
        english.putAll(load(ENGLISH));
        this.byLanguage = Map.of(SWEDISH, Map.copyOf(swedish), ENGLISH, Map.copyOf(english));
    }

    public static boolean supports(String language) {
        return SWEDISH.equals(language) || ENGLISH.equals(language);
    }

    public Map<String, String> in(String language) {
        return byLanguage.getOrDefault(language, byLanguage.get(SWEDISH));
    }

    private static Map<String, String> load(String language) {
        String resource = "i18n/texts_" + language + ".properties";
        try (InputStream in = Texts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> texts = new TreeMap<>();
            properties.forEach((key, value) -> texts.put((String) key, (String) value));
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
