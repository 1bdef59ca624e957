package dev.sluice.app;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Owns the {@link SluiceProcess}es a test class starts: a process started in a test is killed
 * after that test, one started in {@code @BeforeAll} after the class. When a test fails, the
 * output of every process it could have talked to is printed. Register it as
 * {@code @RegisterExtension static final SluiceProcesses sluices = new SluiceProcesses();}.
 */
final class SluiceProcesses implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private final List<SluiceProcess> classScoped = new ArrayList<>();
    private final List<SluiceProcess> testScoped = new ArrayList<>();
    private boolean inTest;

    /** Starts Sluice (see {@link SluiceProcess#start}) and kills it when its scope ends. */
    synchronized SluiceProcess start(String label, Map<String, String> env, Path stateDir) throws IOException {
        return start(label, env, stateDir, null);
    }

    /** Like the other, the process run in {@code workingDir}. */
    synchronized SluiceProcess start(String label, Map<String, String> env, Path stateDir, Path workingDir)
            throws IOException {
        SluiceProcess sluice = SluiceProcess.start(label, env, stateDir, workingDir);
        (inTest ? testScoped : classScoped).add(sluice);
        return sluice;
    }

    /** Lets the extension kill and report a process it did not start (a restart, say). */
    synchronized SluiceProcess track(SluiceProcess sluice) {
        (inTest ? testScoped : classScoped).add(sluice);
        return sluice;
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        inTest = true;
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        inTest = false;
        if (context.getExecutionException().isPresent()) {
            List<SluiceProcess> all = new ArrayList<>(classScoped);
            all.addAll(testScoped);
            for (SluiceProcess sluice : all) {
                System.err.println("==== Sluice output for failed test " + context.getDisplayName() + " ====");
                System.err.println(sluice.output());
            }
        }
        testScoped.forEach(SluiceProcess::close);
        testScoped.clear();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        classScoped.forEach(SluiceProcess::close);
        classScoped.clear();
    }
}
