package se.kompetensmal.hrfiles;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.util.List;

/**
 * An organisation's column mapping over the API, for its coordinators and administrators: read (the mapping in force,
 * and where it was saved), replaced whole, or removed (the node then follows the mapping above it). Refusals are RFC 9457
 * problems naming each row at fault.
 */
@Controller("/api/organisations/{id}/column-mapping")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ColumnMappingController {

    private final ColumnMappings mappings;
    private final OrgNodeRepository nodes;
    private final Access access;

    public ColumnMappingController(ColumnMappings mappings, OrgNodeRepository nodes, Access access) {
        this.mappings = mappings;
        this.nodes = nodes;
        this.access = access;
    }

    @Get
    public ColumnMapping show(long id, Authentication caller) {
        nodes.require(id);
        access.requireOn(caller, id, Role.COORDINATOR, Role.ADMINISTRATOR);
        return mappings.inForceAt(id);
    }

    /** Replaces the node's own mapping with the one sent; an empty list removes it. */
    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Put
    public ColumnMapping replace(long id, @Body ColumnMapping.Change change, HttpRequest<?> request, Authentication caller) {
        if (change.columns() == null) {
            throw new HrSettingsRefused("columns", "Ange kolumnerna (columns), en lista med header och field.");
        }
        return mappings.replace(id, change.columns(), request, caller);
    }

    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Delete
    public ColumnMapping remove(long id, HttpRequest<?> request, Authentication caller) {
        return mappings.replace(id, List.of(), request, caller);
    }
}
