package dev.sluice.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An example config file and the ports it names. {@link #remap} writes a runnable copy: every
 * {@code server} points at the echo backend started for it, every {@code bind} (and every
 * {@code dst_port} test of a bind port) moves to a free port, and relative {@code errorfile}
 * paths become absolute, so the copy works from a temporary directory.
 */
final class ExampleConfig {

    private static final Set<String> SECTIONS =
            Set.of("global", "defaults", "frontend", "backend", "listen", "userlist", "peers", "resolvers");
    private static final Pattern WORD = Pattern.compile("\\S+");

    /**
     * A {@code server} line of a backend or listen section; {@code id} is {@code backend/server};
     * {@code ssl}: the line has {@code ssl}, so its echo server speaks TLS.
     */
    record ServerRef(String backend, String server, boolean ssl) {
        ServerRef(String backend, String server) {
            this(backend, server, false);
        }

        String id() {
            return backend + '/' + server;
        }
    }

    private final Path file;
    private final List<String> lines;
    private final List<ServerRef> servers = new ArrayList<>();
    private final Set<Integer> bindPorts = new LinkedHashSet<>();

    private ExampleConfig(Path file, List<String> lines) {
        this.file = file;
        this.lines = List.copyOf(lines);
        String section = "";
        String sectionName = "";
        for (String line : lines) {
            List<String> words = words(line);
            if (words.isEmpty()) {
                continue;
            }
            String keyword = words.get(0);
            if (SECTIONS.contains(keyword)) {
                section = keyword;
                sectionName = words.size() > 1 ? words.get(1) : "";
            } else if (keyword.equals("server") && words.size() > 2
                       && (section.equals("backend") || section.equals("listen"))) {
                servers.add(new ServerRef(sectionName, words.get(1), words.contains("ssl")));
            } else if (keyword.equals("bind") && words.size() > 1) {
                bindPorts.add(port(words.get(1)));
            }
        }
        if (bindPorts.isEmpty()) {
            throw new IllegalArgumentException(file + ": no bind line (expected: at least one frontend bind)");
        }
    }

    static ExampleConfig read(Path file) throws IOException {
        return new ExampleConfig(file, Files.readAllLines(file));
    }

    /** A configuration that is not in a file; relative paths in it resolve against {@code dir}. */
    static ExampleConfig of(String name, String text, Path dir) {
        return new ExampleConfig(dir.resolve(name), text.lines().toList());
    }

    Path file() {
        return file;
    }

    List<ServerRef> servers() {
        return List.copyOf(servers);
    }

    /** Bind ports as written in the file, in order of appearance. */
    List<Integer> bindPorts() {
        return List.copyOf(bindPorts);
    }

    /**
     * The text of a runnable copy.
     *
     * @param serverPorts the echo backend port of each {@link ServerRef#id()}
     * @param newBindPorts the free port that replaces each bind port of the file
     */
    String remap(Map<String, Integer> serverPorts, Map<Integer, Integer> newBindPorts) {
        StringBuilder out = new StringBuilder();
        String sectionName = "";
        for (String line : lines) {
            List<String> words = words(line);
            String result = line;
            if (!words.isEmpty()) {
                String keyword = words.get(0);
                if (SECTIONS.contains(keyword)) {
                    sectionName = words.size() > 1 ? words.get(1) : "";
                } else if (keyword.equals("server") && serverPorts.containsKey(sectionName + '/' + words.get(1))) {
                    int port = serverPorts.get(sectionName + '/' + words.get(1));
                    result = replaceWord(line, 2, "127.0.0.1:" + port);
                } else if (keyword.equals("bind")) {
                    result = replaceWord(line, 1, "127.0.0.1:" + newBindPorts.get(port(words.get(1))));
                } else if (keyword.equals("errorfile") && words.size() > 2) {
                    Path page = file.toAbsolutePath().getParent().resolve(words.get(2)).normalize();
                    result = replaceWord(line, 2, page.toString());
                }
                if (line.contains("dst_port")) {
                    for (Map.Entry<Integer, Integer> bind : newBindPorts.entrySet()) {
                        result = result.replaceAll("(?<=\\s)" + bind.getKey() + "(?=\\s|$)",
                                                   String.valueOf(bind.getValue()));
                    }
                }
            }
            out.append(result).append('\n');
        }
        return out.toString();
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The words of a config line, comments removed. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(line);
        while (matcher.find()) {
            if (matcher.group().startsWith("#")) {
                break;
            }
            words.add(matcher.group());
        }
        return words;
    }

    private static String replaceWord(String line, int index, String replacement) {
        Matcher matcher = WORD.matcher(line);
        for (int i = 0; matcher.find(); i++) {
            if (i == index) {
                return line.substring(0, matcher.start()) + replacement + line.substring(matcher.end());
            }
        }
        return line;
    }
}
