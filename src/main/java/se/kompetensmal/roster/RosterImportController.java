package se.kompetensmal.roster;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.io.InputStream;
import java.net.URI;
import java.util.List;

/**
 * Roster import over the API: POST a CSV file as the request body; the answer (202) points at the import, whose
 * progress and report are read with GET. Columns are described in README.md.
 */
@Controller("/api/imports")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class RosterImportController {

    private final RosterImportService service;
    private final RosterImportQueries queries;
    private final RosterImportAccess access;

    public RosterImportController(RosterImportService service, RosterImportQueries queries, RosterImportAccess access) {
        this.service = service;
        this.queries = queries;
        this.access = access;
    }

    @Operation(summary = "Import organisational nodes from CSV (columns kod, namn, typ, overordnad)")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(value = "/organisations", consumes = {"text/csv", MediaType.APPLICATION_OCTET_STREAM})
    public HttpResponse<RosterImportView> importOrganisations(@Body InputStream csv, @QueryValue @Nullable String fileName,
                                                              @QueryValue @Nullable Long organisation,
                                                              Authentication caller) {
        access.requireImport(caller, organisation);
        return accepted(service.start(RosterImportKind.ORGANISATIONS, false, organisation, fileName, csv));
    }

    @Operation(summary = "Import people from CSV; full=true marks people of the organisation missing from the file as left")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(value = "/people", consumes = {"text/csv", MediaType.APPLICATION_OCTET_STREAM})
    public HttpResponse<RosterImportView> importPeople(@Body InputStream csv, @QueryValue @Nullable String fileName,
                                                       @QueryValue @Nullable Long organisation,
                                                       @QueryValue(defaultValue = "false") boolean full,
                                                       Authentication caller) {
        access.requireImport(caller, organisation);
        return accepted(service.start(RosterImportKind.PEOPLE, full, organisation, fileName, csv));
    }

    @Operation(summary = "Import completions from the previous system from CSV (columns hsa_id, modulkod, genomförd, resultat, "
            + "källa, externt_id; see README); organisation is required: people are looked up there. Importing the same "
            + "file again changes nothing; the assignments are recomputed afterwards in the background")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(value = "/history", consumes = {"text/csv", MediaType.APPLICATION_OCTET_STREAM})
    public HttpResponse<RosterImportView> importHistory(@Body InputStream csv, @QueryValue @Nullable String fileName,
                                                        @QueryValue @Nullable Long organisation, Authentication caller) {
        if (organisation == null) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST,
                    "En import av historik kräver organisation (organisation=id): personerna söks där.");
        }
        access.requireImport(caller, organisation);
        return accepted(service.start(RosterImportKind.HISTORY, false, organisation, fileName, csv, caller.getName()));
    }

    @Operation(summary = "Confirm a held full import (status AWAITING_CONFIRMATION): it runs and marks those it does not list as left")
    @Post("/{id}/confirm")
    public HttpResponse<RosterImportView> confirm(long id, Authentication caller) {
        access.view(caller, id);
        return accepted(service.confirm(id));
    }

    @Operation(summary = "Cancel a held full import (status AWAITING_CONFIRMATION): nothing is written")
    @Post("/{id}/cancel")
    public RosterImportView cancel(long id, Authentication caller) {
        access.view(caller, id);
        service.cancel(id);
        return queries.view(id);
    }

    @Operation(summary = "Recent imports")
    @Get
    public List<RosterImport> recent(Authentication caller) {
        return access.recent(caller);
    }

    @Operation(summary = "An import's status, progress and report of bad rows (the first 1,000)")
    @Get("/{id}")
    public RosterImportView get(long id, Authentication caller) {
        return access.view(caller, id);
    }

    private HttpResponse<RosterImportView> accepted(RosterImportService.StartedImport started) {
        return HttpResponse.<RosterImportView>accepted()
                .headers(h -> h.location(URI.create("/api/imports/" + started.id())))
                .body(queries.view(started.id()));
    }
}
