package se.kompetensmal.scim;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import se.kompetensmal.sql.Retried;

import java.util.Locale;
import java.util.Map;

/**
 * The SCIM 2.0 service provider (RFC 7644) at /scim/v2: discovery, Users and Groups. Open to the security rules, because
 * a SCIM client signs in with nothing but its organisation's bearer token (never a session cookie), checked first on
 * every call, before the body is read: without a valid token, 401. A bearer token cannot be sent by another site, so no
 * CSRF token is asked for. Bodies are read as text and parsed here, so that any malformed body is answered as a SCIM
 * error.
 */
@Hidden
@Controller("/scim/v2")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Produces({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
@Consumes({ScimJson.MEDIA_TYPE, MediaType.APPLICATION_JSON})
public class ScimController {

    private final ScimTokens tokens;
    private final ScimUsers users;
    private final ScimGroups groups;
    private final ScimJson json;

    public ScimController(ScimTokens tokens, ScimUsers users, ScimGroups groups, ScimJson json) {
        this.tokens = tokens;
        this.users = users;
        this.groups = groups;
        this.json = json;
    }

    // ---- discovery ----

    @Get("/ServiceProviderConfig")
    public HttpResponse<String> serviceProviderConfig(HttpRequest<?> request) {
        client(request);
        return json.respond(HttpStatus.OK, ScimSchemas.serviceProviderConfig(base(request)));
    }

    @Get("/ResourceTypes")
    public HttpResponse<String> resourceTypes(HttpRequest<?> request) {
        client(request);
        var all = ScimSchemas.resourceTypes(base(request));
        return json.respond(HttpStatus.OK, ScimSchemas.listResponse(all.size(), 1, all));
    }

    @Get("/ResourceTypes/{id}")
    public HttpResponse<String> resourceType(@PathVariable String id, HttpRequest<?> request) {
        client(request);
        return json.respond(HttpStatus.OK, ScimSchemas.resourceTypes(base(request)).stream()
                .filter(r -> r.get("id").toString().equalsIgnoreCase(id)).findFirst().orElseThrow(ScimException::notFound));
    }

    @Get("/Schemas")
    public HttpResponse<String> schemas(HttpRequest<?> request) {
        client(request);
        var all = ScimSchemas.schemas(base(request));
        return json.respond(HttpStatus.OK, ScimSchemas.listResponse(all.size(), 1, all));
    }

    @Get("/Schemas/{id}")
    public HttpResponse<String> schema(@PathVariable String id, HttpRequest<?> request) {
        client(request);
        return json.respond(HttpStatus.OK, ScimSchemas.schema(base(request), id).orElseThrow(ScimException::notFound));
    }

    // ---- users ----

    @Get("/Users")
    public HttpResponse<String> listUsers(@Nullable @QueryValue String filter, @Nullable @QueryValue String startIndex,
                                          @Nullable @QueryValue String count, @Nullable @QueryValue String attributes,
                                          @Nullable @QueryValue String excludedAttributes, HttpRequest<?> request) {
        ScimClient client = client(request);
        ScimFilter parsed = filter == null || filter.isBlank() ? null : ScimFilter.parse(filter);
        return json.respond(HttpStatus.OK, users.list(client, parsed, startIndex(startIndex), count(count),
                base(request), ScimProjection.of(attributes, excludedAttributes)));
    }

    @Get("/Users/{id}")
    public HttpResponse<String> getUser(@PathVariable String id, @Nullable @QueryValue String attributes,
                                        @Nullable @QueryValue String excludedAttributes, HttpRequest<?> request) {
        ScimClient client = client(request);
        ScimUser user = users.require(client, id);
        String ifNoneMatch = request.getHeaders().get(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && ifNoneMatch.strip().equals(user.etag())) {
            return HttpResponse.<String>status(HttpStatus.NOT_MODIFIED).header(HttpHeaders.ETAG, user.etag());
        }
        return withTag(json.respond(HttpStatus.OK,
                ScimProjection.of(attributes, excludedAttributes).apply(users.resource(user, base(request)))), user);
    }

    @Post("/Users")
    public HttpResponse<String> createUser(@Nullable @Body String body, HttpRequest<?> request) {
        ScimClient client = client(request);
        ScimUser user = Retried.whenRolledBack(3, () -> users.create(client, json.object(body)));
        String base = base(request);
        return withTag(json.respond(HttpStatus.CREATED, users.resource(user, base)), user)
                .header(HttpHeaders.LOCATION, base + "/Users/" + user.resourceId());
    }

    @Put("/Users/{id}")
    public HttpResponse<String> replaceUser(@PathVariable String id, @Nullable @Body String body, HttpRequest<?> request) {
        ScimClient client = client(request);
        // A change may meet the recomputation the previous one started in a deadlock; it was rolled back whole.
        ScimUser user = Retried.whenRolledBack(3,
                () -> users.replace(client, id, json.object(body), request.getHeaders().get(HttpHeaders.IF_MATCH)));
        return withTag(json.respond(HttpStatus.OK, users.resource(user, base(request))), user);
    }

    @Patch("/Users/{id}")
    public HttpResponse<String> patchUser(@PathVariable String id, @Nullable @Body String body, HttpRequest<?> request) {
        ScimClient client = client(request);
        ScimUser user = Retried.whenRolledBack(3,
                () -> users.patch(client, id, json.object(body), request.getHeaders().get(HttpHeaders.IF_MATCH), base(request)));
        return withTag(json.respond(HttpStatus.OK, users.resource(user, base(request))), user);
    }

    @Delete("/Users/{id}")
    public HttpResponse<String> deleteUser(@PathVariable String id, HttpRequest<?> request) {
        ScimClient client = client(request);
        Retried.whenRolledBack(3, () -> {
            users.delete(client, id, request.getHeaders().get(HttpHeaders.IF_MATCH));
            return null;
        });
        return HttpResponse.noContent();
    }

    // ---- groups ----

    @Get("/Groups")
    public HttpResponse<String> listGroups(@Nullable @QueryValue String filter, @Nullable @QueryValue String startIndex,
                                           @Nullable @QueryValue String count, @Nullable @QueryValue String attributes,
                                           @Nullable @QueryValue String excludedAttributes, HttpRequest<?> request) {
        ScimClient client = client(request);
        ScimFilter parsed = filter == null || filter.isBlank() ? null : ScimFilter.parse(filter);
        return json.respond(HttpStatus.OK, groups.list(client, parsed, startIndex(startIndex), count(count),
                base(request), ScimProjection.of(attributes, excludedAttributes)));
    }

    @Get("/Groups/{id}")
    public HttpResponse<String> getGroup(@PathVariable String id, @Nullable @QueryValue String attributes,
                                         @Nullable @QueryValue String excludedAttributes, HttpRequest<?> request) {
        ScimClient client = client(request);
        Map<String, Object> group = groups.resource(client, groups.require(client, id), base(request));
        return json.respond(HttpStatus.OK, ScimProjection.of(attributes, excludedAttributes).apply(group))
                .header(HttpHeaders.ETAG, versionOf(group));
    }

    @Post("/Groups")
    public HttpResponse<String> createGroup(@Nullable @Body String body, HttpRequest<?> request) {
        client(request);
        json.object(body);
        throw new ScimException(403, null, "Målgrupper läggs till i Kompetensmål, inte över SCIM. Befintliga målgrupper "
                + "finns under /Groups; koppla katalogens grupper till dem med samma namn.");
    }

    @Put("/Groups/{id}")
    public HttpResponse<String> replaceGroup(@PathVariable String id, @Nullable @Body String body, HttpRequest<?> request) {
        ScimClient client = client(request);
        Map<String, Object> group = Retried.whenRolledBack(3, () -> groups.replace(client, id, json.object(body),
                request.getHeaders().get(HttpHeaders.IF_MATCH), base(request)));
        return json.respond(HttpStatus.OK, group).header(HttpHeaders.ETAG, versionOf(group));
    }

    @Patch("/Groups/{id}")
    public HttpResponse<String> patchGroup(@PathVariable String id, @Nullable @Body String body, HttpRequest<?> request) {
        ScimClient client = client(request);
        Map<String, Object> group = Retried.whenRolledBack(3, () -> groups.patch(client, id, json.object(body),
                request.getHeaders().get(HttpHeaders.IF_MATCH), base(request)));
        return json.respond(HttpStatus.OK, group).header(HttpHeaders.ETAG, versionOf(group));
    }

    @Delete("/Groups/{id}")
    public HttpResponse<String> deleteGroup(@PathVariable String id, HttpRequest<?> request) {
        ScimClient client = client(request);
        Retried.whenRolledBack(3, () -> {
            groups.delete(client, id, request.getHeaders().get(HttpHeaders.IF_MATCH), base(request));
            return null;
        });
        return HttpResponse.noContent();
    }

    // ---- the parts every call shares ----

    /** The calling organisation, from its bearer token; 401 without one, with an unknown one or a revoked one. */
    private ScimClient client(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ScimException.unauthorized();
        }
        return tokens.authenticate(header.substring(7).strip()).orElseThrow(ScimException::unauthorized);
    }

    /**
     * The address of /scim/v2 as the client reached it (meta.location, Location and $ref are absolute): the scheme
     * the client used (a proxy that ends TLS says so in X-Forwarded-Proto) and the host it named.
     */
    static String base(HttpRequest<?> request) {
        String forwardedProto = request.getHeaders().get("X-Forwarded-Proto");
        String scheme = forwardedProto != null && !forwardedProto.isBlank() ? forwardedProto.split(",")[0].strip()
                : request.isSecure() ? "https" : "http";
        String host = request.getHeaders().get("X-Forwarded-Host");
        if (host == null || host.isBlank()) {
            host = request.getHeaders().get(HttpHeaders.HOST);
        }
        if (host == null || host.isBlank()) {
            host = request.getServerAddress().getHostString() + ":" + request.getServerAddress().getPort();
        }
        return scheme.toLowerCase(Locale.ROOT) + "://" + host.split(",")[0].strip() + "/scim/v2";
    }

    /** startIndex is 1-based; anything below 1 is read as 1 (RFC 7644 section 3.4.2.4). */
    private static int startIndex(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return 1;
        }
        try {
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Long.parseLong(text.strip())));
        } catch (NumberFormatException e) {
            throw ScimException.invalidValue("startIndex ska vara ett heltal.");
        }
    }

    /** count: at most {@link ScimSchemas#MAX_RESULTS}; a negative one is read as 0 (RFC 7644 section 3.4.2.4). */
    private static int count(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return ScimSchemas.MAX_RESULTS;
        }
        try {
            return (int) Math.max(0, Math.min(ScimSchemas.MAX_RESULTS, Long.parseLong(text.strip())));
        } catch (NumberFormatException e) {
            throw ScimException.invalidValue("count ska vara ett heltal.");
        }
    }

    /*
     * Any other address under /scim/v2 answers as SCIM asks (RFC 7644 section 3.12): a SCIM error document, not the
     * site's problem document. scim2-tester's "random URL" check found the site's 404 there. The routes above are more
     * specific and win.
     */
    @Get("/{+rest}")
    public HttpResponse<String> unknownGet(@PathVariable String rest) {
        throw ScimException.notFound();
    }

    @Post("/{+rest}")
    public HttpResponse<String> unknownPost(@PathVariable String rest) {
        throw ScimException.notFound();
    }

    @Put("/{+rest}")
    public HttpResponse<String> unknownPut(@PathVariable String rest) {
        throw ScimException.notFound();
    }

    @Patch("/{+rest}")
    public HttpResponse<String> unknownPatch(@PathVariable String rest) {
        throw ScimException.notFound();
    }

    @Delete("/{+rest}")
    public HttpResponse<String> unknownDelete(@PathVariable String rest) {
        throw ScimException.notFound();
    }

    private static MutableHttpResponse<String> withTag(MutableHttpResponse<String> response, ScimUser user) {
        return response.header(HttpHeaders.ETAG, user.etag());
    }

    @SuppressWarnings("unchecked")
    private static String versionOf(Map<String, Object> group) {
        return (String) ((Map<String, Object>) group.get("meta")).get("version");
    }
}
