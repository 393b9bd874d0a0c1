package se.kompetensmal.reminders;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditLog;
import se.kompetensmal.security.Role;

/** A coordinator changes a node's reminders, for the API and the page alike: checked, saved and written to the audit log. */
@Singleton
public class ReminderSettingsChange {

    private final ReminderSettings settings;
    private final OrgNodeRepository nodes;
    private final Access access;
    private final AuditLog audit;

    public ReminderSettingsChange(ReminderSettings settings, OrgNodeRepository nodes, Access access, AuditLog audit) {
        this.settings = settings;
        this.nodes = nodes;
        this.access = access;
        this.audit = audit;
    }

    public ReminderSetting apply(long nodeId, ReminderSetting setting, HttpRequest<?> request, Authentication caller) {
        OrgNode node = nodes.require(nodeId);
        access.requireOn(caller, nodeId, Role.COORDINATOR, Role.ADMINISTRATOR);
        settings.set(nodeId, setting, caller.getName());
        audit.record(caller.getName(), AuditLog.SETTING_CHANGED, "påminnelser för " + node.code() + ": " + describe(setting), request);
        return settings.inForceAt(nodeId);
    }

    private static String describe(ReminderSetting s) {
        return s.enabled() ? "på, " + s.daysBefore() + " dagar före, vid försening " + (s.whenOverdue() ? "ja" : "nej")
                + ", veckosammanställning " + (s.weeklyDigest() ? "ja" : "nej") : "av";
    }
}
