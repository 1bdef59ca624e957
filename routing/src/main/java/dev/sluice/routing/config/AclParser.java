package dev.sluice.routing.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code acl NAME SAMPLE [flags] PATTERN...} lines and {@code if|unless} conditions. */
final class AclParser {

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z0-9._-]+)(?:\\(([^()]*)\\))?((?:,[a-zA-Z0-9._-]+(?:\\([^()]*\\))?)*)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]+");
    private static final List<String> METHODS = List.of("str", "beg", "end", "sub", "reg", "dom",
            "dir", "len", "found", "int", "ip", "bool");

    private final ParseContext ctx;
    /** The line being parsed, for warnings. */
    int line;

    AclParser(ParseContext ctx) {
        this.ctx = ctx;
    }

    AclConfig acl(List<String> w) {
        Values.arity(w, 2, "acl NAME FETCH [flags] [patterns]");
        String name = w.get(1);
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException("'acl': invalid ACL name '" + name
                    + "' (expected letters, digits, '-', '_', '.' and ':')");
        }
        return new AclConfig(name, expr(w.subList(2, w.size()), "acl " + name));
    }

    /** Parses {@code SAMPLE [flags] PATTERN...}. */
    AclExpr expr(List<String> w, String keyword) {
        if (w.isEmpty()) {
            throw new ConfigException("'" + keyword + "': missing fetch (expected e.g. path_beg /api)");
        }
        Matcher m = SAMPLE.matcher(w.get(0));
        if (!m.matches()) {
            throw new ConfigException("'" + keyword + "': invalid sample '" + w.get(0)
                    + "' (expected FETCH[(ARG)][,CONVERTER...])");
        }
        List<String> converters = new ArrayList<>();
        if (!m.group(3).isEmpty()) {
            for (String c : m.group(3).substring(1).split(",")) {
                converters.add(c);
            }
        }
        boolean ignoreCase = false;
        String method = null;
        List<String> patterns = new ArrayList<>();
        int i = 1;
        for (; i < w.size(); i++) {
            String f = w.get(i);
            if (f.equals("--")) {
                i++;
                break;
            }
            if (!f.startsWith("-")) {
                break;
            }
            switch (f) {
                case "-i" -> ignoreCase = true;
                case "-n" -> { }
                case "-m" -> {
                    method = flagValue(w, i++, keyword);
                    if (!METHODS.contains(method)) {
                        throw new ConfigException("'" + keyword + "': unknown match method '-m " + method
                                + "' (expected one of: " + String.join(", ", METHODS) + ")");
                    }
                }
                case "-f" -> patterns.addAll(patternFile(flagValue(w, i++, keyword), keyword));
                default -> throw new ConfigException("'" + keyword + "': unknown flag '" + f
                        + "' (expected -i, -m METHOD, -f FILE, -n or --)");
            }
        }
        for (String p : w.subList(Math.min(i, w.size()), w.size())) {
            if (p.isEmpty()) {
                // HAProxy reads an empty word as the end of the arguments
                ctx.warn(line, "'" + keyword + "': an empty pattern ends the pattern list, as in HAProxy;"
                        + " the patterns after it are ignored");
                break;
            }
            patterns.add(p);
        }
        return new AclExpr(m.group(1), m.group(2), converters, ignoreCase, method, patterns);
    }

    private static String flagValue(List<String> w, int i, String keyword) {
        if (i + 1 >= w.size()) {
            throw new ConfigException("'" + keyword + "': flag '" + w.get(i) + "' needs a value");
        }
        return w.get(i + 1);
    }

    private List<String> patternFile(String name, String keyword) {
        String text = new String(ctx.read(keyword + " -f", name), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t);
            }
        }
        return out;
    }

    /** Parses the condition starting at {@code w.get(from)}, which must be {@code if} or {@code unless}. */
    ConditionConfig condition(List<String> w, int from) {
        String word = w.get(from);
        if (!word.equals("if") && !word.equals("unless")) {
            throw new ConfigException("'" + w.get(0) + "': unexpected '" + word + "' (expected if or unless)");
        }
        List<List<ConditionConfig.Term>> groups = new ArrayList<>();
        List<ConditionConfig.Term> group = new ArrayList<>();
        boolean negate = false;
        for (int i = from + 1; i < w.size(); i++) {
            String t = w.get(i);
            if (t.equals("or") || t.equals("||")) {
                if (group.isEmpty() || negate) {
                    throw new ConfigException("'" + word + "': '" + t + "' without a condition before it");
                }
                groups.add(group);
                group = new ArrayList<>();
                continue;
            }
            if (t.equals("!")) {
                negate = !negate;
                continue;
            }
            if (t.startsWith("!")) {
                negate = !negate;
                t = t.substring(1);
            }
            if (t.equals("{")) {
                int close = w.subList(i, w.size()).indexOf("}");
                if (close < 0) {
                    throw new ConfigException("'" + word + "': missing '}' (expected { FETCH [flags] PATTERN... })");
                }
                AclExpr e = expr(w.subList(i + 1, i + close), "anonymous acl");
                group.add(new ConditionConfig.Term(negate, null, e));
                i += close;
            } else if (t.equals("}") || t.isEmpty()) {
                throw new ConfigException("'" + word + "': unexpected '" + w.get(i) + "'");
            } else {
                group.add(new ConditionConfig.Term(negate, t, null));
            }
            negate = false;
        }
        if (group.isEmpty() || negate) {
            throw new ConfigException("'" + word + "': missing condition (expected ACL names or { ... })");
        }
        groups.add(group);
        return new ConditionConfig(word.equals("unless"), groups);
    }
}
