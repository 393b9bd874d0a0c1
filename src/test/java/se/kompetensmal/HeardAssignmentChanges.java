package se.kompetensmal;

import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import se.kompetensmal.routines.AssignmentsChanged;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every {@link AssignmentsChanged} the service publishes, as the announcements and report summaries hear them. */
@Singleton
public class HeardAssignmentChanges {

    public final List<AssignmentsChanged> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(AssignmentsChanged event) {
        events.add(event);
    }
}
