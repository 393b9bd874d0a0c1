package se.kompetensmal.demo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.people.PersonView;
import se.kompetensmal.roster.RosterImportKind;
import se.kompetensmal.roster.RosterImportService;
import se.kompetensmal.routines.CountsFrom;
import se.kompetensmal.routines.DocumentationLevel;
import se.kompetensmal.routines.RoutineForm;
import se.kompetensmal.routines.RoutineKind;
import se.kompetensmal.routines.RoutineService;
import se.kompetensmal.security.Account;
import se.kompetensmal.security.AccountRepository;
import se.kompetensmal.security.PasswordHasher;
import se.kompetensmal.security.Role;
import se.kompetensmal.security.RoleGrant;
import se.kompetensmal.security.RoleGrantRepository;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

/**
 * Loads a demo region and municipality (about 200 people over all audiences) through the ordinary roster import, with
 * the region's routines for licensed and non-licensed staff so that the demo learner has training to take, and a
 * history of completions for leaders to look at; once: when the demo region is already there, nothing happens.
 */
@Singleton
@Requires(property = "kompetensmal.demo-data", value = "true")
public class DemoData {

    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);
    static final String DEMO_REGION_CODE = "SE2321000999";

    /** One demo account per role; the passwords are documented in README.md. */
    record DemoAccount(String username, String password, String displayName, String hsaId, Role role, String orgCode) {
    }

    static final List<DemoAccount> ACCOUNTS = List.of(
            new DemoAccount("admin", "Demo-admin-2026", "Demo Administratör", null, Role.ADMINISTRATOR, null),
            new DemoAccount("samordnare.region", "Demo-samordnare-2026", null, "SE2321000999-1100", Role.COORDINATOR,
                    DEMO_REGION_CODE),
            new DemoAccount("samordnare.kommun", "Demo-samordnare-2026", null, "SE2120009999-1055", Role.COORDINATOR,
                    "SE2120009999"),
            new DemoAccount("ledare", "Demo-ledare-2026", null, "SE2321000999-1108", Role.LEADER, DEMO_REGION_CODE),
            new DemoAccount("medarbetare", "Demo-medarbetare-2026", null, "SE2321000999-1001", Role.LEARNER, null));

    private final OrgNodeRepository nodes;
    private final RosterImportService imports;
    private final AccountRepository accounts;
    private final RoleGrantRepository grants;
    private final PersonQueries people;
    private final PasswordHasher hasher;
    private final RoutineService routines;
    private final DemoHistory history;

    /** The demo region's routines, set up as its coordinator would. */
    static final List<RoutineForm> ROUTINES = List.of(
            new RoutineForm("Introduktion i patientsäkerhet för legitimerad personal", RoutineKind.INTRODUCTION, "LICENSED",
                    List.of("vardskador-grunder", "sakerhetskultur-och-risker"), 90, CountsFrom.ROLE_START, null, null, null,
                    DocumentationLevel.MANAGEMENT_SYSTEM, "Rutin för introduktion, RD 2026/17", "Hälso- och sjukvårdsdirektören",
                    LocalDate.of(2026, 1, 15)),
            new RoutineForm("Basala hygienrutiner – årlig repetition", RoutineKind.CONTINUING, "LICENSED",
                    List.of("basala-hygienrutiner"), null, null, 12, 60, LocalDate.of(2025, 1, 1),
                    DocumentationLevel.DOCUMENTED, "Vårdhygieniska riktlinjer, RD 2025/88", null, null),
            new RoutineForm("Introduktion för vårdnära personal", RoutineKind.INTRODUCTION, "NON_LICENSED",
                    List.of("se-och-saga-till", "basala-hygienrutiner"), 60, CountsFrom.ORG_START, null, null, null,
                    DocumentationLevel.EXISTS, null, null, null));

    public DemoData(OrgNodeRepository nodes, RosterImportService imports, AccountRepository accounts,
                    RoleGrantRepository grants, PersonQueries people, PasswordHasher hasher, RoutineService routines,
                    DemoHistory history) {
        this.routines = routines;
        this.history = history;
        this.nodes = nodes;
        this.imports = imports;
        this.accounts = accounts;
        this.grants = grants;
        this.people = people;
        this.hasher = hasher;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (nodes.findByCode(DEMO_REGION_CODE).isPresent()) {
            return;
        }
        load(RosterImportKind.ORGANISATIONS, "demo/organisations.csv");
        load(RosterImportKind.PEOPLE, "demo/people.csv");
        ACCOUNTS.forEach(this::create);
        long region = nodes.findByCode(DEMO_REGION_CODE).orElseThrow().id();
        history.record(region, ACCOUNTS.stream().map(DemoAccount::hsaId).filter(Objects::nonNull).toList());
        ROUTINES.forEach(routine -> routines.create(region, routine, "demodata"));
        LOG.info("Demodata inläst: Region Demoland och Demo kommun");
    }

    private void create(DemoAccount demo) {
        PersonView person = demo.hsaId() == null ? null : people.byHsaId(demo.hsaId()).orElseThrow();
        String name = person == null ? demo.displayName() : person.givenName() + " " + person.familyName();
        Account account = accounts.save(new Account(null, demo.username(), name, hasher.hash(demo.password()),
                person == null ? null : person.id(), 0, null));
        if (demo.role() != Role.LEARNER) {
            Long node = demo.orgCode() == null ? null : nodes.findByCode(demo.orgCode()).orElseThrow().id();
            grants.save(new RoleGrant(null, account.id(), demo.role(), node, "demodata", null));
        }
    }

    private void load(RosterImportKind kind, String resource) {
        try (InputStream csv = getClass().getClassLoader().getResourceAsStream(resource)) {
            imports.start(kind, false, null, resource, csv).done().get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Demodata kunde inte läsas in", e);
        }
    }
}
