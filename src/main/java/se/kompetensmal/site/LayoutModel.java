package se.kompetensmal.site;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.views.ModelAndView;
import io.micronaut.views.model.ViewModelProcessor;
import jakarta.inject.Singleton;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.security.Access;
import se.kompetensmal.security.Caller;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Languages;
import se.kompetensmal.security.Role;
import se.kompetensmal.web.Texts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every page's layout needs: who is signed in, the menu of what they can open, the CSRF token, and the words of the
 * page in the caller's language ({@code t}, with {@code lang} for the page's language attribute). Error pages build the
 * same through {@link #of(HttpRequest)}, so that they keep the menu.
 */
@Singleton
public class LayoutModel implements ViewModelProcessor<Map<String, Object>> {

    private final CsrfTokens tokens;
    private final Languages languages;
    private final Texts texts;
    private final Access access;

    public LayoutModel(CsrfTokens tokens, Languages languages, Texts texts, Access access) {
        this.access = access;
        this.tokens = tokens;
        this.languages = languages;
        this.texts = texts;
    }

    /** One menu entry; {@code current} marks the page the user is on (aria-current). */
    public record MenuItem(String href, String label, boolean current) {
    }

    @Override
    public void process(HttpRequest<?> request, ModelAndView<Map<String, Object>> view) {
        Map<String, Object> model = new HashMap<>(view.getModel().orElse(Map.of()));
        model.putAll(of(request));
        view.setModel(model);
    }

    /** The layout's part of a page's model for this request. */
    public Map<String, Object> of(HttpRequest<?> request) {
        Map<String, Object> model = new HashMap<>();
        String language = request.getUserPrincipal(Authentication.class).map(languages::of).orElse(Texts.SWEDISH);
        Map<String, String> t = texts.in(language);
        model.put("lang", language);
        model.put("t", t);
        request.getUserPrincipal(Authentication.class).ifPresent(authentication -> {
            model.put("signedInAs", Caller.of(authentication).name());
            model.put("menu", menu(authentication, t, request.getPath()));
            model.put(CsrfTokens.FIELD, tokens.tokenFor(request));
        });
        return model;
    }

    /**
     * Only what the caller can open, from the roles they hold now (the token's roles are read from the database on each
     * request): a link that answers 403 is not shown. Follow-up, routines and statistics lead to the top of the caller's
     * remit; follow-up only where they may see names.
     */
    List<MenuItem> menu(Authentication authentication, Map<String, String> t, String path) {
        Caller caller = Caller.of(authentication);
        Set<String> roles = Set.copyOf(authentication.getRoles());
        boolean coordinator = roles.contains(Role.COORDINATOR.name());
        boolean leader = roles.contains(Role.LEADER.name());
        boolean administrator = roles.contains(Role.ADMINISTRATOR.name());
        boolean trainer = roles.contains(Role.TRAINER.name());
        boolean staff = coordinator || leader || administrator;
        boolean learner = caller.personId() != null;

        List<String[]> items = new ArrayList<>();
        items.add(new String[] {"/", staff || !learner ? t.get("navStart") : t.get("myTraining")});
        OrgNode followUpRoot = null;
        OrgNode statisticsRoot = null;
        if (coordinator) {
            List<OrgNode> remit = access.roots(authentication, Role.COORDINATOR);
            if (!remit.isEmpty()) {
                followUpRoot = remit.get(0);
                statisticsRoot = remit.get(0);
            }
        }
        if (leader && statisticsRoot == null) {
            List<OrgNode> led = access.roots(authentication, Role.LEADER);
            if (!led.isEmpty()) {
                statisticsRoot = led.get(0);
                if (access.maySeeNames(authentication, statisticsRoot.id())) {
                    followUpRoot = statisticsRoot;
                }
            }
        }
        if (followUpRoot != null) {
            items.add(new String[] {"/organisationer/" + followUpRoot.id() + "/uppfoljning", t.get("navFollowUp")});
        }
        if (coordinator && followUpRoot != null) {
            items.add(new String[] {"/organisationer/" + followUpRoot.id() + "/rutiner", t.get("navRoutines")});
        }
        if (coordinator && followUpRoot != null) {
            // Occasions of session modules (sessions/OccasionPages), at the top of the coordinator's remit.
            items.add(new String[] {"/organisationer/" + followUpRoot.id() + "/tillfallen", t.get("navOccasions")});
        }
        if (trainer) {
            // A trainer's own occasions only: their lists and attendance (sessions/OccasionPages).
            items.add(new String[] {"/tillfallen", t.get("navMyOccasions")});
        }
        if (statisticsRoot != null) {
            items.add(new String[] {"/organisationer/" + statisticsRoot.id() + "/statistik", t.get("navStatistics")});
        }
        if (staff) {
            items.add(new String[] {"/organisationer", t.get("navOrganisations")});
        }
        // The import page is for coordinators and administrators (RosterImportPages), never for leaders.
        if (coordinator || administrator) {
            // The editor for the organisation's own modules (authoring/ModuleEditorPages); the list answers only what the
            // caller may see, so the entry is safe for every coordinator and administrator.
            items.add(new String[] {"/egna-moduler", t.get("navOwnModules")});
            items.add(new String[] {"/import", t.get("navImport")});
        }
        if (administrator) {
            items.add(new String[] {"/admin/roller", t.get("navRoles")});
            // The audit log and the LRS outbox concern the whole system: only a system-wide administrator reaches them.
            if (access.holdsSystemWide(authentication, Role.ADMINISTRATOR)) {
                items.add(new String[] {"/admin/logg", t.get("navAudit")});
                items.add(new String[] {"/admin/xapi", t.get("navLrs")});
                items.add(new String[] {"/admin/bakgrundsjobb", t.get("navJobs")});
            }
        }
        if (learner) {
            items.add(new String[] {"/min-utbildning/historik", t.get("navHistory")});
        }
        items.add(new String[] {"/katalog", t.get("navCatalogue")});
        items.add(new String[] {"/installningar", t.get("navSettings")});

        String current = current(items.stream().map(i -> i[0]).toList(), path);
        return items.stream().map(i -> new MenuItem(i[0], i[1], i[0].equals(current))).toList();
    }

    /** The entry whose address is the longest prefix of the path (by whole segments); "/" only for the start page. */
    static String current(List<String> hrefs, String path) {
        String best = null;
        for (String href : hrefs) {
            boolean matches = "/".equals(href) ? "/".equals(path) : path.equals(href) || path.startsWith(href + "/");
            if (matches && (best == null || href.length() > best.length())) {
                best = href;
            }
        }
        return best;
    }
}
