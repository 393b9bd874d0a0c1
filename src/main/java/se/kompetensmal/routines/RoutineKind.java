package se.kompetensmal.routines;

/** Introduction training, due once after a start date, or continuing education, recurring with expiry. */
public enum RoutineKind {
    INTRODUCTION("Introduktion"),
    CONTINUING("Fortbildning");

    private final String labelSv;

    RoutineKind(String labelSv) {
        this.labelSv = labelSv;
    }

    public String labelSv() {
        return labelSv;
    }
}
