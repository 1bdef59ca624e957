package dev.sluice.routing.config;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.config.GlobalKeywords.UserlistBuilder;
import dev.sluice.routing.config.ProxyBuilder.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses Sluice's subset of HAProxy's configuration language. Every error is collected (parsing
 * goes on after one), each as {@code FILE:LINE: message}; the config is returned only without errors.
 */
public final class ConfigParser {

    private static final Set<String> SKIPPED_SECTIONS =
            Set.of("peers", "mailers", "cache", "ring", "http-errors", "program");
    private static final String SECTIONS = "global, defaults, frontend, backend, listen, userlist, resolvers";

    private final ParseContext ctx;
    private final GlobalKeywords global;
    private final ProxyKeywords proxyKeywords;
    private final List<ProxyBuilder> proxies = new ArrayList<>();
    private final List<UserlistBuilder> userlists = new ArrayList<>();
    private final ResolversKeywords resolvers;
    private final Map<String, ProxyBuilder> frontNames = new HashMap<>();
    private final Map<String, ProxyBuilder> backNames = new HashMap<>();
    private ProxyBuilder defaults;
    private ProxyBuilder proxy;
    private UserlistBuilder userlist;
    private String section;

    private ConfigParser(ParseContext ctx) {
        this.ctx = ctx;
        this.global = new GlobalKeywords(ctx);
        this.proxyKeywords = new ProxyKeywords(ctx);
        this.resolvers = new ResolversKeywords(ctx);
    }

    /** Parses {@code file}; relative paths in it are resolved against its directory. */
    public static ParseResult parse(Path file) {
        requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            ConfigMessage m = new ConfigMessage(file.toString(), 0, "cannot read configuration file ("
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()) + ")");
            return new ParseResult(null, List.of(m), List.of());
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir);
    }

    /**
     * @param baseDir resolves relative {@code errorfile} and {@code acl -f} paths; may be {@code null}
     *                for the working directory
     */
    public static ParseResult parse(String text, String fileName, Path baseDir) {
        requireNonNull(text, "text");
        requireNonNull(fileName, "fileName");
        return new ConfigParser(new ParseContext(fileName, baseDir)).run(text);
    }

    private ParseResult run(String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        int line = 0;
        for (int start = 0; start <= text.length(); ) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            String l = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
            start = end + 1;
            line++;
            try {
                List<String> words = Tokenizer.tokenize(l);
                if (!words.isEmpty()) {
                    line(line, words);
                }
            } catch (ConfigException e) {
                ctx.error(line, e.getMessage());
            }
        }
        List<UserlistConfig> lists = userlists.stream().map(UserlistBuilder::build).toList();
        new ConfigValidator(ctx, proxies, lists, global.sslServerVerify).validate();
        resolvers.validateReferences(proxies);
        if (!ctx.errors.isEmpty()) {
            return new ParseResult(null, ctx.errors, ctx.warnings);
        }
        List<FrontendConfig> fronts = new ArrayList<>();
        List<BackendConfig> backs = new ArrayList<>();
        for (ProxyBuilder p : proxies) {
            if (p.kind.front()) {
                fronts.add(p.frontend());
            }
            if (p.kind.back()) {
                backs.add(p.backend());
            }
        }
        return new ParseResult(new ProxyConfig(global.build(), fronts, backs, lists, resolvers.build()), ctx.errors, ctx.warnings);
    }

    private void line(int line, List<String> w) {
        String k = w.get(0);
        if (openSection(line, w)) {
            return;
        }
        if (section == null) {
            throw new ConfigException("'" + k + "' outside of any section (expected a section keyword first: "
                    + SECTIONS + ")");
        }
        switch (section) {
            case "global" -> global.global(line, w);
            case "userlist" -> GlobalKeywords.userlistLine(userlist, w);
            case "resolvers" -> resolvers.line(line, w);
            case "skipped" -> { }
            default -> proxyKeywords.handle(proxy, line, w);
        }
    }

    private boolean openSection(int line, List<String> w) {
        String k = w.get(0);
        if (SKIPPED_SECTIONS.contains(k)) {
            section = "skipped";
            ctx.ignored(line, k, "section not supported; its lines are skipped");
            return true;
        }
        switch (k) {
            case "global" -> section = "global";
            case "defaults" -> {
                section = "defaults";
                defaults = new ProxyBuilder(Kind.DEFAULTS, w.size() > 1 ? w.get(1) : "", line, null);
                proxy = defaults;
                if (w.size() > 2 && w.get(2).equals("from")) {
                    throw new ConfigException("'defaults': 'from' is not supported (defaults apply in order)");
                }
            }
            case "frontend", "backend", "listen" -> {
                section = k;
                Kind kind = Kind.valueOf(k.toUpperCase(java.util.Locale.ROOT));
                String name = w.size() > 1 ? w.get(1) : "";
                proxy = new ProxyBuilder(kind, name, line, defaults);
                if (name.isEmpty()) {
                    throw new ConfigException("'" + k + "': missing name (expected " + k + " NAME)");
                }
                if (w.size() > 2) {
                    throw new ConfigException("'" + k + " " + name + "': unexpected '" + w.get(2)
                            + "' (expected only a name)");
                }
                register(proxy);
            }
            case "resolvers" -> {
                section = "resolvers";
                resolvers.open(line, w);
            }
            case "userlist" -> {
                section = "userlist";
                userlist = new UserlistBuilder(w.size() > 1 ? w.get(1) : "", line);
                if (w.size() < 2) {
                    throw new ConfigException("'userlist': missing name (expected userlist NAME)");
                }
                for (UserlistBuilder u : userlists) {
                    if (u.name.equals(userlist.name)) {
                        ctx.error(line, "userlist '" + u.name + "' is already defined at line " + u.line
                                + " (names must be unique)");
                    }
                }
                userlists.add(userlist);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void register(ProxyBuilder p) {
        proxies.add(p);
        if (p.kind.front()) {
            duplicate(p, frontNames.putIfAbsent(p.name, p));
        }
        if (p.kind.back()) {
            duplicate(p, backNames.putIfAbsent(p.name, p));
        }
    }

    private void duplicate(ProxyBuilder p, ProxyBuilder previous) {
        if (previous != null) {
            throw new ConfigException(p.describe() + " has the same name as " + previous.describe()
                    + " at line " + previous.line + " (proxy names must be unique)");
        }
    }
}
