package se.kompetensmal.authoring;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import se.kompetensmal.catalog.ImageFile;
import se.kompetensmal.catalog.ImageFiles;
import se.kompetensmal.catalog.ModuleDraft;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.FileNames;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * The API of own modules: list, create, the draft, images, publish, withdraw, versions, export and import. Thin: every
 * rule, the scope included, is {@link ModuleAuthoring}'s. A module the caller may not see answers 404 on every route,
 * exactly as an unknown code; one they see but may not change answers 403 on the changing routes.
 */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OwnModuleController {

    private final ModuleAuthoring authoring;
    private final ObjectMapper json;

    public OwnModuleController(ModuleAuthoring authoring, ObjectMapper json) {
        this.authoring = authoring;
        this.json = json;
    }

    /** A new module: its owner node (null: everyone, system-wide administrators only), code and title. */
    @Serdeable
    public record NewModule(@Nullable Long owner, @Nullable String code, @Nullable String title) {
    }

    /** The draft as typed, saved over the revision it was read at. */
    @Serdeable
    public record DraftChange(ModuleDraft content, int revision) {
    }

    /** The version published. */
    @Serdeable
    public record Published(int version) {
    }

    @Serdeable
    public record Withdrawal(@Nullable String reason) {
    }

    @Operation(summary = "The organisation's own modules the caller may see (coordinators and administrators)")
    @Get("/api/own-modules")
    public List<ModuleAuthoring.Summary> list(Authentication caller) {
        return authoring.visibleTo(caller);
    }

    @Operation(summary = "Create an own module with an empty draft; the code may not be any other module's, shipped or own")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post("/api/own-modules")
    public HttpResponse<ModuleAuthoring.Summary> create(@Body NewModule body, Authentication caller) {
        ModuleAuthoring.Summary created = authoring.create(caller, body.owner(), body.code(), body.title());
        return HttpResponse.created(created, URI.create("/api/own-modules/" + created.code()));
    }

    @Operation(summary = "Where the caller may create modules: nodes, and whether for everyone (system administrators)")
    // Its own path: under /api/own-modules it would hide a module whose code is "owners".
    @Get("/api/own-module-owners")
    public ModuleAuthoring.Owners owners(Authentication caller) {
        return authoring.owners(caller);
    }

    @Operation(summary = "One own module: owner, status, latest version, whether the draft has unpublished changes")
    @Get("/api/own-modules/{code}")
    public ModuleAuthoring.Summary module(String code, Authentication caller) {
        return authoring.summary(caller, code);
    }

    @Operation(summary = "Throw away a module that was never published (its draft and images); published ones are withdrawn instead")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Delete("/api/own-modules/{code}")
    public HttpResponse<?> discard(String code, Authentication caller) {
        authoring.discard(caller, code);
        return HttpResponse.noContent();
    }

    @Operation(summary = "The draft as typed (valid or not) and its revision")
    @Get("/api/own-modules/{code}/draft")
    public ModuleAuthoring.Draft draft(String code, Authentication caller) {
        return authoring.draft(caller, code);
    }

    @Operation(summary = "Save the draft as typed, valid or not; 409 when someone saved after the revision sent",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = DraftChange.class))))
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Put("/api/own-modules/{code}/draft")
    public ModuleAuthoring.Draft save(String code, @Body JsonNode body, Authentication caller) {
        // The scope is checked before the draft is read, so that another organisation learns nothing from how its body
        // is answered; the service checks it again.
        authoring.changeable(caller, code);
        DraftChange change = read(body);
        if (change.content() == null) {
            throw new AuthoringRefused("content: skicka utkastet.");
        }
        return authoring.save(caller, code, change.content(), change.revision());
    }

    @Operation(summary = "Add an image (PNG, JPEG or WebP by its content, at most 2 MB) to the draft; the same file name replaces it")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(value = "/api/own-modules/{code}/images", consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<ModuleDraft.Image> addImage(String code, CompletedFileUpload file, Authentication caller)
            throws IOException {
        authoring.changeable(caller, code);
        // Larger files are refused before being read into memory; ImageFiles says the limit.
        if (file.getSize() > ImageFiles.MAX_BYTES) {
            throw new ImageFiles.Refused("Bilden «" + file.getFilename() + "» är " + (file.getSize() + 1023) / 1024
                    + " kB; högst " + ImageFiles.MAX_BYTES / 1024 + " kB går");
        }
        ModuleDraft.Image image = authoring.addImage(caller, code, file.getFilename(), file.getBytes());
        return HttpResponse.created(image, URI.create("/api/own-modules/" + code + "/draft/images/" + image.fileName()));
    }

    @Operation(summary = "An image of the draft, served with the type read from its bytes")
    @Get("/api/own-modules/{code}/draft/images/{fileName}")
    public HttpResponse<byte[]> draftImage(String code, String fileName, Authentication caller) {
        ImageFile image = authoring.draftImage(caller, code, fileName);
        return HttpResponse.ok(image.bytes()).contentType(image.contentType())
                .header("X-Content-Type-Options", "nosniff").header("Cache-Control", "private, no-cache");
    }

    @Operation(summary = "Take an image out of the draft (published versions keep theirs)")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Delete("/api/own-modules/{code}/draft/images/{fileName}")
    public HttpResponse<?> removeImage(String code, String fileName, Authentication caller) {
        authoring.removeImage(caller, code, fileName);
        return HttpResponse.noContent();
    }

    @Operation(summary = "Publish the draft as the next version; 422 with every problem (page, question) when it is not valid, "
            + "or when nothing changed since the latest version")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post("/api/own-modules/{code}/publish")
    public Published publish(String code, Authentication caller) {
        return new Published(authoring.publish(caller, code));
    }

    @Operation(summary = "Withdraw a published module: no new assignments; everything recorded is kept. Final")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post("/api/own-modules/{code}/withdraw")
    public ModuleAuthoring.Summary withdraw(String code, @Body Withdrawal body, Authentication caller) {
        authoring.withdraw(caller, code, body.reason());
        return authoring.summary(caller, code);
    }

    @Operation(summary = "The published versions, newest first: when, by whom, learners started and completions")
    @Get("/api/own-modules/{code}/versions")
    public List<ModuleAuthoring.VersionRow> versions(String code, Authentication caller) {
        return authoring.versions(caller, code);
    }

    @Operation(summary = "A published version (the latest unless version is given) as a zip in the courses/ layout, "
            + "with its images and the own goals it covers")
    @Get(value = "/api/own-modules/{code}/export.zip{?version}", produces = "application/zip")
    public HttpResponse<byte[]> export(String code, @Nullable @QueryValue Integer version, Authentication caller) {
        byte[] zip = authoring.export(caller, code, version);
        return HttpResponse.ok(zip).contentType(ZIP)
                .header("Content-Disposition", FileNames.attachment(code + (version == null ? "" : "-v" + version) + ".zip"));
    }

    @Operation(summary = "Import a module written as files (a zip in the courses/ layout) as a draft: everything is checked "
            + "first and nothing is written on any problem (422 naming file and line). owner: the owner node; none for everyone")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(value = "/api/own-modules/import{?owner}", consumes = {"application/zip", "application/x-zip-compressed", MediaType.APPLICATION_OCTET_STREAM})
    public HttpResponse<ModuleAuthoring.Summary> importZip(@Nullable @QueryValue Long owner, @Body byte[] zip,
                                                           Authentication caller) {
        ModuleAuthoring.Summary imported = authoring.importZip(caller, owner, zip);
        return HttpResponse.created(imported, URI.create("/api/own-modules/" + imported.code()));
    }

    private DraftChange read(JsonNode body) {
        try {
            return json.readValueFromTree(body, DraftChange.class);
        } catch (IOException | RuntimeException e) {
            if (e instanceof HttpStatusException status) {
                throw status;
            }
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY,
                    "Utkastet kunde inte läsas: skicka {\"content\": {...}, \"revision\": n} med texter som text och "
                            + "rätt svar som true eller false.");
        }
    }

    static final MediaType ZIP = MediaType.of("application/zip");
}
