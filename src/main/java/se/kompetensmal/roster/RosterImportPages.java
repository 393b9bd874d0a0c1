package se.kompetensmal.roster;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import io.micronaut.views.View;
import se.kompetensmal.organization.OrgNodeRepository;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;

/** The upload page for roster files, and each import's progress and report. */
@Produces(MediaType.TEXT_HTML)
@Controller("/import")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RosterImportPages {

    private final RosterImportService service;
    private final RosterImportQueries queries;
    private final OrgNodeRepository nodes;

    public RosterImportPages(RosterImportService service, RosterImportQueries queries, OrgNodeRepository nodes) {
        this.service = service;
        this.queries = queries;
        this.nodes = nodes;
    }

    @View("import")
    @Get
    public Map<String, Object> form() {
        return formModel(null);
    }

    @Post(consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<?> upload(@Nullable CompletedFileUpload file, @Nullable String kind, @Nullable String organisation,
                                  @Nullable String full) throws IOException {
        if (file == null || file.getFilename() == null || file.getFilename().isBlank() || file.getSize() == 0) {
            return HttpResponse.badRequest(new ModelAndView<>("import", formModel("Välj en CSV-fil som inte är tom.")));
        }
        RosterImportKind importKind = "ORGANISATIONS".equals(kind) ? RosterImportKind.ORGANISATIONS : RosterImportKind.PEOPLE;
        boolean fullImport = "true".equals(full);
        Long scope = organisation == null || organisation.isBlank() ? null : Long.valueOf(organisation);
        if (fullImport && (importKind != RosterImportKind.PEOPLE || scope == null)) {
            return HttpResponse.badRequest(new ModelAndView<>("import", formModel(
                    "En fullständig import gäller personer och kräver att du väljer vilken organisation filen omfattar.")));
        }
        try (InputStream content = file.getInputStream()) {
            RosterImportService.StartedImport started = service.start(importKind, fullImport, scope, file.getFilename(), content);
            return HttpResponse.seeOther(URI.create("/import/" + started.id()));
        }
    }

    @View("import-status")
    @Get("/{id}")
    public Map<String, Object> status(long id) {
        RosterImportView view = queries.view(id);
        return view.rosterImport().finished()
                ? Map.of("title", "Import av " + view.rosterImport().fileName(), "view", view)
                : Map.of("title", "Import av " + view.rosterImport().fileName(), "view", view, "refreshSeconds", 2);
    }

    @Get("/{id}/felrapport.csv")
    @Produces("text/csv; charset=utf-8")
    public HttpResponse<String> errorReport(long id) {
        StringBuilder csv = new StringBuilder("\uFEFFrad;kolumn;fel\n");
        for (RowError error : queries.allErrors(id)) {
            csv.append(error.row()).append(';').append(quote(error.column())).append(';').append(quote(error.reason())).append('\n');
        }
        return HttpResponse.ok(csv.toString())
                .header("Content-Disposition", "attachment; filename=\"felrapport-import-" + id + ".csv\"");
    }

    private static String quote(String value) {
        return value == null ? "" : '"' + value.replace("\"", "\"\"") + '"';
    }

    private Map<String, Object> formModel(String error) {
        return error == null
                ? Map.of("title", "Importera", "roots", nodes.findByParentIdIsNullOrderByName(), "recent", queries.recent())
                : Map.of("title", "Importera", "roots", nodes.findByParentIdIsNullOrderByName(), "recent", queries.recent(),
                "error", error);
    }
}
