package se.kompetensmal.hrfiles;

import io.micronaut.serde.annotation.Serdeable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fields of the canonical people file (see the README): what a column mapping maps an HR system's headers onto,
 * with the names people see. One home for the list; the people import itself checks the values.
 */
public final class HrFields {

    /** One of our fields: its header in the canonical file and what it is called on the pages. */
    @Serdeable
    public record Field(String name, String labelSv, boolean required) {
    }

    public static final List<Field> PEOPLE = List.of(
            new Field("hsa_id", "HSA-id", false),
            new Field("anstallningsnummer", "Anställningsnummer", false),
            new Field("fornamn", "Förnamn", true),
            new Field("efternamn", "Efternamn", true),
            new Field("epost", "E-post", false),
            new Field("enhet", "Enhet (kod eller HSA-id)", true),
            new Field("malgrupper", "Målgrupper", true),
            new Field("startdatum_organisation", "Startdatum i organisationen", true),
            new Field("startdatum_roll", "Startdatum i rollen", false),
            new Field("huvudman", "Huvudman (kod)", false));

    /** A person is known by at least one of these: HSA-id, employee number or, failing both, e-mail. */
    public static final Set<String> IDENTITY = Set.of("hsa_id", "anstallningsnummer", "epost");

    /** The longest header a mapping keeps (a column of the database). */
    public static final int HEADER_LENGTH = 200;

    private static final Map<String, Field> BY_NAME = new LinkedHashMap<>();

    static {
        PEOPLE.forEach(f -> BY_NAME.put(f.name(), f));
    }

    private HrFields() {
    }

    public static Field field(String name) {
        return name == null ? null : BY_NAME.get(name);
    }

    /** "Förnamn" and " förnamn  " are the same header: compared in lower case with runs of white space as one space. */
    public static String key(String header) {
        return header.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
