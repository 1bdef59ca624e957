package dev.sluice.app;

import static dev.sluice.app.SwarmFiles.all;
import static dev.sluice.app.SwarmFiles.environment;
import static dev.sluice.app.SwarmFiles.execForm;
import static dev.sluice.app.SwarmFiles.find;
import static dev.sluice.app.SwarmFiles.only;
import static dev.sluice.app.SwarmFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.AdminServer;
import dev.sluice.app.SwarmFiles.Instruction;
import dev.sluice.routing.Bind;
import dev.sluice.routing.service.Destination;
import dev.sluice.routing.service.ServiceDefaults;
import dev.sluice.routing.service.ServiceParser;
import dev.sluice.routing.service.ServiceSpec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;

/**
 * Keeps the Dockerfile, the stack files and the README's "Run on Swarm" true without a Docker
 * engine: the image builds the jar with the README's command and runs the jar the build makes,
 * every variable the files set is one Sluice reads, the published ports are Sluice's defaults,
 * SERVICE_NAME is the name Swarm gives the service, and the demo's labels make a valid service.
 * {@link ImageHealthCheckTest} runs the image's health check against a running Sluice.
 */
class SwarmFilesTest {

    static final List<String> STACKS = List.of("docker-stack.yml", "docker-stack-listener.yml");
    static final String DEMO = "docs/swarm/demo-stack.yml";

    /** The variables of Swarm discovery: the ones the README's Run on Swarm table documents. */
    static final List<String> DISCOVERY_VARIABLES = List.of("DISCOVERY", "DOCKER_HOST", "DISCOVERY_INTERVAL",
            "SERVICE_NAME", "LISTENER_ADDRESS", "RELOAD_INTERVAL");

    /** Docker Flow Swarm Listener's variables (its Dockerfile and docs/config.md). */
    private static final List<String> LISTENER_VARIABLES = List.of("DF_DOCKER_HOST", "DF_NOTIFY_LABEL",
            "DF_NOTIFY_CREATE_SERVICE_URL", "DF_NOTIFY_REMOVE_SERVICE_URL", "DF_NOTIFY_CREATE_SERVICE_METHOD",
            "DF_NOTIFY_REMOVE_SERVICE_METHOD", "DF_NOTIFY_CREATE_NODE_URL", "DF_NOTIFY_REMOVE_NODE_URL", "DF_RETRY",
            "DF_RETRY_INTERVAL", "DF_USE_DOCKER_SERVICE_EVENTS", "DF_USE_DOCKER_NODE_EVENTS",
            "DF_SERVICE_POLLING_INTERVAL", "DF_NODE_POLLING_INTERVAL", "DF_INCLUDE_NODE_IP_INFO",
            "DF_NODE_IP_INFO_INCLUDES_TASK_ADDRESS", "DF_SERVICE_NAME_PREFIX", "DF_NOTIFY_CREATE_SERVICE_IMMEDIATELY");

    private static final String LISTENER_IMAGE = "dockerflow/docker-flow-swarm-listener";
    private static final Pattern SLUICE_IMAGE = Pattern.compile("\\$\\{SLUICE_IMAGE:-([^}]+)}");

    @TempDir
    Path noSecrets;

