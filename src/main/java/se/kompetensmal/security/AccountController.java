package se.kompetensmal.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;

/**
 * A person's local account over the API, for administrators of a unit where the person is placed (or of the whole
 * system): the same rules as the account page (AccountAdministration). Refusals are RFC 9457 problems: 404 outside the
 * caller's organisations, 403 without the role, 409 when the person's state forbids it, 422 with the field at fault.
 */
@Controller("/api/people/{id}/account")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AccountController {

    private final AccountAdministration administration;

    public AccountController(AccountAdministration administration) {
        this.administration = administration;
    }

    /** The username to give the account; none or blank: the person's e-mail address. */
    @Serdeable
    public record CreateAccount(@Nullable String username) {
    }

    @Operation(summary = "The person's account: username, whether a password is chosen, switched off, the latest link")
    @Get
    public AccountAdministration.AccountView get(long id, Authentication caller) {
        return administration.view(caller, id);
    }

    @Operation(summary = "Create the person's local account, without a password (send a link for the person to choose one)")
    @Needs(value = Role.ADMINISTRATOR, on = Needs.On.ANYWHERE)
    @Post
    public HttpResponse<AccountAdministration.AccountView> create(long id, @Body @Nullable CreateAccount body,
                                                                  HttpRequest<?> request, Authentication caller) {
        return HttpResponse.created(administration.create(caller, id, body == null ? null : body.username(), request));
    }

    @Operation(summary = "Mail the person a one-time link to choose a password; older links stop working")
    @Needs(value = Role.ADMINISTRATOR, on = Needs.On.ANYWHERE)
    @Post("/link")
    public AccountAdministration.LinkSent link(long id, HttpRequest<?> request, Authentication caller) {
        return administration.sendLink(caller, id, request);
    }

    @Operation(summary = "Switch the account off: sign-in refused, sessions ended, open links void")
    @Needs(value = Role.ADMINISTRATOR, on = Needs.On.ANYWHERE)
    @Post("/disable")
    public AccountAdministration.AccountView disable(long id, HttpRequest<?> request, Authentication caller) {
        return administration.disable(caller, id, request);
    }

    @Operation(summary = "Switch the account on again")
    @Needs(value = Role.ADMINISTRATOR, on = Needs.On.ANYWHERE)
    @Post("/enable")
    public AccountAdministration.AccountView enable(long id, HttpRequest<?> request, Authentication caller) {
        return administration.enable(caller, id, request);
    }
}
