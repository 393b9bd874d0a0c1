package se.kompetensmal.routines;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.people.ActingOnPeople;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.people.PersonView;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.FileNames;
import se.kompetensmal.web.Spreadsheet;
import se.kompetensmal.web.StreamedExport;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;

@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AssignmentController {

    private final AssignmentRepository assignments;
    private final RecomputeJobs jobs;
    private final RecomputeJobRepository jobRepository;
    private final PersonQueries people;
    private final Access access;
    private final ManualAssignments manual;
    private final FollowUp followUp;
    private final OrgNodeRepository nodes;
    private final ActingOnPeople acting;
    private final ManualAssignmentJobs manualJobs;
    private final StreamedExport exports;

    public AssignmentController(AssignmentRepository assignments, RecomputeJobs jobs, RecomputeJobRepository jobRepository,
                                PersonQueries people,
                                Access access, ManualAssignments manual, FollowUp followUp, OrgNodeRepository nodes,
                                ActingOnPeople acting, ManualAssignmentJobs manualJobs, StreamedExport exports) {
        this.exports = exports;
        this.manualJobs = manualJobs;
        this.acting = acting;
        this.assignments = assignments;
        this.jobs = jobs;
        this.jobRepository = jobRepository;
        this.people = people;
        this.access = access;
        this.manual = manual;
        this.followUp = followUp;
        this.nodes = nodes;
    }

    /** A module assigned by hand to everyone under a node, or to one audience there. {@link ManualAssignments} checks it. */
    @Serdeable
    public record ManualAssignment(@Nullable String module, @Nullable LocalDate dueDate, @Nullable String audience) {
    }

    /** Someone exempted from a module, with why and the evidence. {@link ManualAssignments} checks it. */
    @Serdeable
    public record Exemption(@Nullable String module, @Nullable String reason, @Nullable String evidence) {
    }

    /**
     * Checked at once (an unknown module or audience is refused as a problem), then made in the background: answered 202
     * with the assignment's status resource, which tells how far it has come and, once done, whom it reached.
     */
    @Operation(summary = "Assign a module by hand to everyone (or one audience) under a node, with a due date, in the background")
    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post("/organisations/{id}/assignments")
    public HttpResponse<ManualAssignmentJob> assign(long id, @Body ManualAssignment body, Authentication caller) {
        access.requireOn(caller, id, Role.COORDINATOR, Role.ADMINISTRATOR);
        ManualAssignmentJob job = manual.request(id, body.audience(), body.module(), body.dueDate(), caller.getName());
        return HttpResponse.accepted(java.net.URI.create("/api/manual-assignments/" + job.id())).body(job);
    }

    @Operation(summary = "How far a manual assignment has come, and whom it reached")
    @Get("/manual-assignments/{id}")
    public ManualAssignmentJob manualAssignment(long id, Authentication caller) {
        ManualAssignmentJob job = manualJobs.find(id).orElseThrow(() -> Access.notFound());
        access.requireOn(caller, job.nodeId(), Role.COORDINATOR, Role.ADMINISTRATOR);
        return job;
    }

    @Operation(summary = "Exempt a person from a module, with the reason and evidence")
    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.PERSON)
    @Post("/people/{id}/exemptions")
    public HttpResponse<?> exempt(long id, @Body Exemption body, Authentication caller) {
        // A coordinator of any unit the person is placed in may exempt them (ActingOnPeople: the one rule).
        acting.remitNode(caller, person(id), Role.COORDINATOR, Role.ADMINISTRATOR);
        manual.exempt(id, body.module(), body.reason(), body.evidence(), caller.getName());
        return HttpResponse.noContent();
    }

    @Operation(summary = "Who under the node is overdue or due within the given number of days")
    @Get("/organisations/{id}/follow-up{?unit,audience,module,routine,withinDays}")
    public List<FollowUp.Row> followUp(long id, @Nullable Long unit, @Nullable String audience, @Nullable String module,
                                       @Nullable Long routine, @Nullable Integer withinDays, Authentication caller) {
        return rows(id, unit, audience, module, routine, withinDays, caller);
    }

    @Operation(summary = "The follow-up list as CSV for Excel, written as it is read")
    @Get("/organisations/{id}/follow-up.csv{?unit,audience,module,routine,withinDays}")
    @Produces("text/csv; charset=utf-8")
    public HttpResponse<StreamedFile> followUpCsv(long id, @Nullable Long unit, @Nullable String audience, @Nullable String module,
                                                  @Nullable Long routine, @Nullable Integer withinDays, Authentication caller)
            throws IOException {
        return HttpResponse.ok(exports.csv("follow-up API of " + id, List.of("hsa_id", "namn", "enhet", "modul", "förfallodag",
                        "försenad", "rutin"), open(id, unit, audience, module, routine, withinDays, caller)))
                .header("Content-Disposition", fileName(id, unit, "csv"));
    }

    @Operation(summary = "The follow-up list as an Excel workbook, written as it is read")
    @Get("/organisations/{id}/follow-up.xlsx{?unit,audience,module,routine,withinDays}")
    @Produces(Spreadsheet.CONTENT_TYPE)
    public HttpResponse<StreamedFile> followUpXlsx(long id, @Nullable Long unit, @Nullable String audience, @Nullable String module,
                                                   @Nullable Long routine, @Nullable Integer withinDays, Authentication caller)
            throws IOException {
        return HttpResponse.ok(exports.xlsx("follow-up API of " + id, "Uppföljning", List.of("HSA-id", "Namn", "Enhet", "Modul",
                        "Förfallodag", "Försenad", "Rutin"), List.of(14, 28, 28, 48, 10, 8, 28),
                        open(id, unit, audience, module, routine, withinDays, caller)))
                .header("Content-Disposition", fileName(id, unit, "xlsx"));
    }

    /** The open assignments of {@link #rows}, checked as they are, streamed to an export a row each. */
    private StreamedExport.Rows open(long id, Long unit, String audience, String module, Long routine, Integer withinDays,
                                     Authentication caller) {
        FollowUp.Filter filter = filter(id, unit, audience, module, routine, withinDays, caller);
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        return rows -> followUp.eachOpen(id, filter, today, r -> rows.accept(java.util.Arrays.asList(r.hsaId(), r.name(),
                r.unit(), r.moduleTitle(), r.dueDate(), r.overdue() ? "ja" : "nej", r.routine())));
    }

    /** Named for the unit filtered on (or the node) and the day, as the page's exports are. */
    private String fileName(long id, Long unit, String extension) {
        String name = nodes.findById(unit == null ? id : unit).map(OrgNode::name).orElse("");
        return FileNames.attachment(FileNames.of("uppfoljning", name, LocalDate.now(SwedishTime.ZONE), extension));
    }

    private List<FollowUp.Row> rows(long id, Long unit, String audience, String module, Long routine, Integer withinDays,
                                    Authentication caller) {
        return followUp.openUnder(id, filter(id, unit, audience, module, routine, withinDays, caller),
                LocalDate.now(SwedishTime.ZONE));
    }

    /** The filter asked for, once the caller may see names at the node and at the unit filtered on. */
    private FollowUp.Filter filter(long id, Long unit, String audience, String module, Long routine, Integer withinDays,
                                   Authentication caller) {
        access.requireNames(caller, id);
        if (unit != null && !access.maySeeNames(caller, unit)) {
            throw Access.forbidden();
        }
        // Checked here, in the request: an export's rows are read on another thread, after its answer has begun.
        return followUp.checked(new FollowUp.Filter(unit, audience, module, routine, withinDays == null ? 14 : withinDays));
    }

    private PersonView person(long id) {
        return people.byId(id).orElseThrow(() -> Access.notFound());
    }

    @Operation(summary = "What a person must complete and by when")
    @Get("/people/{id}/assignments")
    public List<AssignmentView> ofPerson(long id, Authentication caller) {
        PersonView person = person(id);
        if (!Long.valueOf(id).equals(Caller.of(caller).personId())) {
            acting.requireNames(caller, person);
        }
        return assignments.findCurrent(id);
    }

    @Operation(summary = "Start bringing the routine-derived assignments of everyone under the node up to date, in the background")
    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post("/organisations/{id}/assignments/recompute")
    public HttpResponse<RecomputeJob> recompute(long id, Authentication caller) {
        access.requireOn(caller, id, Role.COORDINATOR, Role.ADMINISTRATOR);
        RecomputeJob job = jobs.request(id, caller.getName());
        return HttpResponse.accepted(java.net.URI.create("/api/recompute-jobs/" + job.id())).body(job);
    }

    @Operation(summary = "How far a recomputation has come")
    @Get("/recompute-jobs/{id}")
    public RecomputeJob job(long id, Authentication caller) {
        RecomputeJob job = jobRepository.findById(id)
                .orElseThrow(() -> Access.notFound());
        access.requireOn(caller, job.scopeOrgId(), Role.COORDINATOR, Role.ADMINISTRATOR);
        return job;
    }
}
