package se.kompetensmal.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import se.kompetensmal.PersonFixture;
import se.kompetensmal.ServiceTest;
import se.kompetensmal.TestUsers;
import se.kompetensmal.organization.OrgNodeKind;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.Routine;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.security.Role;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks every page and API route, as the router knows them and as the OpenAPI document lists them, with every method each
 * declares: as someone not signed in, as a learner of organisation A and as a coordinator of organisation B, with the
 * path variables filled with real ids of A and of B. State-changing requests carry the caller's CSRF token (where they
 * have a session to read it from) and empty bodies, so that nothing of use is written; redirects are not followed.
 * Every answer must be something other than a server error and carry the security headers, and nothing but the style
 * sheet may be kept in caches.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteWalkTest extends ServiceTest {

    /**
     * Routes that still answer 500 to the walk's bad input, each for a parsing fix that belongs to the validation of forms
     * and bodies (422 with Swedish messages): "METHOD template" as the router lists it. Remove an entry once fixed.
     */
    /** Routes known to answer 500 to bad input, each waiting for its fix; the walk fails when one no longer does. */
    static final Set<String> PENDING_BAD_INPUT = Set.of();

    private static final Pattern VARIABLE = Pattern.compile("\\{[+]?(\\w+)[^}]*}");
    private static final Pattern QUERY = Pattern.compile("\\{[?&][^}]*}");
    private static final long UNKNOWN = 987_654_321L;

    @Inject
    EmbeddedServer server;

    @Inject
    Router router;

    RawHttp raw;
    /** Per organisation (A, then B), what each kind of path variable is filled with. */
    List<Map<String, Long>> ids = new ArrayList<>();
    Map<String, String> callers = new LinkedHashMap<>();

    @BeforeAll
    void twoOrganisations() {
        raw = new RawHttp(server.getURI());
        String admin = users.admin();
        String p = "WALK" + System.nanoTime();
        String hsa = PersonFixture.hsaPrefix();
        for (String org : List.of("A", "B")) {
            long municipality = tree.add(p + org, "Kommun " + org, OrgNodeKind.MUNICIPALITY, null).id();
            tree.add(p + org + "-E", "Enhet " + org, OrgNodeKind.UNIT, municipality);
            long importId = importPeople(admin, municipality, hsa + org + ";Vera;Vandrare;;" + p + org + "-E;LICENSED;2025-01-01;\n");
            long routine = http.toBlocking().retrieve(HttpRequest.POST("/api/organisations/" + municipality + "/routines",
                    new RoutineForm("Intro", RoutineKind.INTRODUCTION, "LICENSED", List.of("vardskador-grunder"), 30,
                            CountsFrom.ORG_START, null, null, null, DocumentationLevel.EXISTS, null, null, null))
                    .bearerAuth(admin), Routine.class).id();
            users.account(p + org + "-samordnare", null, Role.COORDINATOR, municipality);
            Map<String, Long> of = new LinkedHashMap<>();
            of.put("node", municipality);
            of.put("person", sql.number("SELECT id FROM person WHERE hsa_id = ?", hsa + org));
            of.put("routine", routine);
            of.put("import", importId);
            of.put("grant", sql.number("SELECT g.id FROM role_grant g JOIN user_account a ON a.id = g.account_id "
                    + "WHERE a.username = ?", p + org + "-samordnare"));
            sql.awaitRecomputations();
            of.put("job", sql.number("SELECT MAX(id) FROM recompute_job WHERE scope_org_id = ?", municipality));
            ids.add(of);
        }
        callers.put("anonymous", null);
        callers.put("learner of A", users.token(users.account(p + "-medarbetare", ids.get(0).get("person"), Role.LEARNER, null)));
        callers.put("coordinator of B", users.token(users.account(p + "-samordnare-b", null, Role.COORDINATOR, ids.get(1).get("node"))));
    }

    @Test
    void everyRouteAnswersEveryCallerWithoutServerErrorAndWithTheSecurityHeaders() {
        Map<String, UriRouteInfo<?, ?>> routes = routes();
        Set<String> documented = documentedRoutes();
        Set<String> undocumented = new TreeSet<>(documented);
        undocumented.removeAll(routes.keySet());
        assertTrue(undocumented.isEmpty(), "the OpenAPI document lists routes the router does not know: " + undocumented);
        assertTrue(routes.size() > 60, "walked " + routes.keySet());

        List<String> failures = new ArrayList<>();
        Set<String> serverErrors = new TreeSet<>();
        int requests = 0;
        for (Map.Entry<String, String> caller : callers.entrySet()) {
            String csrf = caller.getValue() == null ? "" : TestUsers.csrfTokenOf(raw.page("/installningar", caller.getValue()).body());
            for (Map.Entry<String, UriRouteInfo<?, ?>> route : routes.entrySet()) {
                String method = route.getKey().substring(0, route.getKey().indexOf(' '));
                String template = route.getKey().substring(method.length() + 1);
                for (String path : paths(template)) {
                  for (boolean bad : new boolean[] {false, true}) {
                    HttpResponse<String> answer = send(method, path, caller.getValue(), csrf, route.getValue(), bad);
                    requests++;
                    String what = caller.getKey() + ": " + method + " " + path + (bad ? " (bad input)" : "") + " -> "
                            + answer.statusCode();
                    if (answer.statusCode() >= 500 && !(path.equals("/health") && answer.statusCode() == 503)) {
                        serverErrors.add(route.getKey());
                        if (!PENDING_BAD_INPUT.contains(route.getKey())) {
                            failures.add(what + " " + answer.body().substring(0, Math.min(200, answer.body().length())));
                        }
                    }
                    failures.addAll(missingHeaders(what, path, answer));
                  }
                }
            }
        }
        Set<String> fixed = new TreeSet<>(PENDING_BAD_INPUT);
        fixed.removeAll(serverErrors);
        assertTrue(fixed.isEmpty(), "no longer pending, remove from the list: " + fixed);
        assertTrue(failures.isEmpty(), failures.size() + " of " + requests + " answers:\n" + String.join("\n", failures));
        HttpResponse<String> css = raw.send("GET", "/static/app.css", null, null, null, Map.of());
        assertEquals(200, css.statusCode());
        assertTrue(missingHeaders("style sheet", "/static/app.css", css).isEmpty());
    }

    private static List<String> missingHeaders(String what, String path, HttpResponse<String> answer) {
        List<String> missing = new ArrayList<>();
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("Content-Security-Policy", "frame-ancestors 'none'");
        wanted.put("X-Content-Type-Options", "nosniff");
        wanted.put("X-Frame-Options", "DENY");
        wanted.put("Referrer-Policy", "same-origin");
        wanted.forEach((header, part) -> {
            if (!answer.headers().firstValue(header).orElse("").contains(part)) {
                missing.add(what + ": no " + header);
            }
        });
        boolean noStore = answer.headers().firstValue("Cache-Control").orElse("").contains("no-store");
        if (noStore == path.startsWith("/static/")) {
            missing.add(what + ": Cache-Control " + answer.headers().firstValue("Cache-Control").orElse("missing"));
        }
        return missing;
    }

    /** Every route the router serves, by "METHOD template" without the query part; the management routes it lists too. */
    private Map<String, UriRouteInfo<?, ?>> routes() {
        Map<String, UriRouteInfo<?, ?>> routes = new java.util.TreeMap<>();
        router.uriRoutes().forEach(route -> routes.put(route.getHttpMethodName() + " "
                + QUERY.matcher(route.getUriMatchTemplate().toString()).replaceAll(""), route));
        return routes;
    }

    /** The routes in the OpenAPI document generated at build time, as "METHOD template". */
    private Set<String> documentedRoutes() {
        String document = raw.send("GET", "/api/openapi.yml", null, null, null, Map.of()).body();
        Set<String> documented = new TreeSet<>();
        String path = null;
        for (String line : document.split("\n")) {
            Matcher pathLine = Pattern.compile("^  (/\\S*):\\s*$").matcher(line);
            Matcher methodLine = Pattern.compile("^    (get|post|put|delete|patch|head):\\s*$").matcher(line);
            if (pathLine.matches()) {
                path = pathLine.group(1);
            } else if (!line.startsWith("  ")) {
                path = null;
            } else if (path != null && methodLine.matches()) {
                documented.add(methodLine.group(1).toUpperCase() + " " + path);
            }
        }
        assertTrue(documented.size() > 30, document);
        return documented;
    }

    /** The template with its variables filled: once with A's ids, once with B's (one path when it has none). */
    private List<String> paths(String template) {
        Matcher variables = VARIABLE.matcher(template);
        if (!variables.find()) {
            return List.of(template);
        }
        List<String> paths = new ArrayList<>();
        for (Map<String, Long> of : ids) {
            StringBuilder path = new StringBuilder();
            Matcher m = VARIABLE.matcher(template);
            while (m.find()) {
                m.appendReplacement(path, Matcher.quoteReplacement(value(template, m.group(1), of)));
            }
            m.appendTail(path);
            paths.add(path.toString());
        }
        return paths.stream().distinct().toList();
    }

    private static String value(String template, String variable, Map<String, Long> of) {
        return switch (variable) {
            case "code" -> "vardskador-grunder";
            case "version" -> "1";
            case "attempt", "completion" -> String.valueOf(UNKNOWN);
            default -> String.valueOf(
                    template.contains("/people/{") ? of.get("person")
                    : template.contains("/routines/{") ? of.get("routine")
                    : template.contains("/import/{") || template.contains("/imports/{") ? of.get("import")
                    : template.contains("/recompute-jobs/{") ? of.get("job")
                    : template.contains("/roller/{") ? of.get("grant")
                    : of.get("node"));
        };
    }

    /**
     * The request as the route expects it, with an empty body where it takes one; or, with {@code bad}, with values that
     * do not parse in the fields and query parameters the service uses.
     */
    private HttpResponse<String> send(String method, String path, String session, String csrf, UriRouteInfo<?, ?> route,
                                      boolean bad) {
        boolean api = path.startsWith("/api");
        Map<String, String> headers = Map.of("Accept", api ? "application/json" : "text/html");
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return raw.send(method, bad ? path + BAD_QUERY : path, session, null, null, headers);
        }
        List<MediaType> consumes = route.getConsumes();
        MediaType type = consumes.isEmpty() ? MediaType.APPLICATION_JSON_TYPE : consumes.get(0);
        String token = "csrfToken=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8);
        if (type.matches(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            return raw.send(method, path, session, MediaType.APPLICATION_FORM_URLENCODED, bad ? token + BAD_FORM : token, headers);
        }
        if (type.matches(MediaType.MULTIPART_FORM_DATA_TYPE)) {
            String body = "--walk\r\nContent-Disposition: form-data; name=\"csrfToken\"\r\n\r\n" + csrf + "\r\n"
                    + (bad ? "--walk\r\nContent-Disposition: form-data; name=\"organisation\"\r\n\r\nx\r\n"
                    + "--walk\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\nhsa_id\nx\r\n" : "")
                    + "--walk--\r\n";
            return raw.send(method, path, session, "multipart/form-data; boundary=walk", body, headers);
        }
        if (type.matches(MediaType.APPLICATION_JSON_TYPE)) {
            return raw.send(method, path, session, MediaType.APPLICATION_JSON, bad ? BAD_JSON : "{}", headers);
        }
        return raw.send(method, path, session, type.toString(), bad ? "\u0000;;\n\"" : "", headers);
    }

    private static final String BAD_QUERY = "?sida=x&dagar=x&withinDays=x&page=x&size=x&status=X&unit=x&organisation=x&hsaId=%00";
    private static final String BAD_FORM = "&daysBefore=x&dueDays=x&intervalMonths=x&renewalWindowDays=x&startsOn=x&approvedOn=x"
            + "&kind=x&documentation=x&countsFrom=x&audience=x&organisation=x&role=x&username=x&language=x&allowed=x";
    private static final String BAD_JSON = "{\"dueDate\":\"x\",\"daysBefore\":\"x\",\"kind\":\"x\",\"ownerOrganisationId\":\"x\","
            + "\"modules\":\"x\",\"username\":[],\"enabled\":\"x\"";

    private long importPeople(String token, long organisation, String rows) {
        String csv = "hsa_id;förnamn;efternamn;epost;enhet;målgrupper;startdatum_organisation;startdatum_roll\n" + rows;
        String location = http.toBlocking().exchange(HttpRequest.POST("/api/imports/people?organisation=" + organisation, csv)
                .contentType("text/csv").bearerAuth(token)).getHeaders().get("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        org.junit.jupiter.api.Assertions.assertEquals("SUCCEEDED", sql.awaitImport(id), "import " + id);
        return id;
    }
}
