package se.kompetensmal.roster;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;

import java.io.InputStream;
import java.net.URI;
import java.util.List;

/**
 * Roster import over the API: POST a CSV file as the request body; the answer (202) points at the import, whose
 * progress and report are read with GET. Columns are described in README.md.
 */
@Controller("/api/imports")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RosterImportController {

    private final RosterImportService service;
    private final RosterImportQueries queries;

    public RosterImportController(RosterImportService service, RosterImportQueries queries) {
        this.service = service;
        this.queries = queries;
    }

    @Operation(summary = "Import organisational nodes from CSV (columns kod, namn, typ, overordnad)")
    @Post(value = "/organisations", consumes = {"text/csv", MediaType.APPLICATION_OCTET_STREAM})
    public HttpResponse<RosterImportView> importOrganisations(@Body InputStream csv, @QueryValue @Nullable String fileName,
                                                              @QueryValue @Nullable Long organisation) {
        return accepted(service.start(RosterImportKind.ORGANISATIONS, false, organisation, fileName, csv));
    }

    @Operation(summary = "Import people from CSV; full=true marks people of the organisation missing from the file as left")
    @Post(value = "/people", consumes = {"text/csv", MediaType.APPLICATION_OCTET_STREAM})
    public HttpResponse<RosterImportView> importPeople(@Body InputStream csv, @QueryValue @Nullable String fileName,
                                                       @QueryValue @Nullable Long organisation,
                                                       @QueryValue(defaultValue = "false") boolean full) {
        return accepted(service.start(RosterImportKind.PEOPLE, full, organisation, fileName, csv));
    }

    @Operation(summary = "Recent imports")
    @Get
    public List<RosterImport> recent() {
        return queries.recent();
    }

    @Operation(summary = "An import's status, progress and report of bad rows (the first 1,000)")
    @Get("/{id}")
    public RosterImportView get(long id) {
        return queries.view(id);
    }

    private HttpResponse<RosterImportView> accepted(RosterImportService.StartedImport started) {
        return HttpResponse.<RosterImportView>accepted()
                .headers(h -> h.location(URI.create("/api/imports/" + started.id())))
                .body(queries.view(started.id()));
    }
}
