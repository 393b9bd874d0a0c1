package se.kompetensmal.routines;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import jakarta.validation.Valid;
import se.kompetensmal.catalog.Audience;
import se.kompetensmal.catalog.AudienceRepository;
import se.kompetensmal.catalog.Audiences;
import se.kompetensmal.catalog.ModuleReach;
import se.kompetensmal.catalog.ModuleTitles;
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;

import se.kompetensmal.SwedishTime;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.stream.Collectors;

/** Sets up and changes routines; every change is kept as a version saying who made it and when. */
@Singleton
public class RoutineService {

    private final RoutineRepository routines;
    private final AudienceRepository audiences;
    private final Audiences usable;
    private final OrgNodeRepository nodes;
    private final ObjectMapper json;
    private final RecomputeJobs jobs;
    private final AssignmentRecompute recompute;
    private final ModuleTitles titles;
    private final ModuleReach reach;

    public RoutineService(RoutineRepository routines, AudienceRepository audiences, Audiences usable, OrgNodeRepository nodes,
                          ObjectMapper json, RecomputeJobs jobs, AssignmentRecompute recompute, ModuleTitles titles,
                          ModuleReach reach) {
        this.reach = reach;
        this.recompute = recompute;
        this.titles = titles;
        this.routines = routines;
        this.audiences = audiences;
        this.usable = usable;
        this.nodes = nodes;
        this.json = json;
        this.jobs = jobs;
    }

    /** What a version records: the routine and its modules as they were. */
    @Serdeable
    record Snapshot(Routine routine, List<String> modules) {
    }

