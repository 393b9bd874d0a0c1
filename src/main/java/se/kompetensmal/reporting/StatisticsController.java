package se.kompetensmal.reporting;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.Access;

import java.time.LocalDate;

/** The leaders' figures as JSON for other systems (a region's data warehouse, say), under the same rules as the page. */
@Controller("/api/organisations/{id}/statistics")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class StatisticsController {

    private final LeadershipReport reports;
    private final OrgNodeRepository nodes;
    private final Access access;

    public StatisticsController(LeadershipReport reports, OrgNodeRepository nodes, Access access) {
        this.reports = reports;
        this.nodes = nodes;
        this.access = access;
    }

    @Get
    public LeadershipReport.Report statistics(long id, Authentication caller) {
        var node = nodes.require(id);
        access.requireOn(caller, id, StatisticsPages.READERS);
        return reports.of(node, LocalDate.now(SwedishTime.ZONE));
    }
}
