package se.kompetensmal.site;

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
import se.kompetensmal.catalog.Audience;
import se.kompetensmal.catalog.AudienceRepository;
import se.kompetensmal.catalog.CatalogueLoader;
import se.kompetensmal.learning.MyTraining;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrganizationOverview;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.people.PersonView;
import se.kompetensmal.reporting.Share;
import se.kompetensmal.reporting.Statistics;
import se.kompetensmal.routines.FollowUp;
import se.kompetensmal.routines.GoalCoverage;
import se.kompetensmal.routines.RoutineService;
import se.kompetensmal.routines.RoutineView;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.AuditEventRepository;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.Languages;
import se.kompetensmal.security.Role;
import se.kompetensmal.sessions.OccasionPages;
import se.kompetensmal.sessions.Occasions;
import se.kompetensmal.web.Texts;
import se.kompetensmal.xapi.Outbox;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The start page, by the roles held now: for a coordinator what needs attention in their remit, for a leader the
 * figures of their part of the organisation, for an administrator accounts, roles, the outbox and the audit log; and
 * for everyone in the roster "Min utbildning", the learner's own training.
 */
@Produces(MediaType.TEXT_HTML)
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class HomePage {

    /** How many audit events the administrator's start page shows; the log itself has them all. */
    static final int AUDIT_EVENTS_SHOWN = 5;

    private final PersonQueries people;
    private final OrganizationOverview overview;
    private final CatalogueLoader catalogue;
    private final Access access;
    private final MyTraining training;
    private final Languages languages;
    private final Texts texts;
    private final StartPageQueries queries;
    private final FollowUp followUp;
    private final RoutineService routines;
    private final GoalCoverage coverage;
    private final Statistics statistics;
    private final Outbox outbox;
    private final AuditEventRepository audit;

    private final Occasions occasions;

    public HomePage(PersonQueries people, OrganizationOverview overview, CatalogueLoader catalogue, Access access,
                    MyTraining training, Languages languages, Texts texts,
                    StartPageQueries queries, FollowUp followUp, RoutineService routines, GoalCoverage coverage, Statistics statistics,
                    Outbox outbox, AuditEventRepository audit, Occasions occasions) {
        this.occasions = occasions;
        this.training = training;
        this.languages = languages;
        this.texts = texts;
        this.people = people;
        this.overview = overview;
        this.catalogue = catalogue;
        this.access = access;
        this.queries = queries;
        this.followUp = followUp;
        this.routines = routines;
        this.coverage = coverage;
        this.statistics = statistics;
        this.outbox = outbox;
        this.audit = audit;
    }

    /** An audience whose goals no routine here reaches, with how many. */
    public record Gap(String audience, long uncovered, long total) {
    }

    /** A coordinator's remit at a glance. */
    public record Attention(OrgNode node, List<FollowUp.UnitCounts> units, long overdue, long dueSoon, int dueSoonDays,
                            List<Gap> gaps, List<StartPageQueries.ImportNeedingAttention> imports,
                            List<StartPageQueries.FailedJob> failedJobs, boolean noRoutines) {
    }

    /** A leader's node at a glance, with the suppression of small groups as in the statistics. */
    public record Figures(OrgNode node, Share people, Share introductionDone, Share continuingCurrent, Share overdue,
                          boolean maySeeNames) {
    }

    @View("home")
    @Get
    public Map<String, Object> home(Authentication authentication) {
        Caller caller = Caller.of(authentication);
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        Set<String> roles = Set.copyOf(authentication.getRoles());
        boolean staff = roles.contains(Role.COORDINATOR.name()) || roles.contains(Role.LEADER.name())
                || roles.contains(Role.ADMINISTRATOR.name());
        Map<String, Object> model = new HashMap<>();
        Map<String, String> t = texts.in(languages.of(authentication));
        model.put("title", staff || caller.personId() == null ? t.get("navStart") : t.get("myTraining"));
        model.put("staff", staff);
        model.put("name", caller.name());
        model.put("roles", authentication.getRoles().stream().map(r -> Role.valueOf(r).labelSv()).sorted().toList());
        if (caller.personId() != null) {
            model.put("training", training.of(caller.personId(), today, languages.of(authentication)));
            PersonView me = people.byId(caller.personId()).orElse(null);
            model.put("me", me);
        }
        if (roles.contains(Role.COORDINATOR.name())) {
            model.put("attention", access.roots(authentication, Role.COORDINATOR).stream()
                    .map(node -> attention(node, today)).toList());
        }
        if (roles.contains(Role.LEADER.name())) {
            model.put("figures", access.roots(authentication, Role.LEADER).stream()
                    .map(node -> figures(node, authentication, today)).toList());
        }
        if (roles.contains(Role.TRAINER.name())) {
            // The trainer's next occasions, with the way to their lists (sessions/OccasionPages).
            model.put("trainerOccasions", occasions.ofTrainer(authentication).stream()
                    .filter(o -> !o.cancelled() && !o.started()).limit(5).map(OccasionPages::row).toList());
        }
        if (roles.contains(Role.ADMINISTRATOR.name())) {
            model.put("administration", administration(authentication));
        }
        if (staff) {
            model.put("children", overview.withHeadcounts(
                    access.roots(authentication, Role.COORDINATOR, Role.LEADER, Role.ADMINISTRATOR)));
            model.put("childrenCaption", t.get("organisationsCaption"));
        }
        model.put("catalogue", catalogue.state());
        return model;
    }

    private Attention attention(OrgNode node, LocalDate today) {
        // The follow-up's own counts and its default "due soon", so that every figure here is what its link then shows.
        FollowUp.Filter filter = FollowUp.Filter.everyone();
        FollowUp.Counts total = followUp.counts(node.id(), filter, today);
        List<FollowUp.UnitCounts> units = followUp.countsByUnitUnder(node.id(), filter, today).stream()
                .filter(u -> u.counts().overduePeople() + u.counts().dueSoonPeople() > 0).toList();
        Set<String> present = queries.audiencesPresent(node.id());
        List<RoutineView> inForce = routines.inForceAt(node.id());
        List<Gap> gaps = coverage.at(node.id(), inForce).stream()
                .filter(a -> present.contains(a.code()) && a.covered() < a.total())
                .map(a -> new Gap(a.nameSv(), a.total() - a.covered(), a.total()))
                .toList();
        return new Attention(node, units, total.overduePeople(), total.dueSoonPeople(), filter.withinDays(), gaps,
                queries.importsNeedingAttention(node.id()), queries.failedRecomputations(node.id()), inForce.isEmpty());
    }

    private Figures figures(OrgNode node, Authentication authentication, LocalDate today) {
        // The node's own row for all audiences together (audience 0), as the statistics page shows it first.
        Statistics.Counts all = statistics.counts(node.id(), today).stream()
                .filter(c -> c.groupId() == node.id() && c.audienceId() == 0)
                .findFirst().orElse(new Statistics.Counts(node.id(), 0, 0, 0, 0, 0, 0, 0, 0));
        return new Figures(node, Share.count(all.headcount()), Share.of(all.introductionDone(), all.withIntroduction()),
                Share.of(all.continuingCurrent(), all.withContinuing()), Share.of(all.overdue(), all.headcount()),
                access.maySeeNames(authentication, node.id()));
    }

    private Map<String, Object> administration(Authentication authentication) {
        Map<String, Object> admin = new HashMap<>();
        // Accounts, the outbox and the audit log concern the whole system: shown to a system-wide administrator only,
        // as their pages are.
        boolean systemWide = access.holdsSystemWide(authentication, Role.ADMINISTRATOR);
        admin.put("systemWide", systemWide);
        if (systemWide) {
            StartPageQueries.AccountFigures accounts = queries.accountFigures();
            admin.put("accounts", accounts.accounts());
            admin.put("locked", accounts.lockedAccounts());
            admin.put("grants", accounts.grantsByRole().entrySet().stream()
                    .map(e -> Map.of("role", Role.valueOf(e.getKey()).labelSv(), "count", e.getValue())).toList());
            admin.put("outbox", outbox.state());
            admin.put("events", audit.latest(AUDIT_EVENTS_SHOWN));
        }
        return admin;
    }
}
