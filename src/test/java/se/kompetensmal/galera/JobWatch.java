package se.kompetensmal.galera;

import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Follows one recomputation through the API (on whichever instance is live) and keeps every change of status or
 * progress it saw, so that a job run twice (DONE, then RUNNING again; progress going back) shows.
 */
final class JobWatch {

    final long jobId;
    private final Calls calls;
    private final String token;
    private final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile JsonObject last;

    JobWatch(Calls calls, String token, long jobId) {
        this.calls = calls;
        this.token = token;
        this.jobId = jobId;
    }

    void start(GaleraClusterIT test) {
        Thread thread = new Thread(() -> {
            String previous = "";
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    JsonObject job = Calls.json(calls.get(test.live(), "/api/recompute-jobs/" + jobId, token)).getAsJsonObject();
                    last = job;
                    String now = job.get("status").getAsString() + " " + job.get("donePeople") + "/" + job.get("totalPeople");
                    if (!now.equals(previous)) {
                        seen.add(now);
                        previous = now;
                    }
                } catch (RuntimeException | AssertionError e) {
                    // an instance going away
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "watch-recompute-" + jobId);
        thread.setDaemon(true);
        thread.start();
    }

    List<String> history() {
        return new ArrayList<>(seen);
    }

    /**
     * DONE at the end, nothing after a DONE, and the progress started over at most {@code kills} times: a job whose
     * holder was killed is run again from the start by the instance taking over (idempotent), but two instances running
     * it at once show as progress going up and down repeatedly.
     */
    boolean finishedOnce(int kills) {
        List<String> states = history();
        if (states.isEmpty() || !states.get(states.size() - 1).startsWith("DONE")) {
            return false;
        }
        int lastProgress = -1;
        int startedOver = 0;
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i).startsWith("DONE") && i < states.size() - 1) {
                return false;
            }
            String[] parts = states.get(i).split("[ /]");
            int done = Integer.parseInt(parts[1]);
            if (done < lastProgress) {
                startedOver++;
            }
            lastProgress = done;
        }
        return startedOver <= kills;
    }
}
