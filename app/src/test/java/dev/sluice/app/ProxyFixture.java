package dev.sluice.app;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;

/**
 * The end-to-end tests' fixture: real origins for the whole test class, and one Sluice per test
 * started from configuration text and closed after it. Register it as
 * {@code @RegisterExtension static final ProxyFixture sluice = new ProxyFixture();}.
 */
final class ProxyFixture implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    private Origins origins;
    private RunningProxy proxy;

    @Override
    public void beforeAll(ExtensionContext context) {
        origins = new Origins();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        origins.close();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }

    Origins origins() {
        return origins;
    }

    /** Starts Sluice on {@code config} (origins expanded) and returns the port of frontend {@code fe}. */
    int start(String config) throws Exception {
        return startProxy(config, null).port("fe");
    }

    /** Starts Sluice on {@code config}; relative paths in it resolve against {@code baseDir}. */
    RunningProxy startProxy(String config, Path baseDir) throws Exception {
        afterEach(null);
        proxy = RunningProxy.start(origins, config, baseDir);
        return proxy;
    }
}
