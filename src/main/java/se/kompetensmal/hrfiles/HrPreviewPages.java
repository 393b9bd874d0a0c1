package se.kompetensmal.hrfiles;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
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
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.roster.CsvReader;
import se.kompetensmal.roster.RosterImportAccess;
import se.kompetensmal.roster.RosterImportKind;
import se.kompetensmal.roster.RosterImportPages;
import se.kompetensmal.roster.RosterImportService;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The import page's upload, shown before it is imported: the encoding read from the file (which the coordinator can
 * change), what each header of theirs becomes, the required fields no column fills, and the first rows as the import
 * will read them. Confirmed, the file goes to the one import of roster files ({@link RosterImportService}) as a
 * canonical UTF-8 file, and its status page follows.
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/import/forhandsgranskning")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class HrPreviewPages {

    private static final Logger LOG = LoggerFactory.getLogger(HrPreviewPages.class);
    private static final int FILE_NAME_LENGTH = 255;

    private final HrUploads uploads;
    private final ColumnMappings mappings;
    private final RosterImportService service;
    private final RosterImportAccess importAccess;
    private final RosterImportPages importPages;
    private final OrgNodeRepository nodes;
    private final Access access;
    private final CsrfTokens csrf;

    public HrPreviewPages(HrUploads uploads, ColumnMappings mappings, RosterImportService service,
                          RosterImportAccess importAccess, RosterImportPages importPages, OrgNodeRepository nodes,
                          Access access, CsrfTokens csrf) {
        this.uploads = uploads;
        this.mappings = mappings;
        this.service = service;
        this.importAccess = importAccess;
        this.importPages = importPages;
        this.nodes = nodes;
        this.access = access;
        this.csrf = csrf;
    }

    /** The confirmation as the preview form posts it. */
    @Serdeable
    public record ConfirmForm(@Nullable String kodning, @Nullable String csrfToken) {
    }

    /** Keeps the file in the database and shows its preview; the form fields come before the file and are checked first. */
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<?> upload(@Nullable StreamingFileUpload file, @Nullable String kind, @Nullable String organisation,
                                  @Nullable String full, @Nullable String csrfToken, HttpRequest<?> request,
                                  Authentication caller) throws IOException {
        csrf.verify(request, csrfToken);
        if (file == null || file.getFilename() == null || file.getFilename().isBlank()) {
            return form(caller, "Välj en CSV-fil som inte är tom.");
        }
        if (file.getFilename().length() > FILE_NAME_LENGTH) {
            return form(caller, "Filnamnet är längre än " + FILE_NAME_LENGTH + " tecken; byt namn på filen och försök igen.");
        }
        RosterImportKind importKind = RosterImportPages.kindOf(kind);
        boolean fullImport = "true".equals(full);
        Long scope;
        try {
            scope = RosterImportPages.scopeOf(organisation);
        } catch (NumberFormatException e) {
            return form(caller, "Välj en organisation i listan.");
        }
        String problem = RosterImportPages.formProblem(importKind, fullImport, scope);
        if (problem != null) {
            return form(caller, problem);
        }
        importAccess.requireImport(caller, scope);
        try (InputStream content = file.asInputStream()) {
            HrUploads.Upload upload = uploads.store(importKind, fullImport, scope, file.getFilename(), content, caller.getName());
            if (upload.byteCount() == 0) {
                uploads.delete(upload.id());
                return form(caller, "Välj en CSV-fil som inte är tom.");
            }
            return HttpResponse.seeOther(URI.create("/import/forhandsgranskning/" + upload.id()));
        }
    }

    @Get("/{id}{?kodning}")
    public HttpResponse<?> show(long id, @Nullable String kodning, Authentication caller) {
        HrUploads.Upload upload = upload(id, caller);
        return HttpResponse.ok(new ModelAndView<>("hr-preview", model(upload, FileEncoding.of(kodning), null)));
    }

    /** The coordinator's yes: the file, read in the chosen encoding through the mapping, goes to the import. */
    @Post(value = "/{id}/importera", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> confirm(long id, @Body ConfirmForm form, HttpRequest<?> request, Authentication caller)
            throws IOException {
        csrf.verify(request, form.csrfToken());
        HrUploads.Upload upload = upload(id, caller);
        FileEncoding encoding = FileEncoding.of(form.kodning()) == null ? upload.detected() : FileEncoding.of(form.kodning());
        Path canonical = Files.createTempFile("hr-canonical-", ".csv");
        try {
            HrFile.Layout layout;
            try (InputStream in = uploads.open(id); OutputStream out = Files.newOutputStream(canonical)) {
                layout = HrFile.writeCanonical(in, encoding, upload.kind(), mappingOf(upload), out);
            } catch (CsvReader.MalformedCsvException e) {
                return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("hr-preview",
                        model(upload, encoding, "Filen kan inte importeras: rad " + e.row() + ": " + e.getMessage() + ".")));
            }
            if (!layout.importable()) {
                return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("hr-preview",
                        model(upload, encoding, "Filen kan inte importeras förrän det som saknas finns med.")));
            }
            RosterImportService.StartedImport started;
            try (InputStream content = Files.newInputStream(canonical)) {
                started = service.start(upload.kind(), upload.fullImport(), upload.scopeOrgId(), upload.fileName(), content,
                        caller.getName());
            }
            uploads.delete(id);
            return HttpResponse.seeOther(URI.create("/import/" + started.id()));
        } finally {
            Files.deleteIfExists(canonical);
        }
    }

    /** The coordinator's no: the upload is removed and nothing is imported. */
    @Post(value = "/{id}/avbryt", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> drop(long id, @Body ConfirmForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        upload(id, caller);
        uploads.delete(id);
        return HttpResponse.seeOther(URI.create("/import"));
    }

    /** The upload, for the one who uploaded it while they may still import into its organisation; 404 for anyone else. */
    private HrUploads.Upload upload(long id, Authentication caller) {
        HrUploads.Upload upload = uploads.find(id).filter(u -> u.uploadedBy().equals(caller.getName()))
                .orElseThrow(Access::notFound);
        importAccess.requireImport(caller, upload.scopeOrgId());
        return upload;
    }

    private ColumnMapping mappingAt(HrUploads.Upload upload) {
        return upload.kind() == RosterImportKind.PEOPLE && upload.scopeOrgId() != null
                ? mappings.inForceAt(upload.scopeOrgId()) : ColumnMapping.NONE;
    }

    private Map<String, String> mappingOf(HrUploads.Upload upload) {
        return HrFile.mappingFor(upload.kind(), mappingAt(upload));
    }

    private HttpResponse<?> form(Authentication caller, String error) {
        return HttpResponse.badRequest(new ModelAndView<>("import", importPages.formModel(caller, error)));
    }

    private Map<String, Object> model(HrUploads.Upload upload, @Nullable FileEncoding chosen, @Nullable String error) {
        FileEncoding encoding = chosen == null ? upload.detected() : chosen;
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Förhandsgranska " + upload.fileName());
        model.put("upload", upload);
        model.put("kindSv", upload.kind().labelSv());
        model.put("people", upload.kind() == RosterImportKind.PEOPLE);
        model.put("organisation", upload.scopeOrgId() == null ? null : nodes.require(upload.scopeOrgId()));
        model.put("size", readableSize(upload.byteCount()));
        List<Map<String, Object>> encodings = new ArrayList<>();
        for (FileEncoding e : FileEncoding.values()) {
            encodings.add(Map.of("code", e.code(), "label", e.labelSv() + (e == upload.detected() ? " – identifierad i filen" : ""),
                    "selected", e == encoding));
        }
        model.put("encodings", encodings);
        model.put("encoding", encoding);
        model.put("detected", upload.detected());
        model.put("chosenByUser", encoding != upload.detected());
        ColumnMapping mapping = mappingAt(upload);
        model.put("mapping", mapping);
        model.put("error", error);
        try (InputStream in = uploads.open(upload.id())) {
            HrFile.Preview preview = HrFile.preview(in, encoding, upload.kind(), HrFile.mappingFor(upload.kind(), mapping),
                    HrFile.PREVIEW_ROWS);
            model.put("preview", preview);
            model.put("shown", preview.layout().usedInOrder());
            model.put("importable", preview.layout().importable() && error == null);
        } catch (CsvReader.MalformedCsvException e) {
            model.put("readError", "Rad " + e.row() + ": " + e.getMessage() + (encoding == FileEncoding.UTF8
                    ? ". Välj en annan teckenkodning ovan om filen är sparad i Windows-1252 eller ISO-8859-1." : "."));
        } catch (IOException e) {
            LOG.error("Upload {} could not be read for its preview", upload.id(), e);
            model.put("readError", "Filen kunde inte läsas. Ladda upp den igen.");
        }
        return model;
    }

    static String readableSize(long bytes) {
        return bytes >= 1024 * 1024 ? String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1024.0 / 1024.0).replace('.', ',')
                : bytes >= 1024 ? bytes / 1024 + " kB" : bytes + " byte";
    }
}
