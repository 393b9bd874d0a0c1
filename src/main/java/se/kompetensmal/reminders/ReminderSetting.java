package se.kompetensmal.reminders;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How an organisation wants its reminders: whether mail goes out at all, how many days before the due date, whether the
 * learner is told when overdue, and whether managers get a weekly digest. {@code setAt} names the node the setting comes
 * from (null when no organisation above has chosen: the defaults). Each of the four must be given (a missing one was
 * read as false) and of its type; {@link ReminderSettings#set} checks them.
 */
@Serdeable
public record ReminderSetting(@NotNull Boolean enabled, @NotNull @Min(0) @Max(90) Integer daysBefore, @NotNull Boolean whenOverdue,
                              @NotNull Boolean weeklyDigest, @Nullable String setAt) {

    public static final ReminderSetting DEFAULT = new ReminderSetting(true, 14, true, true, null);
}
