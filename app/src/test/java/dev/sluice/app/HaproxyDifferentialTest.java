package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every {@code conf/examples/NAME.cfg} in a real HAProxy and in Sluice side by side, sends
 * the requests of {@code NAME.requests} to both and expects the same answer ({@link SideBySide}
 * says what is compared). {@code -Dsluice.diff.verbose=true} prints every exchange.
 */
class HaproxyDifferentialTest {

    private static final Path EXAMPLES = findExamples();

    @BeforeAll
    static void haproxyIsInstalled() {
        SideBySide.assumeHaproxyInstalled();
    }

    static List<String> examples() throws IOException {
        return SideBySide.names(EXAMPLES, ".cfg");
    }

    @Test
    void everyExampleComesWithRequestsToCompare() throws IOException {
        assertThat(examples()).hasSizeGreaterThanOrEqualTo(5);
        for (String example : examples()) {
            Path requests = EXAMPLES.resolve(example + ".requests");
            assertThat(requests).as("request list of " + example + ".cfg").exists();
            assertThat(ExampleRequest.readAll(requests)).as(requests.toString()).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void sluiceAnswersLikeHaproxy(String example) throws Exception {
        ExampleConfig config = ExampleConfig.read(EXAMPLES.resolve(example + ".cfg"));
        List<ExampleRequest> requests = ExampleRequest.readAll(EXAMPLES.resolve(example + ".requests"));
        SideBySide.compare(example, config, requests);
    }

    private static Path findExamples() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path candidate : List.of(dir.resolve("../conf/examples"), dir.resolve("conf/examples"))) {
            if (Files.isDirectory(candidate)) {
                return candidate.normalize();
            }
        }
        throw new IllegalStateException("conf/examples not found from " + dir);
    }
}
