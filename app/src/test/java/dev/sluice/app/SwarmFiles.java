package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the files that run Sluice on Docker Swarm the way Docker reads them: the Dockerfile as its
 * instructions (comments dropped, continuation lines joined), the stack files through a real YAML
 * parser (Debian's python3-yaml, as JSON), and the README's commands.
 */
final class SwarmFiles {

    /** One Dockerfile instruction; {@code stage} counts the FROMs before it (the first stage is 0). */
    record Instruction(int stage, String keyword, String args) {
    }

    private SwarmFiles() {
    }

    /** The repository's root (the tests run in app/). */
    static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path candidate : List.of(dir.getParent(), dir)) {
            if (candidate != null && Files.isRegularFile(candidate.resolve("Dockerfile"))) {
                return candidate;
            }
        }
        throw new AssertionError("no Dockerfile in " + dir + " or its parent");
    }

    static String read(String relative) throws IOException {
        return Files.readString(root().resolve(relative), StandardCharsets.UTF_8);
    }

    static List<Instruction> dockerfile() throws IOException {
        List<Instruction> out = new ArrayList<>();
        int stage = -1;
        StringBuilder pending = new StringBuilder();
        for (String line : read("Dockerfile").split("\n", -1)) {
            if (line.strip().startsWith("#")) {
                continue; // Docker drops comment lines, also between continuation lines
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            String whole = (pending + line).strip();
            pending.setLength(0);
            if (whole.isEmpty()) {
                continue;
            }
            String[] parts = whole.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(java.util.Locale.ROOT);
            if (keyword.equals("FROM")) {
                stage++;
            }
            out.add(new Instruction(stage, keyword, parts.length > 1 ? parts[1].strip() : ""));
        }
        return out;
    }

    /** The arguments of every {@code keyword} instruction, in order. */
    static List<String> all(List<Instruction> dockerfile, String keyword) {
        return dockerfile.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    /** The only {@code keyword} instruction's arguments. */
    static String only(List<Instruction> dockerfile, String keyword) {
        List<String> found = all(dockerfile, keyword);
        assertThat(found).as("%s instructions in the Dockerfile", keyword).hasSize(1);
        return found.get(0);
    }

    /** An exec-form instruction ({@code ["a", "b"]}) as its list. */
    static List<String> execForm(String args) {
        return new JsonArray(args).stream().map(String::valueOf).toList();
    }

    /** {@code ENV A=1 B=2} instructions, by name. */
    static Map<String, String> env(List<Instruction> dockerfile) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String args : all(dockerfile, "ENV")) {
            for (String pair : args.split("\\s+")) {
                assertThat(pair).as("ENV %s: NAME=VALUE pairs without spaces", args).contains("=");
                env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return env;
    }

    /** A YAML file as Debian's python3-yaml reads it, turned into JSON. */
    static JsonObject yaml(String relative) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assertThat(Files.isExecutable(python)).as("/usr/bin/python3 with python3-yaml "
                + "(apt-get install -y python3-yaml; .ci/run does)").isTrue();
        Process p = new ProcessBuilder(python.toString(), "-c",
                "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)",
                root().resolve(relative).toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("python3 finished").isTrue();
        assertThat(p.exitValue()).as("python3-yaml reading %s: %s", relative, out).isZero();
        return new JsonObject(out);
    }

    /** A compose service's {@code environment}, written as a map or as a list of NAME=VALUE. */
    static Map<String, String> environment(JsonObject service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object value = service.getValue("environment");
        if (value instanceof JsonObject map) {
            map.forEach(e -> env.put(e.getKey(), e.getValue() == null ? "" : String.valueOf(e.getValue())));
        } else if (value instanceof JsonArray list) {
            for (Object item : list) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    /** The strings of a compose list ({@code networks}, {@code volumes}, ...); empty when absent. */
    static List<String> strings(JsonObject object, String key) {
        Object value = object.getValue(key);
        if (value instanceof JsonArray list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (value instanceof JsonObject map) {
            return List.copyOf(map.fieldNames());
        }
        return List.of();
    }

    /** The text of the README section that starts with {@code heading}, up to the next {@code ## }. */
    static String readmeSection(String heading) throws IOException {
        String readme = read("README.md");
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as("README has the section %s", heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + heading.length() + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The first group of the first match of {@code regex} in {@code text}. */
    static String find(String text, String regex, String what) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s (/%s/)", what, regex).isTrue();
        return m.group(1);
    }
}
