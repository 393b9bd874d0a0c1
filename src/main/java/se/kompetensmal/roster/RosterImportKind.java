package se.kompetensmal.roster;

/** What a roster file holds. */
public enum RosterImportKind {
    ORGANISATIONS("Organisationer"),
    PEOPLE("Personer");

    private final String labelSv;

    RosterImportKind(String labelSv) {
        this.labelSv = labelSv;
    }

    public String labelSv() {
        return labelSv;
    }
}
