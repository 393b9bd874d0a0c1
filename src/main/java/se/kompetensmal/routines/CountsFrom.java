package se.kompetensmal.routines;

/** Which start date an introduction's due date counts from. */
public enum CountsFrom {
    ORG_START("start i organisationen"),
    ROLE_START("start i rollen");

    private final String labelSv;

    CountsFrom(String labelSv) {
        this.labelSv = labelSv;
    }

    public String labelSv() {
        return labelSv;
    }
}
