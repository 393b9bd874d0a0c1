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
import se.kompetensmal.security.Account;
import se.kompetensmal.security.AccountRepository;
import se.kompetensmal.security.PasswordHasher;
import se.kompetensmal.security.Role;
import se.kompetensmal.security.RoleGrant;
import se.kompetensmal.security.RoleGrantRepository;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Loads a demo region and municipality (about 200 people over all audiences) through the ordinary roster import,
 * once: when the demo region is already there, nothing happens.
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

    public DemoData(OrgNodeRepository nodes, RosterImportService imports, AccountRepository accounts,
                    RoleGrantRepository grants, PersonQueries people, PasswordHasher hasher) {
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