    @Transactional
    public Routine create(long nodeId, @Valid RoutineForm form, String changedBy) {
        Audience audience = check(nodeId, form, null);
        if (routines.existsInForce(nodeId, form.kind().name(), audience.id())) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Det finns redan en rutin för " + form.kind().labelSv().toLowerCase()
                    + " för målgruppen " + audience.nameSv() + " på den här nivån. Ändra den i stället.");
        }
        Routine saved = routines.save(routine(null, nodeId, audience, form, 1, null));
        saveModulesAndVersion(saved, form.modules(), changedBy);
        jobs.request(nodeId, changedBy);
        return saved;
    }

    @Transactional
    public Routine update(Routine existing, @Valid RoutineForm form, String changedBy) {
        if (existing.retired()) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Rutinen är avslutad och kan inte ändras; lägg upp en ny rutin i stället.");
        }
        Audience audience = check(existing.orgNodeId(), form, existing);
        if (form.kind() != existing.kind() || audience.id() != existing.audienceId()) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY,
                    "En rutins slag och målgrupp kan inte ändras; lägg upp en ny rutin i stället.");
        }
        Routine saved = routines.update(routine(existing.id(), existing.orgNodeId(), audience, form, existing.version() + 1,
                existing));
        routines.deleteModules(saved.id());
        saveModulesAndVersion(saved, form.modules(), changedBy);
        jobs.request(saved.orgNodeId(), changedBy);
        return saved;
    }

    /**
     * Retires a routine: from now on it asks for nothing, so the recomputation withdraws its open assignments (a routine
     * for the same audience further up then holds again); completed ones stay as history. Kept as a version like any
     * change.
     */
    @Transactional
    public Routine retire(Routine existing, String retiredBy) {
        if (existing.retired()) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Rutinen är redan avslutad.");
        }
        Routine r = existing;
        Routine retired = routines.update(new Routine(r.id(), r.orgNodeId(), r.kind(), r.audienceId(), r.name(), r.dueDays(),
                r.countsFrom(), r.appliesFrom(), r.catchUpDue(), r.intervalMonths(), r.renewalWindowDays(), r.startsOn(),
                r.documentation(), r.governingDocument(), r.approvedBy(), r.approvedOn(), r.version() + 1,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), retiredBy));
        addVersion(retired, routines.findModuleCodes(retired.id()), retiredBy);
        jobs.request(retired.orgNodeId(), retiredBy);
        return retired;
    }

    /**
     * What the form would ask of people under the node if saved there (for an existing routine, at its own node), counted
     * by the recomputation's own rule. Only introductions are counted; nothing is saved.
     */
    public AssignmentRecompute.Preview preview(long nodeId, RoutineForm form, Routine existing) {
        Audience audience = check(nodeId, form, existing);
        if (form.kind() != RoutineKind.INTRODUCTION) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY,
                    "Förhandsgranskningen räknar introduktionsrutiner; en fortbildningsrutin ger uppgifter till alla i målgruppen.");
        }
        return recompute.preview(nodeId, audience.id(), form.countsFrom(), form.dueDays(), appliesFrom(form, existing),
                form.catchUpDue(), form.modules(), LocalDate.now(SwedishTime.ZONE));
    }

    /** The routines in force at the node, inherited or its own, with their modules. */
    public List<RoutineView> inForceAt(long nodeId) {
        return views(nodeId, routines.findInForceAt(nodeId));
    }

    /** The routines set at the node or above that have been retired. */
    public List<RoutineView> retiredAt(long nodeId) {
        return views(nodeId, routines.findRetiredAt(nodeId));
    }

    /** One routine as seen from a node at or below where it is set. */
    public RoutineView view(long nodeId, Routine routine) {
        return views(nodeId, List.of(routine)).get(0);
    }

    private List<RoutineView> views(long nodeId, List<Routine> found) {
        Map<Long, Audience> byId = audiences.listOrderBySortOrderAndCode().stream()
                .collect(Collectors.toMap(Audience::id, a -> a));
        Map<String, String> allTitles = titles.all();
        List<RoutineView> views = new ArrayList<>();
        for (Routine r : found) {
            String setAt = nodes.findById(r.orgNodeId()).map(OrgNode::name).orElse("?");
            Audience audience = byId.get(r.audienceId());
            List<String> codes = routines.findModuleCodes(r.id());
            views.add(new RoutineView(r, audience.code(), audience.nameSv(), setAt, r.orgNodeId() != nodeId, codes,
                    codes.stream().map(code -> new RoutineView.Module(code, allTitles.getOrDefault(code, code))).toList()));
        }
        return views;
    }

    private void saveModulesAndVersion(Routine routine, List<String> modules, String changedBy) {
        List<String> distinct = modules.stream().distinct().sorted().toList();
        distinct.forEach(code -> routines.addModule(routine.id(), code));
        addVersion(routine, distinct, changedBy);
    }

    private void addVersion(Routine routine, List<String> distinct, String changedBy) {
        try {
            routines.addVersion(routine.id(), routine.version(), changedBy, json.writeValueAsString(new Snapshot(routine, distinct)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks what the form says against the routine's kind and the survey's documentation levels. */
    private Audience check(long nodeId, RoutineForm form, Routine existing) {
        List<String> problems = new ArrayList<>();
        if (form.kind() == RoutineKind.INTRODUCTION && (form.dueDays() == null || form.countsFrom() == null)) {
            problems.add("en introduktionsrutin behöver antal dagar (dueDays) och vilket startdatum de räknas från (countsFrom)");
        }
        LocalDate appliesFrom = appliesFrom(form, existing);
        if (form.kind() == RoutineKind.INTRODUCTION && appliesFrom == null) {
            problems.add("en introduktionsrutin behöver ett datum den gäller från (appliesFrom)");
        }
        if (form.kind() == RoutineKind.INTRODUCTION && appliesFrom != null && form.catchUpDue() != null
                && form.catchUpDue().isBefore(appliesFrom)) {
            problems.add("datumet då befintlig personal ska vara klar (catchUpDue) kan inte ligga före datumet rutinen gäller från");
        }
        if (form.kind() == RoutineKind.CONTINUING && (form.intervalMonths() == null || form.renewalWindowDays() == null)) {
            problems.add("en fortbildningsrutin behöver intervall i månader (intervalMonths) och förnyelsefönster i dagar (renewalWindowDays)");
        }
        if (form.documentation() != DocumentationLevel.EXISTS && blank(form.governingDocument())) {
            problems.add("en dokumenterad rutin behöver en hänvisning till det styrande dokumentet (governingDocument)");
        }
        if (form.documentation() == DocumentationLevel.MANAGEMENT_SYSTEM && (blank(form.approvedBy()) || form.approvedOn() == null)) {
            problems.add("en rutin i ledningssystemet behöver vem som fastställde den (approvedBy) och när (approvedOn)");
        }
        problems.addAll(moduleProblems(nodeId, form.modules(), existing));
        Audience audience = usable.usableUnder(form.audience(), nodeId).orElse(null);
        if (audience == null) {
            problems.add("okänd målgrupp " + form.audience());
        }
        if (!problems.isEmpty()) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "Rutinen kunde inte sparas: " + String.join("; ", problems) + ".");
        }
        return audience;
    }

    /**
     * Each module must be assignable at the routine's node ({@link ModuleReach}): one that is not usable there is named
     * by the code given and told as unknown, so that nothing is told about another organisation's module; a withdrawn
     * one gets no new routine, but a routine that already has it keeps it through a change (its versions are history).
     */
    private List<String> moduleProblems(long nodeId, List<String> modules, Routine existing) {
        List<String> kept = existing == null ? List.of() : routines.findModuleCodes(existing.id());
        List<String> problems = new ArrayList<>();
        for (String code : modules.stream().distinct().toList()) {
            switch (reach.assignability(code, nodeId)) {
                case NOT_HERE -> problems.add("okänd modul " + code + " (den finns inte eller kan inte användas på den här nivån)");
                case WITHDRAWN -> {
                    if (!kept.contains(code)) {
                        problems.add("modulen " + titles.of(code) + " är tillbakadragen och kan inte läggas till i en rutin");
                    }
                }
                case YES -> {
                }
            }
        }
        return problems;
    }

    /** From when an introduction applies: as the form says; a change that leaves it out keeps the date it had. */
    private static LocalDate appliesFrom(RoutineForm form, Routine existing) {
        return form.appliesFrom() != null || existing == null ? form.appliesFrom() : existing.appliesFrom();
    }

    private static Routine routine(Long id, long nodeId, Audience audience, RoutineForm form, int version, Routine existing) {
        boolean introduction = form.kind() == RoutineKind.INTRODUCTION;
        return new Routine(id, nodeId, form.kind(), audience.id(), form.name().strip(),
                introduction ? form.dueDays() : null, introduction ? form.countsFrom() : null,
                introduction ? appliesFrom(form, existing) : null, introduction ? form.catchUpDue() : null,
                introduction ? null : form.intervalMonths(), introduction ? null : form.renewalWindowDays(),
                introduction ? null : Objects.requireNonNullElseGet(form.startsOn(), () -> LocalDate.now(SwedishTime.ZONE)),
                form.documentation(), form.governingDocument(), form.approvedBy(), form.approvedOn(), version, null, null);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
