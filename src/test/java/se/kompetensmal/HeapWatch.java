package se.kompetensmal;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the heap every 20 ms for the largest used heap, and every second collects it whole ({@code System.gc()}, a
 * full collection with G1) and takes what is left as the live heap. The pools' usage after their last collection was not
 * that: G1 counts the old generation after a young collection too, with the objects that died there since, and a
 * streamed million-row import that held nothing read 225 MB "live" of a 512 MB heap on CI (20 MB on another run).
 */
public final class HeapWatch {
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    /** The live heap when the watch started: what the JVM held before the work (earlier test classes' leftovers too). */
    private volatile long baseline;

    public void start() {
        System.gc();
        baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        thread = new Thread(() -> {
            for (long round = 0; running; round++) {
                peakUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                if (round % 50 == 0) {
                    System.gc();
                    peakLive.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-watch");
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    public long peakUsedBytes() {
        return peakUsed.get();
    }

    public long peakLiveBytes() {
        return peakLive.get();
    }

    /**
     * How far the live heap rose above what it was at the start: what the work itself held. The peak alone also counts
     * what the JVM held before (a fork that had run thirty classes sat at 130 MB live before a 500 MB upload that held
     * nothing; CI's run failed the upload's bound of 160 MB at 163 MB).
     */
    public long peakGrowthBytes() {
        return Math.max(0, peakLive.get() - baseline);
    }

    public long baselineBytes() {
        return baseline;
    }
}
