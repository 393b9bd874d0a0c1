package se.kompetensmal.organization;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The levels of the organisation tree: a huvudman at the top, then administrations, operations and units; optionally a
 * national level above the huvudmän, for views over many of them.
 */
public enum OrgNodeKind {
    NATIONAL("Nationell nivå", false),
    REGION("Region", true),
    MUNICIPALITY("Kommun", true),
    CITY_DISTRICT("Stadsdel", true),
    PRIVATE_PROVIDER("Vårdgivare", true),
    ADMINISTRATION("Förvaltning", false),
    OPERATION("Verksamhet", false),
    UNIT("Enhet", false);

    private final String labelSv;
    private final boolean huvudman;

    OrgNodeKind(String labelSv, boolean huvudman) {
        this.labelSv = labelSv;
        this.huvudman = huvudman;
    }

    public String labelSv() {
        return labelSv;
    }

    /** A huvudman (region, municipality, city district, private provider) is responsible for the care it gives. */
    public boolean isHuvudman() {
        return huvudman;
    }

    /**
     * The kinds that are a huvudman, as an SQL list ("('REGION', ...)") for {@code kind IN}: derived from the flags above,
     * so that a query cannot name a different set.
     */
    public static final String HUVUDMAN_IN_SQL = Arrays.stream(values()).filter(OrgNodeKind::isHuvudman)
            .map(k -> "'" + k.name() + "'").collect(java.util.stream.Collectors.joining(", ", "(", ")"));

    /** A node of this kind may stand at the top of the tree. */
    public boolean mayBeTop() {
        return huvudman || this == NATIONAL;
    }

    /** Accepts the Swedish word shown in the UI or the code, in any case: "kommun", "Kommun", "MUNICIPALITY". */
    public static Optional<OrgNodeKind> parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(k -> k.name().toLowerCase(Locale.ROOT).equals(wanted) || k.labelSv.toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst();
    }
}
