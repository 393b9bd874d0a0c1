package se.kompetensmal.security;

/** What a person may do; every role but LEARNER is granted on an organisational node and holds for its subtree. */
public enum Role {
    LEARNER("Medarbetare"),
    COORDINATOR("Utbildningssamordnare"),
    LEADER("Ledare"),
    ADMINISTRATOR("Administratör"),
    /** Holds occasions of session modules: sees the sign-up lists of their own occasions and marks attendance. */
    TRAINER("Utbildare");

    private final String labelSv;

    Role(String labelSv) {
        this.labelSv = labelSv;
    }

    public String labelSv() {
        return labelSv;
    }
}
