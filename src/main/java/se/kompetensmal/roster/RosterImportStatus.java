package se.kompetensmal.roster;

/** Where an import is: it is validated whole, then written whole, or rejected with nothing written. */
public enum RosterImportStatus {
    QUEUED("Väntar", false),
    VALIDATING("Kontrollerar rader", false),
    WRITING("Sparar", false),
    SUCCEEDED("Klar", true),
    REJECTED("Avvisad, inget sparades", true),
    FAILED("Misslyckades, inget sparades", true);

    private final String labelSv;
    private final boolean finished;

    RosterImportStatus(String labelSv, boolean finished) {
        this.labelSv = labelSv;
        this.finished = finished;
    }

    public String labelSv() {
        return labelSv;
    }

    public boolean finished() {
        return finished;
    }
}
