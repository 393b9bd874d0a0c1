package se.kompetensmal.reminders;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

/** An organisation's reminder settings over the API: read by its coordinators and leaders, changed by coordinators. */
@Controller("/api/organisations/{id}/reminder-settings")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ReminderSettingsController {

    private final ReminderSettingsChange change;
    private final ReminderSettings settings;
    private final Access access;

    public ReminderSettingsController(ReminderSettingsChange change, ReminderSettings settings, Access access) {
        this.change = change;
        this.settings = settings;
        this.access = access;
    }

    /** The setting in force here, and where it was chosen (null: the defaults). */
    @Get
    public ReminderSetting show(long id, Authentication caller) {
        access.requireOn(caller, id, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        return settings.inForceAt(id);
    }

    /** Sets this node's own reminders; everything under it without a setting of its own follows. Checked after the rights. */
    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Put
    public ReminderSetting change(long id, @Body ReminderSetting setting, HttpRequest<?> request, Authentication caller) {
        return change.apply(id, setting, request, caller);
    }
}
