package se.kompetensmal.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Set;

@Controller("/api/audiences")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AudienceController {

    private final AudienceRepository audiences;
    private final Audiences visible;
    private final JsonMapper json;
    private final Validator validator;
    private final Access access;

    public AudienceController(AudienceRepository audiences, Audiences visible, Access access, JsonMapper json,
                              Validator validator) {
        this.json = json;
        this.validator = validator;
        this.audiences = audiences;
        this.visible = visible;
        this.access = access;
    }

    /** An audience an organisation adds to the national ones. */
    @Serdeable
    public record NewAudience(
            @NotBlank @Pattern(regexp = "[A-Z][A-Z0-9_]{1,39}", message = "ska vara versaler, siffror och _ (t.ex. STUDENT)") String code,
            @NotBlank @Size(max = 200) String nameSv,
            @Nullable @Size(max = 200) String nameEn,
            long ownerOrganisationId) {
    }

    @Operation(summary = "All audiences, the national ones first")
    @Get
    public List<Audience> list(Authentication caller) {
        return visible.visibleTo(caller);
    }

    @Operation(summary = "Add an organisation's own audience",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(schema = @Schema(implementation = NewAudience.class))))
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post
    public HttpResponse<Audience> add(@Body JsonNode body, Authentication caller) throws IOException {
        // The owner is checked before the rest of the body is read or validated, so that nobody learns anything about a
        // node that is not theirs; another organisation's node is answered as an unknown one.
        JsonNode owner = body.isObject() ? body.get("ownerOrganisationId") : null;
        if (owner == null || !owner.isNumber()) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "ownerOrganisationId: ange organisationens id.");
        }
        access.requireOn(caller, owner.getLongValue(), Role.COORDINATOR, Role.ADMINISTRATOR);
        NewAudience audience = json.readValueFromTree(body, NewAudience.class);
        Set<ConstraintViolation<NewAudience>> violations = validator.validate(audience);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        if (audiences.existsByCode(audience.code())) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Målgruppen " + audience.code() + " finns redan.");
        }
        Audience saved = audiences.save(new Audience(null, audience.code(), audience.nameSv(), audience.nameEn(),
                audience.ownerOrganisationId(), 100));
        return HttpResponse.created(saved, URI.create("/api/audiences/" + saved.id()));
    }
}
