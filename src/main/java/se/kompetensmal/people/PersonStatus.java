package se.kompetensmal.people;

/** A person who has left keeps their learning history; people are never deleted. */
public enum PersonStatus {
    ACTIVE,
    LEFT;

    /** Whether someone with this status may sign in and go on using the service: a person who has left may not. */
    public boolean maySignIn() {
        return this == ACTIVE;
    }
}
