package se.kompetensmal.sessions;

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
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;
import se.kompetensmal.SwedishTime;
import se.kompetensmal.authoring.ModuleAuthoring;
import se.kompetensmal.authoring.OwnerChoice;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;
import se.kompetensmal.security.CsrfTokens;
import se.kompetensmal.security.Needs;
import se.kompetensmal.security.Role;

import java.net.URI;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The coordinator's and the trainer's pages of occasions: a node's occasions per month with fill rate and no-shows, a
 * new occasion, one occasion with its list, attendance and cancellation, the trainer's own occasions, and the form for a
 * new session module. Thin: every rule, scope included, is {@link Occasions}', {@link Attendance}'s and
 * {@link SessionModules}'; a refusal re-renders the form with its Swedish message and what was typed.
 */
@Produces(MediaType.TEXT_HTML)
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OccasionPages {

    static final Locale SWEDISH = Locale.forLanguageTag("sv-SE");
    /** "onsdag 9 december 2026": the occasion's day on the staff pages and in the mails. */
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", SWEDISH);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", SWEDISH);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");

    private final Occasions occasions;
    private final Attendance attendance;
    private final SessionModules sessionModules;
    private final OrgNodeRepository nodes;
    private final CsrfTokens csrf;

    public OccasionPages(Occasions occasions, Attendance attendance, SessionModules sessionModules,
                         OrgNodeRepository nodes, CsrfTokens csrf) {
        this.occasions = occasions;
        this.attendance = attendance;
        this.sessionModules = sessionModules;
        this.nodes = nodes;
        this.csrf = csrf;
    }

    /** The new-occasion form as the browser posts it, every field text. */
    @Serdeable
    public record OccasionForm(@Nullable String module, @Nullable String day, @Nullable String start,
                               @Nullable String minutes, @Nullable String place, @Nullable String videoUrl,
                               @Nullable String trainer, @Nullable String capacity, @Nullable String deadline,
                               @Nullable String csrfToken) {
    }

    /** The attendance form: the people ticked present (person ids). */
    @Serdeable
    public record AttendanceForm(@Nullable List<String> present, @Nullable String csrfToken) {
    }

    @Serdeable
    public record CancelForm(@Nullable String reason, @Nullable String csrfToken) {
    }

    @Serdeable
    public record SessionModuleForm(@Nullable String owner, @Nullable String title, @Nullable String summary,
                                    @Nullable String minutes, @Nullable List<String> audiences,
                                    @Nullable List<String> goals, @Nullable String csrfToken) {
    }

    // ---------------------------------------------------------------------------------------------------------------
    // A node's occasions per month

    @Get("/organisationer/{id}/tillfallen{?manad,installt}")
    public ModelAndView<Map<String, Object>> month(long id, @Nullable String manad, @Nullable String installt,
                                                   Authentication caller) {
        OrgNode node = nodes.require(id);
        YearMonth month;
        String monthError = null;
        try {
            month = Occasions.month(manad);
        } catch (OccasionRefused e) {
            month = YearMonth.now(SwedishTime.ZONE);
            monthError = e.getMessage();
        }
        Occasions.Month figures = occasions.month(caller, id, month);
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Lärarledda tillfällen – " + node.name());
        model.put("node", node);
        model.put("path", nodes.findPathTo(id).stream().filter(n -> n.id() != id).toList());
        model.put("error", monthError);
        model.put("monthValue", month.toString());
        model.put("monthName", MONTH.format(month));
        model.put("previous", month.minusMonths(1).toString());
        model.put("previousName", MONTH.format(month.minusMonths(1)));
        model.put("next", month.plusMonths(1).toString());
        model.put("nextName", MONTH.format(month.plusMonths(1)));
        model.put("occasions", figures.occasions().stream().map(OccasionPages::row).toList());
        model.put("totals", figures);
        model.put("mayCreate", !occasions.modulesAt(id).isEmpty());
        model.put("notice", installt == null ? null : "Tillfället är inställt.");
        return new ModelAndView<>("occasion-month", model);
    }

    /** One occasion as a row or a heading: day and time in words, where, who, figures. */
    public static Map<String, Object> row(Occasions.Occasion o) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", o.id());
        row.put("when", when(o));
        row.put("title", o.moduleTitle());
        row.put("node", o.orgNodeName());
        row.put("place", o.place());
        row.put("videoUrl", o.videoUrl());
        row.put("trainer", o.trainerName());
        row.put("capacity", o.capacity());
        row.put("booked", o.booked());
        row.put("fillPercent", o.fillPercent());
        row.put("waiting", o.waiting());
        row.put("attended", o.attended());
        row.put("absent", o.absent());
        row.put("cancelled", o.cancelled());
        row.put("cancelReason", o.cancelReason());
        row.put("deadline", o.signupDeadline().toString());
        row.put("started", o.started());
        return row;
    }

    static String when(Occasions.Occasion o) {
        return DAY.format(o.day()) + " kl. " + CLOCK.format(o.start()) + "–" + CLOCK.format(o.end());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // New occasion

    @Get("/organisationer/{id}/tillfallen/ny")
    public ModelAndView<Map<String, Object>> newForm(long id, Authentication caller) {
        OrgNode node = nodes.require(id);
        // The month list checks the scope (coordinators and administrators) before anything of the node is shown.
        occasions.month(caller, id, YearMonth.now(SwedishTime.ZONE));
        LocalDate suggested = LocalDate.now(SwedishTime.ZONE).plusDays(14);
        return new ModelAndView<>("occasion-new", newModel(node, new OccasionForm(null, suggested.toString(), "09:00",
                "120", null, null, null, "20", suggested.minusDays(2).toString(), null), null));
    }

    @Needs({Role.COORDINATOR, Role.ADMINISTRATOR})
    @Post(value = "/organisationer/{id}/tillfallen/ny", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> create(long id, @Body OccasionForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        OrgNode node = nodes.require(id);
        occasions.month(caller, id, YearMonth.now(SwedishTime.ZONE));
        try {
            Occasions.Occasion created = occasions.create(caller, id, new Occasions.NewOccasion(form.module(),
                    date(form.day(), "Ange datumet som ÅÅÅÅ-MM-DD."), Occasions.time(form.start()),
                    number(form.minutes(), "Ange längden i hela minuter."), form.place(), form.videoUrl(),
                    form.trainer() == null || form.trainer().isBlank() ? null
                            : (long) number(form.trainer(), "Välj en utbildare i listan."),
                    number(form.capacity(), "Ange antalet platser som ett heltal."),
                    date(form.deadline(), "Ange sista anmälningsdag som ÅÅÅÅ-MM-DD.")), request);
            return HttpResponse.seeOther(URI.create("/tillfallen/" + created.id() + "?skapat=1"));
        } catch (OccasionRefused e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                    .body(new ModelAndView<>("occasion-new", newModel(node, form, e.getMessage())));
        }
    }

    private Map<String, Object> newModel(OrgNode node, OccasionForm form, @Nullable String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Nytt tillfälle – " + node.name());
        model.put("node", node);
        model.put("form", form);
        model.put("error", error);
        model.put("modules", occasions.modulesAt(node.id()).stream().map(c -> option(c.value(), c.label(),
                c.value().equals(form.module()))).toList());
        List<Map<String, Object>> trainers = new ArrayList<>();
        trainers.add(option("", "Ingen utbildare vald", form.trainer() == null || form.trainer().isBlank()));
        occasions.trainersAt(node.id()).forEach(t -> trainers.add(option(String.valueOf(t.accountId()), t.name(),
                String.valueOf(t.accountId()).equals(form.trainer()))));
        model.put("trainers", trainers);
        return model;
    }

    private static Map<String, Object> option(String value, String label, boolean selected) {
        Map<String, Object> option = new HashMap<>();
        option.put("value", value);
        option.put("label", label);
        option.put("selected", selected);
        return option;
    }

    private static @Nullable LocalDate date(@Nullable String text, String message) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new OccasionRefused(message);
        }
    }

    private static @Nullable Integer number(@Nullable String text, String message) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new OccasionRefused(message);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One occasion: list, attendance, cancel

    @Get("/tillfallen/{id}{?skapat,narvaro,installt}")
    public ModelAndView<Map<String, Object>> occasion(long id, @Nullable String skapat, @Nullable String narvaro,
                                                      @Nullable String installt, Authentication caller) {
        Occasions.Occasion o = occasions.readable(caller, id);
        String notice = skapat != null ? "Tillfället är skapat." : narvaro != null ? "Närvaron är sparad."
                : installt != null ? "Tillfället är inställt och de anmälda får ett brev om det." : null;
        return new ModelAndView<>("occasion", occasionModel(caller, o, notice, null, null));
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR, Role.TRAINER}, on = Needs.On.ANYWHERE)
    @Post(value = "/tillfallen/{id}/narvaro", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> attendance(long id, @Body AttendanceForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        Occasions.Occasion o = occasions.readable(caller, id);
        Set<Long> present = new HashSet<>();
        for (String value : form.present() == null ? List.<String>of() : form.present()) {
            try {
                present.add(Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                // A value no form of ours sends: nobody is marked by it.
            }
        }
        try {
            attendance.mark(caller, id, present, request);
            return HttpResponse.seeOther(URI.create("/tillfallen/" + id + "?narvaro=1"));
        } catch (OccasionRefused e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                    .body(new ModelAndView<>("occasion", occasionModel(caller, o, null, e.getMessage(), null)));
        }
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(value = "/tillfallen/{id}/stall-in", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> cancel(long id, @Body CancelForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        Occasions.Occasion o = occasions.manageable(caller, id);
        try {
            occasions.cancel(caller, id, form.reason(), request);
            return HttpResponse.seeOther(URI.create("/tillfallen/" + id + "?installt=1"));
        } catch (OccasionRefused e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                    .body(new ModelAndView<>("occasion", occasionModel(caller, o, null, null, e.getMessage())));
        }
    }

    private Map<String, Object> occasionModel(Authentication caller, Occasions.Occasion o, @Nullable String notice,
                                              @Nullable String attendanceError, @Nullable String cancelError) {
        boolean manages = occasions.manages(caller, o);
        List<Occasions.Signup> signups = occasions.signups(o.id());
        List<Map<String, Object>> booked = new ArrayList<>();
        List<Map<String, Object>> waiting = new ArrayList<>();
        for (Occasions.Signup s : signups) {
            Map<String, Object> row = new HashMap<>();
            row.put("personId", s.personId());
            row.put("name", s.name());
            row.put("unit", s.unitName());
            row.put("position", s.waitingPosition());
            row.put("statusSv", switch (s.status()) {
                case "BOOKED" -> "Anmäld";
                case "WAITING" -> "I kö";
                case "ATTENDED" -> "Närvarande";
                case "ABSENT" -> "Uteblev";
                default -> "Avanmäld";
            });
            row.put("attended", "ATTENDED".equals(s.status()));
            row.put("markable", "BOOKED".equals(s.status()) || "ABSENT".equals(s.status()));
            // Present by default: only the exceptions are unticked. One marked absent stays absent unless ticked.
            row.put("checked", "BOOKED".equals(s.status()));
            ("WAITING".equals(s.status()) ? waiting : booked).add(row);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("title", o.moduleTitle() + ", " + o.day());
        model.put("o", row(o));
        model.put("booked", booked);
        model.put("waiting", waiting);
        model.put("manages", manages);
        model.put("listHref", manages ? "/organisationer/" + o.orgNodeId() + "/tillfallen?manad=" + YearMonth.from(o.day())
                : "/tillfallen");
        model.put("listName", manages ? "Lärarledda tillfällen" : "Mina tillfällen");
        boolean markable = booked.stream().anyMatch(r -> Boolean.TRUE.equals(r.get("markable")));
        model.put("mayMark", !o.cancelled() && o.started() && markable);
        model.put("notYet", !o.cancelled() && !o.started());
        model.put("mayCancel", manages && !o.cancelled() && o.attended() == 0 && o.absent() == 0);
        model.put("notice", notice);
        model.put("attendanceError", attendanceError);
        model.put("cancelError", cancelError);
        return model;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The trainer's own occasions

    @Get("/tillfallen")
    public ModelAndView<Map<String, Object>> mine(Authentication caller) {
        List<Map<String, Object>> coming = new ArrayList<>();
        List<Map<String, Object>> past = new ArrayList<>();
        for (Occasions.Occasion o : occasions.ofTrainer(caller)) {
            (o.started() ? past : coming).add(row(o));
        }
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Mina tillfällen");
        model.put("coming", coming);
        model.put("past", past);
        return new ModelAndView<>("occasion-mine", model);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // New session module

    @Get("/egna-moduler/lararledd/ny")
    public ModelAndView<Map<String, Object>> newModule(Authentication caller) {
        return new ModelAndView<>("session-module-new", moduleModel(caller,
                new SessionModuleForm(null, null, null, "60", List.of(), List.of(), null), null));
    }

    @Needs(value = {Role.COORDINATOR, Role.ADMINISTRATOR}, on = Needs.On.ANYWHERE)
    @Post(value = "/egna-moduler/lararledd/ny", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<?> createModule(@Body SessionModuleForm form, HttpRequest<?> request, Authentication caller) {
        csrf.verify(request, form.csrfToken());
        Long owner = null;
        try {
            if (form.owner() != null && !OwnerChoice.EVERYONE.equals(form.owner())) {
                owner = Long.valueOf(form.owner());
            }
        } catch (NumberFormatException e) {
            owner = -1L;
        }
        try {
            String code = sessionModules.create(caller, new SessionModules.NewSessionModule(owner, form.title(),
                    form.summary(), number(form.minutes(), "Ange beräknad tid i hela minuter."),
                    form.audiences() == null ? List.of() : form.audiences(),
                    form.goals() == null ? List.of() : form.goals()), request);
            return HttpResponse.seeOther(URI.create("/katalog/moduler/" + code));
        } catch (OccasionRefused e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
                    .body(new ModelAndView<>("session-module-new", moduleModel(caller, form, e.getMessage())));
        }
    }

    private Map<String, Object> moduleModel(Authentication caller, SessionModuleForm form, @Nullable String error) {
        ModuleAuthoring.Owners owners = sessionModules.owners(caller);
        if (owners.nodes().isEmpty() && !owners.everyone()) {
            throw se.kompetensmal.security.Access.forbidden();
        }
        SessionModules.Choices choices = sessionModules.choices(owners);
        Set<String> chosenAudiences = Set.copyOf(form.audiences() == null ? List.of() : form.audiences());
        Set<String> chosenGoals = Set.copyOf(form.goals() == null ? List.of() : form.goals());
        List<Map<String, Object>> audienceOptions = choices.audiences().stream()
                .map(c -> option(c.value(), c.label(), chosenAudiences.contains(c.value()))).toList();
        List<Map<String, Object>> goalOptions = choices.goals().stream()
                .map(c -> option(c.value(), c.value() + " – " + c.label(), chosenGoals.contains(c.value()))).toList();
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Ny lärarledd modul");
        model.put("form", form);
        model.put("error", error);
        model.put("owners", OwnerChoice.options(owners.nodes(), owners.everyone(), form.owner()));
        model.put("audiences", audienceOptions);
        model.put("goals", goalOptions);
        return model;
    }
}
