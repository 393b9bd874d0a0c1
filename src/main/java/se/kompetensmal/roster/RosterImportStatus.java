package se.kompetensmal.roster;

/** Where an import is: it is validated whole, then written whole, or rejected with nothing written. */
public enum RosterImportStatus {
    QUEUED("Väntar", false),
    VALIDATING("Kontrollerar rader", false),
    WRITING("Sparar", false),
    /** A full import that would mark many as left, held until the coordinator confirms or cancels it. */
    AWAITING_CONFIRMATION("Väntar på bekräftelse, inget sparat ännu", false),
    SUCCEEDED("Klar", true),
    REJECTED("Avvisad, inget sparades", true),
    FAILED("Misslyckades, inget sparades", true),
    CANCELLED("Avbruten, inget sparades", true);

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

    /** Nothing more happens until someone answers: neither finished nor running. */
    public boolean awaitingConfirmation() {
        return this == AWAITING_CONFIRMATION;
    }
}
