package se.kompetensmal.sessions;

import java.util.List;

/**
 * An occasion was cancelled: the people who were booked or waiting on it (their places are now CANCELLED). Published
 * after the cancellation is committed, so a listener (the mail to them) never tells of a cancellation that was rolled back.
 */
public record OccasionCancelled(long occasionId, String reason, List<Long> personIds) {
}
