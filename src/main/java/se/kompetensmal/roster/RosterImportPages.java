package se.kompetensmal.roster;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.multipart.StreamingFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import io.micronaut.views.View;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.web.FileNames;
import se.kompetensmal.web.CsvText;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The upload page for roster files, and each import's progress and report. */
@Produces(MediaType.TEXT_HTML)
@Controller("/import")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class RosterImportPages {

    private final RosterImportService service;
    private final RosterImportQueries queries;
    private final RosterImportAccess importAccess;
    private final Access access;
    private final CsrfTokens csrf;
    private final Audiences audiences;

    public RosterImportPages(RosterImportService service, RosterImportQueries queries, RosterImportAccess importAccess,
                             Access access, CsrfTokens csrf, Audiences audiences) {
        this.audiences = audiences;
        this.service = service;
        this.queries = queries;
        this.importAccess = importAccess;
        this.access = access;
        this.csrf = csrf;
    }

    @View("import")
    @Get
    public Map<String, Object> form(Authentication caller) {
        if (!access.holdsSystemWide(caller, Role.ADMINISTRATOR)
                && access.roots(caller, Role.COORDINATOR, Role.ADMINISTRATOR).isEmpty()) {
            throw Access.forbidden();
        }
        return formModel(caller, null);
    }

    /**
     * The file is streamed to disk as it arrives, never held in memory whole: the form's other fields come before it,
     * so they are known, and checked, by the time the file is read.
     */
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<?> upload(@Nullable StreamingFileUpload file, @Nullable String kind, @Nullable String organisation,
                                  @Nullable String full, @Nullable String csrfToken, HttpRequest<?> request,
                                  Authentication caller) throws IOException {
        csrf.verify(request, csrfToken);
        if (file == null || file.getFilename() == null || file.getFilename().isBlank()) {
            return HttpResponse.badRequest(new ModelAndView<>("import", formModel(caller, "Välj en CSV-fil som inte är tom.")));
        }
        RosterImportKind importKind = kindOf(kind);
        boolean fullImport = "true".equals(full);
        Long scope;
        try {
            scope = scopeOf(organisation);
        } catch (NumberFormatException e) {
            return HttpResponse.badRequest(new ModelAndView<>("import", formModel(caller, "Välj en organisation i listan.")));
        }
        String problem = formProblem(importKind, fullImport, scope);
        if (problem != null) {
            return HttpResponse.badRequest(new ModelAndView<>("import", formModel(caller, problem)));
        }
        importAccess.requireImport(caller, scope);
        try (InputStream content = file.asInputStream()) {
            RosterImportService.StartedImport started = service.start(importKind, fullImport, scope, file.getFilename(), content,
                    caller.getName());
            return HttpResponse.seeOther(URI.create("/import/" + started.id()));
        }
    }

    @View("import-status")
    @Get("/{id}")
    public Map<String, Object> status(long id, Authentication caller) {
        RosterImportView view = importAccess.view(caller, id);
        // A finished history import's page goes on refreshing while the recomputation it started runs.
        boolean settled = (view.rosterImport().finished() && (view.recompute() == null || view.recompute().finished()))
                || view.rosterImport().status().awaitingConfirmation();
        return settled
                ? Map.of("title", "Import av " + view.rosterImport().fileName(), "view", view)
                : Map.of("title", "Import av " + view.rosterImport().fileName(), "view", view, "refreshSeconds", 2);
    }

    /** The coordinator's yes to a held full import: it runs, and marks those it does not list as left. */
    @Post(value = "/{id}/bekrafta", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> confirm(long id, @Nullable String csrfToken, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, csrfToken);
        importAccess.view(caller, id);
        service.confirm(id);
        return HttpResponse.seeOther(URI.create("/import/" + id));
    }

    /** The coordinator's no: the held import ends and nothing is written. */
    @Post(value = "/{id}/avbryt", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> cancel(long id, @Nullable String csrfToken, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, csrfToken);
        importAccess.view(caller, id);
        service.cancel(id);
        return HttpResponse.seeOther(URI.create("/import/" + id));
    }

    @Get("/{id}/felrapport.csv")
    @Produces("text/csv; charset=utf-8")
    public HttpResponse<String> errorReport(long id, Authentication caller) {
        RosterImportView view = importAccess.view(caller, id);
        StringBuilder csv = new StringBuilder(CsvText.header("rad", "kolumn", "fel"));
        for (RowError error : queries.allErrors(id)) {
            csv.append(CsvText.row(error.row(), error.column(), error.reason()));
        }
        // Named by the file it reports on and the day it was read: felrapport-personal-2026-12-01.csv.
        String uploaded = view.rosterImport().fileName().replaceFirst("\\.[A-Za-z0-9]{1,5}$", "");
        return HttpResponse.ok(csv.toString()).contentType("text/csv; charset=utf-8").header("Content-Disposition",
                FileNames.attachment(FileNames.of("felrapport", uploaded,
                        view.rosterImport().createdAt() == null ? java.time.LocalDate.now(SwedishTime.ZONE)
                                : view.rosterImport().createdAt().atZone(SwedishTime.ZONE).toLocalDate(), "csv")));
    }


    /** The kind of file the form names; people when it names none of ours. */
    public static RosterImportKind kindOf(@Nullable String kind) {
        return "ORGANISATIONS".equals(kind) ? RosterImportKind.ORGANISATIONS
                : "HISTORY".equals(kind) ? RosterImportKind.HISTORY : RosterImportKind.PEOPLE;
    }

    /** The organisation the form names, or null for none; throws NumberFormatException for one that is not an id. */
    public static @Nullable Long scopeOf(@Nullable String organisation) {
        return organisation == null || organisation.isBlank() ? null : Long.valueOf(organisation);
    }

    /**
     * What is wrong with the form choices, said for the page, or null: the rules of {@link RosterImportService#start},
     * checked before the file is read. Also used by the preview upload (hrfiles/HrPreviewPages).
     */
    public static @Nullable String formProblem(RosterImportKind kind, boolean fullImport, @Nullable Long scope) {
        if (fullImport && (kind != RosterImportKind.PEOPLE || scope == null)) {
            return "En fullständig import gäller personer och kräver att du väljer vilken organisation filen omfattar.";
        }
        if (kind == RosterImportKind.HISTORY && scope == null) {
            return "En import av historik kräver att du väljer vilken organisation filen gäller: personerna söks där.";
        }
        return null;
    }

    /** The upload form model, with an error to show; also the preview upload form's (hrfiles/HrPreviewPages). */
    public Map<String, Object> formModel(Authentication caller, String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Importera");
        model.put("roots", access.roots(caller, Role.COORDINATOR, Role.ADMINISTRATOR));
        model.put("systemWide", access.holdsSystemWide(caller, Role.ADMINISTRATOR));
        model.put("recent", importAccess.recent(caller));
        // The file names audiences by code: the one page where codes are what the user needs, beside their names.
        model.put("audiences", audiences.visibleTo(caller));
        model.put("error", error);
        return model;
    }
}
