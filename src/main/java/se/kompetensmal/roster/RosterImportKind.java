package se.kompetensmal.roster;

/** What a roster file holds. */
public enum RosterImportKind {
    ORGANISATIONS("Organisationer"),
    PEOPLE("Personer"),
    /** Completions from the previous system (see {@link HistoryImporter}). */
    HISTORY("Genomförd utbildning från tidigare system");

    private final String labelSv;

    RosterImportKind(String labelSv) {
        this.labelSv = labelSv;
    }

    public String labelSv() {
        return labelSv;
    }
}
