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
import se.kompetensmal.organization.OrgNode;
import se.kompetensmal.organization.OrgNodeRepository;

import se.kompetensmal.SwedishTime;

import java.io.IOException;
import java.time.LocalDate;
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

    public RoutineService(RoutineRepository routines, AudienceRepository audiences, Audiences usable, OrgNodeRepository nodes,
                          ObjectMapper json, RecomputeJobs jobs) {
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
        Audience audience = check(nodeId, form);
        if (routines.existsByOrgNodeIdAndKindAndAudienceId(nodeId, form.kind(), audience.id())) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Det finns redan en rutin för " + form.kind().labelSv().toLowerCase()
                    + " för målgruppen " + audience.code() + " på den här nivån. Ändra den i stället.");
        }
        Routine saved = routines.save(routine(null, nodeId, audience, form, 1));
        saveModulesAndVersion(saved, form.modules(), changedBy);
        jobs.request(nodeId, changedBy);
        return saved;
    }

    @Transactional
    public Routine update(Routine existing, @Valid RoutineForm form, String changedBy) {
        Audience audience = check(existing.orgNodeId(), form);
        if (form.kind() != existing.kind() || audience.id() != existing.audienceId()) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY,
                    "En rutins slag och målgrupp kan inte ändras; lägg upp en ny rutin i stället.");
        }
        Routine saved = routines.update(routine(existing.id(), existing.orgNodeId(), audience, form, existing.version() + 1));
        routines.deleteModules(saved.id());
        saveModulesAndVersion(saved, form.modules(), changedBy);
        jobs.request(saved.orgNodeId(), changedBy);
        return saved;
    }

    /** The routines in force at the node, inherited or its own, with their modules. */
    public List<RoutineView> inForceAt(long nodeId) {
        List<Routine> found = routines.findInForceAt(nodeId);
        Map<Long, Audience> byId = audiences.listOrderBySortOrderAndCode().stream()
                .collect(Collectors.toMap(Audience::id, a -> a));
        List<RoutineView> views = new ArrayList<>();
        for (Routine r : found) {
            String setAt = nodes.findById(r.orgNodeId()).map(OrgNode::name).orElse("?");
            Audience audience = byId.get(r.audienceId());
            views.add(new RoutineView(r, audience.code(), audience.nameSv(), setAt, r.orgNodeId() != nodeId,
                    routines.findModuleCodes(r.id())));
        }
        return views;
    }

    private void saveModulesAndVersion(Routine routine, List<String> modules, String changedBy) {
        List<String> distinct = modules.stream().distinct().sorted().toList();
        distinct.forEach(code -> routines.addModule(routine.id(), code));
        try {
            routines.addVersion(routine.id(), routine.version(), changedBy, json.writeValueAsString(new Snapshot(routine, distinct)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks what the form says against the routine's kind and the survey's documentation levels. */
    private Audience check(long nodeId, RoutineForm form) {
        List<String> problems = new ArrayList<>();
        if (form.kind() == RoutineKind.INTRODUCTION && (form.dueDays() == null || form.countsFrom() == null)) {
            problems.add("en introduktionsrutin behöver antal dagar (dueDays) och vilket startdatum de räknas från (countsFrom)");
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
        List<String> modules = form.modules().stream().distinct().toList();
        if (routines.countKnownModules(modules) != modules.size()) {
            problems.add("okänd modul bland " + String.join(", ", modules));
        }
        Audience audience = usable.usableUnder(form.audience(), nodeId).orElse(null);
        if (audience == null) {
            problems.add("okänd målgrupp " + form.audience());
        }
        if (!problems.isEmpty()) {
            throw new HttpStatusException(HttpStatus.UNPROCESSABLE_ENTITY, "Rutinen kunde inte sparas: " + String.join("; ", problems) + ".");
        }
        return audience;
    }

    private static Routine routine(Long id, long nodeId, Audience audience, RoutineForm form, int version) {
        boolean introduction = form.kind() == RoutineKind.INTRODUCTION;
        return new Routine(id, nodeId, form.kind(), audience.id(), form.name().strip(),
                introduction ? form.dueDays() : null, introduction ? form.countsFrom() : null,
                introduction ? null : form.intervalMonths(), introduction ? null : form.renewalWindowDays(),
                introduction ? null : Objects.requireNonNullElseGet(form.startsOn(), () -> LocalDate.now(SwedishTime.ZONE)),
                form.documentation(), form.governingDocument(), form.approvedBy(), form.approvedOn(), version);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
