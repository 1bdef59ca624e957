package dev.sluice.app;

import dev.sluice.admin.AdminBindException;
import dev.sluice.admin.AdminServer;
import dev.sluice.admin.ServiceRegistry;
import dev.sluice.admin.AdminAuth;
import dev.sluice.discovery.ControlThreads;
import dev.sluice.discovery.Discovery;
import dev.sluice.discovery.IdleScheduling;
import dev.sluice.proxy.AccessLog;
import dev.sluice.proxy.BindFailedException;
import dev.sluice.proxy.Transport;
import dev.sluice.routing.config.ConfigMessage;
import dev.sluice.routing.config.ConfigRenderer;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The command line: {@code run [-f FILE]}, {@code check -f FILE}, {@code render [-f FILE]},
 * {@code version}. Exit codes: 0 success, 1 invalid configuration or failed start, 2 usage.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != 0 || (args.length > 0 && !"run".equals(args[0]))) {
            System.exit(code);
        }
    }

    /** Runs one command; {@code run} blocks until the process is stopped. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cli;
        try {
            cli = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("sluice: " + e.getMessage());
            err.println(CommandLine.USAGE);
            return 2;
        }
        switch (cli.command()) {
            case "version" -> {
                out.println("sluice " + Version.get());
                return 0;
            }
            case "help" -> {
                out.println(CommandLine.USAGE);
                return 0;
            }
            case "check" -> {
                return check(cli, out, err);
            }
            case "render" -> {
                return render(cli, env, out, err);
            }
            case "run" -> {
                int code = runProxy(cli, env, out, err);
                if (code != 0) {
                    // a run that did not start leaves later control-plane threads as they were
                    ControlThreads.scheduleIdle(null);
                }
                return code;
            }
            default -> {
                err.println("sluice: unknown command '" + cli.command() + "'");
                err.println(CommandLine.USAGE);
                return 2;
            }
        }
    }

    private static int check(CommandLine cli, PrintStream out, PrintStream err) {
        if (cli.file() == null) {
            err.println("sluice: check needs -f FILE");
            return 2;
        }
        ParseResult result = ConfigSource.load(cli.file());
        printMessages(result, err);
        if (!result.errors().isEmpty()) {
            err.println(cli.file() + ": " + result.errors().size() + " error(s)");
            return 1;
        }
        out.println(cli.file() + ": configuration is valid");
        return 0;
    }

    private static int render(CommandLine cli, Map<String, String> env, PrintStream out, PrintStream err) {
        Settings settings = settings(cli, env, err);
        ProxyConfig config = settings == null ? null : effectiveConfig(cli, settings, err, "");
        if (config == null) {
            return 1;
        }
        out.print(ConfigRenderer.render(config));
        return 0;
    }

    /**
     * The configuration as it will run (file, or embedded default with the environment's
     * TIMEOUT_*, CONNECTION_MODE and EXTRA_*; DEFAULT_PORTS/BIND_PORTS applied), or {@code null} after printing why there is none.
     */
    private static ProxyConfig effectiveConfig(CommandLine cli, Settings settings, PrintStream err,
                                               String errorsSuffix) {
        ParseResult result = ConfigSource.load(cli.file(), settings);
        printMessages(result, err);
        if (!result.errors().isEmpty()) {
            if (!errorsSuffix.isEmpty()) {
                err.println("sluice: " + errorsSuffix + ": " + result.errors().size() + " configuration error(s)");
            }
            return null;
        }
        try {
            return ConfigSource.effective(result.config(), cli.file(), settings);
        } catch (IllegalArgumentException e) {
            err.println("sluice: " + e.getMessage());
            return null;
        }
    }

    /** The settings from flags and environment, or {@code null} after printing what is wrong. */
    private static Settings settings(CommandLine cli, Map<String, String> env, PrintStream err) {
        try {
            return Settings.from(env, cli);
        } catch (IllegalArgumentException e) {
            err.println("sluice: " + e.getMessage());
            return null;
        }
    }

    private static int runProxy(CommandLine cli, Map<String, String> env, PrintStream out, PrintStream err) {
        Settings settings = settings(cli, env, err);
        ProxyConfig config = settings == null ? null : effectiveConfig(cli, settings, err, "not started");
        if (config == null) {
            return 1;
        }
        ClusterSetup.shortDnsCache();
        // before the first control-plane thread starts (the registry's writer)
        ControlThreads.scheduleIdle(settings.controlIdle() ? new IdleScheduling(err) : null);
        EventLog events = new EventLog(err);
        ServiceRegistry registry = registry(cli, env, settings, config, err);
        if (registry == null) {
            events.close();
            return 1;
        }
        // TRANSPORT, else -Dsluice.transport: the event loops and DNS discovery read it when they start
        String transport = settings.transport() != null ? settings.transport() : System.getProperty(Transport.PROPERTY);
        System.setProperty(Transport.PROPERTY,
                Transport.choose(transport, warning -> err.println("warning: " + warning)).label());
        TlsSetup tls = TlsSetup.load(settings, err);
        Discovery discovery = ClusterSetup.join(settings, registry, tls, err);
        Sluice sluice;
        try {
            sluice = Sluice.start(registry.table(), err, settings.resolvers(), tls.contexts());
        } catch (BindFailedException | IllegalArgumentException e) {
            discovery.close();
            registry.close();
            events.close();
            err.println("sluice: " + e.getMessage());
            return 1;
        }
        registry.attach(sluice::publish);
        ClusterSetup.follow(settings, discovery, registry, err);
        AccessLog accessLog;
        try {
            accessLog = AccessLogs.open(settings.observability(), config.global().log(), out);
        } catch (IOException e) {
            sluice.close();
            registry.close();
            events.close();
            err.println("sluice: LOG_FILE: " + e.getMessage());
            return 1;
        }
        sluice.accessLog(accessLog);
        AdminServer admin;
        try {
            AdminCredentials credentials = settings.adminCredentials();
            AdminCredentials stats = settings.observability().statsCredentials();
            admin = AdminServer.start(settings.adminBind(), settings.adminPort(), registry,
                    credentials == null ? null : new AdminAuth(credentials.user(), credentials.password()), tls,
                    stats == null ? null : new AdminAuth(stats.user(), stats.password()), discovery);
        } catch (AdminBindException e) {
            if (accessLog != null) {
                accessLog.close();
            }
            discovery.close();
            sluice.close();
            registry.close();
            events.close();
            err.println("sluice: " + e.getMessage());
            return 1;
        }
        Observability o = settings.observability();
        if (o.statsUri() != null) {
            AdminAuth auth = o.statsCredentials() == null ? null
                    : new AdminAuth(o.statsCredentials().user(), o.statsCredentials().password());
            sluice.frontendStats(new dev.sluice.proxy.FrontendStats(o.statsUri(),
                    header -> auth == null || auth.accepts(header), csv -> admin.renderStats(csv, o.statsUri())));
        }
        out.println("sluice " + Version.get() + " started (" + sluice.describe() + "; TLS: " + tls.describe()
                + "; admin API on " + settings.adminBind() + ':' + admin.port() + "; discovery: " + discovery.role() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        long graceMs = settings.stopGraceSeconds() * 1000L;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            discovery.close();
            admin.close();
            // SIGTERM (docker stop, a rolling update): no new connection, what is in flight finishes
            sluice.drain(graceMs);
            sluice.close();
            if (accessLog != null) {
                accessLog.close();
            }
            registry.close();
            events.close();
            stopped.countDown();
        }, "sluice-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * The services' single writer: the static configuration, then the {@code DFP_SERVICE_*}
     * services, then those kept in STATE_DIR; {@code null} after printing why it cannot start
     * (a state directory that cannot be used or read: acknowledged services are never dropped).
     */
    private static ServiceRegistry registry(CommandLine cli, Map<String, String> env, Settings settings,
                                            ProxyConfig config, PrintStream err) {
        StateStore store;
        List<dev.sluice.admin.StoredService> stored;
        try {
            store = StateStore.open(settings.stateDir());
            stored = store.load();
        } catch (IOException e) {
            err.println("sluice: " + e.getMessage());
            return null;
        }
        List<Map<String, List<String>>> fromEnv = EnvironmentServices.read(env, w -> err.println("warning: " + w));
        return new ServiceRegistry(config, () -> reloadConfig(cli, settings),
                settings.services().defaults(settings.secretsDir()), store::save, fromEnv, stored, err);
    }

    /** The static configuration read again, for the admin API's {@code reload}. */
    private static ProxyConfig reloadConfig(CommandLine cli, Settings settings) {
        ParseResult result = ConfigSource.load(cli.file(), settings);
        if (!result.errors().isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", result.errors().stream().map(Object::toString).toList()));
        }
        return ConfigSource.effective(result.config(), cli.file(), settings);
    }

    private static void printMessages(ParseResult result, PrintStream err) {
        for (ConfigMessage w : result.warnings()) {
            err.println("warning: " + w);
        }
        for (ConfigMessage e : result.errors()) {
            err.println(e);
        }
    }
}
