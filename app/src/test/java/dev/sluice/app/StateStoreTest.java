package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.sluice.admin.StoredService;
import dev.sluice.discovery.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class StateStoreTest {

    @TempDir
    Path dir;

    private static StoredService service(String name, String... more) {
        return service(Source.API, name, more);
    }

    private static StoredService service(Source source, String name, String... more) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("serviceName", List.of(name));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], List.of(more[i + 1].split("\\|")));
        }
        return new StoredService(source, m);
    }

    @Test
    void load_withoutAFile_isEmpty_andOpenCreatesTheDirectory() throws Exception {
        Path state = dir.resolve("a/b/state");

        StateStore store = StateStore.open(state);

        assertThat(state).isDirectory();
        assertThat(store.load()).isEmpty();
    }

    @Test
    void save_thenLoad_givesTheServicesBackInOrder() throws Exception {
        StateStore store = StateStore.open(dir);
        List<StoredService> services = List.of(
                service(Source.DOCKER, "zeta", "port", "8080", "servicePath", "/z"),
                service("alpha", "servicePath.1", "/a|/b", "port.1", "80", "users", "alice:wonder\"land"));

        store.save(services);
        List<StoredService> loaded = StateStore.open(dir).load();

        assertThat(loaded).isEqualTo(services);
        assertThat(loaded.get(0).params().keySet()).containsExactly("serviceName", "port", "servicePath");
        assertThat(loaded.get(1).params().keySet()).containsExactly("serviceName", "servicePath.1", "port.1", "users");
        assertThat(Files.readString(dir.resolve("services.json")).replaceAll("\\s", ""))
                .startsWith("[{\"source\":\"docker\",\"params\":{\"serviceName\":[\"zeta\"],\"port\":[\"8080\"]");
        assertThat(loaded).extracting(StoredService::source).containsExactly(Source.DOCKER, Source.API);
    }

    @Test
    void save_replacesThePreviousList_andLeavesNoTempFile() throws Exception {
        StateStore store = StateStore.open(dir);
        store.save(List.of(service("a"), service("b")));

        store.save(List.of(service("c")));

        assertThat(store.load()).containsExactly(service("c"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("services.json");
        }
    }

    @Test
    void save_writesOneServicePerLine_andWhatChangedSinceTheLastSave() throws Exception {
        StateStore store = StateStore.open(dir);
        StoredService a = service("a", "servicePath", "/a");
        StoredService b = service("b", "servicePath", "/b");
        store.save(List.of(a, b));

        StoredService movedToDocker = new StoredService(Source.DOCKER, a.params());
        StoredService bChanged = service("b", "servicePath", "/b2");
        store.save(List.of(movedToDocker, bChanged, service("c")));

        assertThat(Files.readAllLines(dir.resolve("services.json"))).hasSize(5)
                .first().isEqualTo("[");
        assertThat(StateStore.open(dir).load()).containsExactly(movedToDocker, bChanged, service("c"));
    }

    @Test
    void save_keepsTheFileToItsOwner_itHoldsPasswords() throws Exception {
        StateStore.open(dir).save(List.of(service("a", "users", "alice:secret")));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("services.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void twoStoresOnOneDirectory_saveInTurn_withoutTakingEachOthersTempFile() throws Exception {
        StateStore one = StateStore.open(dir);
        StateStore other = StateStore.open(dir);

        for (int i = 0; i < 5; i++) {
            one.save(List.of(service("one-" + i)));
            other.save(List.of(service("other-" + i)));
        }

        assertThat(one.load()).containsExactly(service("other-4"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("services.json");
        }
    }

    @Test
    void load_deletesTempFilesLeftByACrash() throws Exception {
        StateStore store = StateStore.open(dir);
        store.save(List.of(service("kept")));
        Path crashed = Files.writeString(dir.resolve("services.json.123456.tmp"), "[{\"params\": {\"serviceName\": [\"half");
        Files.setLastModifiedTime(crashed, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        // another process on the same volume writing right now (a start-first update): left alone
        Path writing = Files.writeString(dir.resolve("services.json.777.tmp"), "[");
        Files.writeString(dir.resolve("other.txt"), "not ours");

        assertThat(store.load()).containsExactly(service("kept"));
        assertThat(crashed).doesNotExist();
        assertThat(writing).exists();
        assertThat(dir.resolve("other.txt")).exists();
    }

    @Test
    void load_aFileWrittenBeforeSourcesWereKept_readsEveryServiceAsAnApiOne() throws Exception {
        Files.writeString(dir.resolve("services.json"), "[{\"params\": {\"serviceName\": [\"old\"], \"port\": [\"80\"]}}]");

        assertThat(StateStore.open(dir).load()).containsExactly(service("old", "port", "80"));
    }

    @Test
    void load_aCorruptFile_isAnErrorNamingTheFileAndTheProblem() throws Exception {
        StateStore store = StateStore.open(dir);
        Path file = dir.resolve("services.json");

        Files.writeString(file, "[{\"params\": {\"serviceName\": [\"x\"]}");
        assertThatThrownBy(store::load).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ": not valid JSON (").hasMessageContaining("line 1");

        Files.writeString(file, "{\"params\": {}}");
        assertThatThrownBy(store::load).hasMessage(file + ": expected a JSON array of {\"params\": {...}} objects");

        Files.writeString(file, "[{\"params\": {\"port\": 8080}}]");
        assertThatThrownBy(store::load).hasMessage(file + ": entry 0, parameter port: expected an array of strings");

        Files.writeString(file, "[] []");
        assertThatThrownBy(store::load).hasMessageStartingWith(file + ": not valid JSON (");
    }

    @Test
    void save_thatCannotRename_leavesNoTempFile_evenForRoot() throws Exception {
        StateStore store = StateStore.open(dir);
        Files.createDirectories(dir.resolve("services.json/in-the-way"));

        assertThatThrownBy(() -> store.save(List.of(service("new"))))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(dir.resolve("services.json") + ": cannot save the services (");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("services.json");
        }
        assertThat(dir.resolve("services.json/in-the-way")).isDirectory();
    }

    @Test
    void open_aDirectoryThatCannotBeCreated_isAnErrorNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");

        assertThatThrownBy(() -> StateStore.open(file.resolve("state")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("STATE_DIR " + file.resolve("state") + ": cannot create the directory");
        assertThatThrownBy(() -> StateStore.open(file))
                .hasMessageStartingWith("STATE_DIR " + file + ": ");
    }
}
