package se.kompetensmal.catalog;

/** What a competence goal asks of the person. */
public enum GoalKind {
    KNOWLEDGE("Kunskap"),
    SKILL("Färdighet"),
    ATTITUDE("Förhållningssätt");

    private final String labelSv;

    GoalKind(String labelSv) {
        this.labelSv = labelSv;
    }

    public String labelSv() {
        return labelSv;
    }
}
