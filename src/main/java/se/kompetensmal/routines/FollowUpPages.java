package se.kompetensmal.routines;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.catalog.Audience;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.FileNames;
import se.kompetensmal.web.Spreadsheet;
import se.kompetensmal.web.StreamedExport;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Who is behind under a node, one row per person and unit they are placed in, for those allowed to see names there: counts
 * at the top (people counted once), filters, search,
 * sorting by column and pages of fifty; and the same list, every page of it, as CSV and Excel.
 */
@Controller("/organisationer/{id}")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class FollowUpPages {

    private static final List<String> EXPORT_HEADER = List.of("Namn", "HSA-id", "Enhet", "Försenade moduler", "Övriga moduler",
            "Antal moduler", "Tidigaste förfallodag", "Status");
    /** The columns' widths in the workbook (characters): given, as it is written before its rows are read. */
    private static final List<Integer> EXPORT_WIDTHS = List.of(28, 14, 28, 48, 48, 8, 10, 14);

    private final FollowUp followUp;
    private final OrgNodeRepository nodes;
    private final Audiences audiences;
    private final ModuleTitles titles;
    private final Access access;
    private final StreamedExport exports;

    public FollowUpPages(FollowUp followUp, OrgNodeRepository nodes, Audiences audiences, ModuleTitles titles, Access access,
                         StreamedExport exports) {
        this.exports = exports;
        this.followUp = followUp;
        this.nodes = nodes;
        this.audiences = audiences;
        this.titles = titles;
        this.access = access;
    }

    /** What a request asks for, with what it may choose from, read once for the page and its exports. */
    private record Asked(OrgNode node, FollowUpQuery query, List<FollowUp.Choice> units, List<Audience> audiences,
                         Map<String, String> modules, List<FollowUp.Choice> routines, LocalDate today) {
    }

    @Produces(MediaType.TEXT_HTML)
    @Get("/uppfoljning")
    public HttpResponse<?> page(long id, HttpRequest<?> request, Authentication caller) {
        Asked asked = asked(id, request, caller);
        return page(asked);
    }

    @Produces("text/csv; charset=utf-8")
    @Get("/uppfoljning.csv")
    public HttpResponse<?> csv(long id, HttpRequest<?> request, Authentication caller) throws IOException {
        Asked asked = asked(id, request, caller);
        if (!asked.query().problems().isEmpty()) {
            return page(asked);
        }
        return HttpResponse.ok(exports.csv("follow-up of " + id, EXPORT_HEADER, exported(asked)))
                .header("Content-Disposition", FileNames.attachment(fileName(asked, "csv")));
    }

    @Produces(Spreadsheet.CONTENT_TYPE)
    @Get("/uppfoljning.xlsx")
    public HttpResponse<?> xlsx(long id, HttpRequest<?> request, Authentication caller) throws IOException {
        Asked asked = asked(id, request, caller);
        if (!asked.query().problems().isEmpty()) {
            return page(asked);
        }
        return HttpResponse.ok(exports.xlsx("follow-up of " + id, "Uppföljning", EXPORT_HEADER, EXPORT_WIDTHS, exported(asked)))
                .header("Content-Disposition", FileNames.attachment(fileName(asked, "xlsx")));
    }

    private Asked asked(long id, HttpRequest<?> request, Authentication caller) {
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR);
        access.requireNames(caller, id);
        List<FollowUp.Choice> units = followUp.unitsUnder(id);
        List<Audience> usable = audiences.usableUnder(id);
        // The modules anyone under the node may have been given, withdrawn ones too: nothing of another organisation's.
        Map<String, String> modules = titles.usableUnder(id);
        List<FollowUp.Choice> routines = followUp.routinesFor(id);
        FollowUpQuery query = FollowUpQuery.read(request.getParameters(), new FollowUpQuery.Offered(
                units.stream().map(FollowUp.Choice::value).collect(Collectors.toSet()),
                usable.stream().map(Audience::code).collect(Collectors.toSet()), modules.keySet(),
                routines.stream().map(FollowUp.Choice::value).collect(Collectors.toSet())));
        return new Asked(node, query, units, usable, modules, routines, LocalDate.now(SwedishTime.ZONE));
    }

    /** The file's name says what it holds: the follow-up, of the unit filtered on (or the node), as of today. */
    private String fileName(Asked asked, String extension) {
        Long unit = asked.query().filter().unitId();
        String name = unit == null ? asked.node().name() : nodes.findById(unit).map(OrgNode::name).orElse(asked.node().name());
        return FileNames.of("uppfoljning", name, asked.today(), extension);
    }

    /**
     * Every person the filter holds (not only the page shown), titles joined, dates as dates, counts as numbers: streamed
     * from the database to the file (a region's list is tens of thousands of people).
     */
    private StreamedExport.Rows exported(Asked asked) {
        FollowUpQuery query = asked.query();
        return rows -> followUp.eachPerson(asked.node().id(), query.filter(), query.sort(), query.descending(), asked.today(),
                row -> rows.accept(List.of(row.name(), row.hsaId(), row.unit(), String.join(", ", row.overdueModules()),
                        String.join(", ", row.otherModules()), row.moduleCount(), row.earliestDue(), row.standing().labelSv())));
    }

    /** A sortable column head: its link, and how it is sorted now (aria-sort, which also draws the arrow). */
    public record Column(String label, String href, String ariaSort) {
    }

    /** A link among the pages; a gap stands for pages left out between. */
    public record PageLink(int number, String href, boolean current, boolean gap) {
    }

    private HttpResponse<?> page(Asked asked) {
        OrgNode node = asked.node();
        FollowUpQuery query = asked.query();
        String base = "/organisationer/" + node.id() + "/uppfoljning";
        FollowUp.Filter filter = query.filter();
        FollowUp.PersonPage page = followUp.page(node.id(), filter, query.sort(), query.descending(), query.page(), asked.today());
        FollowUp.Counts counts = page.counts();

        Map<String, Object> model = new HashMap<>();
        model.put("title", "Uppföljning – " + node.name());
        model.put("node", node);
        model.put("problems", query.problems());
        model.put("counts", counts);
        model.put("within", filter.withinDays());
        model.put("overdueHref", base + query.withStatus(FollowUp.Status.OVERDUE));
        model.put("dueSoonHref", base + query.withStatus(FollowUp.Status.DUE_SOON));
        model.put("openHref", base + query.withStatus(FollowUp.Status.OPEN));
        model.put("rows", page.rows());
        model.put("people", page.people());
        model.put("page", page.page());
        model.put("pages", page.pages());
        model.put("paged", page.pages() > 1);
        model.put("pageLinks", pageLinks(base, query, page));
        model.put("previous", page.page() > 1 ? base + query.onPage(page.page() - 1) : null);
        model.put("next", page.page() < page.pages() ? base + query.onPage(page.page() + 1) : null);
        model.put("columns", columns(base, query));
        model.put("statusLabel", filter.statusOrDefault().labelSv().toLowerCase(Locale.ROOT));
        model.put("csvHref", base + ".csv" + query.withoutPage());
        model.put("xlsxHref", base + ".xlsx" + query.withoutPage());
        model.put("filtered", !query.withoutPage().isEmpty());
        model.put("resetHref", base);
        model.put("routinesHref", "/organisationer/" + node.id() + "/rutiner");
        // A node that no routine reaches and where nothing is assigned by hand has nothing to follow up yet.
        model.put("noRoutines", asked.routines().isEmpty() && counts.openAssignments() == 0);
        model.put("search", query.value("sok"));
        model.put("searchMax", FollowUp.SEARCH_MAX);
        model.put("units", options(asked.units(), query.value("enhet")));
        model.put("audiences", options(asked.audiences().stream()
                .map(a -> new FollowUp.Choice(a.code(), a.nameSv())).toList(), query.value("malgrupp")));
        model.put("modules", options(asked.modules().entrySet().stream()
                .map(m -> new FollowUp.Choice(m.getKey(), m.getValue())).toList(), query.value("modul")));
        model.put("routines", options(asked.routines(), query.value("rutin")));
        model.put("statuses", options(List.of(FollowUp.Status.values()).stream()
                .map(s -> new FollowUp.Choice(s.param(), s.labelSv())).toList(), query.value("status")));
        HttpStatus status = query.problems().isEmpty() ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_ENTITY;
        return HttpResponse.status(status).contentType(MediaType.TEXT_HTML_TYPE)
                .body(new ModelAndView<>("follow-up", model));
    }

    /** An option of a select, and whether it is the one chosen. */
    public record Option(String value, String label, boolean selected) {
    }

    private static List<Option> options(List<FollowUp.Choice> choices, String chosen) {
        return choices.stream().map(c -> new Option(c.value(), c.label(), Objects.equals(c.value(), chosen))).toList();
    }

    /** The sortable column heads by key (name, hsa, unit, due, count), for the table to place. */
    private static Map<String, Column> columns(String base, FollowUpQuery query) {
        Map<String, Column> columns = new HashMap<>();
        for (FollowUp.Sort sort : FollowUp.Sort.values()) {
            boolean now = sort == query.sort();
            String aria = !now ? null : query.descending() ? "descending" : "ascending";
            String href = base + query.sortedBy(sort);
            switch (sort) {
                case NAME -> columns.put("name", new Column("Namn", href, aria));
                case HSA_ID -> columns.put("hsa", new Column("HSA-id", href, aria));
                case UNIT -> columns.put("unit", new Column("Enhet", href, aria));
                case COUNT -> columns.put("count", new Column("Antal", href, aria));
                case DUE -> columns.put("due", new Column("Tidigaste förfallodag", href, aria));
            }
        }
        return columns;
    }

    /** The first, the last, and two either side of the current page; gaps between. */
    private static List<PageLink> pageLinks(String base, FollowUpQuery query, FollowUp.PersonPage page) {
        List<PageLink> links = new ArrayList<>();
        int last = 0;
        for (int n = 1; n <= page.pages(); n++) {
            if (n == 1 || n == page.pages() || Math.abs(n - page.page()) <= 2) {
                if (last != 0 && n > last + 1) {
                    links.add(new PageLink(0, null, false, true));
                }
                links.add(new PageLink(n, base + query.onPage(n), n == page.page(), false));
                last = n;
            }
        }
        return links;
    }
}
