package se.kompetensmal.reporting;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.View;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.FileNames;
import se.kompetensmal.web.Spreadsheet;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The leaders' report on a node, as a page with charts and tables, and as CSV, Excel and PDF for the yearly
 * patient-safety report. Leaders, coordinators and administrators of the node see it; it holds no names.
 */
@Controller("/organisationer/{id}")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class StatisticsPages {

    static final Role[] READERS = {Role.LEADER, Role.COORDINATOR, Role.ADMINISTRATOR};

    private final LeadershipReport reports;
    private final ReportExport export;
    private final ReportPdf pdf;
    private final OrgNodeRepository nodes;
    private final Access access;

    public StatisticsPages(LeadershipReport reports, ReportExport export, ReportPdf pdf, OrgNodeRepository nodes, Access access) {
        this.reports = reports;
        this.export = export;
        this.pdf = pdf;
        this.nodes = nodes;
        this.access = access;
    }

    @Produces(MediaType.TEXT_HTML)
    @View("statistics")
    @Get("/statistik")
    public Map<String, Object> page(long id, Authentication caller) {
        LeadershipReport.Report report = report(id, caller);
        Map<String, Object> model = new java.util.HashMap<>(Map.of("title", "Statistik – " + report.nodeName(), "report", report,
                "total", List.of(report.total()), "trend", TrendChart.of(report.trend()), "path", nodes.findPathTo(id)));
        // The last month whose shares were counted afterwards, if any: the page says so above the chart.
        report.trend().stream().filter(LeadershipReport.TrendPoint::estimated).reduce((a, b) -> b)
                .ifPresent(last -> model.put("estimatedUntil", TrendChart.month(last.monthEnd())));
        return model;
    }

    @Produces("text/csv; charset=utf-8")
    @Get("/statistik.csv")
    public HttpResponse<byte[]> csv(long id, Authentication caller) {
        LeadershipReport.Report report = report(id, caller);
        return download(export.csv(report).getBytes(StandardCharsets.UTF_8), report, "csv");
    }

    @Produces(Spreadsheet.CONTENT_TYPE)
    @Get("/statistik.xlsx")
    public HttpResponse<byte[]> excel(long id, Authentication caller) {
        LeadershipReport.Report report = report(id, caller);
        return download(export.excel(report), report, "xlsx");
    }

    @Produces("application/pdf")
    @Get("/statistik.pdf")
    public HttpResponse<byte[]> pdf(long id, Authentication caller) {
        LeadershipReport.Report report = report(id, caller);
        return download(pdf.render(report), report, "pdf");
    }

    private LeadershipReport.Report report(long id, Authentication caller) {
        OrgNode node = nodes.require(id);
        access.requireOn(caller, id, READERS);
        return reports.of(node, LocalDate.now(SwedishTime.ZONE));
    }

    private static HttpResponse<byte[]> download(byte[] body, LeadershipReport.Report report, String extension) {
        return HttpResponse.ok(body).header("Content-Disposition",
                FileNames.attachment(FileNames.of("statistik", report.nodeName(), report.computedFor(), extension)));
    }
}
