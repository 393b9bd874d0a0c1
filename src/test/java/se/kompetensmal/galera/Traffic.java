package se.kompetensmal.galera;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Users reading pages and the API at every instance for the whole run, one request every 300 ms to each live instance:
 * the requests whose retry fails too are in {@link Calls#failedBeyondRetry}.
 */
final class Traffic {

    private final Calls calls;
    private final List<AppInstance> instances;
    private final String token;
    private final long regionId;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    final AtomicInteger answered = new AtomicInteger();

    Traffic(Calls calls, List<AppInstance> instances, String token, long regionId) {
        this.calls = calls;
        this.instances = instances;
        this.token = token;
        this.regionId = regionId;
    }

    void start() {
        for (AppInstance instance : instances) {
            Thread thread = new Thread(() -> {
                String[] paths = {"/api/organisations/" + regionId, "/api/organisations/" + regionId + "/people?size=5",
                        "/api/organisations/" + regionId + "/follow-up", "/api/organisations/" + regionId + "/routines"};
                int turn = 0;
                while (running) {
                    if (instance.running() && !calls.down.contains(instance.name)) {
                        try {
                            calls.get(instance, paths[turn++ % paths.length], token);
                            answered.incrementAndGet();
                        } catch (RuntimeException e) {
                            // recorded by Calls when it counts
                        }
                    }
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "traffic-" + instance.name);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
        Timings.figure("background requests answered", answered.get());
    }
}
