package dev.sluice.discovery;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Puts threads in Linux's {@code SCHED_IDLE} class: they run only when no other thread wants
 * their core, and a thread of the normal class that wakes up takes the core from them at once.
 * On a core that the proxy's event loops share with the control plane, a routing change then
 * waits for the event loops instead of delaying their requests ("Performance" in the README).
 *
 * <p>Java has no call for a thread's scheduling class, so this runs util-linux's {@code chrt
 * --idle --pid 0 TID}: an unprivileged process may always lower its own threads. A thread cannot
 * leave {@code SCHED_IDLE} again without {@code CAP_SYS_NICE}, and threads it starts inherit it:
 * only threads that start control-plane threads, never event loops, may be put there (the JDK's
 * {@code process reaper}, started by the first {@code chrt} call, is one of those it starts; Sluice
 * runs no other program). Where
 * {@code chrt} is missing or refused (not Linux, a seccomp profile), the first failure is logged
 * once and the threads keep the normal class.
 */
public final class IdleScheduling {

    /** The scheduling policy number of {@code SCHED_IDLE} (field 41 of {@code /proc/.../stat}). */
    public static final int SCHED_IDLE = 5;

    private static final long CHRT_TIMEOUT_SECONDS = 10;

    private final PrintStream log;
    private final String chrt;
    private final AtomicBoolean failed = new AtomicBoolean();

    /** Failures go to {@code log} as one warning line. */
    public IdleScheduling(PrintStream log) {
        this(log, "chrt");
    }

    /** With {@code chrt} as the program that changes a thread's class (tests: a missing one). */
    IdleScheduling(PrintStream log, String chrt) {
        this.log = requireNonNull(log, "log");
        this.chrt = requireNonNull(chrt, "chrt");
    }

    /** Puts the calling thread in {@code SCHED_IDLE}; {@code false} if that could not be done. */
    public boolean enterCurrent() {
        String tid;
        try {
            tid = currentThreadId();
        } catch (IOException | RuntimeException e) {
            return failed("cannot tell the thread's id (" + e.getMessage() + ')');
        }
        return apply(tid, Thread.currentThread().getName());
    }

    /** The scheduling policy of thread {@code tid} of this process ({@value #SCHED_IDLE}: idle); -1 if unknown. */
    public static int policyOf(String tid) {
        return policyOf(Path.of("/proc/self/task", tid));
    }

    /**
     * The scheduling policy of the thread whose {@code /proc} directory is {@code task} (e.g.
     * {@code /proc/PID/task/TID}); -1 if unknown.
     */
    public static int policyOf(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
            // the name, field 2, may hold spaces and parentheses: count fields from the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Integer.parseInt(fields[41 - 3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The kernel's id of the calling thread. */
    public static String currentThreadId() throws IOException {
        // "/proc/thread-self" links to "PID/task/TID"
        return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
    }

    private boolean apply(String tid, String name) {
        if (failed.get()) {
            return false;
        }
        try {
            Process process = new ProcessBuilder(chrt, "--idle", "--pid", "0", tid)
                    .redirectErrorStream(true)
                    .start();
            if (!process.waitFor(CHRT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return failed("chrt did not finish in " + CHRT_TIMEOUT_SECONDS + " s");
            }
            // a line or two at most: the pipe holds it until chrt has ended
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                return failed("chrt --idle for thread " + name + " exited with " + process.exitValue()
                        + (output.isEmpty() ? "" : ": " + output));
            }
            return true;
        } catch (IOException e) {
            return failed("cannot run chrt (" + e.getMessage() + ')');
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted while running chrt");
        }
    }

    private boolean failed(String why) {
        if (failed.compareAndSet(false, true)) {
            log.println("warning: control-plane threads keep the normal scheduling class: " + why);
        }
        return false;
    }
}
