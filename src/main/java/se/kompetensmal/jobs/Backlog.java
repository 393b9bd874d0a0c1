package se.kompetensmal.jobs;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** A kind's waiting work: how many items, and when the oldest of them was queued (null when none waits). */
public record Backlog(long waiting, @Nullable Instant oldestQueuedAt) {

    public static final Backlog NONE = new Backlog(0, null);
}
