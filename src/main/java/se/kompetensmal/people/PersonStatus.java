package se.kompetensmal.people;

/** A person who has left keeps their learning history; people are never deleted. */
public enum PersonStatus {
    ACTIVE,
    LEFT
}
