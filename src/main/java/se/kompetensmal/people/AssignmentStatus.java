package se.kompetensmal.people;

import java.time.LocalDate;

/**
 * Where one of a person's assignments stands, as the person page shows it. Derived in this order from the facts: withdrawn
 * (no routine asks for it any more), done (its cycle has a completion), exempted (an exemption for the module), and
 * otherwise by its due date: overdue, due within {@link #SOON_DAYS} days, or later.
 */
public enum AssignmentStatus {
    OVERDUE("Försenad"),
    DUE_SOON("Förfaller snart"),
    LATER("Senare"),
    DONE("Klar"),
    EXEMPTED("Undantagen"),
    WITHDRAWN("Återkallad");

    /** "Soon" as the follow-up list has it by default: within two weeks. */
    public static final int SOON_DAYS = 14;

    private final String labelSv;

    AssignmentStatus(String labelSv) {
        this.labelSv = labelSv;
    }

    public String labelSv() {
        return labelSv;
    }

    public static AssignmentStatus of(boolean withdrawn, boolean done, boolean exempted, LocalDate dueDate, LocalDate today) {
        if (withdrawn) {
            return WITHDRAWN;
        }
        if (done) {
            return DONE;
        }
        if (exempted) {
            return EXEMPTED;
        }
        if (dueDate.isBefore(today)) {
            return OVERDUE;
        }
        return dueDate.isAfter(today.plusDays(SOON_DAYS)) ? LATER : DUE_SOON;
    }

    /** Still to be done by the person: what a reminder is about. */
    public boolean open() {
        return this == OVERDUE || this == DUE_SOON || this == LATER;
    }
}
