package se.kompetensmal.catalog;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import se.kompetensmal.security.Access;
import se.kompetensmal.sql.NamedSql;

/**
 * The images of published module versions, for the pages that show them ({@link PageHtml#versionImages}). Only for
 * those who may see the module ({@link ModuleReach}); to anyone else the image does not exist. The type is the stored
 * one, read from the bytes when the image came in; nosniff (set for every response) keeps browsers to it.
 */
@Controller("/katalog/moduler/{code}/versioner/{version}/bilder")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ModuleImagePages {

    private final ModuleReach reach;
    private final NamedSql sql;

    public ModuleImagePages(ModuleReach reach, NamedSql sql) {
        this.reach = reach;
        this.sql = sql;
    }

    private record Stored(String contentType, byte[] bytes) {
    }

    @Get("/{fileName}")
    public HttpResponse<byte[]> image(String code, String version, String fileName, Authentication caller) {
        if (code.length() > 80 || !version.matches("[0-9]{1,9}") || ImageFiles.fileNameProblem(fileName) != null
                || !reach.visibleTo(caller, code)) {
            throw Access.notFound();
        }
        Stored image = sql.one("""
                SELECT i.content_type, i.bytes FROM module_version v
                JOIN module_version_image vi ON vi.module_version_id = v.id
                JOIN module_image i ON i.id = vi.image_id
                WHERE v.module_code = :code AND v.version = :version AND vi.file_name = :fileName""",
                NamedSql.with("code", code).and("version", Integer.parseInt(version)).and("fileName", fileName),
                row -> new Stored(row.string("content_type"), row.bytes("bytes"))).orElseThrow(Access::notFound);
        return HttpResponse.ok(image.bytes())
                .contentType(MediaType.of(image.contentType()))
                .header("Content-Disposition", "inline; filename=\"" + fileName + "\"")
                // a version never changes, so its images may be kept; private, since not everyone may see them
                .header("Cache-Control", "private, max-age=86400");
    }
}
