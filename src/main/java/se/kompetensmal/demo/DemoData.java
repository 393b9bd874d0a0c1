package se.kompetensmal.demo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.people.PersonQueries;
import se.kompetensmal.people.PersonView;
import se.kompetensmal.roster.RosterImportKind;
import se.kompetensmal.roster.RosterImportService;
import se.kompetensmal.roster.RosterImportStatus;
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

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    static final String DEMO_MUNICIPALITY_CODE = "SE2120009999";
    static final String LEARNER_HSA_ID = "SE2321000999-1001";

    /** One demo account per role; the passwords are documented in README.md. */
    record DemoAccount(String username, String password, String displayName, String hsaId, Role role, String orgCode) {
    }

    static final List<DemoAccount> ACCOUNTS = List.of(
            new DemoAccount("admin", "Demo-admin-2026", "Demo Administratör", null, Role.ADMINISTRATOR, null),
            new DemoAccount("samordnare.region", "Demo-samordnare-2026", null, "SE2321000999-1100", Role.COORDINATOR,
                    DEMO_REGION_CODE),
            new DemoAccount("samordnare.kommun", "Demo-samordnare-2026", null, "SE2120009999-1055", Role.COORDINATOR,
                    DEMO_MUNICIPALITY_CODE),
            new DemoAccount("ledare", "Demo-ledare-2026", null, "SE2321000999-1108", Role.LEADER, DEMO_REGION_CODE),
            new DemoAccount("medarbetare", "Demo-medarbetare-2026", null, DemoData.LEARNER_HSA_ID, Role.LEARNER, null),
            new DemoAccount("utbildare", "Demo-utbildare-2026", "Karin Holm", null, Role.TRAINER, DEMO_REGION_CODE));

    private final OrgNodeRepository nodes;
    private final RosterImportService imports;
    private final AccountRepository accounts;
    private final RoleGrantRepository grants;
    private final PersonQueries people;
    private final PasswordHasher hasher;
    private final RoutineService routines;
    private final DemoHistory history;
    private final DemoPackage demoPackage;
    private final DemoSessions sessions;

    /**
     * The date the demo files are written as of. Every start date in them is moved by the days from this date to the day
     * the demo is loaded, and the routines are dated from that day too, so the demo always looks like a region about a
     * year after it started using Kompetensmål, whatever year it is loaded in.
     */
    static final LocalDate WRITTEN_AS_OF = LocalDate.of(2026, 12, 1);

    /** A routine of the demo, on the node with the code, as its coordinator would have set it up. */
    record DemoRoutine(String orgCode, RoutineForm form) {
    }

    /**
     * The routines: the region's introductions and yearly hygiene for licensed staff, its introduction for non-licensed
     * staff, and the municipality's introduction for its care staff. The introductions took effect a year before today;
     * staff employed before then had a catch-up date some months later, now past, by which most have done them.
     */
    static List<DemoRoutine> routines(LocalDate today) {
        LocalDate tookEffect = today.minusYears(1);
        return List.of(
                new DemoRoutine(DEMO_REGION_CODE, new RoutineForm("Introduktion i patientsäkerhet för legitimerad personal",
                        RoutineKind.INTRODUCTION, "LICENSED", List.of("vardskador-grunder", "sakerhetskultur-och-risker"), 90,
                        CountsFrom.ROLE_START, tookEffect, tookEffect.plusMonths(6), null, null, null,
                        DocumentationLevel.MANAGEMENT_SYSTEM, "Rutin för introduktion, RD " + tookEffect.getYear() + "/17",
                        "Hälso- och sjukvårdsdirektören", tookEffect.minusDays(14))),
                // Begun a year and a half ago: staff employed then were first due half a year ago, and have renewed since.
                new DemoRoutine(DEMO_REGION_CODE, new RoutineForm("Basala hygienrutiner – årlig repetition",
                        RoutineKind.CONTINUING, "LICENSED", List.of("basala-hygienrutiner"), null, null, null, null, 12, 60,
                        today.minusMonths(18), DocumentationLevel.DOCUMENTED,
                        "Vårdhygieniska riktlinjer, RD " + today.minusMonths(18).getYear() + "/88", null, null)),
                new DemoRoutine(DEMO_REGION_CODE, new RoutineForm("Introduktion för vårdnära personal",
                        RoutineKind.INTRODUCTION, "NON_LICENSED", List.of("se-och-saga-till", "basala-hygienrutiner"), 60,
                        CountsFrom.ORG_START, tookEffect, tookEffect.plusMonths(4), null, null, null,
                        DocumentationLevel.EXISTS, null, null, null)),
                new DemoRoutine(DEMO_MUNICIPALITY_CODE, new RoutineForm("Introduktion för omsorgspersonal",
                        RoutineKind.INTRODUCTION, "NON_LICENSED", List.of("se-och-saga-till", "vardskador-grunder"), 60,
                        CountsFrom.ORG_START, tookEffect, tookEffect.plusMonths(6), null, null, null,
                        DocumentationLevel.DOCUMENTED, "Riktlinje för introduktion i vård och omsorg, SN " + tookEffect.getYear()
                        + "/41", null, null)));
    }

    public DemoData(OrgNodeRepository nodes, RosterImportService imports, AccountRepository accounts,
                    RoleGrantRepository grants, PersonQueries people, PasswordHasher hasher, RoutineService routines,
                    DemoHistory history, DemoPackage demoPackage, DemoSessions sessions) {
        this.demoPackage = demoPackage;
        this.sessions = sessions;
        this.routines = routines;
        this.history = history;
        this.nodes = nodes;
        this.imports = imports;
        this.accounts = accounts;
        this.grants = grants;
        this.people = people;
        this.hasher = hasher;
    }

    /**
     * Once the server has started, so that the background jobs have (at start-up): the demo files are imported by the
     * roster import job, which this waits for.
     */
    @EventListener
    void onStartup(ServerStartupEvent event) {
        if (nodes.findByCode(DEMO_REGION_CODE).isPresent()) {
            return;
        }
        LocalDate today = LocalDate.now(SwedishTime.ZONE);
        load(RosterImportKind.ORGANISATIONS, "demo/organisations.csv", 0);
        load(RosterImportKind.PEOPLE, "demo/people.csv", ChronoUnit.DAYS.between(WRITTEN_AS_OF, today));
        ACCOUNTS.forEach(this::create);
        List<DemoRoutine> demoRoutines = routines(today);
        // The learner's slate is kept clean, so that he has an overdue introduction to take in the demo.
        history.record(demoRoutines, List.of(LEARNER_HSA_ID), ACCOUNTS.stream().map(DemoAccount::hsaId)
                .filter(hsa -> hsa != null && !hsa.equals(LEARNER_HSA_ID)).toList(), today);
        demoRoutines.forEach(routine -> routines.create(nodes.findByCode(routine.orgCode()).orElseThrow().id(), routine.form(),
                "demodata"));
        demoPackage.publish(nodes.findByCode(DEMO_REGION_CODE).orElseThrow().id(),
                people.byHsaId(LEARNER_HSA_ID).orElseThrow().id(), accounts.findByUsername("samordnare.region").orElseThrow().id(),
                today);
        sessions.create(nodes.findByCode(DEMO_REGION_CODE).orElseThrow().id(),
                people.byHsaId(LEARNER_HSA_ID).orElseThrow().id(),
                accounts.findByUsername("samordnare.region").orElseThrow().id(),
                accounts.findByUsername("utbildare").orElseThrow().id(), today);
        LOG.info("Demodata inläst: Region Demoland och Demo kommun");
    }

    /** The file with every date in its start-date columns moved by the days given. */
    static String shiftDates(String csv, long days) {
        if (days == 0) {
            return csv;
        }
        List<String> lines = csv.lines().toList();
        List<String> header = List.of(lines.get(0).split(";", -1));
        List<Integer> dateColumns = List.of(header.indexOf("startdatum_organisation"), header.indexOf("startdatum_roll"));
        StringBuilder out = new StringBuilder(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(";", -1);
            for (int column : dateColumns) {
                if (column >= 0 && column < fields.length && !fields[column].isBlank()) {
                    fields[column] = LocalDate.parse(fields[column]).plusDays(days).toString();
                }
            }
            out.append(String.join(";", fields)).append('\n');
        }
        return out.toString();
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

    /** Imports a demo file as a roster, its start dates moved by the days given. */
    private void load(RosterImportKind kind, String resource, long shiftDays) {
        try (InputStream file = getClass().getClassLoader().getResourceAsStream(resource)) {
            byte[] csv = shiftDates(new String(file.readAllBytes(), StandardCharsets.UTF_8), shiftDays)
                    .getBytes(StandardCharsets.UTF_8);
            RosterImportStatus ended = imports.start(kind, false, null, resource, new ByteArrayInputStream(csv)).done()
                    .get(10, TimeUnit.MINUTES);
            if (ended != RosterImportStatus.SUCCEEDED) {
                throw new IllegalStateException("Demodata kunde inte läsas in: importen av " + resource + " slutade " + ended);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Demodata kunde inte läsas in", e);
        } catch (TimeoutException e) {
            // The roster import job runs them: off on this instance (kompetensmal.jobs.enabled) and no other running.
            throw new IllegalStateException("Demodata kunde inte läsas in: importen av " + resource
                    + " blev inte klar inom 10 minuter. Körs bakgrundsjobben (kompetensmal.jobs.enabled)?", e);
        }
    }
}