    @Test
    void image_buildsWithTheReadmesCommand_andRunsTheJarItMakes() throws Exception {
        String[] readme = SwarmFiles.readmeSection("## The two commands")
                .lines().filter(l -> l.startsWith("mvn ") && l.contains(" && java -jar ")).findFirst()
                .orElseThrow(() -> new AssertionError("README: no 'mvn ... && java -jar ...' line")).split(" && ");
        String build = readme[0].strip();
        List<String> run = List.of(readme[1].strip().split("\\s+")); // java -jar JAR run
        String jar = run.get(2);

        List<Instruction> dockerfile = SwarmFiles.dockerfile();
        int buildStage = buildStage(dockerfile);
        List<String> buildRuns = dockerfile.stream()
                .filter(i -> i.stage() == buildStage && i.keyword().equals("RUN")).map(Instruction::args).toList();
        assertThat(buildRuns).as("the build stage's last RUN").last().isEqualTo(build);

        // the shaded jar is named by the shade plugin's finalName in app/pom.xml
        String finalName = text(pom("app/pom.xml").getElementsByTagName("finalName"));
        assertThat(jar).isEqualTo("app/target/" + finalName + ".jar");

        String workdir = dockerfile.stream().filter(i -> i.stage() == buildStage && i.keyword().equals("WORKDIR"))
                .map(Instruction::args).reduce((a, b) -> b).orElse("/");
        List<String> copy = all(dockerfile, "COPY").stream().filter(c -> c.startsWith("--from=")).toList();
        assertThat(copy).hasSize(1);
        String[] fromBuild = copy.get(0).split("\\s+");
        assertThat(fromBuild[0]).isEqualTo("--from=build");
        assertThat(fromBuild[1]).isEqualTo(workdir + "/" + jar);

        List<String> entrypoint = execForm(only(dockerfile, "ENTRYPOINT"));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size())).containsExactly("-jar", fromBuild[2]);
        assertThat(execForm(only(dockerfile, "CMD"))).isEqualTo(run.subList(3, run.size()));
    }

    @Test
    void image_copiesEveryModuleAndWhatItsBuildReads_beforeBuilding_andDockerignoreKeepsThem() throws Exception {
        List<Instruction> dockerfile = SwarmFiles.dockerfile();
        List<String> instructions = dockerfile.stream()
                .filter(i -> i.stage() == buildStage(dockerfile)).map(i -> i.keyword() + " " + i.args()).toList();
        int goOffline = indexOf(instructions, "RUN ", "go-offline");
        int build = instructions.size() - 1;
        List<String> copied = new ArrayList<>();
        for (String module : texts(pom("pom.xml").getElementsByTagName("module"))) {
            assertThat(indexOf(instructions, "COPY " + module + "/pom.xml " + module + "/", ""))
                    .as("%s's pom is copied before the dependencies are fetched", module).isLessThan(goOffline);
            assertThat(indexOf(instructions, "COPY " + module + "/src " + module + "/src", ""))
                    .as("%s's sources are copied after", module).isBetween(goOffline + 1, build - 1);
            copied.add(module + "/pom.xml");
            copied.add(module + "/src");
            // resources read from outside the module, e.g. app's ${project.basedir}/../conf
            for (String dir : texts(pom(module + "/pom.xml").getElementsByTagName("directory"))) {
                if (dir.startsWith("${project.basedir}/../")) {
                    String top = dir.substring("${project.basedir}/../".length());
                    assertThat(indexOf(instructions, "COPY " + top + " " + top, ""))
                            .as("%s (read by %s) is copied", top, module).isBetween(goOffline + 1, build - 1);
                    copied.add(top);
                }
            }
        }
        for (String pattern : SwarmFiles.read(".dockerignore").lines()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            var matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            for (String path : copied) {
                for (Path p = Path.of(path); p != null; p = p.getParent()) {
                    assertThat(matcher.matches(p)).as(".dockerignore's %s leaves out %s", pattern, path).isFalse();
                }
            }
        }
    }

    @Test
    void everyVariableTheFilesSet_isOneSluiceReads() throws Exception {
        List<String> known = new ArrayList<>(Settings.VARIABLES);
        assertThat(known).containsAll(DISCOVERY_VARIABLES);
        Map<String, String> set = new LinkedHashMap<>();
        SwarmFiles.env(SwarmFiles.dockerfile()).keySet().forEach(name -> set.put(name, "Dockerfile"));
        for (String file : STACKS) {
            for (var e : services(file).entrySet()) {
                Map<String, String> env = environment(e.getValue());
                if (image(e.getValue()).startsWith(LISTENER_IMAGE)) {
                    assertThat(LISTENER_VARIABLES).as("the listener's variables in %s", file)
                            .containsAll(env.keySet());
                } else {
                    assertThat(isSluice(e.getValue())).as("%s in %s is Sluice or the listener", e.getKey(), file)
                            .isTrue();
                    env.keySet().forEach(name -> set.put(name, file));
                }
            }
        }
        assertThat(environment(services(DEMO).get("demo"))).isEmpty();
        set.forEach((name, file) -> assertThat(known.contains(name) || name.startsWith("DFP_SERVICE_"))
                .as("%s, set in %s, is a variable Sluice reads", name, file).isTrue());

        // the README documents each discovery variable, with its flag
        Map<String, String> table = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\| `--([a-z-]+)` \\|")
                .matcher(SwarmFiles.readmeSection("## Run on Swarm"));
        while (row.find()) {
            table.put(row.group(1), row.group(2));
        }
        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(DISCOVERY_VARIABLES);
        table.forEach((name, flag) -> assertThat(flag).as(name).isEqualTo(Environment.flag(name)));
    }

    @Test
    void publishedAndExposedPorts_areSluicesDefaults() throws Exception {
        List<Integer> defaults = Settings.parsePorts("DEFAULT_PORTS", Settings.DEFAULT_PORTS).stream()
                .map(Bind::port).toList();
        int adminPort = defaultAdminPort();
        List<Integer> exposed = new ArrayList<>(defaults);
        exposed.add(adminPort);
        List<Instruction> dockerfile = SwarmFiles.dockerfile();
        assertThat(List.of(only(dockerfile, "EXPOSE").split("\\s+"))).containsExactlyElementsOf(
                exposed.stream().map(String::valueOf).toList());
        assertThat(only(dockerfile, "HEALTHCHECK")).contains("${ADMIN_PORT:-" + adminPort + "}");

        for (String file : STACKS) {
            for (var e : services(file).entrySet()) {
                if (!isSluice(e.getValue())) {
                    continue;
                }
                List<JsonObject> ports = e.getValue().getJsonArray("ports").stream().map(JsonObject.class::cast).toList();
                assertThat(ports).as("%s: %s's ports", file, e.getKey())
                        .extracting(p -> p.getInteger("target")).containsExactlyElementsOf(defaults);
                for (JsonObject p : ports) {
                    assertThat(p.getInteger("published")).as("%s: %s", file, p).isEqualTo(p.getInteger("target"));
                }
                // a new replica cannot start before the old one stops when they would share a host port
                boolean hostMode = ports.stream().anyMatch(p -> "host".equals(p.getString("mode")));
                JsonObject deploy = e.getValue().getJsonObject("deploy");
                for (String config : List.of("update_config", "rollback_config")) {
                    String order = deploy.getJsonObject(config).getString("order", "stop-first");
                    assertThat(hostMode && order.equals("start-first")).as("%s: %s with host-mode ports", file, config)
                            .isFalse();
                }
            }
        }
    }

    @Test
    void stacks_runSluiceGlobally_onTheProxyNetwork_withTheImagesVolumes_andItsOwnServiceName() throws Exception {
        String readme = SwarmFiles.read("README.md");
        String tag = find(readme, "docker build -t (\\S+) \\.", "README: docker build -t TAG .");
        Map<String, String> imageEnv = SwarmFiles.env(SwarmFiles.dockerfile());
        for (String file : STACKS) {
            JsonObject stack = SwarmFiles.yaml(file);
            assertThat(stack.getJsonObject("networks").getJsonObject("proxy").getBoolean("external")).isTrue();
            String stackName = find(readme, "docker stack deploy -c " + Pattern.quote(file) + " (\\S+)",
                    "README: docker stack deploy -c " + file + " NAME");
            Map<String, JsonObject> services = services(file);
            List<String> sluices = services.keySet().stream().filter(k -> isSluice(services.get(k))).toList();
            assertThat(sluices).as(file).containsExactly("proxy");
            JsonObject proxy = services.get("proxy");
            Map<String, String> env = environment(proxy);

            assertThat(image(proxy)).isEqualTo("${SLUICE_IMAGE:-" + tag + "}");
            assertThat(proxy.getJsonObject("deploy").getString("mode")).isEqualTo("global");
            assertThat(strings(proxy, "networks")).contains("proxy");
            // the Swarm service is <stack>_<service>; its replicas look each other up as tasks.SERVICE_NAME
            assertThat(env.get("SERVICE_NAME")).as("%s: SERVICE_NAME", file).isEqualTo(stackName + "_proxy");
            List<String> mountedAt = strings(proxy, "volumes").stream().map(v -> v.split(":")[1]).toList();
            assertThat(mountedAt).as("%s: volumes at the image's STATE_DIR and CERTS_DIR", file)
                    .contains(imageEnv.get("STATE_DIR"), imageEnv.get("CERTS_DIR"));

            boolean socket = strings(proxy, "volumes").contains("/var/run/docker.sock:/var/run/docker.sock:ro");
            if (env.get("DISCOVERY").equals("docker")) {
                assertThat(socket).as("%s: the Docker socket, read-only, for DISCOVERY=docker", file).isTrue();
            } else {
                assertThat(env.get("DISCOVERY")).isEqualTo("none");
                assertThat(socket).isFalse();
                checkListener(file, services, env.get("LISTENER_ADDRESS"));
            }
        }
    }

    /** The listener runs on a manager, notifies Sluice's admin API, and is what LISTENER_ADDRESS names. */
    private void checkListener(String file, Map<String, JsonObject> services, String listenerAddress) {
        String name = services.keySet().stream().filter(k -> image(services.get(k)).startsWith(LISTENER_IMAGE))
                .findFirst().orElseThrow(() -> new AssertionError(file + ": no " + LISTENER_IMAGE));
        JsonObject listener = services.get(name);
        assertThat(listenerAddress).isEqualTo(name);
        assertThat(strings(listener.getJsonObject("deploy").getJsonObject("placement"), "constraints"))
                .contains("node.role == manager");
        Map<String, String> env = environment(listener);
        for (var call : Map.of("DF_NOTIFY_CREATE_SERVICE_URL", "/reconfigure",
                "DF_NOTIFY_REMOVE_SERVICE_URL", "/remove").entrySet()) {
            URI uri = URI.create(env.get(call.getKey()));
            assertThat(uri.getHost()).as(call.getKey()).isEqualTo("proxy");
            assertThat(uri.getPort()).as(call.getKey()).isEqualTo(defaultAdminPort());
            assertThat(uri.getPath()).isEqualTo(AdminServer.PREFIXES.get(0) + call.getValue());
        }
    }

    @Test
    void demoServicesLabels_makeTheServiceTheReadmeCalls() throws Exception {
        JsonObject demo = services(DEMO).get("demo");
        assertThat(demo.containsKey("labels")).as("com.df.* labels on the containers go unseen").isFalse();
        JsonObject labels = demo.getJsonObject("deploy").getJsonObject("labels");
        assertThat(labels.getString("com.df.notify")).isEqualTo("true");
        Map<String, List<String>> params = new HashMap<>();
        labels.forEach(e -> {
            if (e.getKey().startsWith("com.df.") && !e.getKey().equals("com.df.notify")) {
                params.put(e.getKey().substring("com.df.".length()), List.of(String.valueOf(e.getValue())));
            }
        });
        String readme = SwarmFiles.read("README.md");
        String stackName = find(readme, "docker stack deploy -c " + Pattern.quote(DEMO) + " (\\S+)", "the demo's deploy");
        params.put("serviceName", List.of(stackName + "_demo"));

        ServiceSpec spec = ServiceParser.parse(params, ServiceDefaults.DFP);
        assertThat(spec.warnings()).isEmpty();
        assertThat(spec.destinations()).hasSize(1);
        Destination d = spec.destinations().get(0);
        assertThat(d.port()).isEqualTo(80); // traefik/whoami's port
        assertThat(readme).contains("curl -i http://localhost" + d.servicePath().get(0) + " ");
        assertThat(readme).contains("docker service scale " + spec.serviceName() + "=");
    }

    static Map<String, JsonObject> services(String file) throws Exception {
        JsonObject services = SwarmFiles.yaml(file).getJsonObject("services");
        Map<String, JsonObject> out = new LinkedHashMap<>();
        services.fieldNames().forEach(name -> out.put(name, services.getJsonObject(name)));
        return out;
    }

    private static String image(JsonObject service) {
        return service.getString("image", "");
    }

    private static boolean isSluice(JsonObject service) {
        return SLUICE_IMAGE.matcher(image(service)).matches();
    }

    private int defaultAdminPort() {
        return Settings.from(new Environment(Map.of(), Map.of(), noSecrets)).adminPort();
    }

    private static int buildStage(List<Instruction> dockerfile) {
        return dockerfile.stream().filter(i -> i.keyword().equals("FROM") && i.args().endsWith(" AS build"))
                .findFirst().orElseThrow(() -> new AssertionError("no 'FROM ... AS build' stage")).stage();
    }

    private static int indexOf(List<String> instructions, String prefix, String containing) {
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).startsWith(prefix) && instructions.get(i).contains(containing)) {
                return i;
            }
        }
        throw new AssertionError("the build stage has no '" + prefix + "..." + containing + "' in " + instructions);
    }

    private static Document pom(String relative) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(SwarmFiles.root().resolve(relative).toFile());
    }

    private static List<String> texts(NodeList nodes) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent().strip());
        }
        return out;
    }

    private static String text(NodeList nodes) {
        List<String> all = texts(nodes);
        assertThat(all).hasSize(1);
        return all.get(0);
    }
}
