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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.FieldProblem;
import se.kompetensmal.web.FormBody;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The page where coordinators and administrators of an organisation say what the headers of their HR file mean: each
 * header of theirs and the field of ours it fills. Used by every people file uploaded for the organisation, or for a
 * node under it without a mapping of its own, and by its pick-up folder.
 */
@Produces(MediaType.TEXT_HTML)
@Controller("/organisationer/{id}/kolumner")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ColumnMappingPages {

    /** Empty rows the form offers for new headers. */
    private static final int EMPTY_ROWS = 6;

    private final ColumnMappings mappings;
    private final OrgNodeRepository nodes;
    private final Access access;
    private final CsrfTokens csrf;

    public ColumnMappingPages(ColumnMappings mappings, OrgNodeRepository nodes, Access access, CsrfTokens csrf) {
        this.mappings = mappings;
        this.nodes = nodes;
        this.access = access;
        this.csrf = csrf;
    }

    @Get("{?sparad}")
    public HttpResponse<?> show(long id, @Nullable String sparad, Authentication caller) {
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, Role.COORDINATOR, Role.ADMINISTRATOR);
        ColumnMapping mapping = mappings.inForceAt(id);
        return HttpResponse.ok(new ModelAndView<>("hr-mapping", model(node, mapping,
                mapping.own() ? mapping.columns() : List.of(), null, sparad != null)));
    }

    /** The whole mapping as the form posts it: a header and a field per row, rows with neither left out. */
    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> save(long id, @Body @Nullable String body, HttpRequest<?> request, Authentication caller) {
        FormBody form = FormBody.parse(body);
        csrf.verify(request, form.first(CsrfTokens.FIELD));
        OrgNode node = nodes.require(id);
        List<String> headers = form.all("header");
        List<String> fields = form.all("field");
        List<ColumnMapping.Column> columns = new ArrayList<>();
        for (int i = 0; i < Math.max(headers.size(), fields.size()); i++) {
            columns.add(new ColumnMapping.Column(i < headers.size() ? headers.get(i) : null, i < fields.size() ? fields.get(i) : null));
        }
        try {
            mappings.replace(id, columns, request, caller);
            return HttpResponse.seeOther(URI.create("/organisationer/" + id + "/kolumner?sparad=1"));
        } catch (HrSettingsRefused e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(new ModelAndView<>("hr-mapping",
                    model(node, mappings.inForceAt(id), columns, e.problems(), false)));
        }
    }

    private Map<String, Object> model(OrgNode node, ColumnMapping mapping, List<ColumnMapping.Column> rows,
                                      @Nullable List<FieldProblem> problems, boolean saved) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Kolumnmappning – " + node.name());
        model.put("node", node);
        model.put("mapping", mapping);
        model.put("inherited", mapping.setAtId() != null && !mapping.own());
        List<Map<String, Object>> formRows = new ArrayList<>();
        List<ColumnMapping.Column> all = new ArrayList<>(rows.stream()
                .filter(c -> !(blank(c.header()) && blank(c.field()))).toList());
        for (int i = 0; i < EMPTY_ROWS; i++) {
            all.add(new ColumnMapping.Column("", ""));
        }
        for (int i = 0; i < all.size(); i++) {
            ColumnMapping.Column c = all.get(i);
            List<Map<String, Object>> options = new ArrayList<>();
            for (HrFields.Field f : HrFields.PEOPLE) {
                options.add(Map.of("name", f.name(), "label", f.labelSv(), "selected", f.name().equals(c.field())));
            }
            formRows.add(Map.of("n", i + 1, "header", c.header() == null ? "" : c.header(), "options", options));
        }
        model.put("rows", formRows);
        model.put("fields", HrFields.PEOPLE);
        model.put("headerLength", HrFields.HEADER_LENGTH);
        model.put("problems", problems);
        model.put("saved", saved);
        return model;
    }

    private static boolean blank(@Nullable String text) {
        return text == null || text.isBlank();
    }
}
